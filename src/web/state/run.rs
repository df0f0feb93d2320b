//! One run of the job from the page, as one value. Each phase holds what it
//! has and nothing else (a running search has no report, a failed one has
//! its error and no results), so the progress, the results and the error the
//! panels show cannot disagree; the run panel changes it only through these
//! methods.

use super::live::LiveSearch;
use crate::core::results::UnitResult;
use crate::io::services::Delivery;
use crate::jobs::tuning::{JobReport, TuningJob};

/// Where a run is; `progress`'s `data-state` attribute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunState {
    /// Nothing has run yet.
    Idle,
    /// Workers are fitting.
    Running,
    /// Finished.
    Done,
    /// Cancelled by the person; finished units kept.
    Cancelled,
    /// Stopped by an error.
    Failed,
}

impl RunState {
    /// The `data-state` value.
    pub fn as_str(self) -> &'static str {
        match self {
            RunState::Idle => "idle",
            RunState::Running => "running",
            RunState::Done => "done",
            RunState::Cancelled => "cancelled",
            RunState::Failed => "failed",
        }
    }

    /// The state's badge: as `data-state` says, but "not run" before the first run (Run may be off).
    pub fn label(self) -> &'static str {
        match self {
            RunState::Idle => "not run",
            other => other.as_str(),
        }
    }
}

/// What every run that started has: the job as it ran (the config the
/// results belong to, for exports and for sending them again) and the live
/// view of its units, whose clock stops when the run ends.
#[derive(Debug, Clone, PartialEq)]
pub struct Search {
    /// The job as Run read it from the editor.
    pub job: TuningJob,
    /// Units as they finish.
    pub live: LiveSearch,
}

/// One run: the last one the person started, or none yet.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Run {
    /// Nothing has run yet.
    #[default]
    Idle,
    /// Workers are fitting.
    Running(Search),
    /// The job ended with its report; a cancelled run is finished too
    /// (`report.cancelled`), with the units that had finished.
    Finished {
        /// The search as it ended.
        search: Search,
        /// What the job produced (boxed: the largest part by far).
        report: Box<JobReport>,
    },
    /// Stopped by an error.
    Failed {
        /// The search as it stopped, or `None` when nothing started (the config did not parse).
        search: Option<Search>,
        /// Why, as shown to the person.
        error: String,
    },
}

impl Run {
    /// A run of `job` that started at `now`; its candidates are listed up
    /// front so the live table has a row for each before any unit finishes.
    pub fn start(job: TuningJob, now: f64) -> Run {
        let candidates = job.config().searcher.candidates().unwrap_or_default();
        Run::Running(Search { job, live: LiveSearch::new(candidates, now) })
    }

    /// Run was pressed but nothing could start (the config does not parse).
    pub fn refused(error: String) -> Run {
        Run::Failed { search: None, error }
    }

    /// Records a finished unit of a search of `total` units; a unit that
    /// arrives after its run ended is dropped.
    pub fn record(&mut self, unit: &UnitResult, total: usize) {
        if let Run::Running(search) = self {
            search.live.record(unit, total);
        }
    }

    /// Ends a running run at `now` with the job's outcome: its report, or why
    /// it failed. A run that is not running is left as it is.
    pub fn end(&mut self, outcome: Result<JobReport, String>, now: f64) {
        *self = match std::mem::take(self) {
            Run::Running(mut search) => {
                search.live.finished = Some(now);
                match outcome {
                    Ok(report) => Run::Finished { search, report: Box::new(report) },
                    Err(error) => Run::Failed { search: Some(search), error },
                }
            }
            other => other,
        };
    }

    /// Where the results went in MLflow, once they were sent again; only a
    /// finished run has results to send.
    pub fn set_tracking(&mut self, tracking: Delivery) {
        if let Run::Finished { report, .. } = self {
            report.tracking = tracking;
        }
    }

    /// Where the run is.
    pub fn state(&self) -> RunState {
        match self {
            Run::Idle => RunState::Idle,
            Run::Running(_) => RunState::Running,
            Run::Finished { report, .. } if report.cancelled => RunState::Cancelled,
            Run::Finished { .. } => RunState::Done,
            Run::Failed { .. } => RunState::Failed,
        }
    }

    /// Whether workers are fitting.
    pub fn is_running(&self) -> bool {
        matches!(self, Run::Running(_))
    }

    /// The live view of the run's units, once it has started.
    pub fn live(&self) -> Option<&LiveSearch> {
        match self {
            Run::Running(search) | Run::Finished { search, .. } | Run::Failed { search: Some(search), .. } => {
                Some(&search.live)
            }
            Run::Idle | Run::Failed { search: None, .. } => None,
        }
    }

    /// The job and what it produced, once it has finished.
    pub fn finished(&self) -> Option<(&TuningJob, &JobReport)> {
        match self {
            Run::Finished { search, report } => Some((&search.job, report.as_ref())),
            _ => None,
        }
    }

    /// What the job produced, once it has finished.
    pub fn report(&self) -> Option<&JobReport> {
        self.finished().map(|(_, report)| report)
    }

    /// Why the run failed.
    pub fn error(&self) -> Option<&str> {
        match self {
            Run::Failed { error, .. } => Some(error),
            _ => None,
        }
    }

    /// Whether the live table shows: while running, and after a failure when
    /// some fits had finished (there is no report then to show them).
    pub fn shows_live_table(&self) -> bool {
        match self {
            Run::Running(_) => true,
            Run::Failed { search: Some(search), .. } => search.live.done > 0,
            _ => false,
        }
    }

    /// Share of the units done, 0 to 1.
    pub fn fraction(&self) -> f64 {
        self.live().map_or(0.0, LiveSearch::fraction)
    }

    /// The progress line at `now` (see [`LiveSearch::summary`]).
    pub fn summary(&self, now: f64) -> String {
        match (self, self.live()) {
            (Run::Idle, _) => "Ctrl+Enter runs the job too.".to_string(),
            (_, Some(live)) => live.summary(now),
            (_, None) => "nothing ran".to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::web::state::demos::REGRESSION_DEMO;
    use crate::web::state::fixtures::{report, unit};

    fn job() -> TuningJob {
        TuningJob::from_config("demo.toml", REGRESSION_DEMO).unwrap()
    }

    #[test]
    fn a_started_run_lists_its_candidates_and_counts_units() {
        let mut run = Run::start(job(), 10.0);
        assert_eq!(run.state(), RunState::Running);
        assert_eq!(run.live().unwrap().candidates.len(), 6, "3 max_depth x 2 min_samples_leaf");
        assert_eq!(run.summary(10.5), "reading the data and starting workers · 0.5 s");
        run.record(&unit(0, 0, 1.0), 24);
        assert_eq!((run.live().unwrap().done, run.fraction()), (1, 1.0 / 24.0));
        assert!(run.shows_live_table() && run.report().is_none() && run.error().is_none());
    }

    #[test]
    fn a_finished_run_has_its_report_and_a_stopped_clock() {
        let mut run = Run::start(job(), 10.0);
        run.record(&unit(0, 0, 1.0), 1);
        run.end(Ok(report(false)), 11.0);
        assert_eq!(run.state(), RunState::Done);
        let (ran, report) = run.finished().unwrap();
        assert!(*ran == job() && !report.cancelled);
        assert_eq!(run.summary(99.0), "1 / 1 fits in 1.0 s");
        assert!(!run.shows_live_table() && run.error().is_none());
        run.record(&unit(0, 0, 1.0), 1);
        assert_eq!(run.live().unwrap().done, 1, "a unit after the end is dropped");
    }

    #[test]
    fn a_cancelled_run_is_a_finished_one_with_a_cancelled_report() {
        let mut run = Run::start(job(), 0.0);
        run.end(Ok(report(true)), 1.0);
        assert_eq!((run.state(), run.state().as_str()), (RunState::Cancelled, "cancelled"));
        assert!(run.report().is_some_and(|r| r.cancelled));
    }

    #[test]
    fn a_failed_run_keeps_its_error_and_the_fits_that_finished() {
        let mut run = Run::start(job(), 0.0);
        run.end(Err("search: a worker stopped".into()), 1.0);
        assert_eq!((run.state(), run.error()), (RunState::Failed, Some("search: a worker stopped")));
        assert!(!run.shows_live_table(), "no fit had finished: nothing to show");
        assert_eq!(run.summary(5.0), "stopped after 1.0 s");

        let mut midway = Run::start(job(), 0.0);
        midway.record(&unit(0, 0, 1.0), 24);
        midway.end(Err("search: a worker stopped".into()), 1.0);
        assert!(midway.shows_live_table() && midway.report().is_none());
    }

    #[test]
    fn a_refused_run_has_only_its_error() {
        let run = Run::refused("the config has an error, so nothing ran".into());
        assert_eq!((run.state(), run.live(), run.fraction()), (RunState::Failed, None, 0.0));
        assert_eq!(run.summary(3.0), "nothing ran");
    }

    #[test]
    fn only_a_running_run_ends_and_only_a_finished_one_changes_its_tracking() {
        let mut idle = Run::Idle;
        idle.end(Ok(report(false)), 1.0);
        idle.set_tracking(Delivery::Failed("unreachable".into()));
        assert_eq!((idle.state(), idle.state().label()), (RunState::Idle, "not run"));
        assert_eq!(idle.summary(1.0), "Ctrl+Enter runs the job too.");

        let mut run = Run::start(job(), 0.0);
        run.end(Ok(report(false)), 1.0);
        run.end(Err("late".into()), 2.0);
        assert_eq!(run.state(), RunState::Done, "an ended run stays as it ended");
        run.set_tracking(Delivery::Done("http://mlflow/#/runs/1".into()));
        assert_eq!(run.report().unwrap().tracking, Delivery::Done("http://mlflow/#/runs/1".into()));
    }
}
