//! PBS k-staleness for non-expanding quorums (Section 3.2 of the paper):
//! a write reaches exactly W replicas chosen at random, a read asks R
//! replicas chosen at random, and nothing spreads the write further. With
//! anti-entropy or writes that keep propagating (as in the Monte Carlo
//! model) these are upper bounds on staleness.

/// C(n, k), exactly while it fits in a u128 (every N a quorum can have).
fn binomial(n: u32, k: u32) -> u128 {
    if k > n {
        return 0;
    }
    let k = k.min(n - k);
    // Each partial product is itself a binomial coefficient, so the
    // division is exact.
    (0..k).fold(1u128, |acc, i| acc * u128::from(n - i) / u128::from(i + 1))
}

/// p_sk = (C(N−W, R) / C(N, R))^k: the probability that a read quorum misses
/// all of the last k independent write quorums, that is, returns a value
/// more than k versions old. 0 for strict quorums (R + W > N).
pub fn p_stale_k(n: u32, r: u32, w: u32, k: u32) -> f64 {
    let miss = binomial(n.saturating_sub(w), r) as f64 / binomial(n, r) as f64;
    // libm rather than powi: the same bits natively and in wasm.
    libm::pow(miss, f64::from(k))
}

/// 1 − p_sk: the probability that a read returns one of the last k versions.
pub fn p_within_k_versions(n: u32, r: u32, w: u32, k: u32) -> f64 {
    1.0 - p_stale_k(n, r, w, k)
}
