//! Choices drawn from a case's bytes.

use arbitrary::{Result, Unstructured};

/// An index of `weights`, drawn in proportion to them.
pub fn weighted(u: &mut Unstructured, weights: &[u32]) -> Result<usize> {
    let total: u32 = weights.iter().sum();
    let mut x = u.int_in_range(0..=total - 1)?;
    for (i, &w) in weights.iter().enumerate() {
        if x < w {
            return Ok(i);
        }
        x -= w;
    }
    unreachable!("x is below the total")
}

/// True once in `n` draws.
pub fn one_in(u: &mut Unstructured, n: u32) -> Result<bool> {
    Ok(u.int_in_range(0..=n - 1)? == 0)
}

pub fn pick<T: Clone>(u: &mut Unstructured, items: &[T]) -> Result<T> {
    u.choose(items).cloned()
}

/// `make`'s value `percent` % of the time: an optional field.
pub fn maybe<T>(
    u: &mut Unstructured,
    percent: u32,
    make: impl FnOnce(&mut Unstructured) -> Result<T>,
) -> Result<Option<T>> {
    if u.int_in_range(0..=99)? < percent {
        make(u).map(Some)
    } else {
        Ok(None)
    }
}

/// `len` values from `make`.
pub fn list<T>(
    u: &mut Unstructured,
    len: std::ops::RangeInclusive<usize>,
    mut make: impl FnMut(&mut Unstructured) -> Result<T>,
) -> Result<Vec<T>> {
    let n = u.int_in_range(len)?;
    (0..n).map(|_| make(u)).collect()
}
