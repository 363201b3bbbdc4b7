//! The node's timers on a real clock, with the world's semantics: every
//! `SetTimer` fires at its time and none is cancelled or replaced; the node
//! keeps track of which of its timers are still meant and ignores the rest.

use quorum_sim::msg::Timer;
use std::cmp::Reverse;
use std::collections::BinaryHeap;

#[derive(Default)]
pub struct Timers(BinaryHeap<Reverse<(u64, Timer)>>);

impl Timers {
    pub fn set(&mut self, at: u64, timer: Timer) {
        self.0.push(Reverse((at, timer)));
    }

    /// When the next timer fires, in µs of the node's clock.
    pub fn next_at(&self) -> Option<u64> {
        self.0.peek().map(|Reverse((at, _))| *at)
    }

    /// The earliest timer due by `now`, taken off.
    pub fn pop_due(&mut self, now: u64) -> Option<Timer> {
        if self.next_at()? > now {
            return None;
        }
        self.0.pop().map(|Reverse((_, timer))| timer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timers_fire_in_time_order_and_all_of_them() {
        let mut t = Timers::default();
        t.set(30, Timer::Deadline);
        t.set(10, Timer::Election);
        t.set(20, Timer::Deadline);
        assert_eq!(t.next_at(), Some(10));
        assert_eq!(t.pop_due(5), None);
        assert_eq!(t.pop_due(25), Some(Timer::Election));
        assert_eq!(t.pop_due(25), Some(Timer::Deadline));
        assert_eq!(t.pop_due(25), None);
        assert_eq!(t.pop_due(30), Some(Timer::Deadline));
        assert_eq!(t.next_at(), None);
    }
}
