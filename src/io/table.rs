//! Reading a CSV file into a numeric table, with errors that name the file,
//! the row and the column.
//!
//! Parsing is the `csv` crate's (quotes, escapes, line endings); Tuna adds the
//! delimiter guess, the BOM, numeric cells and the messages.

use thiserror::Error;

/// A problem with a data file.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum DataError {
    /// The file has no header row.
    #[error("{file}: the file is empty (or only blank lines); it needs a header row and at least one data row")]
    Empty {
        /// File name.
        file: String,
    },
    /// The file has a header but no data.
    #[error("{file}: the file has a header row but no data rows; add the data below the header")]
    HeaderOnly {
        /// File name.
        file: String,
    },
    /// A row has a different number of cells than the header.
    #[error(
        "{file}: row {row} (line {line}) has {found} cell{s}, the header has {expected}; {hint}",
        s = if *found == 1 { "" } else { "s" }
    )]
    Ragged {
        /// File name.
        file: String,
        /// 1-based data row.
        row: usize,
        /// 1-based line in the file.
        line: usize,
        /// Cells found.
        found: usize,
        /// Cells in the header.
        expected: usize,
        /// How to fix it: which delimiter this row uses, if another one.
        hint: String,
    },
    /// A cell is blank, not a number, NaN or infinite.
    #[error("{file}: row {row} (line {line}), column `{column}`: {problem}")]
    Cell {
        /// File name.
        file: String,
        /// 1-based data row.
        row: usize,
        /// 1-based line in the file.
        line: usize,
        /// Column name.
        column: String,
        /// What is wrong with the cell.
        problem: String,
    },
    /// Any other problem with a file or the pair of files.
    #[error("{file}: {message}")]
    File {
        /// File name.
        file: String,
        /// What is wrong and how to fix it.
        message: String,
    },
}

/// The type a column's cells had, for lineage schemas (MLflow's type names).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnType {
    /// Every cell an integer: MLflow `long`.
    Long,
    /// Some cell had a fraction or exponent: MLflow `double`.
    Double,
    /// Every cell `true`/`false`: MLflow `boolean`.
    Boolean,
}

impl ColumnType {
    /// MLflow's name for the type.
    pub fn mlflow_name(self) -> &'static str {
        match self {
            ColumnType::Long => "long",
            ColumnType::Double => "double",
            ColumnType::Boolean => "boolean",
        }
    }
}

/// A CSV file as numbers: column names, row-major values, column types.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Where it came from (file name, URL or demo name), used in messages.
    pub name: String,
    /// Header names, in file order.
    pub columns: Vec<String>,
    /// Row-major values.
    pub values: Vec<f64>,
    /// Each column's type.
    pub types: Vec<ColumnType>,
}

impl Table {
    /// Number of data rows.
    pub fn n_rows(&self) -> usize {
        if self.columns.is_empty() { 0 } else { self.values.len() / self.columns.len() }
    }

    /// One column's values.
    pub fn column(&self, index: usize) -> Vec<f64> {
        let p = self.columns.len();
        (0..self.n_rows()).map(|r| self.values[r * p + index]).collect()
    }
}

/// The delimiter used by the header line: the most frequent of `,`, `;` and tab.
fn guess_delimiter(text: &[u8]) -> u8 {
    let header = text.split(|&b| b == b'\n').next().unwrap_or(&[]);
    [b',', b';', b'\t'].into_iter().max_by_key(|d| header.iter().filter(|b| *b == d).count()).unwrap_or(b',')
}

/// What to say about a row whose cell count is not the header's: a row
/// written with another delimiter than the header's (two exports pasted
/// together) is named as such.
fn ragged_hint(record: &csv::ByteRecord, delimiter: u8) -> String {
    let name = |d: u8| if d == b'\t' { "tab".to_string() } else { format!("`{}`", d as char) };
    let other = [b',', b';', b'\t'].into_iter().find(|&d| d != delimiter && record.iter().flatten().any(|&b| b == d));
    match other {
        Some(d) => format!(
            "the header is separated by {} but this row by {}; save the file with one delimiter throughout",
            name(delimiter),
            name(d)
        ),
        None => "check for a missing or extra delimiter, or put quotes around a cell that contains one".into(),
    }
}

/// How to re-save a file that is not UTF-8.
const RESAVE: &str = "save it as \"CSV UTF-8\" (Excel) or with encoding=\"utf-8\" (pandas)";

/// The texts pandas reads as a missing value (`na_values`), besides blank and NaN.
const MISSING: &[&str] = &["NA", "N/A", "n/a", "NULL", "null", "None", "#N/A", "<NA>", "-", "?"];

/// A cell as a message quotes it: a long one is cut (a whole pasted document
/// would bury the message) and its length said.
fn quoted(s: &str) -> String {
    const SHOWN: usize = 40;
    match s.char_indices().nth(SHOWN) {
        Some((cut, _)) => format!("`{}…` ({} characters)", &s[..cut], s.chars().count()),
        None => format!("`{s}`"),
    }
}

/// A cell's bytes as text, or what to say about bytes that are not UTF-8.
fn utf8(cell: &[u8]) -> Result<&str, String> {
    std::str::from_utf8(cell).map_err(|e| {
        let byte = cell[e.valid_up_to()];
        format!(
            "{} has the byte 0x{byte:02X}, which is not UTF-8: the file is probably Latin-1 or Windows-1252; {RESAVE}",
            quoted(&String::from_utf8_lossy(cell))
        )
    })
}

/// Parses one cell: integers, decimals, exponents and booleans (as 1/0).
fn parse_cell(cell: &str, delimiter: u8) -> Result<(f64, ColumnType), String> {
    let s = cell.trim();
    if s.is_empty() {
        return Err("the cell is blank; fill it in or drop the row".into());
    }
    match s {
        "true" | "True" | "TRUE" => return Ok((1.0, ColumnType::Boolean)),
        "false" | "False" | "FALSE" => return Ok((0.0, ColumnType::Boolean)),
        _ => {}
    }
    if let Ok(i) = s.parse::<i64>() {
        return Ok((i as f64, ColumnType::Long));
    }
    match s.parse::<f64>() {
        Ok(v) if v.is_nan() => Err(format!("`{s}` is a missing value (NaN); fill it in (impute) or drop the row")),
        Ok(v) if v.is_infinite() && s.trim_start_matches(['+', '-']).to_ascii_lowercase().starts_with("inf") => {
            Err(format!("`{s}` is infinite; only finite numbers can be fitted: replace it or drop the row"))
        }
        Ok(v) if v.is_infinite() => Err(format!(
            "{} is too large for a 64-bit number (the largest is about 1.8e308); rescale the column",
            quoted(s)
        )),
        Ok(v) => Ok((v, ColumnType::Double)),
        Err(_) if MISSING.contains(&s) => {
            Err(format!("`{s}` marks a missing value; fill it in (impute) or drop the row"))
        }
        Err(_) if delimiter != b',' && s.replacen(',', ".", 1).parse::<f64>().is_ok() => Err(format!(
            "`{s}` has a decimal comma; Tuna reads a decimal point: save the file with `.` as the decimal separator"
        )),
        Err(_) => Err(format!(
            "{} is not a number; Tuna needs numeric columns (encode categories as numbers first)",
            quoted(s)
        )),
    }
}

/// Reads CSV bytes into a `Table`, keeping at most `limit` data rows.
pub fn read_csv(name: &str, bytes: &[u8], limit: Option<usize>) -> Result<Table, DataError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let file = name.to_string();
    // UTF-16 (Excel's "Unicode Text", PowerShell's default) starts with its BOM
    // or has a NUL byte in every other place; either way it is not UTF-8 text.
    let head = &bytes[..bytes.len().min(4096)];
    if head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF") || head.contains(&0) {
        return Err(DataError::File {
            file,
            message: "is UTF-16 text, not UTF-8: save it as \"CSV UTF-8\" (Excel) or with encoding=\"utf-8\" (pandas)"
                .into(),
        });
    }
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(DataError::Empty { file });
    }
    let delimiter = guess_delimiter(bytes);
    let mut reader = csv::ReaderBuilder::new().delimiter(delimiter).has_headers(true).flexible(true).from_reader(bytes);
    let header = reader
        .byte_headers()
        .map_err(|e| DataError::File { file: file.clone(), message: format!("cannot read the header row: {e}") })?;
    let mut columns = Vec::with_capacity(header.len());
    for (i, name) in header.iter().enumerate() {
        let at = |problem: String| DataError::File {
            file: file.clone(),
            message: format!("header (line 1), column {}: {problem}", i + 1),
        };
        let name = utf8(name).map_err(at)?.trim();
        if name.is_empty() {
            return Err(at("has no name; every column needs a name".into()));
        }
        columns.push(name.to_string());
    }
    let p = columns.len();
    // Room for every row up front: growing by doubling would hold the old and
    // the new buffer at once, near 2.5x the values' size. A row is at most one
    // per line, and takes at least p bytes (its delimiters and line end), so
    // blank lines under a wide header cannot ask for more than the file holds.
    let lines = bytes.iter().filter(|&&b| b == b'\n').count() + 1;
    let rows = lines.min(bytes.len() / p.max(1) + 1);
    let mut values = Vec::with_capacity(limit.map_or(rows, |l| l.min(rows)).saturating_mul(p));
    let mut types = vec![None::<ColumnType>; p];
    let mut record = csv::ByteRecord::new();
    let mut row = 0;
    while limit.is_none_or(|l| row < l) {
        let more = reader.read_byte_record(&mut record).map_err(|e| DataError::File {
            file: file.clone(),
            message: format!("cannot read row {}: {e}", row + 1),
        })?;
        if !more {
            break;
        }
        row += 1;
        let line = || record.position().map_or(row + 1, |p| line_at(bytes, p.byte() as usize));
        // A trailing blank line reads as one empty cell: skip it.
        if record.len() == 1 && record[0].iter().all(|b| b.is_ascii_whitespace()) && p > 1 {
            row -= 1;
            continue;
        }
        if record.len() != p {
            let hint = ragged_hint(&record, delimiter);
            return Err(DataError::Ragged { file, row, line: line(), found: record.len(), expected: p, hint });
        }
        for (j, cell) in record.iter().enumerate() {
            let (v, t) = utf8(cell).and_then(|text| parse_cell(text, delimiter)).map_err(|problem| {
                if repeats_header(&record, &columns) {
                    let message = format!(
                        "row {row} (line {}) repeats the header row: were two files joined together? remove that line",
                        line()
                    );
                    return DataError::File { file: file.clone(), message };
                }
                DataError::Cell { file: file.clone(), row, line: line(), column: columns[j].clone(), problem }
            })?;
            types[j] = Some(merge(types[j], t));
            values.push(v);
        }
    }
    if row == 0 {
        return Err(DataError::HeaderOnly { file });
    }
    let types = types.into_iter().map(|t| t.unwrap_or(ColumnType::Double)).collect();
    Ok(Table { name: file, columns, values, types })
}

/// Whether a row is the header again (a second file's, BOM and all, pasted below the first).
fn repeats_header(record: &csv::ByteRecord, columns: &[String]) -> bool {
    let cell = |c: &[u8]| String::from_utf8_lossy(c).trim().trim_start_matches('\u{FEFF}').to_string();
    record.iter().map(cell).eq(columns.iter().cloned())
}

/// The 1-based line of the record at byte `offset`: one more than the line
/// endings before it, `\n`, `\r\n` or a lone `\r` (old Mac files) each
/// counting once. The csv crate counts one line short for CRLF files (Excel's,
/// Python's): it starts their records at the `\n` of the line before, so the
/// line endings at `offset` belong before the record too.
fn line_at(bytes: &[u8], offset: usize) -> usize {
    let offset = offset.min(bytes.len());
    let start = offset + bytes[offset..].iter().take_while(|&&b| b == b'\r' || b == b'\n').count();
    let before = &bytes[..start];
    let lone_cr = before.iter().enumerate().filter(|&(i, &b)| b == b'\r' && bytes.get(i + 1) != Some(&b'\n')).count();
    1 + before.iter().filter(|&&b| b == b'\n').count() + lone_cr
}

/// A column's type given the type so far and a new cell's.
fn merge(so_far: Option<ColumnType>, cell: ColumnType) -> ColumnType {
    match (so_far, cell) {
        (None, t) => t,
        (Some(a), b) if a == b => a,
        _ => ColumnType::Double,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Table, DataError> {
        read_csv("data.csv", text.as_bytes(), None)
    }

    #[test]
    fn reads_numbers_booleans_and_types() {
        let t = read("a,b,c\n1,2.5,true\n3,4e1,false\n").unwrap();
        assert_eq!(t.values, vec![1.0, 2.5, 1.0, 3.0, 40.0, 0.0]);
        assert_eq!(t.types, vec![ColumnType::Long, ColumnType::Double, ColumnType::Boolean]);
    }

    /// Issue 12: a UTF-16 file was reported as "invalid UTF-8".
    #[test]
    fn issue_12_utf16_is_named_with_how_to_resave() {
        for bytes in [&b"\xFF\xFEa\x00,\x00b\x00\n\x001\x00,\x002\x00\n\x00"[..], b"\x00a\x00,\x00b\n"] {
            let e = read_csv("x.csv", bytes, None).unwrap_err().to_string();
            assert_eq!(
                e,
                "x.csv: is UTF-16 text, not UTF-8: save it as \"CSV UTF-8\" (Excel) or with encoding=\"utf-8\" (pandas)"
            );
        }
    }

    #[test]
    fn semicolons_tabs_quotes_and_bom() {
        assert_eq!(read("a;b\n1;2\n").unwrap().values, vec![1.0, 2.0]);
        assert_eq!(read("a\tb\n1\t2\n").unwrap().values, vec![1.0, 2.0]);
        assert_eq!(read("\u{FEFF}\"a,x\",b\n\"1\",2\n").unwrap().columns, vec!["a,x", "b"]);
    }

    /// Issue 12: room was reserved for (lines x columns) values, so a 1 MB file
    /// of a wide header and many blank lines asked for a terabyte and aborted.
    #[test]
    fn issue_12_a_wide_header_over_many_lines_reserves_no_more_than_the_file_holds() {
        let mut text = "a,".repeat(250_000) + "a\n";
        text += &"\n".repeat(500_000);
        assert!(matches!(read(&text), Err(DataError::HeaderOnly { .. })));
    }

    #[test]
    fn limit_keeps_the_first_rows() {
        let t = read_csv("d.csv", b"a\n1\n2\n3\n", Some(2)).unwrap();
        assert_eq!(t.values, vec![1.0, 2.0]);
    }

    #[test]
    fn empty_and_header_only_files() {
        assert!(matches!(read(""), Err(DataError::Empty { .. })));
        assert!(matches!(read("a,b\n"), Err(DataError::HeaderOnly { .. })));
    }

    #[test]
    fn ragged_row_names_row_and_line() {
        let e = read("a,b\n1,2\n3\n").unwrap_err().to_string();
        assert_eq!(
            e,
            "data.csv: row 2 (line 3) has 1 cell, the header has 2; check for a missing or extra delimiter, \
             or put quotes around a cell that contains one"
        );
        let e = read("a,b\n1,2\n3;4\n").unwrap_err().to_string();
        assert!(
            e.ends_with(
                "the header is separated by `,` but this row by `;`; save the file with one delimiter throughout"
            ),
            "{e}"
        );
    }

    /// Issue 12: a CRLF file's errors named the line before the bad one.
    #[test]
    fn issue_12_lines_are_counted_alike_for_crlf_lf_and_cr_files() {
        for end in ["\r\n", "\n", "\r"] {
            let text = ["a,b", "1,2", "3,x", ""].join(end);
            let e = read(&text).unwrap_err().to_string();
            assert!(e.starts_with("data.csv: row 2 (line 3), column `b`: `x` is not a number"), "{end:?}: {e}");
            let ragged = ["a,b", "1,2", "", "3", ""].join(end);
            let e = read(&ragged).unwrap_err().to_string();
            assert!(e.starts_with("data.csv: row 2 (line 4) has 1 cell"), "{end:?}: {e}");
        }
    }

    #[test]
    fn bad_cells_name_row_and_column() {
        let e = read("a,b\n1,x\n").unwrap_err().to_string();
        assert!(e.starts_with("data.csv: row 1 (line 2), column `b`: `x` is not a number"), "{e}");
        assert!(read("a,b\n1,\n").unwrap_err().to_string().contains("blank"));
        assert!(read("a,b\n1,NaN\n").unwrap_err().to_string().contains("NaN"));
        assert!(read("a,b\n1,inf\n").unwrap_err().to_string().contains("infinite"));
    }

    #[test]
    fn unnamed_header_column_is_an_error() {
        let e = read("a,,c\n1,2,3\n").unwrap_err().to_string();
        assert_eq!(e, "data.csv: header (line 1), column 2: has no name; every column needs a name");
    }
}
