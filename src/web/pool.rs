//! The page's executor: a pool of Web Workers, one wasm instance each, kept
//! warm for the whole visit.
//!
//! Workers start when data is picked (`resize`), so their wasm is loaded before
//! Run, and they keep the dataset between runs: a run sends each worker the
//! data only when it changed, then the run's plan, then units, two in flight
//! while enough remain, so a worker never waits for the main thread between
//! units and fast and slow candidates still mix well. A worker that crashes
//! (a panic, running out of memory) is replaced; the unit it was running is
//! recorded as a failed fit, which `error_score` then handles like any other.
//! The refit runs on a worker that already holds data and plan; the first
//! worker left without units starts refitting the best candidate so far, so
//! the refit often overlaps the search's last fits. Cancel
//! terminates every worker at once, keeps what had finished, and starts fresh
//! ones for the next run.

use std::cell::{Cell, OnceCell, RefCell};
use std::collections::VecDeque;
use std::ops::ControlFlow;
use std::rc::Rc;

use futures_channel::mpsc::{UnboundedReceiver, UnboundedSender, unbounded};
use futures_util::StreamExt;
use wasm_bindgen::prelude::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{ErrorEvent, MessageEvent, Worker, WorkerOptions, WorkerType};

use crate::core::data::Dataset;
use crate::core::results::best_so_far;
use crate::core::search::{SearchPlan, Unit};
use crate::io::services::{Executed, Executor, Progress};
use crate::web::protocol::{FromWorker, ToWorker};
use crate::web::wire::{data_to_js, to_js};

/// Where Trunk's loader shim for the worker binary lives, relative to the page.
const WORKER_SCRIPT: &str = "./worker_loader.js";

/// What the pool's loop waits for; workers are named by their slot's id, so
/// a message from a worker that has since been ended is recognised and dropped.
enum Event {
    Message(u64, FromWorker),
    Crashed(u64, String),
    Cancel,
}

/// Stops a running search from a button.
#[derive(Clone, Default)]
pub struct CancelHandle(Rc<RefCell<Option<UnboundedSender<Event>>>>);

impl CancelHandle {
    /// Terminates the workers of the running search (if any); finished units are kept.
    pub fn cancel(&self) {
        if let Some(tx) = self.0.borrow().as_ref() {
            let _ = tx.unbounded_send(Event::Cancel);
        }
    }
}

/// A pool of Web Workers that lives as long as the page.
pub struct WorkerPool {
    cancel: CancelHandle,
    next_id: Cell<u64>,
    tx: UnboundedSender<Event>,
    events: RefCell<UnboundedReceiver<Event>>,
    slots: RefCell<Vec<Slot>>,
    /// How many workers the next run uses (the job's `n_jobs`).
    workers: Cell<usize>,
    /// The dataset last sent to workers, and its generation: a worker that
    /// holds this generation needs no `Data` message.
    data: RefCell<Option<(u64, Dataset)>>,
    /// The refit started early by an idle worker in the search's last fits.
    early_refit: RefCell<Option<EarlyRefit>>,
}

/// A refit a worker started before the search ended, on the candidate that
/// was best so far: the job's refit uses it when it picks the same candidate.
struct EarlyRefit {
    candidate: usize,
    worker: u64,
    outcome: Option<Result<f64, String>>,
}

/// Units a worker may hold at once (one running, one waiting).
const IN_FLIGHT: usize = 2;

/// One live worker, what it holds, the units sent to it (in order) and the
/// callbacks that feed the pool's channel.
struct Slot {
    id: u64,
    worker: Worker,
    /// It said `Ready`: messages sent now reach its handler.
    ready: bool,
    /// The generation of the dataset it holds.
    holds: Option<u64>,
    /// It has the current run's plan.
    has_plan: bool,
    queued: VecDeque<Unit>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(ErrorEvent)>,
}

impl Slot {
    fn spawn(id: u64, tx: &UnboundedSender<Event>) -> Result<Slot, String> {
        let options = WorkerOptions::new();
        options.set_type(WorkerType::Module);
        let worker = Worker::new_with_options(WORKER_SCRIPT, &options)
            .map_err(|e| format!("cannot start a Web Worker: {}", describe(&e)))?;
        let messages = tx.clone();
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            let text = event.data().as_string().unwrap_or_default();
            let message =
                serde_json::from_str(&text).unwrap_or_else(|e| FromWorker::Error(format!("unreadable reply: {e}")));
            let _ = messages.unbounded_send(Event::Message(id, message));
        });
        let crashes = tx.clone();
        let on_error = Closure::<dyn FnMut(ErrorEvent)>::new(move |event: ErrorEvent| {
            event.prevent_default();
            let _ = crashes.unbounded_send(Event::Crashed(id, event.message()));
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Ok(Slot {
            id,
            worker,
            ready: false,
            holds: None,
            has_plan: false,
            queued: VecDeque::new(),
            _on_message: on_message,
            _on_error: on_error,
        })
    }

    fn send(&self, message: &ToWorker) {
        self.post(to_js(message));
    }

    fn post(&self, (value, transfer): (JsValue, js_sys::Array)) {
        let _ = self.worker.post_message_with_transfer(&value, &transfer);
    }

    /// Sends what a ready worker lacks for this run: the data if it holds
    /// another generation, then the plan. False while it is still loading.
    fn prime(&mut self, generation: u64, data: &Dataset, plan: &PlanMessage) -> bool {
        if !self.ready {
            return false;
        }
        if self.holds != Some(generation) {
            self.post(data_to_js(data));
            self.holds = Some(generation);
            self.has_plan = false;
        }
        if !self.has_plan {
            let _ = self.worker.post_message(plan.encoded());
            self.has_plan = true;
        }
        true
    }

    /// Tops the worker up from `pending`: two units while enough remain for
    /// each of the run's `workers` to hold two, then one.
    fn fill(&mut self, pending: &mut VecDeque<Unit>, workers: usize) {
        let depth = if pending.len() >= workers * IN_FLIGHT { IN_FLIGHT } else { 1 };
        while self.queued.len() < depth
            && let Some(unit) = pending.pop_front()
        {
            self.send(&ToWorker::Run(unit));
            self.queued.push_back(unit);
        }
    }
}

/// A run's `ToWorker::Plan`, encoded once, when the first worker needs it.
struct PlanMessage<'a> {
    plan: &'a SearchPlan,
    encoded: OnceCell<JsValue>,
}

impl<'a> PlanMessage<'a> {
    fn new(plan: &'a SearchPlan) -> PlanMessage<'a> {
        PlanMessage { plan, encoded: OnceCell::new() }
    }

    fn encoded(&self) -> &JsValue {
        self.encoded.get_or_init(|| to_js(&ToWorker::Plan(self.plan.clone())).0)
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.worker.terminate();
    }
}

impl WorkerPool {
    /// A pool with no workers yet; `cancel` stops the search it runs.
    pub fn new(cancel: CancelHandle) -> WorkerPool {
        let (tx, events) = unbounded();
        WorkerPool {
            cancel,
            next_id: Default::default(),
            tx,
            events: RefCell::new(events),
            slots: RefCell::new(Vec::new()),
            workers: Cell::new(1),
            data: RefCell::new(None),
            early_refit: RefCell::new(None),
        }
    }

    /// Starts or ends workers until there are `workers` (at least one), so
    /// they load before Run; the next run uses that many.
    pub fn resize(&self, workers: usize) -> Result<(), String> {
        let workers = workers.max(1);
        self.workers.set(workers);
        let mut slots = self.slots.borrow_mut();
        slots.truncate(workers);
        while slots.len() < workers {
            slots.push(self.spawn()?);
        }
        Ok(())
    }

    /// A new worker with a fresh id.
    fn spawn(&self) -> Result<Slot, String> {
        let id = self.next_id.get();
        self.next_id.set(id + 1);
        Slot::spawn(id, &self.tx)
    }

    /// The generation of `data`: the last one's if the numbers are the same bits.
    fn remember(&self, data: &Dataset) -> u64 {
        let mut last = self.data.borrow_mut();
        let same = |d: &Dataset| {
            let bits =
                |a: &[f64], b: &[f64]| a.len() == b.len() && a.iter().zip(b).all(|(p, q)| p.to_bits() == q.to_bits());
            d.feature_names == data.feature_names
                && d.target_name == data.target_name
                && bits(&d.x, &data.x)
                && bits(&d.y, &data.y)
        };
        match last.as_ref() {
            Some((generation, d)) if same(d) => *generation,
            previous => {
                let generation = previous.map_or(0, |(g, _)| g + 1);
                *last = Some((generation, data.clone()));
                generation
            }
        }
    }
}

fn describe(value: &JsValue) -> String {
    value.as_string().or_else(|| js_sys::JSON::stringify(value).ok().and_then(|s| s.as_string())).unwrap_or_default()
}

// The pool's slots and channel are borrowed across awaits: only the running
// search touches them (Cancel goes through its own handle), one call at a time.
#[allow(clippy::await_holding_refcell_ref)]
impl Executor for WorkerPool {
    async fn execute(
        &self,
        data: &Dataset,
        plan: &SearchPlan,
        progress: &mut dyn Progress,
    ) -> Result<Executed, String> {
        let units = plan.units();
        let total = units.len();
        let workers = self.workers.get().min(total).max(1); // no more workers than units
        self.resize(self.workers.get())?;
        *self.cancel.0.borrow_mut() = Some(self.tx.clone());
        let generation = self.remember(data);
        let plan_message = PlanMessage::new(plan);
        let mut early_refit = self.early_refit.borrow_mut();
        *early_refit = None;
        let mut slots = self.slots.borrow_mut();
        let mut events = self.events.borrow_mut();
        let mut pending: VecDeque<Unit> = units.into_iter().collect();
        let mut finished = Vec::with_capacity(total);
        let mut cancelled = false;
        for slot in slots.iter_mut() {
            slot.has_plan = false;
        }
        for slot in slots.iter_mut().take(workers) {
            if slot.prime(generation, data, &plan_message) {
                slot.fill(&mut pending, workers);
            }
        }
        while finished.len() < total {
            let Some(event) = events.next().await else { break };
            let slot_of = |id: u64| slots.iter().position(|s| s.id == id);
            let result = match event {
                Event::Cancel => {
                    cancelled = true;
                    break;
                }
                Event::Message(id, message) => {
                    let Some(i) = slot_of(id) else { continue }; // from a worker that was ended
                    match message {
                        FromWorker::Ready => {
                            slots[i].ready = true;
                            if i < workers && slots[i].prime(generation, data, &plan_message) {
                                slots[i].fill(&mut pending, workers);
                            }
                            continue;
                        }
                        FromWorker::Done(result) => {
                            if slots[i].queued.pop_front().is_none() {
                                continue; // not this run's
                            }
                            slots[i].fill(&mut pending, workers);
                            let idle = slots[i].queued.is_empty() && finished.len() + 1 < total;
                            if idle && early_refit.is_none() && plan.settings.refit {
                                let so_far = finished.iter().chain([&result]);
                                if let Some(candidate) = best_so_far(plan.candidates.len(), so_far) {
                                    slots[i].send(&ToWorker::Refit { candidate });
                                    *early_refit = Some(EarlyRefit { candidate, worker: id, outcome: None });
                                }
                            }
                            result
                        }
                        FromWorker::Error(message) => {
                            slots.clear(); // their state is unknown: fresh workers for the next run
                            return Err(format!("worker {i} could not handle a message: {message}"));
                        }
                        FromWorker::Refitted(outcome) => {
                            if let Some(early) = early_refit.as_mut().filter(|e| e.worker == id) {
                                early.outcome = Some(outcome);
                            }
                            continue;
                        }
                    }
                }
                Event::Crashed(id, message) => {
                    let Some(i) = slot_of(id) else { continue };
                    // The first queued unit was running; the others never started: they go back.
                    let mut lost = std::mem::take(&mut slots[i].queued);
                    let crashed = lost.pop_front();
                    while let Some(unit) = lost.pop_back() {
                        pending.push_front(unit);
                    }
                    slots[i] = self.spawn()?;
                    match crashed {
                        Some(unit) => plan.failed_unit(
                            unit,
                            format!("the worker crashed while fitting this unit ({message}); a fresh worker took over"),
                        ),
                        None => continue,
                    }
                }
            };
            finished.push(result);
            let done = finished.len();
            if progress.on_unit(&finished[done - 1], done, total) == ControlFlow::Break(()) {
                cancelled = done < total;
                break;
            }
        }
        *self.cancel.0.borrow_mut() = None;
        if cancelled {
            // Units still run in them: end them all, and start the next run's now.
            slots.clear();
            drop(slots);
            self.resize(self.workers.get())?;
        }
        Ok(Executed { units: finished, cancelled })
    }

    async fn refit(&self, data: &Dataset, plan: &SearchPlan, candidate: usize) -> Result<f64, String> {
        self.resize(self.workers.get())?;
        let generation = self.remember(data);
        let early = self.early_refit.borrow_mut().take();
        let mut slots = self.slots.borrow_mut();
        let mut events = self.events.borrow_mut();
        let plan_message = PlanMessage::new(plan);
        let slot_of = |id: u64| slots.iter().position(|s| s.id == id);
        // A refit started early on another candidate keeps its worker busy for a while.
        let busy = early.as_ref().filter(|e| e.candidate != candidate && e.outcome.is_none()).map(|e| e.worker);
        // The refit started early, if it is this candidate's and its worker is still there.
        let running = match early.filter(|e| e.candidate == candidate) {
            Some(EarlyRefit { outcome: Some(outcome), .. }) => return outcome,
            Some(EarlyRefit { worker, .. }) => slot_of(worker),
            None => None,
        };
        let (k, mut sent) = match running {
            Some(k) => (k, true),
            None => {
                // A worker that already holds this run's data and plan, if there is one.
                let k = slots
                    .iter()
                    .position(|s| s.ready && s.holds == Some(generation) && s.has_plan && Some(s.id) != busy)
                    .unwrap_or(0);
                let sent = slots[k].prime(generation, data, &plan_message);
                if sent {
                    slots[k].send(&ToWorker::Refit { candidate });
                }
                (k, sent)
            }
        };
        let id = slots[k].id;
        loop {
            let Some(event) = events.next().await else { return Err("the refit worker stopped".to_string()) };
            let Some(i) = (match &event {
                Event::Message(id, _) | Event::Crashed(id, _) => slots.iter().position(|s| s.id == *id),
                Event::Cancel => None, // a cancel after the search
            }) else {
                continue;
            };
            match event {
                Event::Message(_, FromWorker::Ready) => {
                    slots[i].ready = true;
                    if i == k && !sent {
                        sent = slots[k].prime(generation, data, &plan_message);
                        slots[k].send(&ToWorker::Refit { candidate });
                    }
                }
                Event::Message(from, FromWorker::Refitted(result)) if from == id => return result,
                Event::Message(from, FromWorker::Error(message)) if from == id => {
                    slots.clear();
                    return Err(message);
                }
                Event::Crashed(from, message) => {
                    slots[i] = self.spawn()?; // ready for the next run
                    if from == id {
                        return Err(message);
                    }
                }
                _ => {} // a late reply from another worker
            }
        }
    }
}
