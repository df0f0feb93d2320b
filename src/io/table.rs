//! Reading a CSV file into a numeric table, with errors that name the file,
//! the row and the column.
//!
//! Parsing is the `csv` crate's (quotes, escapes, line endings); Tuna adds the
//! delimiter guess, the BOM, numeric cells and the messages.

use std::io::Read;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
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
    /// Several problems, each on its own line (at most [`MAX_LISTED`]).
    #[error(
        "{file}: {count} problems{shown}:\n{lines}",
        count = problems.len() + more,
        shown = if *more > 0 { format!(" (the first {} are listed)", problems.len()) } else { String::new() },
        lines = problems.iter().map(|p| format!("  - {p}")).collect::<Vec<_>>().join("\n")
    )]
    Many {
        /// File name.
        file: String,
        /// Each problem, without the file name.
        problems: Vec<String>,
        /// Problems found beyond the listed ones.
        more: usize,
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

use super::source::{FileSource, head_of};
use crate::core::frame::Column;
pub use crate::core::frame::ColumnType;

/// At most this many problems of a file are listed; the rest are counted.
pub const MAX_LISTED: usize = 20;

/// The bytes of a file the checks at its start look at (its encoding,
/// delimiter and line length), and the most a reader reads before its rows.
const HEAD_BYTES: usize = 1 << 20;

/// A data file as typed columns: names, cells, types. Serializable: the page's
/// reader worker sends it to the page (`web::wire` moves its numbers as memory).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Table {
    /// Where it came from (file name, URL or demo name), used in messages.
    pub name: String,
    /// Header names, in file order.
    pub columns: Vec<String>,
    /// Each column's cells, in file order; shared with the datasets made of
    /// this table (a big file's columns are held once, not once per copy).
    pub data: Arc<[Column]>,
    /// The rows' labels: a CSV's are its row numbers; a Parquet file written
    /// by pandas may hold its index, which is not a feature.
    pub index: RowIndex,
    /// How each column was stored, where pandas' dtype for it is not the one
    /// its [`ColumnType`] names (a Parquet `int8`, `float32`, date...);
    /// empty for a CSV. Only MLflow's schema and digest, which follow pandas'
    /// dtypes, look at it.
    pub stored: Vec<Stored>,
}

/// A column's storage, as far as pandas' dtype for it differs from the
/// [`ColumnType`] the engine works with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Stored {
    /// The dtype pandas infers for a CSV column of these cells.
    #[default]
    AsRead,
    /// A narrower integer than `int64` (no nulls): numpy's `int8`..`uint32`.
    Integer {
        /// Bytes per value: 1, 2 or 4.
        bytes: u8,
        /// Signed (`int32`) or not (`uint32`).
        signed: bool,
    },
    /// `float32`.
    Float32,
    /// pandas' nullable `Int64` (an index-less pyarrow file written from one).
    NullableInteger,
    /// A date or timestamp (`datetime64`, or `object` of dates): text to the engine.
    Datetime,
}

/// A table's row labels, as pandas' index: not data, but part of MLflow's digest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum RowIndex {
    /// `RangeIndex(start, step=step)`: a CSV's row numbers.
    Range {
        /// The first row's label.
        start: i64,
        /// The step between labels.
        step: i64,
    },
    /// A column pandas stored as the index (`instant` in the bikes files).
    Column {
        /// Its name.
        name: String,
        /// Its cells.
        values: Column,
    },
}

impl Default for RowIndex {
    fn default() -> Self {
        RowIndex::Range { start: 0, step: 1 }
    }
}

impl Table {
    /// Number of data rows.
    pub fn n_rows(&self) -> usize {
        self.data.first().map_or(0, Column::len)
    }

    /// "; index `instant` (not a feature)" when the file stored a pandas index, else nothing.
    pub fn index_note(&self) -> String {
        match &self.index {
            RowIndex::Column { name, .. } => format!("; index `{name}` (not a feature, as in pandas)"),
            RowIndex::Range { .. } => String::new(),
        }
    }

    /// How column `j` was stored ([`Stored::AsRead`] for a CSV).
    pub fn stored(&self, j: usize) -> Stored {
        self.stored.get(j).copied().unwrap_or_default()
    }

    /// Each column's type.
    pub fn types(&self) -> Vec<ColumnType> {
        self.data.iter().map(Column::column_type).collect()
    }

    /// Every column's name, type and count of missing cells, one per line.
    pub fn describe(&self) -> Vec<String> {
        self.columns.iter().zip(self.data.iter()).map(|(n, c)| crate::core::frame::describe_column(n, c)).collect()
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

/// The texts pandas' `read_csv` reads as a missing value by default (its
/// `STR_NA_VALUES`), besides the empty cell.
const MISSING: &[&str] = &[
    "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN", "<NA>", "N/A", "NA", "NULL",
    "NaN", "None", "n/a", "nan", "null",
];

/// Whether a cell is missing: blank (or only spaces) or one of pandas' markers.
pub fn is_missing_cell(cell: &str) -> bool {
    let s = cell.trim();
    s.is_empty() || MISSING.contains(&s)
}

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

/// What one non-missing cell is.
enum Cell {
    /// A number (booleans as 1/0) and the type it gives its column.
    Number(f64, ColumnType),
    /// Not a number: the column is text.
    Text,
}

/// Reads one non-missing cell: integers, decimals, exponents and booleans,
/// else text. Infinite and overflowing numbers are errors: no model fits them.
fn parse_cell(cell: &str) -> Result<Cell, String> {
    let s = cell.trim();
    match s {
        "true" | "True" | "TRUE" => return Ok(Cell::Number(1.0, ColumnType::Boolean)),
        "false" | "False" | "FALSE" => return Ok(Cell::Number(0.0, ColumnType::Boolean)),
        _ => {}
    }
    if let Ok(i) = s.parse::<i64>() {
        return Ok(Cell::Number(i as f64, ColumnType::Long));
    }
    match s.parse::<f64>() {
        // "nan" spellings pandas does not list (`NAN`, `+nan`) are missing too.
        Ok(v) if v.is_nan() => Ok(Cell::Number(f64::NAN, ColumnType::Double)),
        Ok(v) if v.is_infinite() && s.trim_start_matches(['+', '-']).to_ascii_lowercase().starts_with("inf") => {
            Err(format!("`{s}` is infinite; only finite numbers can be fitted: replace it or drop the row"))
        }
        Ok(v) if v.is_infinite() => Err(format!(
            "{} is too large for a 64-bit number (the largest is about 1.8e308); rescale the column",
            quoted(s)
        )),
        Ok(v) => Ok(Cell::Number(v, ColumnType::Double)),
        Err(_) => Ok(Cell::Text),
    }
}

/// A column while the file is read: numbers until its first text cell.
enum Building {
    Numbers(Option<ColumnType>, Vec<f64>),
    Text,
}

/// The problems found so far: the first [`MAX_LISTED`] and a count of the rest.
#[derive(Default)]
pub(super) struct Problems {
    listed: Vec<String>,
    more: usize,
}

impl Problems {
    pub(super) fn add(&mut self, problem: String) {
        if self.listed.len() < MAX_LISTED { self.listed.push(problem) } else { self.more += 1 }
    }

    /// `Ok` when there were none; a single problem as its own error (`first`,
    /// the first row or cell problem, when it is that one), several as a list.
    pub(super) fn into_result(mut self, file: &str, first: Option<DataError>) -> Result<(), DataError> {
        match (self.listed.len(), self.more, first) {
            (0, ..) => Ok(()),
            (1, 0, Some(e)) => Err(e),
            (1, 0, None) => Err(DataError::File { file: file.to_string(), message: self.listed.remove(0) }),
            _ => Err(DataError::Many { file: file.to_string(), problems: self.listed, more: self.more }),
        }
    }
}

/// A row's problem, told once its line is known: lines are counted in one
/// pass after the read, and only up to the last listed problem (counting
/// them as each problem turns up would scan the file once per problem).
struct RowProblem {
    /// Where the csv crate says the row starts, if it says.
    at: Option<usize>,
    /// 1-based data row.
    row: usize,
    /// The problem, given its line.
    error: Box<dyn FnOnce(usize) -> DataError>,
}

/// The first [`MAX_LISTED`] row problems of a file, and a count of the rest.
#[derive(Default)]
struct RowProblems {
    listed: Vec<RowProblem>,
    more: usize,
}

impl RowProblems {
    fn add(&mut self, at: Option<usize>, row: usize, error: impl FnOnce(usize) -> DataError + 'static) {
        if self.listed.len() < MAX_LISTED {
            self.listed.push(RowProblem { at, row, error: Box::new(error) });
        } else {
            self.more += 1;
        }
    }

    /// Each problem with its line into `problems` (the file's bytes, from
    /// `open`, are read once for the lines); the first of them, which a file
    /// with no other problem gives as its own error.
    fn resolve<R: Read>(self, file: &str, open: impl FnOnce() -> R, problems: &mut Problems) -> Option<DataError> {
        let offsets: Vec<usize> = self.listed.iter().filter_map(|p| p.at).collect();
        let mut lines = if offsets.is_empty() { Vec::new() } else { lines_at(open(), &offsets) }.into_iter();
        let mut first = None;
        for problem in self.listed {
            let line = problem.at.and_then(|_| lines.next()).unwrap_or(problem.row + 1);
            let e = (problem.error)(line);
            problems.add(without_file(&e, file));
            first.get_or_insert(e);
        }
        problems.more += self.more;
        first
    }
}

/// Reads CSV bytes into a `Table`, keeping at most `limit` data rows.
///
/// Every problem of the file is found in one pass; at most [`MAX_LISTED`] are
/// listed. Text columns are read in a second pass over the file, so a file of
/// numbers is read once and holds no strings.
pub fn read_csv(name: &str, bytes: &[u8], limit: Option<usize>) -> Result<Table, DataError> {
    read_csv_reporting(name, &bytes, limit, &mut |_| {})
}

/// How far a read has come, for a progress bar: data rows read, and bytes of
/// the file behind them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ReadProgress {
    /// Data rows read so far.
    pub rows: usize,
    /// Bytes of the file read so far.
    pub bytes: usize,
}

/// Rows between two progress reports of the CSV reader.
const REPORT_EVERY: usize = 1 << 16;

/// [`read_csv`], telling `report` how far the first pass has come every
/// [`REPORT_EVERY`] rows (the page's progress bar for a big file).
pub(super) fn read_csv_reporting(
    name: &str,
    source: &dyn FileSource,
    limit: Option<usize>,
    report: &mut dyn FnMut(ReadProgress),
) -> Result<Table, DataError> {
    let file = name.to_string();
    let unreadable = |e: std::io::Error| DataError::File {
        file: file.clone(),
        message: format!("cannot be read ({e}); pick it again"),
    };
    let mut head = head_of(source, HEAD_BYTES).map_err(unreadable)?;
    let bom = head.starts_with(b"\xEF\xBB\xBF");
    if bom {
        head.drain(..3);
    }
    let size = source.size() - if bom { 3 } else { 0 };
    // Every pass reads from the first byte after the BOM.
    let open = || {
        let mut bytes = source.open();
        if bom {
            let _ = std::io::copy(&mut bytes.by_ref().take(3), &mut std::io::sink());
        }
        bytes
    };
    // UTF-16 (Excel's "Unicode Text", PowerShell's default) starts with its BOM
    // or has a NUL byte in every other place; either way it is not UTF-8 text.
    let start = &head[..head.len().min(4096)];
    if start.starts_with(b"\xFF\xFE") || start.starts_with(b"\xFE\xFF") || start.contains(&0) {
        return Err(DataError::File {
            file,
            message: "is UTF-16 text, not UTF-8: save it as \"CSV UTF-8\" (Excel) or with encoding=\"utf-8\" (pandas)"
                .into(),
        });
    }
    let blank = |bytes: &[u8]| bytes.iter().all(u8::is_ascii_whitespace);
    if blank(&head) && (size <= head.len() || is_blank_file(open())) {
        return Err(DataError::Empty { file });
    }
    let delimiter = guess_delimiter(&head);
    let reader = || csv::ReaderBuilder::new().delimiter(delimiter).has_headers(true).flexible(true).from_reader(open());
    let mut records = reader();
    let header = records
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
    // the new buffer at once. A row is at most one per line, guessed from the
    // head's lines for a longer file, and takes at least p bytes (its
    // delimiters and line end), so blank lines under a wide header cannot ask
    // for more than the file holds.
    let head_lines = head.iter().filter(|&&b| b == b'\n').count() + 1;
    let lines = if size <= head.len() {
        head_lines
    } else {
        (head_lines as f64 * size as f64 / head.len() as f64 * 1.02) as usize + 1
    };
    let rows = limit.map_or(lines, |l| l.min(lines)).min(size / p.max(1) + 1);
    let mut building: Vec<Building> = (0..p).map(|_| Building::Numbers(None, Vec::with_capacity(rows))).collect();
    let mut problems = Problems::default();
    let mut found = RowProblems::default();
    let mut record = csv::ByteRecord::new();
    let mut row = 0;
    while limit.is_none_or(|l| row < l) {
        let more = records.read_byte_record(&mut record).map_err(|e| DataError::File {
            file: file.clone(),
            message: format!("cannot read row {}: {e}", row + 1),
        })?;
        if !more {
            break;
        }
        if is_blank(&record, p) {
            continue;
        }
        row += 1;
        let position = record.position().map(|pos| pos.byte() as usize);
        if row % REPORT_EVERY == 0 {
            report(ReadProgress { rows: row, bytes: position.unwrap_or(0) });
        }
        if record.len() != p {
            let (file, hint, cells) = (file.clone(), ragged_hint(&record, delimiter), record.len());
            found.add(position, row, move |line| DataError::Ragged {
                file,
                row,
                line,
                found: cells,
                expected: p,
                hint,
            });
            continue;
        }
        if repeats_header(&record, &columns) {
            let file = file.clone();
            found.add(position, row, move |line| DataError::File {
                file,
                message: format!(
                    "row {row} (line {line}) repeats the header row: were two files joined together? remove that line"
                ),
            });
            continue;
        }
        for (j, cell) in record.iter().enumerate() {
            let parsed =
                utf8(cell).and_then(|text| if is_missing_cell(text) { Ok(None) } else { parse_cell(text).map(Some) });
            match (parsed, &mut building[j]) {
                (Err(problem), _) => {
                    let (file, column) = (file.clone(), columns[j].clone());
                    found.add(position, row, move |line| DataError::Cell { file, row, line, column, problem });
                }
                (Ok(None), Building::Numbers(_, values)) => values.push(f64::NAN),
                (Ok(Some(Cell::Number(v, t))), Building::Numbers(ty, values)) => {
                    *ty = Some(merge(*ty, t));
                    values.push(v);
                }
                (Ok(Some(Cell::Text)), b @ Building::Numbers(..)) => *b = Building::Text,
                (Ok(_), Building::Text) => {}
            }
        }
    }
    if row == 0 {
        return Err(DataError::HeaderOnly { file });
    }
    let single = found.resolve(&file, open, &mut problems);
    let text_columns: Vec<usize> = (0..p).filter(|&j| matches!(building[j], Building::Text)).collect();
    let texts = if text_columns.is_empty() { Vec::new() } else { read_text_columns(reader(), &text_columns, p, limit) };
    for (&j, cells) in text_columns.iter().zip(&texts) {
        if delimiter != b',' && cells.iter().flatten().all(|c| c.trim().replacen(',', ".", 1).parse::<f64>().is_ok()) {
            let example = cells.iter().flatten().find(|c| c.contains(',')).map(String::as_str).unwrap_or_default();
            problems.add(format!(
                "column `{}`: `{}` has a decimal comma; Tuna reads a decimal point: save the file with `.` as the decimal separator",
                columns[j],
                example.trim()
            ));
        }
    }
    problems.into_result(&file, single)?;
    let mut texts = texts.into_iter();
    let data: Vec<Column> = building
        .into_iter()
        .map(|b| match b {
            Building::Numbers(ty, mut values) => {
                // A guess of the rows from the head can be long: give back what a column does not use.
                if values.capacity() > values.len() + values.len() / 16 + 16 {
                    values.shrink_to_fit();
                }
                let ty = match ty.unwrap_or(ColumnType::Double) {
                    // pandas holds integers with blanks as float64.
                    ColumnType::Long if values.iter().any(|v| v.is_nan()) => ColumnType::Double,
                    ty => ty,
                };
                Column::Numbers { ty, values }
            }
            Building::Text => Column::text(&texts.next().unwrap_or_default()),
        })
        .collect();
    Ok(Table { name: file, columns, data: data.into(), index: RowIndex::default(), stored: Vec::new() })
}

/// A blank line, which the csv crate reads as one empty cell: skipped, as
/// pandas' `skip_blank_lines` does (`NA` marks a missing cell of a one-column file).
fn is_blank(record: &csv::ByteRecord, _p: usize) -> bool {
    record.len() == 1 && record[0].iter().all(|b| b.is_ascii_whitespace())
}

/// An error's message without the file name it starts with, for a list under that name.
fn without_file(e: &DataError, file: &str) -> String {
    let s = e.to_string();
    s.strip_prefix(&format!("{file}: ")).map(str::to_string).unwrap_or(s)
}

/// The second pass: the cells of the text columns `wanted` (`None` where
/// missing), for the decimal-comma check and the columns themselves.
fn read_text_columns(
    mut records: csv::Reader<impl Read>,
    wanted: &[usize],
    p: usize,
    limit: Option<usize>,
) -> Vec<Vec<Option<String>>> {
    let mut cells: Vec<Vec<Option<String>>> = vec![Vec::new(); wanted.len()];
    let mut record = csv::ByteRecord::new();
    let mut row = 0;
    while limit.is_none_or(|l| row < l) && records.read_byte_record(&mut record).unwrap_or(false) {
        if is_blank(&record, p) {
            continue;
        }
        row += 1;
        // A ragged row is a problem the first pass listed: the file is refused anyway.
        if record.len() != p {
            continue;
        }
        for (k, &j) in wanted.iter().enumerate() {
            let text = String::from_utf8_lossy(&record[j]);
            cells[k].push((!is_missing_cell(&text)).then(|| text.into_owned()));
        }
    }
    cells
}

/// Whether a row is the header again (a second file's, BOM and all, pasted below the first).
fn repeats_header(record: &csv::ByteRecord, columns: &[String]) -> bool {
    fn cell(c: &[u8]) -> &[u8] {
        let c = c.trim_ascii();
        c.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(c).trim_ascii()
    }
    record.iter().zip(columns).all(|(c, name)| cell(c) == name.as_bytes())
}

/// The 1-based lines of the records at byte `offsets` (ascending), in one
/// pass over `bytes`: one more than the line endings before each, `\n`,
/// `\r\n` or a lone `\r` (old Mac files) each counting once. The csv crate
/// counts one line short for CRLF files (Excel's, Python's): it starts their
/// records at the `\n` of the line before, so the line endings at an offset
/// belong before its record too.
fn lines_at(bytes: impl Read, offsets: &[usize]) -> Vec<usize> {
    let mut bytes = std::io::BufReader::new(bytes).bytes().map_while(Result::ok).peekable();
    let (mut at, mut line_ends) = (0, 0);
    let mut lines = Vec::with_capacity(offsets.len());
    for &offset in offsets {
        while let Some(&b) = bytes.peek() {
            if at >= offset && b != b'\r' && b != b'\n' {
                break;
            }
            bytes.next();
            at += 1;
            let lone_cr = b == b'\r' && bytes.peek() != Some(&b'\n');
            line_ends += usize::from(b == b'\n' || lone_cr);
        }
        lines.push(1 + line_ends);
    }
    lines
}

/// Whether the rest of a file whose head is blank is blank too.
fn is_blank_file(bytes: impl Read) -> bool {
    std::io::BufReader::new(bytes).bytes().map_while(Result::ok).all(|b| b.is_ascii_whitespace())
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

    fn numbers(t: &Table, j: usize) -> Vec<f64> {
        (0..t.n_rows()).map(|r| t.data[j].number(r)).collect()
    }

    #[test]
    fn reads_numbers_booleans_and_types() {
        let t = read("a,b,c\n1,2.5,true\n3,4e1,false\n").unwrap();
        assert_eq!((numbers(&t, 0), numbers(&t, 1), numbers(&t, 2)), (vec![1.0, 3.0], vec![2.5, 40.0], vec![1.0, 0.0]));
        assert_eq!(t.types(), vec![ColumnType::Long, ColumnType::Double, ColumnType::Boolean]);
    }

    /// Issue 13: a column is text when a non-missing cell is not a number, and
    /// pandas' missing markers are missing in numeric and text columns alike.
    #[test]
    fn issue_13_text_and_missing_cells_are_read_as_pandas_reads_them() {
        let t = read("n,s,i,b\n1.5,x,1,true\nNA,,,\n,\"a, b\",3,false\nnan,NULL,4,\n").unwrap();
        assert_eq!(t.types(), vec![ColumnType::Double, ColumnType::Text, ColumnType::Double, ColumnType::Boolean]);
        assert_eq!(numbers(&t, 0)[0], 1.5);
        assert_eq!(t.data.iter().map(Column::n_missing).collect::<Vec<_>>(), vec![3, 2, 1, 2]);
        assert_eq!((t.data[1].text_at(0), t.data[1].text_at(2)), (Some("x"), Some("a, b")));
        assert_eq!(
            t.describe(),
            [
                "`n` number, 3 missing",
                "`s` text (2 distinct), 2 missing",
                "`i` number, 1 missing",
                "`b` boolean, 2 missing"
            ]
        );
        // Markers pandas does not list are text; a date is text.
        let t = read("a,d\n?,2011-01-01\n1,2011-01-02\n").unwrap();
        assert_eq!(t.types(), vec![ColumnType::Text, ColumnType::Text]);
        assert_eq!(read("a\n1\n2\n").unwrap().types(), vec![ColumnType::Long], "integers stay integers");
    }

    /// Issue 13: every problem of a file is reported in one pass, at most 20 listed.
    #[test]
    fn issue_13_all_problems_are_listed_at_once() {
        // Found by the property tests: a ragged row in a file with a text column
        // panicked in the second pass, which reads the text columns.
        let e = read("a,b\nx,1\n2\n").unwrap_err().to_string();
        assert!(e.starts_with("data.csv: row 2 (line 3) has 1 cell"), "{e}");
        let e = read("a,b\n1,inf\n2\n3,4\n").unwrap_err().to_string();
        assert_eq!(
            e,
            "data.csv: 2 problems:\n  - row 1 (line 2), column `b`: `inf` is infinite; only finite numbers can be fitted: \
             replace it or drop the row\n  - row 2 (line 3) has 1 cell, the header has 2; check for a missing or extra \
             delimiter, or put quotes around a cell that contains one"
        );
        let many = format!("a\n{}", "inf\n".repeat(25));
        let e = read(&many).unwrap_err().to_string();
        assert!(e.starts_with("data.csv: 25 problems (the first 20 are listed):\n  - row 1 (line 2)"), "{e}");
        assert_eq!(e.lines().count(), 21);
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
        for text in ["a;b\n1;2\n", "a\tb\n1\t2\n"] {
            let t = read(text).unwrap();
            assert_eq!((numbers(&t, 0), numbers(&t, 1)), (vec![1.0], vec![2.0]), "{text:?}");
        }
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
        let t = read_csv("d.csv", b"a\n1\n2\nx\n", Some(2)).unwrap();
        assert_eq!((numbers(&t, 0), t.types()), (vec![1.0, 2.0], vec![ColumnType::Long]));
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
            let text = ["a,b", "1,2", "3,inf", ""].join(end);
            let e = read(&text).unwrap_err().to_string();
            assert!(e.starts_with("data.csv: row 2 (line 3), column `b`: `inf` is infinite"), "{end:?}: {e}");
            let ragged = ["a,b", "1,2", "", "3", ""].join(end);
            let e = read(&ragged).unwrap_err().to_string();
            assert!(e.starts_with("data.csv: row 2 (line 4) has 1 cell"), "{end:?}: {e}");
        }
    }

    #[test]
    fn bad_cells_name_row_and_column() {
        let e = read("a,b\n1,1e999\n").unwrap_err().to_string();
        assert!(e.starts_with("data.csv: row 1 (line 2), column `b`: `1e999` is too large"), "{e}");
        assert!(read("a,b\n1,-inf\n").unwrap_err().to_string().contains("infinite"));
        let e = read("a;b\n1;2,5\n2;3,5\n").unwrap_err().to_string();
        assert_eq!(
            e,
            "data.csv: column `b`: `2,5` has a decimal comma; Tuna reads a decimal point: save the file with `.` as the decimal separator"
        );
    }

    #[test]
    fn unnamed_header_column_is_an_error() {
        let e = read("a,,c\n1,2,3\n").unwrap_err().to_string();
        assert_eq!(e, "data.csv: header (line 1), column 2: has no name; every column needs a name");
    }

    /// A file that gives its bytes three at a time, as a slow stream would.
    struct Trickle(Vec<u8>);

    struct TrickleRead<'a>(&'a [u8]);

    impl Read for TrickleRead<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = buf.len().min(3).min(self.0.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    impl FileSource for Trickle {
        fn size(&self) -> usize {
            self.0.len()
        }
        fn open(&self) -> Box<dyn Read + '_> {
            Box::new(TrickleRead(&self.0))
        }
    }

    /// The page's reader worker streams a picked file in slices: what it reads
    /// (cells, text columns, each problem's line) must not depend on where
    /// the slices end, nor on the file being longer than the head the row
    /// count is guessed from.
    #[test]
    fn a_file_read_as_a_stream_reads_as_one_in_memory() {
        let rows = |n: usize| (0..n).map(|i| format!("{i},{}.5,t{}\r\n", i * 3, i % 7)).collect::<String>();
        let long = format!("a,b,c\r\n{}1,2\r\n{}9,1e999,x\r\n", rows(60_000), rows(60_000));
        assert!(long.len() > HEAD_BYTES);
        let files = [
            "\u{feff}a,b\r\n1,2\r\n\r\n3,x\r\n",
            "a;b\n1;2,5\n",
            "a,b\r1,2\r3\r",
            "a,b\n\"x\ny\",1\n2,inf\n",
            "a,b\n1,2\na,b\n",
            " \n\n",
            &long,
            &rows(100_000),
        ];
        for text in files {
            let streamed = read_csv_reporting("data.csv", &Trickle(text.as_bytes().to_vec()), None, &mut |_| {});
            assert_eq!(streamed, read(text), "{:?}", &text[..text.len().min(40)]);
        }
        let e = read(&long).unwrap_err().to_string();
        assert!(e.starts_with("data.csv: 2 problems:"), "{e}");
        assert!(
            e.contains("row 60001 (line 60002) has 2 cells") && e.contains("row 120002 (line 120003), column `b`"),
            "{e}"
        );
        let t = read(&rows(100_000)).unwrap();
        assert_eq!(t.n_rows(), 99_999);
        assert!(t.data.iter().all(|c| match c {
            Column::Numbers { values, .. } => values.capacity() <= values.len() + values.len() / 16 + 16,
            Column::Text { .. } => true,
        }));
    }
}
