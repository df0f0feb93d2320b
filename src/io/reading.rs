//! Reading a data file in whichever format it is: the one entry point a job,
//! the page and the tests call. The formats' readers ([`read_csv`],
//! [`read_parquet`]) know nothing of each other.

use bytes::Bytes;

use super::parquet::{is_parquet, read_parquet};
use super::table::{DataError, Table, read_csv};

/// The formats a data file can be in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileFormat {
    /// Text with a header row (`CsvReader`).
    Csv,
    /// Apache Parquet (`ParquetReader`).
    Parquet,
}

impl FileFormat {
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
    if is_parquet(bytes) {
        return read_parquet(name, bytes.clone(), limit);
    }
    if format == FileFormat::Parquet {
        return Err(DataError::File {
            file: name.to_string(),
            message: "is not a Parquet file (it does not start with `PAR1`); if it is a CSV file, \
                      set KIND = \"CsvReader\""
                .into(),
        });
    }
    read_csv(name, bytes, limit)
}
