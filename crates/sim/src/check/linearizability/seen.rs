//! The memo of searched states (Lowe's cache): a set of word strings, each
//! a state as [`super::search`] encodes it, hashed a word at a time.

use crate::check::word_hash::WordHash;
use std::collections::HashSet;

#[derive(Default)]
pub(super) struct Seen {
    states: HashSet<Box<[u64]>, WordHash>,
}

impl Seen {
    /// Whether `state` is new (and now seen).
    pub fn insert(&mut self, state: &[u64]) -> bool {
        if self.states.contains(state) {
            return false;
        }
        self.states.insert(state.into());
        true
    }
}
