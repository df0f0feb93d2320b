//! The page's executor: a pool of Web Workers, one wasm instance each, kept
//! warm for the whole visit.
//!
//! This is the shell around `scheduler`, which decides what each worker is
//! sent and when (and explains why). Here workers are spawned, their browser
//! callbacks become the scheduler's events on one channel, and its commands
//! become `postMessage` calls (the plan encoded once per call), terminations
//! and progress reports.

use std::cell::{OnceCell, RefCell};
use std::collections::VecDeque;
use std::future::poll_fn;
use std::ops::ControlFlow;
use std::rc::Rc;

use futures_channel::mpsc::{UnboundedReceiver, UnboundedSender, unbounded};
use futures_util::StreamExt;
use wasm_bindgen::prelude::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{ErrorEvent, MessageEvent, Worker};

use crate::core::data::Dataset;
use crate::core::search::{Refit, SearchPlan};
use crate::io::services::{Executed, Executor, Progress};
use crate::web::js::start_worker;
use crate::web::protocol::{FromWorker, ToWorker};
use crate::web::scheduler::{Command, Event, Finished, Scheduler};
use crate::web::wire::{data_to_js, to_js};

/// Where Trunk's loader shim for the worker binary lives, relative to the page.
const WORKER_SCRIPT: &str = "./worker_loader.js";

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
///
/// Each `RefCell` is borrowed only inside one synchronous step, never across
/// an await, so a callback or a `resize` between events finds it free.
pub struct WorkerPool {
    cancel: CancelHandle,
    tx: UnboundedSender<Event>,
    events: RefCell<UnboundedReceiver<Event>>,
    scheduler: RefCell<Scheduler>,
    workers: RefCell<Vec<Spawned>>,
}

/// One Web Worker and the callbacks that feed the pool's channel; dropping it ends the worker.
struct Spawned {
    id: u64,
    worker: Worker,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(ErrorEvent)>,
}

impl Spawned {
    fn new(id: u64, tx: &UnboundedSender<Event>) -> Result<Spawned, String> {
        let worker = start_worker(WORKER_SCRIPT, "tuna pool")?;
        let messages = tx.clone();
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            let text = event.data().as_string().unwrap_or_default();
            let reply =
                serde_json::from_str(&text).unwrap_or_else(|e| FromWorker::Error(format!("unreadable reply: {e}")));
            let _ = messages.unbounded_send(Event::from_worker(id, reply));
        });
        let crashes = tx.clone();
        let on_error = Closure::<dyn FnMut(ErrorEvent)>::new(move |event: ErrorEvent| {
            event.prevent_default();
            let _ = crashes.unbounded_send(Event::Crashed(id, event.message()));
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Ok(Spawned { id, worker, _on_message: on_message, _on_error: on_error })
    }
}

impl Drop for Spawned {
    fn drop(&mut self) {
        self.worker.terminate();
    }
}

/// A call's `ToWorker::Plan`, encoded once, when the first worker needs it.
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

impl WorkerPool {
    /// A pool with no workers yet; `cancel` stops the search it runs.
    pub fn new(cancel: CancelHandle) -> WorkerPool {
        let (tx, events) = unbounded();
        WorkerPool {
            cancel,
            tx,
            events: RefCell::new(events),
            scheduler: RefCell::default(),
            workers: RefCell::new(Vec::new()),
        }
    }

    /// Starts or ends workers until there are `workers` (at least one), so
    /// they load before Run; the next run uses that many.
    pub fn resize(&self, workers: usize) -> Result<(), String> {
        let commands = self.scheduler.borrow_mut().resize(workers);
        for command in commands {
            match command {
                Command::Spawn { worker } => self.spawn(worker)?,
                Command::Terminate { worker } => self.terminate(worker),
                _ => {} // resizing only starts and ends workers
            }
        }
        Ok(())
    }

    fn spawn(&self, id: u64) -> Result<(), String> {
        let spawned = Spawned::new(id, &self.tx).inspect_err(|_| self.scheduler.borrow_mut().forget(id))?;
        self.workers.borrow_mut().push(spawned);
        Ok(())
    }

    fn terminate(&self, id: u64) {
        self.workers.borrow_mut().retain(|w| w.id != id);
    }

    fn post(&self, id: u64, (value, transfer): (JsValue, js_sys::Array)) {
        if let Some(w) = self.workers.borrow().iter().find(|w| w.id == id) {
            let _ = w.worker.post_message_with_transfer(&value, &transfer);
        }
    }

    /// The next event; the receiver is borrowed only while it is polled.
    async fn next_event(&self) -> Result<Event, String> {
        let event = poll_fn(|cx| self.events.borrow_mut().poll_next_unpin(cx)).await;
        event.ok_or_else(|| "the worker pool's channel closed".to_string())
    }

    /// Carries out the scheduler's commands, feeding it events, until the
    /// call finishes or fails. `progress` hears of each unit; a `Break` cancels.
    async fn drive(
        &self,
        first: Vec<Command>,
        data: &Dataset,
        plan: &SearchPlan,
        mut progress: Option<&mut dyn Progress>,
    ) -> Result<Finished, String> {
        let plan_message = PlanMessage::new(plan);
        let mut commands = VecDeque::from(first);
        loop {
            while let Some(command) = commands.pop_front() {
                match command {
                    Command::Spawn { worker } => self.spawn(worker)?,
                    Command::Terminate { worker } => self.terminate(worker),
                    Command::SendData { worker } => self.post(worker, data_to_js(data)),
                    Command::SendPlan { worker } => {
                        self.post(worker, (plan_message.encoded().clone(), js_sys::Array::new()))
                    }
                    Command::Run { worker, unit } => self.post(worker, to_js(&ToWorker::Run(unit))),
                    Command::Refit { worker, candidate } => self.post(worker, to_js(&ToWorker::Refit { candidate })),
                    Command::Report { result, done, total } => {
                        let answer = progress.as_mut().map(|p| p.on_unit(&result, done, total));
                        if answer == Some(ControlFlow::Break(())) {
                            // After the last unit the search has finished already, and this changes nothing.
                            commands.extend(self.scheduler.borrow_mut().on(plan, Event::Cancel));
                        }
                    }
                    Command::Finished(finished) => return Ok(finished),
                    Command::Failed(message) => return Err(message),
                }
            }
            let event = self.next_event().await?;
            commands.extend(self.scheduler.borrow_mut().on(plan, event));
        }
    }
}

impl Executor for WorkerPool {
    async fn execute(
        &self,
        data: &Dataset,
        plan: &SearchPlan,
        progress: &mut dyn Progress,
    ) -> Result<Executed, String> {
        let start = self.scheduler.borrow_mut().start_search(plan, data);
        *self.cancel.0.borrow_mut() = Some(self.tx.clone());
        let finished = self.drive(start, data, plan, Some(progress)).await;
        *self.cancel.0.borrow_mut() = None;
        match finished? {
            Finished::Search(executed) => Ok(executed),
            Finished::Refit(_) => Err("the pool finished a refit instead of the search".to_string()),
        }
    }

    async fn refit(&self, data: &Dataset, plan: &SearchPlan, candidate: usize) -> Result<Refit, String> {
        let start = self.scheduler.borrow_mut().start_refit(data, candidate);
        match self.drive(start, data, plan, None).await? {
            Finished::Refit(outcome) => outcome,
            Finished::Search(_) => Err("the pool finished a search instead of the refit".to_string()),
        }
    }
}
