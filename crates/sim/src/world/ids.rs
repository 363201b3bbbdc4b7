//! Hash maps keyed by request and client numbers, for the lookups done on
//! every operation: a B-tree removal moved half a node of 72-byte values and
//! cost more than the rest of completing an operation.
//!
//! Lookups do not depend on the hasher; nothing iterates these maps in an
//! order that reaches the trace without sorting first, so runs stay
//! deterministic. Fibonacci hashing spreads sequential numbers over the high
//! bits, which hashbrown's control bytes need.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

#[derive(Default)]
pub(super) struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0.wrapping_mul(0x9e37_79b9_7f4a_7c15)
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8 | u64::from(b)).rotate_left(5);
        }
    }

    fn write_u32(&mut self, n: u32) {
        self.0 = u64::from(n);
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

pub(super) type IdMap<K, V> = HashMap<K, V, BuildHasherDefault<IdHasher>>;
