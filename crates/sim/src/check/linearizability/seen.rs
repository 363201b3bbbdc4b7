//! The memo of searched states (Lowe's cache): each state a few words as
//! [`super::search`] encodes it, all kept in one buffer and found through
//! an open-addressing table, so that remembering one costs no allocation.

use crate::check::word_hash::WordHasher;
use std::hash::Hasher;

#[derive(Default)]
pub(super) struct Seen {
    /// 0 for an empty slot, else 1 + an index into `entries`.
    slots: Vec<u32>,
    /// Each state's hash, and where its words lie in `words`.
    entries: Vec<(u64, usize, u32)>,
    words: Vec<u64>,
}

impl Seen {
    /// Whether `state` is new (and now seen).
    pub fn insert(&mut self, state: &[u64]) -> bool {
        if 2 * self.entries.len() >= self.slots.len() {
            self.grow();
        }
        let mut hasher = WordHasher::default();
        for &word in state {
            hasher.write_u64(word);
        }
        let hash = hasher.finish();
        let mask = self.slots.len() - 1;
        let mut slot = hash as usize & mask;
        loop {
            match self.slots[slot] {
                0 => break,
                entry => {
                    let (h, start, len) = self.entries[entry as usize - 1];
                    if h == hash && self.words[start..start + len as usize] == *state {
                        return false;
                    }
                }
            }
            slot = (slot + 1) & mask;
        }
        self.entries
            .push((hash, self.words.len(), state.len() as u32));
        self.words.extend_from_slice(state);
        self.slots[slot] = self.entries.len() as u32;
        true
    }

    fn grow(&mut self) {
        let len = (2 * self.slots.len()).max(1024);
        let mask = len - 1;
        self.slots = vec![0; len];
        for (i, &(hash, _, _)) in self.entries.iter().enumerate() {
            let mut slot = hash as usize & mask;
            while self.slots[slot] != 0 {
                slot = (slot + 1) & mask;
            }
            self.slots[slot] = i as u32 + 1;
        }
    }
}
