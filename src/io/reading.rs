//! Reading a data file in whichever format it is: the one entry point a job,
//! the page and the tests call. The formats' readers ([`read_csv`](super::table::read_csv),
//! [`read_parquet`]) know nothing of each other.

use bytes::Bytes;
use serde::{Deserialize, Serialize};

use super::parquet::{is_parquet, read_parquet};
pub use super::source::FileSource;
use super::source::head_of;
pub use super::table::ReadProgress;
use super::table::{DataError, Table, read_csv_reporting};

/// The formats a data file can be in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FileFormat {
    /// Text with a header row (`CsvReader`).
    Csv,
    /// Apache Parquet (`ParquetReader`).
    Parquet,
}

impl FileFormat {
    /// The format `bytes` are in: Parquet when they start with its magic, else CSV.
    pub fn of(bytes: &[u8]) -> FileFormat {
        if is_parquet(bytes) { FileFormat::Parquet } else { FileFormat::Csv }
    }

    /// The format the file `source` holds is in, by its first bytes.
    pub fn of_source(source: &dyn FileSource) -> FileFormat {
        FileFormat::of(&head_of(source, 4).unwrap_or_default())
    }

    /// The reader KIND for files of this format.
    pub fn reader_kind(self) -> &'static str {
        match self {
            FileFormat::Csv => "CsvReader",
            FileFormat::Parquet => "ParquetReader",
        }
    }
}

/// Reads a data file into a `Table`, keeping at most `limit` rows.
///
/// A file that starts with Parquet's magic is read as Parquet whatever its
/// reader's KIND or its name says (a CSV cannot start so); any other file is
/// CSV, unless the reader said Parquet, which is then an error that says so.
pub fn read_table(name: &str, bytes: &Bytes, limit: Option<usize>, format: FileFormat) -> Result<Table, DataError> {
    read_table_reporting(name, bytes, limit, format, &mut |_| {})
}

/// [`read_table`] from a file where it lies (a CSV is read as it streams by,
/// a Parquet file a page at a time where it can), telling `report` how far it has come now and
/// then (every 65,536 CSV rows, every Parquet row group).
pub fn read_table_reporting(
    name: &str,
    source: &dyn FileSource,
    limit: Option<usize>,
    format: FileFormat,
    report: &mut dyn FnMut(ReadProgress),
) -> Result<Table, DataError> {
    if FileFormat::of_source(source) == FileFormat::Parquet {
        let chunks = source.chunks().map_err(|e| DataError::File {
            file: name.to_string(),
            message: format!("cannot be read ({e}); pick it again"),
        })?;
        return read_parquet(name, chunks, limit, report);
    }
    if format == FileFormat::Parquet {
        return Err(DataError::File {
            file: name.to_string(),
            message: "is not a Parquet file (it does not start with `PAR1`); if it is a CSV file, \
                      set KIND = \"CsvReader\""
                .into(),
        });
    }
    read_csv_reporting(name, source, limit, report)
}
