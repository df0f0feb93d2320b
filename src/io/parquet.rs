//! Reading a Parquet file into a [`Table`], as `pd.read_parquet` reads it.
//!
//! Decoding (pages, encodings, dictionaries, codecs) is the `parquet` crate's;
//! Tuna maps the file's schema to its column types and reads pandas' own
//! metadata, so that a pandas index stored in the file (like `instant` in the
//! bikes files) is the table's row index, not a feature:
//! - integers are `Long` (`Double` when a cell is null: pandas' `float64` of
//!   NaN), floats `Double`, booleans `Boolean` (nulls missing);
//! - strings, enums and dictionary-encoded categories are text;
//! - dates, times and timestamps are text as pandas prints them
//!   (`2011-01-01`, `2011-01-01 06:00:00`): a `[preprocess]` decides what
//!   becomes of them, and `remainder = "drop"` drops them;
//! - decimals are numbers; lists, maps and structs are refused by name.

use std::sync::Arc;

use super::source::Chunks;
use parquet::basic::{LogicalType, TimeUnit, Type as PhysicalType};
use parquet::column::reader::{ColumnReader, ColumnReaderImpl};
use parquet::data_type::{AsBytes, DataType, Int96};
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::schema::types::ColumnDescriptor;

use super::table::{DataError, Problems, ReadProgress, RowIndex, Stored, Table};
use crate::core::frame::{Column, ColumnType};

/// The first and last bytes of every Parquet file.
pub const MAGIC: &[u8; 4] = b"PAR1";

/// Whether `bytes` are a Parquet file (by its magic, whatever the file's name).
pub fn is_parquet(bytes: &[u8]) -> bool {
    bytes.starts_with(MAGIC)
}

/// How a column's stored values become cells.
#[derive(Debug, Clone, Copy)]
enum Decode {
    /// Integers (`int64`): `Long`, or `Double` with nulls.
    Integer,
    /// Floating point: `Double`.
    Float,
    /// `true`/`false`: `Boolean`.
    Boolean,
    /// A decimal stored as an unscaled integer: a number.
    Decimal(i32),
    /// UTF-8 text.
    Text,
    /// Days since 1970-01-01, printed as a date.
    Date,
    /// Time since 1970-01-01 in this unit, printed as a timestamp.
    Timestamp(TimeUnit),
    /// Time of day in this unit.
    Time(TimeUnit),
    /// Spark's legacy 12-byte timestamps.
    Int96,
}

/// One column's cells, read so far.
enum Cells {
    Numbers(Vec<f64>),
    Text(Vec<Option<String>>),
}

/// Reads Parquet bytes into a `Table`, keeping at most `limit` rows.
///
/// Every column the reader cannot take is listed in one error. `report` hears
/// how far the read has come after each row group.
pub fn read_parquet(
    name: &str,
    bytes: Chunks,
    limit: Option<usize>,
    report: &mut dyn FnMut(ReadProgress),
) -> Result<Table, DataError> {
    let file = name.to_string();
    let fail = |message: String| DataError::File { file: file.clone(), message };
    let reader = SerializedFileReader::new(bytes).map_err(|e| fail(unreadable(&e.to_string())))?;
    let meta = reader.metadata();
    let schema = meta.file_metadata().schema_descr();

    // Flat columns only: a top-level field per leaf column.
    let mut problems = Problems::default();
    for field in schema.root_schema().get_fields() {
        let repeated = field.get_basic_info().has_repetition()
            && field.get_basic_info().repetition() == parquet::basic::Repetition::REPEATED;
        if field.is_group() || repeated {
            problems.add(format!(
                "column `{}` holds lists or nested records, not one value per row; Tuna reads flat columns \
                 (numbers, text, booleans, dates): flatten it or drop it before saving",
                field.name()
            ));
        }
    }
    let mut decodes = Vec::new();
    for i in 0..schema.num_columns() {
        let column = schema.column(i);
        match decode(&column) {
            Ok(d) => decodes.push(d),
            Err(why) if column.max_rep_level() == 0 && column.path().parts().len() == 1 => {
                problems.add(format!("column `{}` {why}", column.name()))
            }
            Err(_) => decodes.push(Decode::Text), // a nested column, already listed
        }
    }
    problems.into_result(&file, None)?;

    let total = meta.file_metadata().num_rows().max(0) as usize;
    let wanted = limit.map_or(total, |l| l.min(total));
    let mut cells: Vec<Cells> = decodes
        .iter()
        .map(|d| match d {
            Decode::Integer | Decode::Float | Decode::Boolean | Decode::Decimal(_) => {
                Cells::Numbers(Vec::with_capacity(wanted))
            }
            _ => Cells::Text(Vec::with_capacity(wanted)),
        })
        .collect();
    let (mut read, mut done_bytes) = (0, 0);
    for g in 0..meta.num_row_groups() {
        if read >= wanted {
            break;
        }
        let rows = (meta.row_group(g).num_rows().max(0) as usize).min(wanted - read);
        let group = reader.get_row_group(g).map_err(|e| fail(unreadable(&e.to_string())))?;
        for (i, (decode, out)) in decodes.iter().zip(&mut cells).enumerate() {
            let column = schema.column(i);
            let reader = group.get_column_reader(i).map_err(|e| fail(unreadable(&e.to_string())))?;
            read_column(reader, rows, column.max_def_level(), *decode, out)
                .map_err(|e| fail(format!("column `{}`: {e}", column.name())))?;
        }
        read += rows;
        done_bytes += meta.row_group(g).compressed_size().max(0) as usize;
        report(ReadProgress { rows: read, bytes: done_bytes });
    }

    let names: Vec<String> = (0..schema.num_columns()).map(|i| schema.column(i).name().to_string()).collect();
    let pandas = pandas_metadata(meta.file_metadata().key_value_metadata());
    let (index, keep) = pandas_index(pandas.as_ref(), &names);
    let mut table =
        Table { name: file, columns: Vec::new(), data: Arc::new([]), index: RowIndex::default(), stored: Vec::new() };
    let mut data = Vec::new();
    for (i, (((name, decode), cells), kept)) in names.into_iter().zip(&decodes).zip(cells).zip(keep).enumerate() {
        let column = into_column(*decode, cells);
        match kept {
            true => {
                table.stored.push(stored(&schema.column(i), &column, pandas.as_ref(), &name));
                table.columns.push(name);
                data.push(column);
            }
            false => table.index = RowIndex::Column { name, values: column },
        }
    }
    if let Some(index) = index {
        table.index = index;
    }
    if table.columns.is_empty() {
        return Err(DataError::Empty { file: table.name });
    }
    if read == 0 {
        return Err(DataError::HeaderOnly { file: table.name });
    }
    table.data = data.into();
    Ok(table)
}

fn unreadable(e: &str) -> String {
    format!(
        "is not a Parquet file Tuna can read ({e}); check that the file was copied whole, or save it again \
         (pandas: df.to_parquet(path))"
    )
}

/// How a column is decoded, from its physical and logical types.
fn decode(column: &ColumnDescriptor) -> Result<Decode, String> {
    let logical = column.logical_type_ref();
    let physical = column.physical_type();
    Ok(match (logical, physical) {
        (Some(LogicalType::Decimal(d)), PhysicalType::INT32 | PhysicalType::INT64) => Decode::Decimal(d.scale),
        (Some(LogicalType::Date), PhysicalType::INT32) => Decode::Date,
        (Some(LogicalType::Timestamp(t)), PhysicalType::INT64) => Decode::Timestamp(t.unit),
        (Some(LogicalType::Time(t)), PhysicalType::INT32 | PhysicalType::INT64) => Decode::Time(t.unit),
        (Some(LogicalType::Float16), _) => Err("holds 16-bit floats, which Tuna does not read: save it as float32")?,
        (None | Some(LogicalType::Integer(_)), PhysicalType::INT32 | PhysicalType::INT64) => Decode::Integer,
        (_, PhysicalType::FLOAT | PhysicalType::DOUBLE) => Decode::Float,
        (_, PhysicalType::BOOLEAN) => Decode::Boolean,
        (_, PhysicalType::INT96) => Decode::Int96,
        (
            None | Some(LogicalType::String | LogicalType::Enum | LogicalType::Json),
            PhysicalType::BYTE_ARRAY | PhysicalType::FIXED_LEN_BYTE_ARRAY,
        ) => Decode::Text,
        (Some(other), _) => Err(format!(
            "holds {other:?} values, which Tuna does not read; it reads numbers, text, booleans, dates and \
             timestamps: convert the column or drop it before saving"
        ))?,
    })
}

/// Appends `rows` cells of one column chunk to `out`.
fn read_column(reader: ColumnReader, rows: usize, max_def: i16, decode: Decode, out: &mut Cells) -> Result<(), String> {
    match (reader, out) {
        (ColumnReader::BoolColumnReader(r), Cells::Numbers(v)) => {
            each(r, rows, max_def, |c| v.push(c.map_or(f64::NAN, |b: bool| f64::from(u8::from(b)))))
        }
        (ColumnReader::Int32ColumnReader(r), Cells::Numbers(v)) => {
            each(r, rows, max_def, |c| v.push(c.map_or(f64::NAN, |x: i32| number(decode, x as i64))))
        }
        (ColumnReader::Int64ColumnReader(r), Cells::Numbers(v)) => {
            each(r, rows, max_def, |c| v.push(c.map_or(f64::NAN, |x: i64| number(decode, x))))
        }
        (ColumnReader::FloatColumnReader(r), Cells::Numbers(v)) => {
            each(r, rows, max_def, |c| v.push(c.map_or(f64::NAN, f64::from)))
        }
        (ColumnReader::DoubleColumnReader(r), Cells::Numbers(v)) => {
            each(r, rows, max_def, |c| v.push(c.unwrap_or(f64::NAN)))
        }
        (ColumnReader::Int32ColumnReader(r), Cells::Text(v)) => {
            each(r, rows, max_def, |c| v.push(c.map(|x: i32| when(decode, x as i64))))
        }
        (ColumnReader::Int64ColumnReader(r), Cells::Text(v)) => {
            each(r, rows, max_def, |c| v.push(c.map(|x: i64| when(decode, x))))
        }
        (ColumnReader::Int96ColumnReader(r), Cells::Text(v)) => {
            each(r, rows, max_def, |c| v.push(c.map(|x: Int96| timestamp(x.to_nanos(), TimeUnit::NANOS))))
        }
        (ColumnReader::ByteArrayColumnReader(r), Cells::Text(v)) => utf8(r, rows, max_def, v),
        (ColumnReader::FixedLenByteArrayColumnReader(r), Cells::Text(v)) => utf8(r, rows, max_def, v),
        _ => Err("holds values of a type its schema does not declare; save the file again".into()),
    }
}

/// Appends the next `rows` cells of a column of bytes, as UTF-8 text.
fn utf8<T: DataType>(
    reader: ColumnReaderImpl<T>,
    rows: usize,
    max_def: i16,
    out: &mut Vec<Option<String>>,
) -> Result<(), String>
where
    T::T: Clone + AsBytes,
{
    let mut bad = false;
    each(reader, rows, max_def, |c| {
        out.push(c.and_then(|b| std::str::from_utf8(b.as_bytes()).map(str::to_string).map_err(|_| bad = true).ok()))
    })?;
    if bad { Err("holds bytes that are not UTF-8 text; save text columns as strings".into()) } else { Ok(()) }
}

/// Calls `cell` with each of the next `rows` cells (`None` for a null).
fn each<T: DataType>(
    mut reader: ColumnReaderImpl<T>,
    rows: usize,
    max_def: i16,
    mut cell: impl FnMut(Option<T::T>),
) -> Result<(), String>
where
    T::T: Clone,
{
    let (mut defs, mut values) = (Vec::with_capacity(rows), Vec::with_capacity(rows));
    let (records, _, _) = reader
        .read_records(rows, (max_def > 0).then_some(&mut defs), None, &mut values)
        .map_err(|e| format!("cannot be decoded ({e}); save the file again"))?;
    if records != rows {
        return Err(format!("has {records} values where its row group has {rows} rows; save the file again"));
    }
    let mut values = values.into_iter();
    if max_def == 0 {
        values.for_each(|v| cell(Some(v)));
    } else {
        for d in defs {
            cell(if d == max_def { values.next() } else { None });
        }
    }
    Ok(())
}

/// A stored integer as a number: itself, or a decimal's value.
fn number(decode: Decode, x: i64) -> f64 {
    match decode {
        Decode::Decimal(scale) => x as f64 / 10f64.powi(scale),
        _ => x as f64,
    }
}

/// A stored date, time or timestamp as pandas prints it.
fn when(decode: Decode, x: i64) -> String {
    match decode {
        Decode::Date => chrono::DateTime::from_timestamp(x * 86_400, 0)
            .map_or_else(|| x.to_string(), |d| d.date_naive().to_string()),
        Decode::Timestamp(unit) => timestamp(x, unit),
        Decode::Time(unit) => {
            let nanos = x * per_unit(unit);
            chrono::NaiveTime::from_num_seconds_from_midnight_opt(
                (nanos / 1_000_000_000) as u32,
                (nanos % 1_000_000_000) as u32,
            )
            .map_or_else(|| x.to_string(), |t| t.to_string())
        }
        _ => x.to_string(),
    }
}

fn per_unit(unit: TimeUnit) -> i64 {
    match unit {
        TimeUnit::MILLIS => 1_000_000,
        TimeUnit::MICROS => 1_000,
        TimeUnit::NANOS => 1,
    }
}

/// `str(pd.Timestamp(...))`: seconds, then microseconds or nanoseconds only when not zero.
fn timestamp(x: i64, unit: TimeUnit) -> String {
    let nanos = x as i128 * per_unit(unit) as i128;
    let (seconds, sub) = (nanos.div_euclid(1_000_000_000) as i64, nanos.rem_euclid(1_000_000_000) as u32);
    let Some(t) = chrono::DateTime::from_timestamp(seconds, 0) else { return x.to_string() };
    let base = t.naive_utc().format("%Y-%m-%d %H:%M:%S").to_string();
    match sub {
        0 => base,
        s if s % 1000 == 0 => format!("{base}.{:06}", s / 1000),
        s => format!("{base}.{s:09}"),
    }
}

/// The cells as a column, typed as pandas types them: integers with a null are `float64`.
fn into_column(decode: Decode, cells: Cells) -> Column {
    match cells {
        Cells::Numbers(values) => {
            let ty = match decode {
                Decode::Integer if !values.iter().any(|v| v.is_nan()) => ColumnType::Long,
                Decode::Boolean => ColumnType::Boolean,
                _ => ColumnType::Double,
            };
            Column::Numbers { ty, values }
        }
        Cells::Text(cells) => Column::text(&cells),
    }
}

/// The JSON pandas writes under the key `pandas`, if the file has it.
fn pandas_metadata(metadata: Option<&Vec<parquet::file::metadata::KeyValue>>) -> Option<serde_json::Value> {
    let text = metadata?.iter().find(|k| k.key == "pandas")?.value.as_deref()?;
    serde_json::from_str(text).ok()
}

/// How a column was stored, for MLflow's pandas-typed schema and digest.
fn stored(descriptor: &ColumnDescriptor, column: &Column, pandas: Option<&serde_json::Value>, name: &str) -> Stored {
    // pandas' nullable `Int64` and friends come back as themselves (`numpy_type` "Int64").
    let nullable = pandas.and_then(|p| p["columns"].as_array()).is_some_and(|cols| {
        cols.iter().any(|c| c["field_name"] == name && c["numpy_type"].as_str().is_some_and(|t| t.contains("Int")))
    });
    let (logical, physical) = (descriptor.logical_type_ref(), descriptor.physical_type());
    let integer = matches!(physical, PhysicalType::INT32 | PhysicalType::INT64)
        && matches!(logical, None | Some(LogicalType::Integer(_)));
    match (logical, physical) {
        _ if integer && nullable => Stored::NullableInteger,
        (Some(LogicalType::Date | LogicalType::Timestamp(_)), _) | (_, PhysicalType::INT96) => Stored::Datetime,
        // pyarrow gives pandas `float64` for integers with a null: as a CSV with a blank.
        _ if integer && column.n_missing() > 0 => Stored::AsRead,
        (Some(LogicalType::Integer(t)), _) if t.bit_width < 64 => {
            Stored::Integer { bytes: (t.bit_width / 8) as u8, signed: t.is_signed }
        }
        (None, PhysicalType::INT32) => Stored::Integer { bytes: 4, signed: true },
        (_, PhysicalType::FLOAT) => Stored::Float32,
        _ => Stored::AsRead,
    }
}

/// The row index pandas stored in the file, and which columns stay features.
///
/// pandas' metadata lists in `index_columns` the columns that were the index
/// (by name) or describes a `RangeIndex` (`{"kind": "range", "start": .., "step": ..}`).
fn pandas_index(pandas: Option<&serde_json::Value>, names: &[String]) -> (Option<RowIndex>, Vec<bool>) {
    let mut keep = vec![true; names.len()];
    let Some(index_columns) = pandas.and_then(|p| p["index_columns"].as_array()) else {
        return (None, keep);
    };
    let mut range = None;
    for entry in index_columns {
        if let Some(name) = entry.as_str() {
            if let Some(j) = names.iter().position(|n| n == name) {
                keep[j] = false;
            }
        } else if entry["kind"] == "range" {
            range = Some(RowIndex::Range {
                start: entry["start"].as_i64().unwrap_or(0),
                step: entry["step"].as_i64().unwrap_or(1),
            });
        }
    }
    (range, keep)
}
