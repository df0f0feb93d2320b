//! The page's executor: a pool of Web Workers, one wasm instance each.
//!
//! The workers start when Run is pressed, so they load their wasm while the
//! main thread reads and checks the data. Each gets the dataset and plan
//! once, then units: two in flight while enough remain, so a worker never
//! waits for the main thread between units, and fast and slow candidates
//! still mix well. A worker that crashes (a panic, running out of memory) is
//! replaced; the unit it was running is recorded as a failed fit, which
//! `error_score` then handles like any other. After the search one worker,
//! which already holds the data, stays for the refit. Cancel terminates every
//! worker at once and keeps what had finished.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::ops::ControlFlow;
use std::rc::Rc;

use futures_channel::mpsc::{UnboundedReceiver, UnboundedSender, unbounded};
use futures_util::StreamExt;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;
use web_sys::{ErrorEvent, MessageEvent, Worker, WorkerOptions, WorkerType};

use crate::core::data::Dataset;
use crate::core::search::{SearchPlan, Unit};
use crate::io::services::{Executed, Executor, Progress};
use crate::web::protocol::{FromWorker, ToWorker, encode};

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

/// A pool of Web Workers, started by [`WorkerPool::start`].
pub struct WorkerPool {
    cancel: CancelHandle,
    next_id: std::cell::Cell<u64>,
    tx: UnboundedSender<Event>,
    events: RefCell<UnboundedReceiver<Event>>,
    slots: RefCell<Vec<Slot>>,
}

/// Units a worker may hold at once (one running, one waiting).
const IN_FLIGHT: usize = 2;

/// One live worker, the units sent to it (in order) and the callbacks that
/// feed the pool's channel.
struct Slot {
    id: u64,
    worker: Worker,
    queued: VecDeque<Unit>,
    initialized: bool,
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
            queued: VecDeque::new(),
            initialized: false,
            _on_message: on_message,
            _on_error: on_error,
        })
    }

    fn send(&self, message: &str) {
        let _ = self.worker.post_message(&message.into());
    }

    /// Sends `unit` to this worker.
    fn push(&mut self, unit: Unit) {
        self.send(&encode(&ToWorker::Run(unit)));
        self.queued.push_back(unit);
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.worker.terminate();
    }
}

impl WorkerPool {
    /// Starts `workers` Web Workers now; `cancel` stops the search they run.
    pub fn start(workers: usize, cancel: CancelHandle) -> Result<WorkerPool, String> {
        let (tx, events) = unbounded();
        let pool = WorkerPool {
            cancel,
            next_id: Default::default(),
            tx,
            events: RefCell::new(events),
            slots: RefCell::new(Vec::new()),
        };
        for _ in 0..workers.max(1) {
            let slot = pool.spawn()?;
            pool.slots.borrow_mut().push(slot);
        }
        Ok(pool)
    }

    /// A new worker with a fresh id.
    fn spawn(&self) -> Result<Slot, String> {
        let id = self.next_id.get();
        self.next_id.set(id + 1);
        Slot::spawn(id, &self.tx)
    }
}

/// Ends the current task (a zero-delay timeout), so long main-thread work is
/// split into tasks the browser can interleave with input and painting.
pub async fn yield_to_event_loop() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 0);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

fn describe(value: &wasm_bindgen::JsValue) -> String {
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
        *self.cancel.0.borrow_mut() = Some(self.tx.clone());
        // Let the page paint "running" before the one bigger piece of main-thread
        // work, encoding the data for the workers.
        yield_to_event_loop().await;
        let init = encode(&ToWorker::Init { data: data.clone(), plan: plan.clone() });
        let mut slots = self.slots.borrow_mut();
        slots.truncate(total.max(1)); // no more workers than units
        let mut events = self.events.borrow_mut();
        let mut pending: VecDeque<Unit> = units.into_iter().collect();
        let mut finished = Vec::with_capacity(total);
        let mut cancelled = false;
        // Tops a worker up to IN_FLIGHT units, or to one when too few remain to share.
        let fill = |slot: &mut Slot, pending: &mut VecDeque<Unit>, workers: usize| {
            let depth = if pending.len() >= workers * IN_FLIGHT { IN_FLIGHT } else { 1 };
            while slot.queued.len() < depth
                && let Some(unit) = pending.pop_front()
            {
                slot.push(unit);
            }
        };
        let workers = slots.len();
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
                            slots[i].send(&init);
                            continue;
                        }
                        FromWorker::Initialized => {
                            slots[i].initialized = true;
                            fill(&mut slots[i], &mut pending, workers);
                            continue;
                        }
                        FromWorker::Done(result) => {
                            slots[i].queued.pop_front();
                            fill(&mut slots[i], &mut pending, workers);
                            result
                        }
                        FromWorker::Error(message) => {
                            return Err(format!("worker {i} could not handle a message: {message}"));
                        }
                        FromWorker::Refitted(_) => continue,
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
        // One worker that holds the data stays for the refit; the others end now.
        if cancelled {
            slots.clear();
        } else {
            let keep = slots.iter().position(|s| s.initialized && s.queued.is_empty());
            let kept = keep.map(|k| slots.swap_remove(k));
            slots.clear();
            slots.extend(kept);
        }
        Ok(Executed { units: finished, cancelled })
    }

    async fn refit(&self, data: &Dataset, plan: &SearchPlan, candidate: usize) -> Result<f64, String> {
        let mut slots = self.slots.borrow_mut();
        let mut events = self.events.borrow_mut();
        if slots.is_empty() {
            slots.push(self.spawn()?);
        }
        let slot = &slots[0];
        if slot.initialized {
            slot.send(&encode(&ToWorker::Refit { candidate }));
        }
        let outcome = loop {
            let Some(event) = events.next().await else { break Err("the refit worker stopped".to_string()) };
            match event {
                Event::Message(id, message) if id == slot.id => match message {
                    FromWorker::Ready => slot.send(&encode(&ToWorker::Init { data: data.clone(), plan: plan.clone() })),
                    FromWorker::Initialized => slot.send(&encode(&ToWorker::Refit { candidate })),
                    FromWorker::Refitted(result) => break result,
                    FromWorker::Error(message) => break Err(message),
                    FromWorker::Done(_) => {}
                },
                Event::Crashed(id, message) if id == slot.id => break Err(message),
                _ => {} // a cancel after the search, or a worker that was ended
            }
        };
        slots.clear(); // the search is over: terminate the worker
        outcome
    }
}
