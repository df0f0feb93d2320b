//! The messages between the page and its Web Workers, and the workers' handlers.
//!
//! Plain serde types, tested natively (`wire` carries them over
//! `postMessage`). A pool worker keeps its dataset across runs, so `Data`
//! crosses once per worker while the data stays the same; each run then sends
//! its `Plan` and small units. A reader worker reads one picked file
//! ([`ReadRequest`]) and answers [`FromReader`]s, so that parsing a big file
//! never blocks the page.

use serde::{Deserialize, Serialize};

use crate::core::data::Dataset;
use crate::core::results::UnitResult;
use crate::core::search::{Refit, SearchPlan, Unit};
use crate::io::reading::{FileFormat, FileSource, ReadProgress, read_table_reporting};
use crate::io::table::Table;

/// From the page to a worker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ToWorker {
    /// The validated dataset, kept until new data replaces it (the plan goes with it).
    Data(Dataset),
    /// Candidates, folds and metric of the run about to start, for the data last sent.
    Plan(SearchPlan),
    /// Fit and score one unit.
    Run(Unit),
    /// Fit one candidate on every row (scikit-learn's `refit`).
    Refit {
        /// Candidate index.
        candidate: usize,
    },
}

/// From a worker to the page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum FromWorker {
    /// The worker's wasm is loaded and it listens: the page may send messages.
    Ready,
    /// A unit's outcome (fit failures are inside the result).
    Done(UnitResult),
    /// The refit finished, in this many seconds (or failed, with the reason).
    Refitted(Result<Refit, String>),
    /// The message could not be handled (a protocol error, not a fit failure).
    Error(String),
}

/// From the page to a reader worker: read the file that crosses beside this
/// request (a `Blob`, see `wire`) as the engine reads a data file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReadRequest {
    /// The file's name, for messages and the table.
    pub name: String,
    /// Keep at most this many rows (the reader's `limit`).
    pub limit: Option<usize>,
    /// The format the job's reader says (a Parquet file is read as Parquet anyway).
    pub format: FileFormat,
}

/// From a reader worker to the page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum FromReader {
    /// How far the read has come.
    Reading(ReadProgress),
    /// The file read: the format its bytes are in (whatever its name says),
    /// and its table or the reader's error (naming file, row and column).
    Read {
        /// Parquet when the bytes start as Parquet does, else CSV.
        format: FileFormat,
        /// The table.
        table: Result<Table, String>,
    },
}

/// The reader worker's one job: reads the file `source` for `request`, telling `report` how far it has come.
pub fn read_file(request: &ReadRequest, source: &dyn FileSource, report: &mut dyn FnMut(ReadProgress)) -> FromReader {
    let table = read_table_reporting(&request.name, source, request.limit, request.format, report);
    FromReader::Read { format: FileFormat::of_source(source), table: table.map_err(|e| e.to_string()) }
}

/// What a worker holds between messages.
#[derive(Default)]
pub struct WorkerState {
    data: Option<Dataset>,
    plan: Option<SearchPlan>,
}

impl WorkerState {
    /// Handles one message; `Data` and `Plan` need no reply.
    pub fn handle(&mut self, message: ToWorker, now: &dyn Fn() -> f64) -> Option<FromWorker> {
        let reply = match (message, &self.data, &self.plan) {
            (ToWorker::Data(data), ..) => {
                self.data = Some(data);
                self.plan = None; // a plan's folds index the rows of the data it came with
                return None;
            }
            (ToWorker::Plan(plan), Some(data), _) => {
                let rows = data.n_rows();
                if plan.folds.iter().flat_map(|f| f.train.iter().chain(&f.test)).any(|&row| row >= rows) {
                    return Some(FromWorker::Error(format!("the plan's folds index rows past the data's {rows}")));
                }
                self.plan = Some(plan);
                return None;
            }
            (ToWorker::Plan(_), None, _) => FromWorker::Error("a plan arrived before the data".into()),
            (ToWorker::Run(unit), Some(data), Some(plan)) => {
                if unit.candidate >= plan.candidates.len() || unit.fold >= plan.folds.len() {
                    return Some(FromWorker::Error(format!("unit {unit:?} is outside the plan")));
                }
                FromWorker::Done(plan.run_unit(data, unit, now))
            }
            (ToWorker::Refit { candidate }, Some(data), Some(plan)) => match plan.pipelines.get(candidate) {
                None => FromWorker::Error(format!("candidate {candidate} is outside the plan")),
                Some(_) => FromWorker::Refitted(plan.refit(data, candidate, now)),
            },
            (ToWorker::Run(_) | ToWorker::Refit { .. }, ..) => {
                FromWorker::Error("a unit arrived before the data and the plan".into())
            }
        };
        Some(reply)
    }
}

/// Serializes a message; the types here always serialize.
pub fn encode<T: Serialize>(message: &T) -> String {
    serde_json::to_string(message).unwrap_or_else(|e| format!("{{\"Error\":\"cannot encode: {e}\"}}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::metrics::{MetricKind, SklearnMetric};
    use crate::core::params::{ParamValue, Params};
    use crate::core::searchers::SearchSettings;
    use crate::core::splitters::{KFoldSplitter, SplitterKind};

    fn setup() -> (Dataset, SearchPlan) {
        let x: Vec<f64> = (0..20).map(f64::from).collect();
        let data = Dataset::numeric(vec!["x".into()], &x, "y", (0..20).map(|i| 2.0 * f64::from(i) + 1.0).collect());
        let folds =
            SplitterKind::KFoldSplitter(KFoldSplitter { n_splits: 2, ..Default::default() }).split(&data.y).unwrap();
        let metric = MetricKind::SklearnMetric(SklearnMetric::default()).check().unwrap();
        let candidates = vec![Params::from([("alpha".to_string(), ParamValue::Float(0.0))])];
        let plan =
            SearchPlan::new("Ridge", &Params::new(), candidates, folds, metric, SearchSettings::default()).unwrap();
        (data, plan)
    }

    fn ready() -> (WorkerState, Dataset, SearchPlan) {
        let (data, plan) = setup();
        let mut worker = WorkerState::default();
        assert_eq!(worker.handle(ToWorker::Data(data.clone()), &|| 0.0), None);
        assert_eq!(worker.handle(ToWorker::Plan(plan.clone()), &|| 0.0), None);
        (worker, data, plan)
    }

    #[test]
    fn a_unit_before_the_data_and_plan_is_a_protocol_error() {
        let reply = WorkerState::default().handle(ToWorker::Run(Unit { candidate: 0, fold: 0 }), &|| 0.0);
        assert!(matches!(reply, Some(FromWorker::Error(m)) if m.contains("before the data")));
        let (data, _) = setup();
        let mut worker = WorkerState::default();
        worker.handle(ToWorker::Data(data), &|| 0.0);
        let reply = worker.handle(ToWorker::Refit { candidate: 0 }, &|| 0.0);
        assert!(matches!(reply, Some(FromWorker::Error(m)) if m.contains("plan")));
    }

    #[test]
    fn a_unit_computes_what_the_engine_computes_in_process() {
        let (mut worker, data, plan) = ready();
        let unit = Unit { candidate: 0, fold: 1 };
        let reply = worker.handle(ToWorker::Run(unit), &|| 0.0);
        assert_eq!(reply, Some(FromWorker::Done(plan.run_unit(&data, unit, &|| 0.0))));
        // Units round-trip as JSON.
        let text = encode(&ToWorker::Run(unit));
        assert_eq!(serde_json::from_str::<ToWorker>(&text).unwrap(), ToWorker::Run(unit));
    }

    #[test]
    fn new_data_drops_the_old_plan_and_a_plan_must_fit_the_data() {
        let (mut worker, data, plan) = ready();
        let rows: Vec<usize> = (0..10).collect();
        let fewer = Dataset {
            columns: data.columns.iter().map(|c| c.take(&rows)).collect(),
            y: data.y[..10].to_vec(),
            ..data.clone()
        };
        worker.handle(ToWorker::Data(fewer), &|| 0.0);
        let reply = worker.handle(ToWorker::Run(Unit { candidate: 0, fold: 0 }), &|| 0.0);
        assert!(matches!(reply, Some(FromWorker::Error(m)) if m.contains("before the data and the plan")));
        // The old plan's folds index 20 rows; these data have 10.
        let reply = worker.handle(ToWorker::Plan(plan), &|| 0.0);
        assert!(matches!(reply, Some(FromWorker::Error(m)) if m.contains("past the data's 10")));
    }

    #[test]
    fn units_outside_the_plan_are_errors_not_panics() {
        let (mut worker, ..) = ready();
        let reply = worker.handle(ToWorker::Run(Unit { candidate: 5, fold: 0 }), &|| 0.0);
        assert!(matches!(reply, Some(FromWorker::Error(_))));
        let reply = worker.handle(ToWorker::Refit { candidate: 9 }, &|| 0.0);
        assert!(matches!(reply, Some(FromWorker::Error(_))));
    }

    #[test]
    fn a_read_reports_progress_and_gives_the_engine_s_table() {
        let csv: String = "a,b\n".to_string() + &(0..70_000).map(|i| format!("{i},x{}\n", i % 3)).collect::<String>();
        let bytes = bytes::Bytes::from(csv);
        let request = ReadRequest { name: "big.csv".into(), limit: None, format: FileFormat::Csv };
        let mut reports = Vec::new();
        let read = read_file(&request, &bytes, &mut |p| reports.push(p));
        let FromReader::Read { format: FileFormat::Csv, table: Ok(table) } = &read else { panic!() };
        assert_eq!(*table, crate::io::reading::read_table("big.csv", &bytes, None, FileFormat::Csv).unwrap());
        assert_eq!(reports.len(), 1, "one report per 65,536 rows: {reports:?}");
        assert!(reports[0].rows == 65_536 && reports[0].bytes > 0 && reports[0].bytes < bytes.len());
        // The table (and an error) cross as JSON too.
        assert_eq!(serde_json::from_str::<FromReader>(&encode(&read)).unwrap(), read);
        let wrong = ReadRequest { format: FileFormat::Parquet, ..request };
        let FromReader::Read { table: Err(e), .. } = read_file(&wrong, &bytes, &mut |_| {}) else { panic!() };
        assert!(e.contains("big.csv") && e.contains("CsvReader"), "{e}");
    }

    #[test]
    fn refit_reports_its_time() {
        let (mut worker, ..) = ready();
        let refitted = Refit { seconds: 0.0, attributes: Default::default() };
        assert_eq!(worker.handle(ToWorker::Refit { candidate: 0 }, &|| 1.5), Some(FromWorker::Refitted(Ok(refitted))));
    }
}
