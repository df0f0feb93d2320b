//! What the scheduler is told (events) and what it answers (commands for the
//! pool's shell, in order).

use crate::core::results::UnitResult;
use crate::core::search::{Refit, Unit};
use crate::io::services::Executed;
use crate::web::protocol::FromWorker;

/// What the scheduler reacts to. Workers are named by id, never reused, so a
/// message from a worker that has since been ended is recognised and dropped.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// The worker listens: messages sent now reach its handler.
    Ready(u64),
    /// The worker finished a unit (fit failures are inside the result).
    Done(u64, UnitResult),
    /// The worker finished its oldest refit, in this many seconds (or failed).
    Refitted(u64, Result<Refit, String>),
    /// The worker died (the browser's `error` event), with the browser's message.
    Crashed(u64, String),
    /// The worker could not handle a message: its state is unknown.
    WorkerError(u64, String),
    /// The person pressed Cancel, or the progress sink asked to stop.
    Cancel,
}

impl Event {
    /// The event for a reply from worker `worker`.
    pub fn from_worker(worker: u64, reply: FromWorker) -> Event {
        match reply {
            FromWorker::Ready => Event::Ready(worker),
            FromWorker::Done(result) => Event::Done(worker, result),
            FromWorker::Refitted(outcome) => Event::Refitted(worker, outcome),
            FromWorker::Error(message) => Event::WorkerError(worker, message),
        }
    }
}

/// What the shell does, in the order given.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// Start a Web Worker named `worker`.
    Spawn {
        /// Its id.
        worker: u64,
    },
    /// End a worker; its later messages are dropped.
    Terminate {
        /// Its id.
        worker: u64,
    },
    /// Post the call's dataset (the plan must follow).
    SendData {
        /// To this worker.
        worker: u64,
    },
    /// Post the call's plan.
    SendPlan {
        /// To this worker.
        worker: u64,
    },
    /// Post a unit to fit and score.
    Run {
        /// To this worker.
        worker: u64,
        /// The unit.
        unit: Unit,
    },
    /// Post a refit of one candidate on every row.
    Refit {
        /// To this worker.
        worker: u64,
        /// Candidate index.
        candidate: usize,
    },
    /// A unit finished: the progress sink hears of it, and a `Break` answer is a `Cancel`.
    Report {
        /// Its result.
        result: UnitResult,
        /// Units finished so far, this one included.
        done: usize,
        /// Units in the search.
        total: usize,
    },
    /// The search or the refit ended.
    Finished(Finished),
    /// The call fails with this message.
    Failed(String),
}

/// How a call ended.
#[derive(Debug, Clone, PartialEq)]
pub enum Finished {
    /// The search: every unit, or those finished before a cancel.
    Search(Executed),
    /// The job's refit: its seconds, or why it failed.
    Refit(Result<Refit, String>),
}
