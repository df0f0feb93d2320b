//! Properties of the three parts that take a person's input (issue 12): the CSV
//! reader, the config parser and the splitters never panic or hang, refuse with
//! a message, and what they accept is consistent.
//!
//! `cargo test` runs each property on a few hundred cases from a fixed seed;
//! `make fuzz` runs the `fuzz_*` tests (ignored here) for `TUNA_FUZZ_SECONDS` each.
#![cfg(not(target_arch = "wasm32"))] // proptest is a native dev-dependency.

#[path = "common/fuzz.rs"]
mod fuzz;

use std::collections::BTreeMap;

use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::TestCaseError;

use fuzz::{check, within};
use tuna::core::splitters::{
    Fold, KFoldSplitter, SplitterKind, StratifiedKFoldSplitter, TestSize, TimeSeriesSplitter, TrainTestSplitter,
};
use tuna::io::config::{ConfigError, Format, Level, parse_job};
use tuna::io::services::{DataSource, Logger};
use tuna::io::table::{DataError, read_csv};
use tuna::jobs::checks::check_config;
use tuna::jobs::tuning::TuningJob;

// ---------------------------------------------------------------- CSV reader

/// A CSV as a careless or hostile person might save it, and the `limit` to read it with.
#[derive(Debug, Clone)]
struct Csv {
    bytes: Vec<u8>,
    limit: Option<usize>,
}

/// One cell's bytes: numbers of every shape, the texts spreadsheets write for
/// missing values, quotes, long cells, non-UTF-8 bytes.
fn hostile_cell() -> impl Strategy<Value = Vec<u8>> {
    let fixed = select(vec![
        "",
        " ",
        "NaN",
        "nan",
        "-inf",
        "inf",
        "Infinity",
        "1e400",
        "-1e400",
        "1e-400",
        "NA",
        "N/A",
        "null",
        "#N/A",
        "true",
        "FALSE",
        "1,5",
        "\"1\"",
        "\"a,b\"",
        "\"\"\"\"",
        "\"unterminated",
        "\"x\r\ny\"",
        "\u{FEFF}1",
        "١٢",
        "1_000",
        "0x10",
        "+1",
        ".5",
        "5.",
        "-0",
        "-0.0",
        "9223372036854775808",
        "\t1\t",
        "\r",
        "\n",
        "caf\u{e9}",
    ])
    .prop_map(|s| s.as_bytes().to_vec());
    prop_oneof![
        8 => any::<i64>().prop_map(|v| v.to_string().into_bytes()),
        8 => any::<f64>().prop_map(|v| v.to_string().into_bytes()),
        3 => fixed,
        1 => "[0-9]{300,3000}".prop_map(String::into_bytes),
        1 => "\\PC{0,12}".prop_map(String::into_bytes),
        1 => prop::collection::vec(any::<u8>(), 0..8),
    ]
}

/// Rows of hostile cells (mostly as wide as the header, some ragged), joined by
/// a delimiter and line endings that may change from row to row, with BOMs,
/// UTF-16 and blank lines.
fn hostile_csv() -> impl Strategy<Value = Csv> {
    (1usize..5)
        .prop_flat_map(|width| {
            let row = prop_oneof![9 => prop::collection::vec(hostile_cell(), width), 1 => prop::collection::vec(hostile_cell(), 0..7)];
            let line = (row, select(vec![",", ";", "\t", "|", " "]), select(vec!["\n", "\r\n", "\r", "\n\n"]));
            (
                prop::collection::vec(line, 1..8),
                select(vec!["", "\u{FEFF}", "\u{FEFF}\u{FEFF}"]),
                prop_oneof![8 => Just(None), 1 => Just(Some(false)), 1 => Just(Some(true))],
                select(vec!["", "\n", "\n\n", "\r\n\r\n", "   \n"]),
                prop::option::of(0usize..10),
            )
        })
        .prop_map(|(lines, bom, utf16, tail, limit)| {
            let mut bytes = bom.as_bytes().to_vec();
            for (cells, delimiter, end) in lines {
                bytes.extend(cells.join(delimiter.as_bytes()));
                bytes.extend(end.as_bytes());
            }
            bytes.extend(tail.as_bytes());
            if let Some(big_endian) = utf16 {
                let text = String::from_utf8_lossy(&bytes).into_owned();
                let units = std::iter::once(0xFEFF).chain(text.encode_utf16());
                bytes = units.flat_map(|u| if big_endian { u.to_be_bytes() } else { u.to_le_bytes() }).collect();
            }
            Csv { bytes, limit }
        })
}

/// A well-formed numeric table written in one of the ways spreadsheets and
/// pandas write one, the values it holds, and maybe one cell spoiled with `inf`.
#[derive(Debug, Clone)]
struct Written {
    bytes: Vec<u8>,
    width: usize,
    values: Vec<f64>,
    spoiled: Option<(usize, usize)>,
}

fn written_table() -> impl Strategy<Value = Written> {
    let number = prop_oneof![
        any::<i64>().prop_map(|v| (v as f64, v.to_string())),
        (-1e300f64..1e300).prop_map(|v| (v, v.to_string())),
        any::<f64>().prop_filter("finite", |v| v.is_finite()).prop_map(|v| (v, format!("{v:e}"))),
        any::<bool>().prop_map(|b| (f64::from(u8::from(b)), if b { "TRUE".into() } else { "false".into() })),
    ];
    let cell = (number, select(vec!["{}", " {} ", "\"{}\""])).prop_map(|((v, s), style)| (v, style.replace("{}", &s)));
    (1usize..5, 1usize..12)
        .prop_flat_map(move |(width, rows)| {
            (
                prop::collection::vec(cell.clone(), width * rows),
                Just(width),
                select(vec![",", ";", "\t"]),
                prop::collection::vec(select(vec!["\n", "\r\n", "\r"]), rows + 1),
                any::<bool>(),
                select(vec!["", "\n", "\r\n\r\n"]),
                prop::option::of((0..rows, 0..width)),
            )
        })
        .prop_map(|(cells, width, delimiter, ends, bom, tail, spoiled)| {
            let header: Vec<String> = (0..width).map(|j| format!("c{j}")).collect();
            let mut text = String::from(if bom { "\u{FEFF}" } else { "" });
            text += &header.join(delimiter);
            text += ends[0];
            for (r, row) in cells.chunks(width).enumerate() {
                let row: Vec<&str> = row
                    .iter()
                    .enumerate()
                    .map(|(j, (_, s))| if spoiled == Some((r, j)) { "inf" } else { s.as_str() })
                    .collect();
                text += &row.join(delimiter);
                text += ends[r + 1];
            }
            text += tail;
            Written { bytes: text.into_bytes(), width, values: cells.iter().map(|(v, _)| *v).collect(), spoiled }
        })
}

/// Whatever the bytes: an answer in time; a table whose shape adds up and
/// whose values are all finite, or an error that names the file.
fn csv_answers_consistently(csv: Csv) -> Result<(), TestCaseError> {
    let limit = csv.limit;
    match within(move || read_csv("data.csv", &csv.bytes, limit))? {
        Ok(t) => {
            let (rows, p) = (t.n_rows(), t.columns.len());
            prop_assert!(p > 0 && rows > 0, "a table with {p} columns and {rows} rows");
            prop_assert_eq!(t.data.len(), p);
            prop_assert!(t.data.iter().all(|c| c.len() == rows), "columns of unequal length: {:?}", t.data);
            let numbers = t.data.iter().flat_map(|c| (0..rows).map(|r| c.number(r)).collect::<Vec<_>>());
            let infinite: Vec<f64> = numbers.filter(|v| v.is_infinite()).collect();
            prop_assert!(infinite.is_empty(), "an infinite value: {:?}", infinite);
            prop_assert!(t.columns.iter().all(|c| !c.trim().is_empty()), "an unnamed column: {:?}", t.columns);
            prop_assert!(limit.is_none_or(|l| rows <= l), "{rows} rows read with limit {limit:?}");
        }
        Err(e) => {
            let m = e.to_string();
            prop_assert!(m.starts_with("data.csv: ") && m.len() > "data.csv: ".len() + 10, "{m}");
        }
    }
    Ok(())
}

/// A well-formed table reads back exactly; a spoiled cell is reported at its
/// row, line and column, whatever the line endings.
fn written_table_reads_back(w: Written) -> Result<(), TestCaseError> {
    let bytes = w.bytes.clone();
    let read = within(move || read_csv("data.csv", &bytes, None))?;
    match (w.spoiled, read) {
        (None, Ok(t)) => {
            prop_assert_eq!(t.columns.len(), w.width);
            let row_major: Vec<f64> = (0..t.n_rows()).flat_map(|r| t.data.iter().map(move |c| c.number(r))).collect();
            prop_assert_eq!(&row_major, &w.values);
        }
        (Some((r, j)), Err(DataError::Cell { row, line, column, .. })) => {
            prop_assert_eq!((row, line, column), (r + 1, r + 2, format!("c{j}")));
        }
        (_, other) => prop_assert!(false, "expected {:?} spoiled, got {:?}", w.spoiled, other),
    }
    Ok(())
}

#[test]
fn csv_reader_on_arbitrary_bytes() {
    let bytes = prop::collection::vec(any::<u8>(), 0..600);
    check(1000, bytes.prop_map(|bytes| Csv { bytes, limit: None }), csv_answers_consistently);
}

#[test]
fn csv_reader_on_hostile_csv() {
    check(1000, hostile_csv(), csv_answers_consistently);
}

#[test]
fn csv_reader_reads_back_what_was_written() {
    check(1000, written_table(), written_table_reads_back);
}

#[test]
#[ignore = "long: `make fuzz`"]
fn fuzz_csv() {
    let bytes = prop::collection::vec(any::<u8>(), 0..4000).prop_map(|bytes| Csv { bytes, limit: None });
    fuzz::fuzz("csv arbitrary bytes", 3, bytes, csv_answers_consistently);
    fuzz::fuzz("csv hostile", 3, hostile_csv(), csv_answers_consistently);
    fuzz::fuzz("csv written tables", 3, written_table(), written_table_reads_back);
}

// ------------------------------------------------------------- config parser

/// The valid configs of `tests/configs/valid`, as (file name, text).
fn valid_configs() -> Vec<(String, String)> {
    let mut files: Vec<_> = std::fs::read_dir("tests/configs/valid")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read_to_string(&p).unwrap()))
        .collect();
    files.sort();
    files
}

/// A change a careless edit makes to a config's text.
#[derive(Debug, Clone)]
enum Edit {
    /// The value after the n-th `=` (TOML) or `:` (JSON, YAML) becomes this text.
    Value(usize, String),
    /// The n-th key gets a typo.
    Key(usize),
    /// The n-th line is written twice, dropped, or cut short.
    Twice(usize),
    Drop(usize),
    Cut(usize),
    /// Text inserted at a byte offset.
    Insert(usize, String),
}

fn hostile_value() -> impl Strategy<Value = String> {
    let fixed = select(vec![
        "-1",
        "0",
        "1e309",
        "-1e309",
        "nan",
        "inf",
        "-inf",
        "NaN",
        "9223372036854775807",
        "18446744073709551616",
        "-9223372036854775808",
        "\"\"",
        "\"x\"",
        "true",
        "null",
        "[]",
        "{}",
        "[1, \"a\"]",
        "1.5",
        "-0.0",
        "{ a = 1 }",
        "[[]]",
        "\"raise\"",
        "\"KFoldSplitter\"",
        "\"RandomForestClassifier\"",
        "4294967296",
        "65536",
        "1e-320",
    ]);
    prop_oneof![
        3 => fixed.prop_map(str::to_string),
        3 => (0i64..12).prop_map(|v| v.to_string()),
        2 => (0.0f64..1.0).prop_map(|v| format!("{v:?}")),
        1 => any::<i64>().prop_map(|v| v.to_string()),
        1 => any::<u64>().prop_map(|v| v.to_string()),
        1 => any::<f64>().prop_map(|v| format!("{v:?}")),
        1 => "\"\\PC{0,8}\"",
        1 => "\\PC{0,8}",
    ]
}

fn edit() -> impl Strategy<Value = Edit> {
    let n = 0usize..200;
    prop_oneof![
        10 => (n.clone(), hostile_value()).prop_map(|(i, v)| Edit::Value(i, v)),
        1 => n.clone().prop_map(Edit::Key),
        1 => n.clone().prop_map(Edit::Twice),
        1 => n.clone().prop_map(Edit::Drop),
        1 => n.clone().prop_map(Edit::Cut),
        1 => (0usize..4000, select(vec!["[", "]", "{", "}", "\"", ",", "=", "\n", "[model]\n", "\\", "#"]))
            .prop_map(|(i, s)| Edit::Insert(i, s.to_string())),
    ]
}

fn apply(text: &str, edit: &Edit) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let pick = |i: usize| i % lines.len().max(1);
    let sep = if Format::guess("config", text) == Format::Toml { '=' } else { ':' };
    let nth = |i: usize| {
        let found: Vec<usize> = text.match_indices(sep).map(|(at, _)| at).collect();
        (!found.is_empty()).then(|| found[i % found.len()])
    };
    match edit {
        Edit::Value(i, value) => match nth(*i) {
            Some(at) => {
                let rest = &text[at + 1..];
                format!("{} {value}{}", &text[..=at], &rest[value_end(rest)..])
            }
            None => text.to_string(),
        },
        Edit::Key(i) => match nth(*i) {
            Some(at) => {
                let end = text[..at].trim_end_matches([' ', '"']).len();
                format!("{}x{}", &text[..end], &text[end..])
            }
            None => text.to_string(),
        },
        Edit::Twice(i) | Edit::Drop(i) | Edit::Cut(i) => {
            let k = pick(*i);
            let mut out: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
            match edit {
                Edit::Twice(_) => out.insert(k, lines.get(k).unwrap_or(&"").to_string()),
                Edit::Drop(_) if k < out.len() => drop(out.remove(k)),
                _ => out.truncate(k),
            }
            out.join("\n")
        }
        Edit::Insert(at, s) => {
            let at = (0..=(*at).min(text.len())).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
            format!("{}{s}{}", &text[..at], &text[at..])
        }
    }
}

/// Where the value at the start of `rest` ends: after its closing bracket or
/// quote, else at the next `,`, `}`, `]` or line end.
fn value_end(rest: &str) -> usize {
    let start = rest.len() - rest.trim_start_matches(' ').len();
    let (mut depth, mut quoted) = (0i32, false);
    for (i, c) in rest.char_indices().skip(start) {
        match c {
            '"' => quoted = !quoted,
            _ if quoted => {}
            '[' | '{' => depth += 1,
            ']' | '}' if depth > 0 => depth -= 1,
            ',' | '}' | ']' | '\n' if depth == 0 => return i,
            _ => {}
        }
        if depth == 0 && !quoted && i > start && matches!(c, ']' | '}' | '"') {
            return i + 1;
        }
    }
    rest.len()
}

/// A config a person might write: a valid one with a few careless edits, or
/// arbitrary text.
fn config_text() -> impl Strategy<Value = (String, String)> {
    let valid = valid_configs();
    let edited = (select(valid), prop::collection::vec(edit(), 1..3)).prop_map(|((name, text), edits)| {
        let text = edits.iter().fold(text, |t, e| apply(&t, e));
        (name, text)
    });
    let names = select(vec!["job.toml", "job.json", "job.yaml"]).prop_map(str::to_string);
    prop_oneof![
        6 => edited,
        1 => (names.clone(), any::<String>()),
        1 => (names, "[\\[\\]{}=\":,a-zA-Z0-9_ .\n-]{0,200}"),
    ]
}

/// Good data for whatever path a config names, and a Ridge table for a model file.
struct Memory;

impl DataSource for Memory {
    async fn read(&self, path: &str) -> Result<Vec<u8>, String> {
        if [".toml", ".json", ".yaml", ".yml"].iter().any(|e| path.ends_with(e)) {
            return Ok(b"KIND = \"Ridge\"\n".to_vec());
        }
        let inputs = path.contains("inputs");
        let mut text = String::from(if inputs { "a,b,c\n" } else { "target\n" });
        for i in 0..400 {
            text += &if inputs { format!("{},{},{}\n", i, i % 7, (i * i) % 11) } else { format!("{}\n", i % 3) };
        }
        Ok(text.into_bytes())
    }
}

struct Quiet;

impl Logger for Quiet {
    fn log(&self, _: Level, _: &str) {}
}

/// Any text: an error that names its file and a line or key, or a config that
/// checks without panicking, exports to a TOML that reads back the same, and
/// validates against good data without panicking.
fn config_answers_consistently((origin, text): (String, String)) -> Result<(), TestCaseError> {
    let origin_in = origin.clone();
    let answer = within(move || {
        let cfg = parse_job(&origin_in, &text)?;
        let checked = check_config(&cfg, &cfg.model).map(|_| ()).map_err(|e| e.to_string());
        let shared = cfg.shareable_toml();
        let again = parse_job("shared.toml", &shared).map(|c| c.shareable_toml());
        let job = TuningJob::from_config(&origin_in, &text)?;
        let validated = pollster::block_on(job.validate(&Memory, &Quiet)).map(|_| ()).map_err(|e| e.to_string());
        Ok::<_, ConfigError>((checked, shared, again, validated))
    })?;
    match answer {
        Err(e) => {
            let m = e.to_string();
            prop_assert!(m.starts_with(&origin) && !e.message.trim().is_empty(), "{m}");
            prop_assert!(e.line.is_some() || !e.path.is_empty(), "no line and no key: {m}");
        }
        Ok((checked, shared, again, validated)) => {
            for e in [checked.err(), validated.err()].into_iter().flatten() {
                prop_assert!(e.len() > 10, "{e}");
            }
            prop_assert_eq!(again.map_err(|e| e.to_string()), Ok(shared.clone()), "export does not read back");
        }
    }
    Ok(())
}

#[test]
fn config_parser_on_edited_and_arbitrary_configs() {
    check(1000, config_text(), config_answers_consistently);
}

#[test]
#[ignore = "long: `make fuzz`"]
fn fuzz_config() {
    fuzz::fuzz("config", 1, config_text(), config_answers_consistently);
}

// ----------------------------------------------------------------- splitters

/// Every splitter KIND with settings from sensible to absurd, and targets for it.
fn splitter_case() -> impl Strategy<Value = (SplitterKind, Vec<f64>)> {
    let count = || prop_oneof![4 => 0usize..12, 1 => any::<usize>()];
    let fraction = prop_oneof![3 => 0.0f64..1.0, 1 => any::<f64>()];
    let test_size = prop_oneof![
        (prop_oneof![0u64..60, any::<u64>()]).prop_map(TestSize::Count),
        fraction.prop_map(TestSize::Fraction)
    ];
    let kind = prop_oneof![
        (any::<bool>(), test_size, any::<u32>()).prop_map(|(shuffle, test_size, random_state)| {
            SplitterKind::TrainTestSplitter(TrainTestSplitter { shuffle, test_size, random_state })
        }),
        (count(), prop_oneof![0usize..30, any::<usize>()], count(), prop::option::of(count())).prop_map(
            |(n_splits, test_size, gap, max_train_size)| {
                SplitterKind::TimeSeriesSplitter(TimeSeriesSplitter { n_splits, test_size, gap, max_train_size })
            }
        ),
        (count(), any::<bool>(), prop::option::of(any::<u32>())).prop_map(|(n_splits, shuffle, random_state)| {
            SplitterKind::KFoldSplitter(KFoldSplitter { n_splits, shuffle, random_state })
        }),
        (count(), any::<bool>(), prop::option::of(any::<u32>())).prop_map(|(n_splits, shuffle, random_state)| {
            SplitterKind::StratifiedKFoldSplitter(StratifiedKFoldSplitter { n_splits, shuffle, random_state })
        }),
    ];
    let label = prop_oneof![
        8 => (0u8..4).prop_map(f64::from),
        // No NaN: the CSV reader refuses it before any splitter sees it.
        1 => select(vec![-0.0, 0.0, -1.0, 1.5, 1e300, f64::INFINITY, f64::NEG_INFINITY]),
        1 => any::<f64>().prop_filter("not NaN", |v| !v.is_nan()),
    ];
    (kind, prop::collection::vec(label, 0..120))
}

/// A class's key: -0.0 and 0.0 are one class, as in numpy.
fn class_of(v: f64) -> u64 {
    (v + 0.0).to_bits()
}

/// Refused with a message, or folds whose train and test are disjoint, in range
/// and sorted, and for the k-fold family exactly scikit-learn's partition.
fn splitter_answers_consistently((kind, y): (SplitterKind, Vec<f64>)) -> Result<(), TestCaseError> {
    let n = y.len();
    let (kind_in, y_in) = (kind.clone(), y.clone());
    let folds = match within(move || kind_in.split(&y_in))? {
        Err(e) => {
            let m = e.to_string();
            prop_assert!(m.contains("splitter") && m.len() > 20, "{m}");
            prop_assert!(!sklearn_accepts(&kind, &y), "refused what scikit-learn accepts: {m}");
            return Ok(());
        }
        Ok(folds) => folds,
    };
    prop_assert!(sklearn_accepts(&kind, &y), "accepted what scikit-learn refuses");
    for Fold { train, test } in &folds {
        prop_assert!(!train.is_empty() && !test.is_empty(), "an empty train or test set");
        let mut rows: Vec<usize> = train.iter().chain(test).copied().collect();
        rows.sort();
        prop_assert!(rows.windows(2).all(|w| w[0] < w[1]), "a row twice, or in train and test");
        prop_assert!(rows.iter().all(|&i| i < n), "a row out of range");
        // scikit-learn's masks give sorted rows; only a shuffled train/test split keeps the permutation's order.
        if !matches!(&kind, SplitterKind::TrainTestSplitter(s) if s.shuffle) {
            prop_assert!([train, test].iter().all(|set| set.is_sorted()), "unsorted rows");
        }
    }
    let k_fold = |n_splits: usize| -> Result<(), TestCaseError> {
        prop_assert_eq!(folds.len(), n_splits);
        let mut seen = vec![0; n];
        for f in &folds {
            prop_assert_eq!(f.train.len() + f.test.len(), n, "train is not the rest");
            f.test.iter().for_each(|&i| seen[i] += 1);
        }
        prop_assert!(seen.iter().all(|&c| c == 1), "the test sets do not partition the rows");
        let sizes: Vec<usize> = folds.iter().map(|f| f.test.len()).collect();
        prop_assert!(sizes.iter().max().unwrap() - sizes.iter().min().unwrap() <= 1, "fold sizes {sizes:?}");
        Ok(())
    };
    match &kind {
        SplitterKind::TrainTestSplitter(s) => {
            prop_assert_eq!(folds.len(), 1);
            prop_assert_eq!(folds[0].train.len() + folds[0].test.len(), n);
            let expected = match s.test_size {
                TestSize::Count(c) => c as usize,
                TestSize::Fraction(f) => (f * n as f64).ceil() as usize,
            };
            prop_assert_eq!(folds[0].test.len(), expected);
        }
        SplitterKind::TimeSeriesSplitter(s) => {
            prop_assert_eq!(folds.len(), s.n_splits);
            prop_assert_eq!(folds.last().unwrap().test.last(), Some(&(n - 1)), "the last window ends at the last row");
            for f in &folds {
                let start = f.test[0];
                prop_assert!(f.test.windows(2).all(|w| w[1] == w[0] + 1), "a test window with holes");
                prop_assert_eq!(
                    f.train.last().copied(),
                    Some(start - s.gap - 1),
                    "train must end gap rows before test"
                );
                prop_assert!(s.max_train_size.is_none_or(|m| m == 0 || f.train.len() <= m));
            }
        }
        SplitterKind::KFoldSplitter(s) => {
            k_fold(s.n_splits)?;
            // scikit-learn: the first n % k folds get one row more.
            let sizes: Vec<usize> = folds.iter().map(|f| f.test.len()).collect();
            let expected: Vec<usize> =
                (0..s.n_splits).map(|k| n / s.n_splits + usize::from(k < n % s.n_splits)).collect();
            prop_assert_eq!(&sizes, &expected);
            if !s.shuffle {
                // Unshuffled, fold k is the contiguous block after folds 0..k: scikit-learn's exact folds.
                let starts = sizes.iter().scan(0, |at, size| Some(std::mem::replace(at, *at + size)));
                for (f, start) in folds.iter().zip(starts) {
                    prop_assert!(f.test.iter().copied().eq(start..start + f.test.len()), "fold not at {start}");
                }
            }
        }
        SplitterKind::StratifiedKFoldSplitter(s) => {
            k_fold(s.n_splits)?;
            // Each class is dealt round-robin: its count differs by at most one between folds.
            let mut per_class: BTreeMap<u64, Vec<usize>> = BTreeMap::new();
            for (k, f) in folds.iter().enumerate() {
                for &i in &f.test {
                    per_class.entry(class_of(y[i])).or_insert_with(|| vec![0; s.n_splits])[k] += 1;
                }
            }
            for (class, counts) in &per_class {
                let (lo, hi) = (counts.iter().min().unwrap(), counts.iter().max().unwrap());
                prop_assert!(hi - lo <= 1, "class {} spread {counts:?}", f64::from_bits(*class));
            }
            if !s.shuffle {
                // Unshuffled, each class's rows take their folds in fold order.
                let mut fold_of = vec![0; n];
                folds.iter().enumerate().for_each(|(k, f)| f.test.iter().for_each(|&i| fold_of[i] = k));
                let mut last: BTreeMap<u64, usize> = BTreeMap::new();
                for (i, &v) in y.iter().enumerate() {
                    let before = last.insert(class_of(v), fold_of[i]).unwrap_or(0);
                    prop_assert!(before <= fold_of[i], "class {v}: row {i} in fold {} after fold {before}", fold_of[i]);
                }
            }
        }
    }
    Ok(())
}

/// Whether scikit-learn's splitter takes these settings for `y.len()` rows.
fn sklearn_accepts(kind: &SplitterKind, y: &[f64]) -> bool {
    let n = y.len();
    match kind {
        SplitterKind::TrainTestSplitter(s) => match s.test_size {
            TestSize::Count(c) => c >= 1 && (c as u128) < n as u128,
            TestSize::Fraction(f) => f > 0.0 && f < 1.0 && ((f * n as f64).ceil() as usize) < n,
        },
        SplitterKind::TimeSeriesSplitter(s) => {
            let folds = s.n_splits as u128 + 1;
            let test = if s.test_size == 0 { n as u128 / folds } else { s.test_size as u128 };
            s.n_splits >= 2 && folds <= n as u128 && test * s.n_splits as u128 + (s.gap as u128) < n as u128
        }
        SplitterKind::KFoldSplitter(s) => s.n_splits >= 2 && s.n_splits <= n,
        SplitterKind::StratifiedKFoldSplitter(s) => {
            let mut counts: BTreeMap<u64, usize> = BTreeMap::new();
            y.iter().for_each(|&v| *counts.entry(class_of(v)).or_default() += 1);
            // type_of_target: class labels only (a fraction or an infinity is continuous or refused).
            let labels = y.iter().all(|v| v.fract() == 0.0);
            s.n_splits >= 2 && labels && counts.values().any(|&c| c >= s.n_splits)
        }
    }
}

#[test]
fn splitters_refuse_or_partition() {
    check(3000, splitter_case(), splitter_answers_consistently);
}

#[test]
#[ignore = "long: `make fuzz`"]
fn fuzz_splitters() {
    fuzz::fuzz("splitters", 1, splitter_case(), splitter_answers_consistently);
}

/// The generators are worth their cases only if they reach accepted input
/// too: a good share of edited configs validate, hostile CSVs read, and
/// splitters split.
#[test]
fn the_generators_reach_accepted_inputs_too() {
    use proptest::strategy::ValueTree;
    fn share<T>(strategy: impl Strategy<Value = T>, accepted: impl Fn(T) -> bool) -> f64 {
        let mut runner = proptest::test_runner::TestRunner::deterministic();
        let n = 400;
        let ok = (0..n).filter(|_| accepted(strategy.new_tree(&mut runner).unwrap().current())).count();
        ok as f64 / n as f64
    }
    let validates = |(origin, text): (String, String)| {
        TuningJob::from_config(&origin, &text)
            .is_ok_and(|job| pollster::block_on(job.validate(&Memory, &Quiet)).is_ok())
    };
    let reads = |csv: Csv| read_csv("data.csv", &csv.bytes, csv.limit).is_ok();
    let splits = |(kind, y): (SplitterKind, Vec<f64>)| kind.split(&y).is_ok();
    let shares = [share(config_text(), validates), share(hostile_csv(), reads), share(splitter_case(), splits)];
    assert!(shares.iter().all(|&s| s > 0.03), "accepted shares (config, csv, splitters): {shares:?}");
}
