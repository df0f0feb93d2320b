//! Which dataset the workers hold, as a number the scheduler can compare.

use crate::core::data::Dataset;

/// The dataset last sent to workers, numbered: a worker that holds the
/// current generation needs no `Data` message.
#[derive(Debug, Default)]
pub struct Generations {
    last: Option<(u64, Dataset)>,
}

impl Generations {
    /// The generation of `data`: the last one's if the numbers are the same bits.
    pub fn of(&mut self, data: &Dataset) -> u64 {
        match &self.last {
            Some((generation, d)) if d.same_bits(data) => *generation,
            previous => {
                let generation = previous.as_ref().map_or(0, |(g, _)| g + 1);
                self.last = Some((generation, data.clone()));
                generation
            }
        }
    }

    pub fn current(&self) -> u64 {
        self.last.as_ref().map_or(0, |(g, _)| *g)
    }
}
