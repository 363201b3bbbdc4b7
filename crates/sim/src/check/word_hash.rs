//! The hash of the checker's maps.

use std::hash::{BuildHasherDefault, Hasher};

pub(super) type WordHash = BuildHasherDefault<WordHasher>;

/// A multiply-rotate hash a word at a time (as FxHash does), for the
/// checker's maps: keys, values and search states are short and hashed by
/// the million, and SipHash's resistance to chosen keys buys nothing there.
#[derive(Default)]
pub(super) struct WordHasher(u64);

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

    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    /// A product's high bits are its best mixed, and tables index by the
    /// low ones.
    fn finish(&self) -> u64 {
        self.0.rotate_left(26)
    }
}
