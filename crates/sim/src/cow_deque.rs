//! A deque whose clones share storage: items sit in chunks behind `Rc`, and
//! a chunk is copied only when a clone that shares it changes it.
//!
//! A timeline's checkpoints are clones of the world taken seconds apart.
//! The observer's per-key records and the history window are its largest
//! collections (hundreds of kilobytes with a few dozen keys), and they
//! change only at their ends between two checkpoints: stored as plain
//! deques, every checkpoint would copy them whole; stored here, consecutive
//! checkpoints share all but a chunk or two. The live world pays a check of
//! a reference count per push or change, and one chunk's copy after each
//! clone.

use std::ops::Range;
use std::rc::Rc;

/// Items per chunk: a copy on write moves at most this many.
const CHUNK: usize = 32;

/// Every chunk but the last holds exactly [`CHUNK`] items, the first
/// counting those already popped (`head` of them), so an index finds its
/// chunk by division.
#[derive(Clone, Debug)]
pub struct CowDeque<T> {
    /// A `Vec`, not a deque: indexing it is on every scan, and a chunk
    /// leaves the front only once per `CHUNK` pops.
    chunks: Vec<Rc<Vec<T>>>,
    head: usize,
    len: usize,
}

impl<T> Default for CowDeque<T> {
    fn default() -> Self {
        CowDeque {
            chunks: Vec::new(),
            head: 0,
            len: 0,
        }
    }
}

impl<T: Clone> CowDeque<T> {
    pub fn len(&self) -> usize {
        self.len
    }

    fn place(&self, i: usize) -> (usize, usize) {
        let at = self.head + i;
        (at / CHUNK, at % CHUNK)
    }

    pub fn get(&self, i: usize) -> Option<&T> {
        if i >= self.len {
            return None;
        }
        let (chunk, at) = self.place(i);
        Some(&self.chunks[chunk][at])
    }

    pub fn get_mut(&mut self, i: usize) -> Option<&mut T> {
        if i >= self.len {
            return None;
        }
        let (chunk, at) = self.place(i);
        Some(&mut Rc::make_mut(&mut self.chunks[chunk])[at])
    }

    pub fn front(&self) -> Option<&T> {
        self.get(0)
    }

    pub fn push_back(&mut self, item: T) {
        match self.chunks.last_mut() {
            Some(last) if last.len() < CHUNK => Rc::make_mut(last).push(item),
            _ => {
                let mut chunk = Vec::with_capacity(CHUNK);
                chunk.push(item);
                self.chunks.push(Rc::new(chunk));
            }
        }
        self.len += 1;
    }

    /// Forgets the oldest item. It stays in its chunk, which other clones
    /// may share, until the whole chunk is popped.
    pub fn pop_front(&mut self) {
        if self.len == 0 {
            return;
        }
        self.len -= 1;
        self.head += 1;
        if self.head == CHUNK || self.len == 0 {
            self.chunks.remove(0);
            self.head = 0;
        }
    }

    /// Chunk `c`'s items as a slice, with the index of the first. Only the
    /// first chunk holds popped items; nothing is ever popped from the back.
    /// Always inlined: it is on every step of the observer's scans.
    #[inline(always)]
    fn slice(&self, c: usize) -> (usize, &[T]) {
        let chunk = &self.chunks[c];
        if c == 0 {
            (0, &chunk[self.head..])
        } else {
            (c * CHUNK - self.head, chunk)
        }
    }

    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &T> + ExactSizeIterator {
        self.range(0..self.len)
    }

    /// The items at `indexes`, which must be below the length.
    pub fn range(
        &self,
        indexes: Range<usize>,
    ) -> impl DoubleEndedIterator<Item = &T> + ExactSizeIterator {
        indexes.map(move |i| {
            let (chunk, at) = self.place(i);
            &self.chunks[chunk][at]
        })
    }

    /// The last item for which `pick` (given its index) holds, with its
    /// index: slice by slice, as fast as a scan of one.
    pub fn rfind(&self, mut pick: impl FnMut(usize, &T) -> bool) -> Option<(usize, &T)> {
        for c in (0..self.chunks.len()).rev() {
            let (first, items) = self.slice(c);
            for (i, item) in items.iter().enumerate().rev() {
                if pick(first + i, item) {
                    return Some((first + i, item));
                }
            }
        }
        None
    }

    /// The index of the first item for which `before` is false, when it
    /// holds for a prefix (as for a sorted slice).
    pub fn partition_point(&self, before: impl Fn(&T) -> bool) -> usize {
        // A chunk's last item is never a popped one.
        let c = self
            .chunks
            .partition_point(|chunk| chunk.last().is_some_and(&before));
        if c == self.chunks.len() {
            return self.len;
        }
        let (first, items) = self.slice(c);
        first + items.partition_point(before)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::VecDeque;

    /// Pushes, pops and changes, mirrored on a `VecDeque`.
    #[test]
    fn it_behaves_as_a_deque_and_clones_do_not_see_each_others_changes() {
        let mut ours = CowDeque::default();
        let mut plain = VecDeque::new();
        let mut clones = Vec::new();
        let mut x = 7u64;
        for step in 0..5_000u64 {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            match x >> 62 {
                0 | 1 => {
                    ours.push_back(step);
                    plain.push_back(step);
                }
                2 => {
                    ours.pop_front();
                    plain.pop_front();
                }
                _ if !plain.is_empty() => {
                    let i = (x >> 20) as usize % plain.len();
                    *ours.get_mut(i).unwrap() += 1_000_000;
                    plain[i] += 1_000_000;
                }
                _ => {}
            }
            if step % 97 == 0 {
                clones.push((ours.clone(), plain.clone()));
            }
            assert_eq!(ours.len(), plain.len());
        }
        for (ours, plain) in clones.iter().chain([&(ours, plain)]) {
            assert!(ours.iter().eq(plain.iter()));
            assert!(ours.iter().rev().eq(plain.iter().rev()));
            assert_eq!(ours.front(), plain.front());
            let some = 5.min(plain.len())..plain.len();
            assert!(ours.range(some.clone()).eq(plain.range(some)));
            let pick = |i: usize, v: &u64| v % 2 == 1 && !i.is_multiple_of(3);
            let expected = plain.iter().enumerate().rev().find(|&(i, v)| pick(i, v));
            assert_eq!(ours.rfind(pick), expected);
            for i in 0..=plain.len() {
                assert_eq!(ours.get(i), plain.get(i));
            }
            let mut sorted: Vec<u64> = plain.iter().copied().collect();
            sorted.sort_unstable();
            // Behind a few popped items, so the first chunk is part-used.
            let popped = plain.len() % 40;
            let mut sorted_ours = CowDeque::default();
            (0..popped).for_each(|_| sorted_ours.push_back(0));
            sorted.iter().for_each(|&v| sorted_ours.push_back(v));
            (0..popped).for_each(|_| sorted_ours.pop_front());
            for cut in [
                0,
                1,
                sorted.len() / 3,
                sorted.len().saturating_sub(1),
                sorted.len(),
            ] {
                let cut = sorted.get(cut).copied().unwrap_or(u64::MAX);
                assert_eq!(
                    sorted_ours.partition_point(|&v| v < cut),
                    sorted.partition_point(|&v| v < cut)
                );
            }
        }
    }

    #[test]
    fn a_clone_shares_every_chunk_until_one_changes() {
        let mut a = CowDeque::default();
        (0..100).for_each(|i| a.push_back(i));
        let b = a.clone();
        a.push_back(100);
        *a.get_mut(0).unwrap() = -1;
        let shared = a
            .chunks
            .iter()
            .zip(&b.chunks)
            .filter(|(x, y)| Rc::ptr_eq(x, y))
            .count();
        assert_eq!(shared, a.chunks.len() - 2, "the first and last were copied");
        assert_eq!(b.front(), Some(&0));
        assert_eq!(b.len(), 100);
    }
}
