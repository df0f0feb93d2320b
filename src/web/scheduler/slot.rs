//! One worker as the scheduler sees it: what it holds and what it was sent.

use std::collections::VecDeque;

use super::events::Command;
use crate::core::search::Unit;

/// Units a worker may hold at once (one running, one waiting).
const IN_FLIGHT: usize = 2;

/// What the scheduler knows of one live worker.
#[derive(Debug)]
pub struct Slot {
    /// Its name in events and commands.
    pub id: u64,
    /// It said `Ready`: messages sent now reach its handler.
    pub ready: bool,
    /// The generation of the dataset it holds.
    pub holds: Option<u64>,
    /// It has the current call's plan.
    pub has_plan: bool,
    /// Units sent to it, in order: the first is running, the others wait.
    pub queued: VecDeque<Unit>,
    /// Candidates it was asked to refit, in order (a `Refitted` names none).
    pub refits: VecDeque<usize>,
}

impl Slot {
    /// A worker just spawned, still loading.
    pub fn new(id: u64) -> Slot {
        Slot { id, ready: false, holds: None, has_plan: false, queued: VecDeque::new(), refits: VecDeque::new() }
    }

    /// Sends what a ready worker lacks for this call: the data if it holds
    /// another generation, then the plan. False while it is still loading.
    pub fn prime(&mut self, generation: u64, out: &mut Vec<Command>) -> bool {
        if !self.ready {
            return false;
        }
        if self.holds != Some(generation) {
            out.push(Command::SendData { worker: self.id });
            self.holds = Some(generation);
            self.has_plan = false;
        }
        if !self.has_plan {
            out.push(Command::SendPlan { worker: self.id });
            self.has_plan = true;
        }
        true
    }

    /// Tops the worker up from `pending`: two units while enough remain for
    /// each of the search's `workers` to hold two, then one.
    pub fn fill(&mut self, pending: &mut VecDeque<Unit>, workers: usize, out: &mut Vec<Command>) {
        let depth = if pending.len() >= workers * IN_FLIGHT { IN_FLIGHT } else { 1 };
        while self.queued.len() < depth
            && let Some(unit) = pending.pop_front()
        {
            out.push(Command::Run { worker: self.id, unit });
            self.queued.push_back(unit);
        }
    }

    /// Asks for a refit of `candidate`, queued behind any it is already doing.
    pub fn refit(&mut self, candidate: usize, out: &mut Vec<Command>) {
        out.push(Command::Refit { worker: self.id, candidate });
        self.refits.push_back(candidate);
    }
}
