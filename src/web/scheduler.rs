//! The worker pool's scheduler: which worker gets which message and when, as
//! a plain state machine (`on(Event) -> Vec<Command>`) tested natively; the
//! `pool` module is the shell that spawns Web Workers and carries the
//! commands out.
//!
//! The pool is warm for the whole visit: workers start when data is picked
//! (`resize`), so their wasm is loaded before Run, and they keep the dataset
//! between runs: a run sends each worker the data only when it changed, then
//! the run's plan, then units, two in flight while enough remain, so a worker
//! never waits for the main thread between units and fast and slow candidates
//! still mix well. A worker that crashes (a panic, running out of memory) is
//! replaced; the unit it was running is recorded as a failed fit, which
//! `error_score` then handles like any other. The refit runs on a worker that
//! already holds data and plan; the first worker left without units starts
//! refitting the best candidate so far, so the refit often overlaps the
//! search's last fits. Cancel terminates every worker at once, keeps what had
//! finished, and starts fresh ones for the next run.

use std::collections::VecDeque;
use std::mem;

use crate::core::data::Dataset;
use crate::core::results::{UnitResult, best_so_far};
use crate::core::search::{Refit, SearchPlan, Unit};
use crate::io::services::Executed;

mod events;
mod generations;
mod slot;

pub use events::{Command, Event, Finished};
use generations::Generations;
use slot::Slot;

/// A refit a worker started before the search ended, on the candidate that
/// was best so far: the job's refit uses it when it picks the same candidate.
#[derive(Debug)]
struct EarlyRefit {
    candidate: usize,
    worker: u64,
    outcome: Option<Result<Refit, String>>,
}

/// A running search.
#[derive(Debug)]
struct Search {
    total: usize,
    /// How many slots (the first ones) get units: no more workers than units.
    workers: usize,
    pending: VecDeque<Unit>,
    finished: Vec<UnitResult>,
}

impl Search {
    /// Keeps a finished unit and reports it; true once every unit has finished.
    fn record(&mut self, result: UnitResult, out: &mut Vec<Command>) -> bool {
        self.finished.push(result.clone());
        out.push(Command::Report { result, done: self.finished.len(), total: self.total });
        self.finished.len() == self.total
    }
}

/// The job's refit: the worker it runs on, and whether it was sent (a
/// worker still loading gets it on `Ready`).
#[derive(Debug)]
struct JobRefit {
    worker: u64,
    candidate: usize,
    sent: bool,
}

#[derive(Debug)]
enum Phase {
    /// Between calls: events still update the slots.
    Idle,
    Search(Search),
    Refit(JobRefit),
}

/// The pool's state across runs: its workers, the data they hold, and the
/// call (search or refit) in progress.
#[derive(Debug)]
pub struct Scheduler {
    /// How many workers the next call uses (the job's `n_jobs`).
    size: usize,
    next_id: u64,
    slots: Vec<Slot>,
    generations: Generations,
    /// The refit started early by an idle worker in the search's last fits.
    early_refit: Option<EarlyRefit>,
    phase: Phase,
}

impl Default for Scheduler {
    fn default() -> Scheduler {
        Scheduler {
            size: 1,
            next_id: 0,
            slots: Vec::new(),
            generations: Generations::default(),
            early_refit: None,
            phase: Phase::Idle,
        }
    }
}

impl Scheduler {
    /// Starts or ends workers until there are `workers` (at least one), so
    /// they load before Run; the next call uses that many. During a call it
    /// only sets the number: the call keeps the workers it has units on.
    pub fn resize(&mut self, workers: usize) -> Vec<Command> {
        self.size = workers.max(1);
        let mut out = Vec::new();
        if !matches!(self.phase, Phase::Idle) {
            return out;
        }
        out.extend(self.slots.drain(self.size.min(self.slots.len())..).map(|s| Command::Terminate { worker: s.id }));
        while self.slots.len() < self.size {
            let slot = self.spawn(&mut out);
            self.slots.push(slot);
        }
        out
    }

    /// Starts a search of every unit of `plan` on `data`.
    pub fn start_search(&mut self, plan: &SearchPlan, data: &Dataset) -> Vec<Command> {
        self.phase = Phase::Idle;
        let mut out = self.resize(self.size);
        let generation = self.generations.of(data);
        self.early_refit = None;
        let pending: VecDeque<Unit> = plan.units().into();
        let total = pending.len();
        let workers = self.size.min(total).max(1);
        let mut search = Search { total, workers, pending, finished: Vec::with_capacity(total) };
        for slot in &mut self.slots {
            slot.has_plan = false;
        }
        for slot in self.slots.iter_mut().take(workers) {
            if slot.prime(generation, &mut out) {
                slot.fill(&mut search.pending, workers, &mut out);
            }
        }
        self.phase = Phase::Search(search);
        if total == 0 {
            out.extend(self.end_search(false));
        }
        out
    }

    /// Starts the job's refit of `candidate` on `data`, reusing the early
    /// refit when it is the same candidate.
    pub fn start_refit(&mut self, data: &Dataset, candidate: usize) -> Vec<Command> {
        self.phase = Phase::Idle;
        let mut out = self.resize(self.size);
        let generation = self.generations.of(data);
        let running = match self.early_refit.take().filter(|e| e.candidate == candidate) {
            Some(EarlyRefit { outcome: Some(outcome), .. }) => {
                out.push(Command::Finished(Finished::Refit(outcome)));
                return out;
            }
            // Still running, if its worker is still there.
            Some(EarlyRefit { worker, .. }) => self.slots.iter().position(|s| s.id == worker),
            None => None,
        };
        let (k, sent) = match running {
            Some(k) => (k, true),
            None => {
                // A worker that holds this run's data and plan and refits nothing else, if there is one.
                let k = self
                    .slots
                    .iter()
                    .position(|s| s.ready && s.holds == Some(generation) && s.has_plan && s.refits.is_empty())
                    .unwrap_or(0);
                let sent = self.slots[k].prime(generation, &mut out);
                if sent {
                    self.slots[k].refit(candidate, &mut out);
                }
                (k, sent)
            }
        };
        self.phase = Phase::Refit(JobRefit { worker: self.slots[k].id, candidate, sent });
        out
    }

    /// Forgets a worker the shell could not start (it was sent nothing yet):
    /// the next call's `resize` starts another.
    pub fn forget(&mut self, worker: u64) {
        self.slots.retain(|s| s.id != worker);
    }

    /// What to do about `event`.
    pub fn on(&mut self, plan: &SearchPlan, event: Event) -> Vec<Command> {
        let mut out = Vec::new();
        match event {
            Event::Cancel => self.cancel(&mut out),
            Event::Ready(id) => self.on_ready(id, &mut out),
            Event::Done(id, result) => self.on_done(plan, id, result, &mut out),
            Event::Refitted(id, outcome) => self.on_refitted(id, outcome, &mut out),
            Event::Crashed(id, message) => self.on_crash(plan, id, message, &mut out),
            Event::WorkerError(id, message) => self.on_error(id, message, &mut out),
        }
        out
    }

    fn slot_of(&self, id: u64) -> Option<usize> {
        self.slots.iter().position(|s| s.id == id)
    }

    /// A new slot with a fresh id, and the command that starts its worker.
    fn spawn(&mut self, out: &mut Vec<Command>) -> Slot {
        let id = self.next_id;
        self.next_id += 1;
        out.push(Command::Spawn { worker: id });
        Slot::new(id)
    }

    fn on_ready(&mut self, id: u64, out: &mut Vec<Command>) {
        let Some(i) = self.slot_of(id) else { return };
        let generation = self.generations.current();
        let slot = &mut self.slots[i];
        slot.ready = true;
        match &mut self.phase {
            Phase::Search(search) if i < search.workers => {
                slot.prime(generation, out); // it is ready now
                slot.fill(&mut search.pending, search.workers, out);
            }
            Phase::Refit(refit) if refit.worker == id && !refit.sent => {
                slot.prime(generation, out);
                slot.refit(refit.candidate, out);
                refit.sent = true;
            }
            _ => {}
        }
    }

    fn on_done(&mut self, plan: &SearchPlan, id: u64, result: UnitResult, out: &mut Vec<Command>) {
        let Some(i) = self.slot_of(id) else { return };
        let slot = &mut self.slots[i];
        if slot.queued.pop_front().is_none() {
            return; // not this run's
        }
        let Phase::Search(search) = &mut self.phase else { return };
        slot.fill(&mut search.pending, search.workers, out);
        let idle = slot.queued.is_empty() && search.finished.len() + 1 < search.total;
        if idle && self.early_refit.is_none() && plan.settings.refit {
            let so_far = search.finished.iter().chain([&result]);
            if let Some(candidate) = best_so_far(plan.candidates.len(), so_far) {
                slot.refit(candidate, out);
                self.early_refit = Some(EarlyRefit { candidate, worker: id, outcome: None });
            }
        }
        if search.record(result, out) {
            out.extend(self.end_search(false));
        }
    }

    fn on_refitted(&mut self, id: u64, outcome: Result<Refit, String>, out: &mut Vec<Command>) {
        let Some(i) = self.slot_of(id) else { return };
        let Some(candidate) = self.slots[i].refits.pop_front() else { return };
        match &self.phase {
            Phase::Refit(refit) if refit.worker == id && refit.candidate == candidate => {
                self.phase = Phase::Idle;
                out.push(Command::Finished(Finished::Refit(outcome)));
            }
            _ => {
                if let Some(early) = self.early_refit.as_mut().filter(|e| e.worker == id && e.candidate == candidate) {
                    early.outcome = Some(outcome);
                }
            }
        }
    }

    fn on_crash(&mut self, plan: &SearchPlan, id: u64, message: String, out: &mut Vec<Command>) {
        let Some(i) = self.slot_of(id) else { return };
        out.push(Command::Terminate { worker: id });
        let fresh = self.spawn(out);
        let mut lost = mem::replace(&mut self.slots[i], fresh).queued;
        match &mut self.phase {
            Phase::Search(search) => {
                // The first queued unit was running; the others never started: they go back.
                let crashed = lost.pop_front();
                while let Some(unit) = lost.pop_back() {
                    search.pending.push_front(unit);
                }
                let Some(unit) = crashed else { return };
                let why = format!("the worker crashed while fitting this unit ({message}); a fresh worker took over");
                if search.record(plan.failed_unit(unit, why), out) {
                    out.extend(self.end_search(false));
                }
            }
            Phase::Refit(refit) if refit.worker == id => {
                self.phase = Phase::Idle;
                out.push(Command::Failed(message));
            }
            _ => {}
        }
    }

    fn on_error(&mut self, id: u64, message: String, out: &mut Vec<Command>) {
        let Some(i) = self.slot_of(id) else { return };
        let message = match &self.phase {
            Phase::Search(_) => format!("worker {i} could not handle a message: {message}"),
            Phase::Refit(refit) if refit.worker == id => message,
            _ => return,
        };
        // Their state is unknown: the next call starts fresh workers.
        self.terminate_all(out);
        self.phase = Phase::Idle;
        out.push(Command::Failed(message));
    }

    fn cancel(&mut self, out: &mut Vec<Command>) {
        if !matches!(self.phase, Phase::Search(_)) {
            return; // a cancel after the search
        }
        let ended = self.end_search(true);
        // Units still run in them: end them all, and start the next run's now.
        self.terminate_all(out);
        out.extend(self.resize(self.size));
        out.extend(ended);
    }

    fn terminate_all(&mut self, out: &mut Vec<Command>) {
        out.extend(self.slots.drain(..).map(|s| Command::Terminate { worker: s.id }));
    }

    /// Ends the search, with the units that finished.
    fn end_search(&mut self, cancelled: bool) -> Option<Command> {
        let Phase::Search(search) = mem::replace(&mut self.phase, Phase::Idle) else { return None };
        Some(Command::Finished(Finished::Search(Executed { units: search.finished, cancelled })))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::metrics::{MetricKind, SklearnMetric};
    use crate::core::params::{ParamValue, Params};
    use crate::core::searchers::{ErrorScore, SearchSettings};
    use crate::core::splitters::{KFoldSplitter, SplitterKind};

    /// Ridge on 20 rows: `candidates` alphas, `folds` folds, failed fits scoring -1000.
    fn plan(candidates: usize, folds: usize, refit: bool) -> (Dataset, SearchPlan) {
        let x: Vec<f64> = (0..20).map(f64::from).collect();
        let data = Dataset::numeric(vec!["x".into()], &x, "y", (0..20).map(|i| 2.0 * f64::from(i) + 1.0).collect());
        let folds = SplitterKind::KFoldSplitter(KFoldSplitter { n_splits: folds, ..Default::default() })
            .split(&data.y)
            .unwrap();
        let metric = MetricKind::SklearnMetric(SklearnMetric::default()).check().unwrap();
        let alphas = (0..candidates).map(|c| Params::from([("alpha".to_string(), ParamValue::Float(c as f64))]));
        let settings = SearchSettings { error_score: ErrorScore::Value(-1000.0), refit, ..Default::default() };
        let plan = SearchPlan::new("Ridge", &Params::new(), alphas.collect(), folds, metric, settings).unwrap();
        (data, plan)
    }

    fn unit(candidate: usize, fold: usize) -> Unit {
        Unit { candidate, fold }
    }

    fn result(unit: Unit, test_score: f64) -> UnitResult {
        let Unit { candidate, fold } = unit;
        UnitResult { candidate, fold, test_score, train_score: None, fit_time: 0.0, score_time: 0.0, error: None }
    }

    /// The units the commands post, as (worker, unit).
    fn runs(commands: &[Command]) -> Vec<(u64, Unit)> {
        commands
            .iter()
            .filter_map(|c| if let Command::Run { worker, unit } = c { Some((*worker, *unit)) } else { None })
            .collect()
    }

    /// The refits the commands ask for, as (worker, candidate).
    /// A refit that took `seconds` and reports nothing else.
    fn took(seconds: f64) -> Refit {
        Refit { seconds, attributes: Default::default() }
    }

    fn refits(commands: &[Command]) -> Vec<(u64, usize)> {
        let refit =
            |c: &Command| if let Command::Refit { worker, candidate } = c { Some((*worker, *candidate)) } else { None };
        commands.iter().filter_map(refit).collect()
    }

    fn finished(commands: &[Command]) -> Option<&Finished> {
        commands.iter().find_map(|c| if let Command::Finished(f) = c { Some(f) } else { None })
    }

    /// A scheduler with `workers` workers, all ready, in a search of `plan`;
    /// the commands of each worker's `Ready`, in order.
    fn searching(workers: usize, data: &Dataset, plan: &SearchPlan) -> (Scheduler, Vec<Vec<Command>>) {
        let mut scheduler = Scheduler::default();
        let spawned = scheduler.resize(workers);
        assert_eq!(spawned, (0..workers as u64).map(|worker| Command::Spawn { worker }).collect::<Vec<_>>());
        assert_eq!(scheduler.start_search(plan, data), vec![], "nothing is sent to a worker still loading");
        let ready = (0..workers as u64).map(|id| scheduler.on(plan, Event::Ready(id))).collect();
        (scheduler, ready)
    }

    /// One worker that ran a whole search of 1 candidate x 2 folds.
    fn after_one_search(refit: bool) -> (Dataset, SearchPlan, Scheduler) {
        let (data, plan) = plan(1, 2, refit);
        let (mut s, _) = searching(1, &data, &plan);
        s.on(&plan, Event::Done(0, result(unit(0, 0), 1.0)));
        assert!(finished(&s.on(&plan, Event::Done(0, result(unit(0, 1), 1.0)))).is_some());
        (data, plan, s)
    }

    #[test]
    fn each_worker_holds_two_units_while_enough_remain_then_one() {
        // Given 2 workers and 6 units (2 candidates x 3 folds), no refit.
        let (data, plan) = plan(2, 3, false);
        let (mut s, ready) = searching(2, &data, &plan);
        // Then each ready worker gets data, plan and two units (6 and 4 pending: enough for two each).
        let expected = |w: u64, a: Unit, b: Unit| {
            vec![
                Command::SendData { worker: w },
                Command::SendPlan { worker: w },
                Command::Run { worker: w, unit: a },
                Command::Run { worker: w, unit: b },
            ]
        };
        assert_eq!(ready[0], expected(0, unit(0, 0), unit(0, 1)));
        assert_eq!(ready[1], expected(1, unit(0, 2), unit(1, 0)));
        // With 2 pending (fewer than two per worker), a worker gets one only when it has none.
        let done = s.on(&plan, Event::Done(0, result(unit(0, 0), 1.0)));
        assert_eq!(runs(&done), vec![], "worker 0 still holds (0, 1)");
        assert!(matches!(&done[..], [Command::Report { done: 1, total: 6, .. }]), "{done:?}");
        assert_eq!(runs(&s.on(&plan, Event::Done(0, result(unit(0, 1), 1.0)))), vec![(0, unit(1, 1))]);
        assert_eq!(runs(&s.on(&plan, Event::Done(1, result(unit(0, 2), 1.0)))), vec![]);
        assert_eq!(runs(&s.on(&plan, Event::Done(1, result(unit(1, 0), 1.0)))), vec![(1, unit(1, 2))]);
        assert_eq!(s.on(&plan, Event::Done(0, result(unit(1, 1), 1.0))).len(), 1, "only the report: no refit asked");
        let last = s.on(&plan, Event::Done(1, result(unit(1, 2), 1.0)));
        let Some(Finished::Search(executed)) = finished(&last) else { panic!("{last:?}") };
        assert_eq!((executed.units.len(), executed.cancelled), (6, false));
    }

    #[test]
    fn no_more_workers_get_units_than_there_are_units() {
        // Given 3 workers and 2 units: one each for two of them, nothing (not even the data) for the third.
        let (data, plan) = plan(1, 2, false);
        let (_, ready) = searching(3, &data, &plan);
        assert_eq!(runs(&ready[0]), vec![(0, unit(0, 0))]);
        assert_eq!(runs(&ready[1]), vec![(1, unit(0, 1))]);
        assert_eq!(ready[2], vec![]);
    }

    /// 2 workers, 2 candidates x 3 folds; candidate 1 leads when worker 0 is
    /// left without units, one unit before the end (worker 1 runs it).
    fn early_refit_on_worker_0() -> (Dataset, SearchPlan, Scheduler) {
        let (data, plan) = plan(2, 3, true);
        let (mut s, ready) = searching(2, &data, &plan);
        assert_eq!(runs(&ready[0]), vec![(0, unit(0, 0)), (0, unit(0, 1))]);
        assert_eq!(runs(&ready[1]), vec![(1, unit(0, 2)), (1, unit(1, 0))]);
        let mut done = |worker, u, score| s.on(&plan, Event::Done(worker, result(u, score)));
        assert_eq!(runs(&done(0, unit(0, 0), -1.0)), vec![]);
        assert_eq!(runs(&done(0, unit(0, 1), -1.0)), vec![(0, unit(1, 1))], "one unit: it is not yet idle");
        assert_eq!(runs(&done(1, unit(0, 2), -1.0)), vec![]);
        assert_eq!(runs(&done(1, unit(1, 0), -0.5)), vec![(1, unit(1, 2))]);
        let idle = done(0, unit(1, 1), -0.5);
        assert_eq!(refits(&idle), vec![(0, 1)], "worker 0, left without units, refits the best so far");
        assert_eq!(
            refits(&done(1, unit(1, 2), -9.0)),
            vec![],
            "one early refit per search, and not after the last unit"
        );
        (data, plan, s)
    }

    #[test]
    fn the_jobs_refit_reuses_a_finished_early_refit_of_the_same_candidate() {
        let (data, plan, mut s) = early_refit_on_worker_0();
        assert_eq!(s.on(&plan, Event::Refitted(0, Ok(took(0.3)))), vec![]);
        assert_eq!(s.start_refit(&data, 1), vec![Command::Finished(Finished::Refit(Ok(took(0.3))))]);
    }

    #[test]
    fn the_jobs_refit_waits_for_a_running_early_refit_of_the_same_candidate() {
        let (data, plan, mut s) = early_refit_on_worker_0();
        assert_eq!(s.start_refit(&data, 1), vec![], "no second refit is sent");
        assert_eq!(
            s.on(&plan, Event::Refitted(0, Ok(took(0.3)))),
            vec![Command::Finished(Finished::Refit(Ok(took(0.3))))]
        );
    }

    #[test]
    fn the_jobs_refit_of_another_candidate_goes_to_a_worker_that_is_not_refitting() {
        let (data, plan, mut s) = early_refit_on_worker_0();
        assert_eq!(s.start_refit(&data, 0), vec![Command::Refit { worker: 1, candidate: 0 }]);
        assert_eq!(
            s.on(&plan, Event::Refitted(0, Ok(took(0.3)))),
            vec![],
            "the early refit's outcome is not the job's"
        );
        assert_eq!(
            s.on(&plan, Event::Refitted(1, Ok(took(0.2)))),
            vec![Command::Finished(Finished::Refit(Ok(took(0.2))))]
        );
    }

    #[test]
    fn with_no_other_worker_ready_the_jobs_refit_waits_behind_the_early_one() {
        // Given the early refit on worker 0, and worker 1 crashed on the last unit (its replacement is loading).
        let (data, plan) = plan(2, 3, true);
        let (mut s, _) = searching(2, &data, &plan);
        for (worker, u, score) in
            [(0, unit(0, 0), -1.0), (0, unit(0, 1), -1.0), (1, unit(0, 2), -1.0), (1, unit(1, 0), -0.5)]
        {
            s.on(&plan, Event::Done(worker, result(u, score)));
        }
        assert_eq!(refits(&s.on(&plan, Event::Done(0, result(unit(1, 1), -0.5)))), vec![(0, 1)]);
        assert!(finished(&s.on(&plan, Event::Crashed(1, "boom".into()))).is_some());
        // When the job refits candidate 0, worker 0 gets it too, and its first `Refitted` is the early one's.
        assert_eq!(s.start_refit(&data, 0), vec![Command::Refit { worker: 0, candidate: 0 }]);
        assert_eq!(s.on(&plan, Event::Refitted(0, Ok(took(0.3)))), vec![]);
        assert_eq!(
            s.on(&plan, Event::Refitted(0, Ok(took(0.2)))),
            vec![Command::Finished(Finished::Refit(Ok(took(0.2))))]
        );
    }

    #[test]
    fn a_crashed_worker_is_respawned_its_running_unit_fails_and_its_waiting_units_go_back() {
        let (data, plan) = plan(3, 2, false);
        let (mut s, ready) = searching(2, &data, &plan);
        assert_eq!(runs(&ready[0]), vec![(0, unit(0, 0)), (0, unit(0, 1))]);
        // When worker 0 crashes: it is ended and replaced, and (0, 0) scores error_score.
        let crash = s.on(&plan, Event::Crashed(0, "out of memory".into()));
        let failed = plan.failed_unit(
            unit(0, 0),
            "the worker crashed while fitting this unit (out of memory); a fresh worker took over".into(),
        );
        assert_eq!(failed.test_score, -1000.0);
        assert_eq!(
            crash,
            vec![
                Command::Terminate { worker: 0 },
                Command::Spawn { worker: 2 },
                Command::Report { result: failed, done: 1, total: 6 },
            ]
        );
        // The replacement gets the data, the plan, and (0, 1) first: it never started.
        let fresh = s.on(&plan, Event::Ready(2));
        assert_eq!(fresh[..2], [Command::SendData { worker: 2 }, Command::SendPlan { worker: 2 }]);
        assert_eq!(runs(&fresh), vec![(2, unit(0, 1))]);
    }

    #[test]
    fn messages_from_an_ended_worker_are_dropped() {
        let (data, plan) = plan(3, 2, true);
        let (mut s, _) = searching(2, &data, &plan);
        s.on(&plan, Event::Crashed(0, "boom".into()));
        for late in [
            Event::Ready(0),
            Event::Done(0, result(unit(0, 1), 1.0)),
            Event::Refitted(0, Ok(took(1.0))),
            Event::Crashed(0, "again".into()),
            Event::WorkerError(0, "late".into()),
        ] {
            assert_eq!(s.on(&plan, late.clone()), vec![], "{late:?}");
        }
    }

    #[test]
    fn a_worker_that_holds_the_current_data_is_sent_only_the_plan() {
        let (data, plan, mut s) = after_one_search(false);
        // Given a worker that ran a search, when the same numbers come again (a copy): the plan and units, no data.
        let again = s.start_search(&plan, &data.clone());
        assert_eq!(again[0], Command::SendPlan { worker: 0 });
        assert_eq!(runs(&again).len(), 2);
        s.on(&plan, Event::Done(0, result(unit(0, 0), 1.0)));
        s.on(&plan, Event::Done(0, result(unit(0, 1), 1.0)));
        // Another number: the data again, then the plan.
        let mut other = data.clone();
        other.y[3] += 1.0;
        let fresh = s.start_search(&plan, &other);
        assert_eq!(fresh[..2], [Command::SendData { worker: 0 }, Command::SendPlan { worker: 0 }]);
    }

    #[test]
    fn cancel_ends_every_worker_keeps_finished_units_and_starts_fresh_workers() {
        let (data, plan) = plan(3, 2, false);
        let (mut s, _) = searching(2, &data, &plan);
        s.on(&plan, Event::Done(1, result(unit(0, 2), 1.0)));
        let cancel = s.on(&plan, Event::Cancel);
        let kept = Executed { units: vec![result(unit(0, 2), 1.0)], cancelled: true };
        assert_eq!(
            cancel,
            vec![
                Command::Terminate { worker: 0 },
                Command::Terminate { worker: 1 },
                Command::Spawn { worker: 2 },
                Command::Spawn { worker: 3 },
                Command::Finished(Finished::Search(kept)),
            ]
        );
        // The old workers' late replies are dropped, and the next run uses the fresh ones.
        assert_eq!(s.on(&plan, Event::Done(0, result(unit(0, 0), 1.0))), vec![]);
        assert_eq!(s.start_search(&plan, &data), vec![], "the fresh workers are still loading");
        assert_eq!(runs(&s.on(&plan, Event::Ready(2))), vec![(2, unit(0, 0)), (2, unit(0, 1))]);
    }

    #[test]
    fn a_cancel_after_the_last_unit_changes_nothing() {
        let (data, plan, mut s) = after_one_search(false);
        assert_eq!(s.on(&plan, Event::Cancel), vec![], "the workers are kept");
        assert_eq!(runs(&s.start_search(&plan, &data)), vec![(0, unit(0, 0)), (0, unit(0, 1))]);
    }

    #[test]
    fn a_protocol_error_fails_the_run_and_the_next_run_starts_fresh_workers() {
        let (data, plan) = plan(2, 2, false);
        let (mut s, _) = searching(2, &data, &plan);
        let error = s.on(&plan, Event::WorkerError(1, "unit outside the plan".into()));
        assert_eq!(
            error,
            vec![
                Command::Terminate { worker: 0 },
                Command::Terminate { worker: 1 },
                Command::Failed("worker 1 could not handle a message: unit outside the plan".into()),
            ]
        );
        assert_eq!(s.start_search(&plan, &data), vec![Command::Spawn { worker: 2 }, Command::Spawn { worker: 3 }]);
    }

    #[test]
    fn the_refit_fails_when_its_worker_crashes_or_errs() {
        let (data, plan, mut s) = after_one_search(true);
        assert_eq!(s.start_refit(&data, 0), vec![Command::Refit { worker: 0, candidate: 0 }]);
        let crash = s.on(&plan, Event::Crashed(0, "boom".into()));
        assert_eq!(
            crash,
            vec![Command::Terminate { worker: 0 }, Command::Spawn { worker: 1 }, Command::Failed("boom".into())]
        );
        // A refit on a worker still loading is sent when it is ready; its protocol error fails the refit.
        assert_eq!(s.start_refit(&data, 0), vec![]);
        let ready = s.on(&plan, Event::Ready(1));
        assert_eq!(refits(&ready), vec![(1, 0)]);
        let error = s.on(&plan, Event::WorkerError(1, "no plan".into()));
        assert_eq!(error, vec![Command::Terminate { worker: 1 }, Command::Failed("no plan".into())]);
    }

    #[test]
    fn resizing_waits_for_the_next_call_and_a_worker_that_did_not_start_is_replaced() {
        let (data, plan) = plan(2, 2, false);
        let (mut s, _) = searching(2, &data, &plan);
        assert_eq!(s.resize(1), vec![], "the search keeps its workers");
        s.on(&plan, Event::Cancel);
        assert_eq!(s.start_search(&plan, &data), vec![], "the cancel started one fresh worker");
        assert_eq!(s.slots.len(), 1);
        // A worker the browser would not start is forgotten, and the next call starts another.
        s.forget(2);
        assert_eq!(s.start_search(&plan, &data), vec![Command::Spawn { worker: 3 }]);
    }
}
