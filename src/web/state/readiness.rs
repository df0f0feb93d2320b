//! Whether Run can start, and if not, why: the one reason shown next to the
//! Run button (and read out with it, through `aria-describedby`). Run is
//! disabled while there is a reason, so a job that cannot start is never
//! started: nothing fails, nothing is tracked, no alert goes out.
//!
//! The reason is short and says where the full error is: the panel, which
//! shows the engine's own message at the file, field or line.

use crate::io::config::ConfigError;
use crate::jobs::tuning::TuningJob;
use crate::web::job_form::check;
use crate::web::preview::Loaded;

/// Where the full error is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Panel {
    /// The data panel: the files and their check against the job.
    Data,
    /// The job panel, under the config text (the form's field errors say it too).
    Job,
}

impl Panel {
    /// The id of the element that shows the error, to scroll it into view.
    pub fn id(self) -> &'static str {
        match self {
            Panel::Data => "data-panel",
            Panel::Job => "config-status",
        }
    }
}

/// Why Run cannot start now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Blocker {
    /// What to do, in a sentence.
    pub reason: String,
    /// Where the full error is, if there is one to see.
    pub panel: Option<Panel>,
}

impl Blocker {
    fn new(reason: impl Into<String>, panel: Panel) -> Option<Blocker> {
        Some(Blocker { reason: reason.into(), panel: Some(panel) })
    }
}

/// The config's state under the editor: its candidate count, or the error
/// and the line it is on (a parse error has one; a job-check error has none).
pub type Status = Result<usize, (String, Option<usize>)>;

/// The config's [`Status`]: parsed, then the job's own check.
pub fn status(config: &Result<TuningJob, ConfigError>) -> Status {
    match config {
        Err(e) => Err((e.to_string(), e.line)),
        Ok(job) => check(job.config()).map_err(|e| (e, None)),
    }
}

/// What the page holds when Run is pressed, each check made once by its owner.
pub struct Inputs<'a> {
    /// The config's state ([`status`]).
    pub status: &'a Status,
    /// The picked inputs file.
    pub inputs: Option<&'a Loaded>,
    /// The picked targets file.
    pub targets: Option<&'a Loaded>,
    /// The pair's check against the job ([`crate::web::preview::pair_check`]).
    pub pair: Option<&'a Result<String, String>>,
    /// Whether the demo's files are still on their way.
    pub loading: bool,
}

/// The first thing that stops Run, in page order (data, then job), or `None`
/// when the job can start: exactly the checks the job itself makes before
/// its search, so a job Run starts never fails them.
pub fn blocker(page: &Inputs) -> Option<Blocker> {
    if page.loading {
        return Some(Blocker { reason: "Loading the demo data…".into(), panel: None });
    }
    let (inputs, targets) = match (page.inputs, page.targets) {
        (None, None) => return Blocker::new("Pick the inputs and targets CSV files, or load a demo.", Panel::Data),
        (None, Some(_)) => return Blocker::new("Pick the inputs CSV file.", Panel::Data),
        (Some(_), None) => return Blocker::new("Pick the targets CSV file.", Panel::Data),
        (Some(x), Some(y)) => (x, y),
    };
    for (what, file) in [("inputs", inputs), ("targets", targets)] {
        if file.table.is_err() {
            return Blocker::new(
                format!("The {what} file `{}` could not be read: see why under it.", file.name),
                Panel::Data,
            );
        }
    }
    match page.status {
        Err((_, Some(line))) => {
            return Blocker::new(
                format!("The config has an error on line {line}: see it under the config text."),
                Panel::Job,
            );
        }
        Err((_, None)) => return Blocker::new("The job has an error: see it under the config text.", Panel::Job),
        Ok(_) => {}
    }
    if let Some(Err(_)) = page.pair {
        return Blocker::new("The files do not fit the job: see why in the Data panel.", Panel::Data);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::web::preview::pair_check;

    const JOB: &str = "KIND = \"TuningJob\"\n\
        inputs = { KIND = \"CsvReader\", path = \"x.csv\" }\n\
        targets = { KIND = \"CsvReader\", path = \"y.csv\", column = \"v\" }\n\
        model = { KIND = \"Ridge\" }\n\
        splitter = { KIND = \"KFoldSplitter\", n_splits = 3 }\n\
        searcher = { KIND = \"GridCVSearcher\", param_grid = { alpha = [1.0] } }\n";

    fn job(text: &str) -> Result<TuningJob, ConfigError> {
        TuningJob::from_config("config", text)
    }

    fn reason(
        config: &Result<TuningJob, ConfigError>,
        x: Option<&Loaded>,
        y: Option<&Loaded>,
    ) -> Option<(String, Option<Panel>)> {
        let pair = x.zip(y).and_then(|(x, y)| pair_check(x, y, config.as_ref().ok().map(TuningJob::config)));
        let page = Inputs { status: &status(config), inputs: x, targets: y, pair: pair.as_ref(), loading: false };
        blocker(&page).map(|b| (b.reason, b.panel))
    }

    #[test]
    fn a_valid_job_on_fitting_files_can_run() {
        let x = Loaded::new("x.csv", b"a\n1\n2\n3\n".to_vec());
        let y = Loaded::new("y.csv", b"v\n1.5\n2.5\n3.5\n".to_vec());
        assert_eq!(reason(&job(JOB), Some(&x), Some(&y)), None);
    }

    #[test]
    fn each_reason_names_what_to_do_and_where() {
        let good = job(JOB);
        let x = Loaded::new("x.csv", b"a\n1\n2\n3\n".to_vec());
        let y = Loaded::new("y.csv", b"v\n1.5\n2.5\n3.5\n".to_vec());
        let page = Inputs { status: &status(&good), inputs: None, targets: None, pair: None, loading: true };
        let loading = blocker(&page).unwrap();
        assert_eq!((loading.reason.as_str(), loading.panel), ("Loading the demo data…", None));

        let (r, p) = reason(&good, None, None).unwrap();
        assert_eq!((r.as_str(), p), ("Pick the inputs and targets CSV files, or load a demo.", Some(Panel::Data)));
        assert_eq!(reason(&good, Some(&x), None).unwrap().0, "Pick the targets CSV file.");
        assert_eq!(reason(&good, None, Some(&y)).unwrap().0, "Pick the inputs CSV file.");

        let broken = Loaded::new("bad.csv", b"a\n1\ninf\n".to_vec());
        let (r, p) = reason(&good, Some(&broken), Some(&y)).unwrap();
        assert_eq!(
            (r.as_str(), p),
            ("The inputs file `bad.csv` could not be read: see why under it.", Some(Panel::Data))
        );

        let typo = job(&JOB.replace("n_splits", "n_split"));
        let (r, p) = reason(&typo, Some(&x), Some(&y)).unwrap();
        assert_eq!(
            (r.as_str(), p),
            ("The config has an error on line 5: see it under the config text.", Some(Panel::Job))
        );

        let bad_candidate = job(&JOB.replace("[1.0]", "[-1.0]"));
        let (r, p) = reason(&bad_candidate, Some(&x), Some(&y)).unwrap();
        assert_eq!((r.as_str(), p), ("The job has an error: see it under the config text.", Some(Panel::Job)));

        let other_column = job(&JOB.replace(r#"column = "v""#, r#"column = "w""#));
        let (r, p) = reason(&other_column, Some(&x), Some(&y)).unwrap();
        assert_eq!((r.as_str(), p), ("The files do not fit the job: see why in the Data panel.", Some(Panel::Data)));
    }
}
