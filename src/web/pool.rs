//! The page's executor: a pool of Web Workers, one wasm instance each.
//!
//! Each worker gets the dataset and plan once, then one unit at a time; a
//! worker that finishes gets the next unit, so fast and slow candidates mix
//! well. A worker that crashes (a panic, running out of memory) is replaced;
//! the unit it was running is recorded as a failed fit, which `error_score`
//! then handles like any other. Cancel terminates every worker at once and
//! keeps what had finished.

use std::cell::RefCell;
use std::ops::ControlFlow;
use std::rc::Rc;

use futures_channel::mpsc::{UnboundedSender, unbounded};
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

/// What the pool's loop waits for.
enum Event {
    Message(usize, FromWorker),
    Crashed(usize, String),
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

/// A pool of `workers` Web Workers.
pub struct WorkerPool {
    /// How many workers to start (at most one per unit).
    pub workers: usize,
    /// Lets the page cancel the search this pool runs.
    pub cancel: CancelHandle,
}

/// One live worker and the callbacks that feed the pool's channel.
struct Slot {
    worker: Worker,
    running: Option<Unit>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(ErrorEvent)>,
}

impl Slot {
    fn spawn(index: usize, tx: &UnboundedSender<Event>) -> Result<Slot, String> {
        let options = WorkerOptions::new();
        options.set_type(WorkerType::Module);
        let worker = Worker::new_with_options(WORKER_SCRIPT, &options)
            .map_err(|e| format!("cannot start a Web Worker: {}", describe(&e)))?;
        let messages = tx.clone();
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            let text = event.data().as_string().unwrap_or_default();
            let message =
                serde_json::from_str(&text).unwrap_or_else(|e| FromWorker::Error(format!("unreadable reply: {e}")));
            let _ = messages.unbounded_send(Event::Message(index, message));
        });
        let crashes = tx.clone();
        let on_error = Closure::<dyn FnMut(ErrorEvent)>::new(move |event: ErrorEvent| {
            event.prevent_default();
            let _ = crashes.unbounded_send(Event::Crashed(index, event.message()));
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Ok(Slot { worker, running: None, _on_message: on_message, _on_error: on_error })
    }

    fn send(&self, message: &str) {
        let _ = self.worker.post_message(&message.into());
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        self.worker.terminate();
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

impl Executor for WorkerPool {
    async fn execute(
        &self,
        data: &Dataset,
        plan: &SearchPlan,
        progress: &mut dyn Progress,
    ) -> Result<Executed, String> {
        let units = plan.units();
        let total = units.len();
        let (tx, mut events) = unbounded();
        *self.cancel.0.borrow_mut() = Some(tx.clone());
        // Let the page paint "running" before the one bigger piece of main-thread
        // work, encoding the data for the workers.
        yield_to_event_loop().await;
        let init = encode(&ToWorker::Init { data: data.clone(), plan: plan.clone() });
        let mut slots =
            (0..self.workers.clamp(1, total.max(1))).map(|i| Slot::spawn(i, &tx)).collect::<Result<Vec<_>, _>>()?;
        let mut next = 0;
        let mut finished = Vec::with_capacity(total);
        let mut cancelled = false;
        let assign = |slot: &mut Slot, next: &mut usize| {
            if let Some(&unit) = units.get(*next) {
                slot.running = Some(unit);
                slot.send(&encode(&ToWorker::Run(unit)));
                *next += 1;
            }
        };
        while finished.len() < total {
            let Some(event) = events.next().await else { break };
            let result = match event {
                Event::Cancel => {
                    cancelled = true;
                    break;
                }
                Event::Message(i, FromWorker::Ready) => {
                    slots[i].send(&init);
                    continue;
                }
                Event::Message(i, FromWorker::Initialized) => {
                    assign(&mut slots[i], &mut next);
                    continue;
                }
                Event::Message(i, FromWorker::Done(result)) => {
                    slots[i].running = None;
                    assign(&mut slots[i], &mut next);
                    result
                }
                Event::Message(i, FromWorker::Error(message)) => {
                    return Err(format!("worker {i} could not handle a message: {message}"));
                }
                Event::Message(_, FromWorker::Refitted(_)) => continue,
                Event::Crashed(i, message) => {
                    let lost = slots[i].running.take();
                    slots[i] = Slot::spawn(i, &tx)?;
                    match lost {
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
        drop(slots); // terminates every worker, finished or not
        *self.cancel.0.borrow_mut() = None;
        Ok(Executed { units: finished, cancelled })
    }

    async fn refit(&self, data: &Dataset, plan: &SearchPlan, candidate: usize) -> Result<f64, String> {
        let (tx, mut events) = unbounded();
        let slot = Slot::spawn(0, &tx)?;
        while let Some(event) = events.next().await {
            match event {
                Event::Message(_, FromWorker::Ready) => {
                    slot.send(&encode(&ToWorker::Init { data: data.clone(), plan: plan.clone() }))
                }
                Event::Message(_, FromWorker::Initialized) => slot.send(&encode(&ToWorker::Refit { candidate })),
                Event::Message(_, FromWorker::Refitted(result)) => return result,
                Event::Message(_, FromWorker::Error(message)) | Event::Crashed(_, message) => return Err(message),
                _ => {}
            }
        }
        Err("the refit worker stopped".into())
    }
}
