//! The memo of searched states (Lowe's cache): a set of word strings, each
//! a state as [`super::search`] encodes it, hashed a word at a time.

use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};

#[derive(Default)]
pub(super) struct Seen {
    states: HashSet<Box<[u64]>, BuildHasherDefault<WordHasher>>,
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

/// A multiply-rotate hash over whole words (as FxHash does): states are a
/// few words long and hashed at every step, where SipHash's resistance to
/// chosen keys buys nothing.
#[derive(Default)]
struct WordHasher(u64);

impl WordHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for WordHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}
