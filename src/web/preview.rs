//! The data panel's logic: a picked file read once as the engine reads it,
//! its preview, and the check the job will make on the pair of files.

use std::sync::Arc;

use crate::core::data::sorted_unique;
use crate::core::frame::Column;
use crate::io::config::JobConfig;
use crate::io::reading::{FileFormat, ReadProgress, read_table};
use crate::io::table::Table;
use crate::io::table::read_csv;
use crate::jobs::checks::{DataRules, check_config, check_data};

use super::format::{format_count, format_number};

/// A picked (or demo) file: the file itself for the job and its table, or
/// the reader's error (naming file, row and column), for the panel.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    /// File name; the job reads it under this name.
    pub name: String,
    /// The file as picked, for reading it again (a reader's `limit`) and hashing it at Run.
    pub file: PickedFile,
    /// The file read as the engine reads it (shared with the job, which reuses it).
    pub table: Result<Arc<Table>, String>,
    /// The format its bytes are in, whatever its name says.
    pub format: FileFormat,
    /// Each column's missing cells, counted once: the preview and the
    /// preprocessing suggestion both ask, and a big file's count is long.
    pub missing: Vec<usize>,
}

/// Each column's count of missing cells (none for a file that did not read).
pub fn count_missing(table: &Result<Arc<Table>, String>) -> Vec<usize> {
    table.as_ref().map(|t| t.data.iter().map(Column::n_missing).collect()).unwrap_or_default()
}

/// A picked file itself. In the browser its `Blob`: the bytes stay in the
/// browser's file store, and a reader worker reads them; natively its bytes.
#[derive(Clone)]
pub struct PickedFile(
    #[cfg(target_arch = "wasm32")] pub send_wrapper::SendWrapper<web_sys::Blob>,
    #[cfg(not(target_arch = "wasm32"))] pub bytes::Bytes,
);

impl PickedFile {
    /// A file of these bytes.
    fn of(bytes: bytes::Bytes) -> PickedFile {
        #[cfg(target_arch = "wasm32")]
        return PickedFile(send_wrapper::SendWrapper::new(
            web_sys::Blob::new_with_u8_array_sequence(&js_sys::Array::of1(&js_sys::Uint8Array::from(&bytes[..])))
                .unwrap_or_else(|_| web_sys::Blob::new().expect("an empty Blob")),
        ));
        #[cfg(not(target_arch = "wasm32"))]
        return PickedFile(bytes);
    }
}

impl PartialEq for PickedFile {
    /// The same file: the same `Blob`, or the same bytes.
    fn eq(&self, other: &Self) -> bool {
        #[cfg(target_arch = "wasm32")]
        return *self.0 == *other.0;
        #[cfg(not(target_arch = "wasm32"))]
        return self.0 == other.0;
    }
}

impl std::fmt::Debug for PickedFile {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        #[cfg(target_arch = "wasm32")]
        return write!(f, "Blob({} bytes)", self.0.size());
        #[cfg(not(target_arch = "wasm32"))]
        return write!(f, "{} bytes", self.0.len());
    }
}

impl Loaded {
    /// A file the page's reader worker read (`web::reader`), its columns'
    /// missing cells counted (`missing`, as [`count_missing`] counts them).
    #[cfg(target_arch = "wasm32")]
    pub fn read(
        name: &str,
        file: web_sys::Blob,
        format: FileFormat,
        table: Result<Arc<Table>, String>,
        missing: Vec<usize>,
    ) -> Loaded {
        let file = PickedFile(send_wrapper::SendWrapper::new(file));
        Loaded { name: name.to_string(), file, table, format, missing }
    }

    /// A bundled demo CSV (small), read in process with the CSV reader alone:
    /// the page's own wasm holds no other reader, and loads no reader worker
    /// on its first load; picked files go to the reader worker.
    pub fn bundled_csv(name: &str, bytes: Vec<u8>) -> Loaded {
        let bytes = bytes::Bytes::from(bytes);
        let table = read_csv(name, &bytes, None).map(Arc::new).map_err(|e| e.to_string());
        let missing = count_missing(&table);
        Loaded { name: name.to_string(), format: FileFormat::Csv, file: PickedFile::of(bytes), table, missing }
    }

    /// Reads `bytes` in process with the engine's reader, as the page's
    /// reader worker does (Parquet when they start as Parquet does, CSV
    /// otherwise): for tests; the page reads in its reader worker.
    pub fn new(name: &str, bytes: Vec<u8>) -> Loaded {
        let bytes = bytes::Bytes::from(bytes);
        let table = read_table(name, &bytes, None, FileFormat::Csv).map(Arc::new).map_err(|e| e.to_string());
        let (format, missing) = (FileFormat::of(&bytes), count_missing(&table));
        Loaded { name: name.to_string(), format, file: PickedFile::of(bytes), table, missing }
    }

    /// Whether a model could not take the columns as they are (text, or
    /// missing cells): the data panel then suggests a preprocessing.
    pub fn needs_preprocess(&self) -> bool {
        let Ok(table) = &self.table else { return false };
        table.data.iter().zip(&self.missing).any(|(column, &missing)| !column.is_numeric() || missing > 0)
    }

    /// Shape, columns and the first `rows` rows.
    pub fn preview(&self, rows: usize) -> Preview {
        match &self.table {
            Ok(table) => Preview {
                name: self.name.clone(),
                shape: Ok((table.n_rows(), table.columns.len())),
                index: table.index_note(),
                columns: table.columns.clone(),
                types: table.data.iter().zip(&self.missing).map(|(c, &missing)| type_text(c, missing)).collect(),
                head: head(table, rows),
            },
            Err(e) => Preview {
                name: self.name.clone(),
                shape: Err(e.clone()),
                index: String::new(),
                columns: Vec::new(),
                types: Vec::new(),
                head: Vec::new(),
            },
        }
    }
}

/// What the data panel says while a file is read: "Reading big.csv: 45.2 of
/// 183.2 MB, 250,000 rows" (bytes and rows once the reader has reported).
pub fn reading_text(name: &str, size: f64, progress: ReadProgress) -> String {
    let mb = |bytes: f64| format!("{:.1}", bytes / 1e6);
    match progress.rows {
        0 => format!("Reading {name} ({} MB)…", mb(size)),
        rows => {
            format!("Reading {name}: {} of {} MB, {} rows", mb(progress.bytes as f64), mb(size), format_count(rows))
        }
    }
}

/// A short look at a picked file.
#[derive(Debug, Clone, PartialEq)]
pub struct Preview {
    /// File name.
    pub name: String,
    /// Rows × columns, or the error that reading gave.
    pub shape: Result<(usize, usize), String>,
    /// "; index `instant` (not a feature, as in pandas)" for a file that stored one.
    pub index: String,
    /// Column names.
    pub columns: Vec<String>,
    /// Each column's type and missing cells: "integer", "text · 3 missing".
    pub types: Vec<String>,
    /// The first rows, formatted (missing cells empty).
    pub head: Vec<Vec<String>>,
}

impl Preview {
    /// "5000 rows × 9 columns", or the reader's error.
    pub fn shape_text(&self) -> String {
        match &self.shape {
            Ok((rows, columns)) => format!("{rows} rows × {columns} columns{}", self.index),
            Err(e) => e.clone(),
        }
    }
}

/// A column's type as its preview heads it.
fn type_text(column: &Column, missing: usize) -> String {
    match missing {
        0 => column.column_type().label().to_string(),
        n => format!("{} · {n} missing", column.column_type().label()),
    }
}

fn head(table: &Table, rows: usize) -> Vec<Vec<String>> {
    let cell = |c: &Column, r: usize| match c {
        _ if c.is_missing(r) => String::new(),
        Column::Numbers { .. } => format_number(c.number(r)),
        Column::Text { .. } => c.text_at(r).unwrap_or_default().to_string(),
    };
    (0..table.n_rows().min(rows)).map(|r| table.data.iter().map(|c| cell(c, r)).collect()).collect()
}

/// What the job will find when it reads this pair with this config (the
/// target column, row counts, classes for a classifier, the splitter's folds
/// on these rows): the job's own [`check_data`] and search plan, made now so
/// a mistake shows before Run. `None` until both files read cleanly.
pub fn pair_check(inputs: &Loaded, targets: &Loaded, cfg: Option<&JobConfig>) -> Option<Result<String, String>> {
    let (Ok(x), Ok(y)) = (&inputs.table, &targets.table) else { return None };
    let rules = cfg.map(|c| DataRules::of(c, &c.model)).unwrap_or_default();
    let data = match check_data(&rules, x, y) {
        Ok(data) => data,
        Err(e) => return Some(Err(e.message)),
    };
    // The folds depend on the rows (too few for n_splits, a class smaller than
    // the folds); a config error is the job panel's to show, not this one's.
    if let Some(cfg) = cfg
        && let Ok(checked) = check_config(cfg, &cfg.model)
        && let Err(e) = checked.plan(cfg, &data)
    {
        return Some(Err(e.message));
    }
    let mut summary =
        format!("{} rows, {} features, predicting `{}`", data.n_rows(), data.n_features(), data.target_name);
    if rules.classifier {
        summary.push_str(&format!(" ({} classes)", sorted_unique(&data.y).len()));
    }
    Some(Ok(summary))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::config::parse_job;

    /// A job predicting `column` with `model` on 3-fold cross-validation, one candidate.
    fn job(column: &str, model: &str) -> JobConfig {
        job_with_folds(column, model, 3)
    }

    fn job_with_folds(column: &str, model: &str, n_splits: usize) -> JobConfig {
        let grid = if model == "Ridge" { "alpha = [1.0]" } else { "var_smoothing = [1e-9]" };
        let text = format!(
            "KIND = \"TuningJob\"\n[inputs]\nKIND = \"CsvReader\"\npath = \"x.csv\"\n\
             [targets]\nKIND = \"CsvReader\"\npath = \"y.csv\"\ncolumn = \"{column}\"\n[model]\nKIND = \"{model}\"\n\
             [splitter]\nKIND = \"KFoldSplitter\"\nn_splits = {n_splits}\n\
             [searcher]\nKIND = \"GridCVSearcher\"\nparam_grid = {{ {grid} }}\n"
        );
        parse_job("job.toml", &text).unwrap()
    }

    #[test]
    fn reading_says_bytes_and_rows_once_the_reader_reported() {
        assert_eq!(reading_text("big.csv", 183_207_574.0, ReadProgress::default()), "Reading big.csv (183.2 MB)…");
        let progress = ReadProgress { rows: 250_000, bytes: 45_210_000 };
        assert_eq!(reading_text("big.csv", 183_207_574.0, progress), "Reading big.csv: 45.2 of 183.2 MB, 250,000 rows");
    }

    #[test]
    fn a_parquet_file_is_read_by_its_bytes_and_names_its_index() {
        let bytes = include_bytes!("../../tests/data/parquet/bikes/targets.parquet").to_vec();
        let loaded = Loaded::new("targets.csv", bytes);
        assert_eq!(loaded.format, FileFormat::Parquet, "the bytes decide, not the name");
        let p = loaded.preview(2);
        assert_eq!(p.shape_text(), "2000 rows × 1 columns; index `instant` (not a feature, as in pandas)");
        assert_eq!((p.columns, p.types), (vec!["cnt".to_string()], vec!["integer".to_string()]));
    }

    #[test]
    fn preview_shows_shape_head_or_the_error() {
        let p = Loaded::new("x.csv", b"a,b\n1,2.5\n3,4\n".to_vec()).preview(1);
        assert_eq!(p.shape, Ok((2, 2)));
        assert_eq!(p.shape_text(), "2 rows × 2 columns");
        assert_eq!(p.head, vec![vec!["1".to_string(), "2.5".to_string()]]);
        assert_eq!(p.types, ["integer", "number"]);
        let mixed = Loaded::new("x.csv", b"town,n\nZ\xC3\xBCrich,NA\n,2\n".to_vec()).preview(5);
        assert_eq!(
            mixed.types,
            ["text · 1 missing", "number · 1 missing"],
            "integers with a blank are floats, as in pandas"
        );
        assert_eq!(mixed.head, vec![vec!["Zürich".to_string(), String::new()], vec![String::new(), "2".to_string()]]);
        assert!(Loaded::new("x.csv", b"town,n\nZ,1\n".to_vec()).needs_preprocess(), "text");
        assert!(Loaded::new("x.csv", b"a,n\n1,\n".to_vec()).needs_preprocess(), "a blank");
        assert!(!Loaded::new("x.csv", b"a,b\n1,2.5\n".to_vec()).needs_preprocess());
        let bad = Loaded::new("x.csv", b"a,b\n1\n".to_vec()).preview(1);
        let e = bad.shape.unwrap_err();
        assert!(e.contains("x.csv") && e.contains("row 1 (line 2)"), "{e}");
    }

    #[test]
    fn the_pair_is_checked_against_the_config() {
        let x = Loaded::new("x.csv", b"a,b\n1,2\n3,4\n5,6\n".to_vec());
        let y = Loaded::new("y.csv", b"v,c\n1.5,0\n2.5,1\n3.5,1\n".to_vec());
        let ok = pair_check(&x, &y, Some(&job("v", "Ridge"))).unwrap().unwrap();
        assert_eq!(ok, "3 rows, 2 features, predicting `v`");
        let classes = pair_check(&x, &y, Some(&job("c", "GaussianNB"))).unwrap().unwrap();
        assert!(classes.ends_with("(2 classes)"), "{classes}");
        let missing = pair_check(&x, &y, Some(&job("w", "Ridge"))).unwrap().unwrap_err();
        assert!(missing.contains("targets.column = `w`"), "{missing}");
        let folds = pair_check(&x, &y, Some(&job_with_folds("v", "Ridge", 5))).unwrap().unwrap_err();
        assert!(folds.contains("n_splits"), "more folds than rows: {folds}");
        let short = Loaded::new("y.csv", b"v\n1\n".to_vec());
        assert!(pair_check(&x, &short, None).unwrap().is_err(), "row counts differ");
        let broken = Loaded::new("y.csv", b"v\ninf\n".to_vec());
        assert_eq!(pair_check(&x, &broken, None), None, "the file's own error is shown instead");
    }

    #[test]
    fn a_single_class_is_caught_before_run() {
        let x = Loaded::new("x.csv", b"a\n1\n2\n".to_vec());
        let y = Loaded::new("y.csv", b"c\n1\n1\n".to_vec());
        let e = pair_check(&x, &y, Some(&job("c", "GaussianNB"))).unwrap().unwrap_err();
        assert!(e.contains("single class"), "{e}");
    }
}
