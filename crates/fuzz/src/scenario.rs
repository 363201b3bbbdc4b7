//! Scenarios as their JSON is shaped (README, "Formats"): every action and
//! setting, values mostly in range and sometimes just past it or absurd,
//! then mutated. Many cases decode; the rest are refused for one rule.

use crate::draw::{list, maybe, one_in, pick, weighted};
use crate::json::{hostile_number, hostile_string, mutate, object};
use crate::text;
use arbitrary::{Arbitrary, Result, Unstructured};
use serde_json::{json, Value};

/// One field in this many holds a hostile number instead: rare enough that
/// a scenario of a dozen actions is still valid about half of the time.
const RARE: u32 = 400;

/// A value from `valid` but one time in `n`, a hostile number.
fn mostly(
    u: &mut Unstructured,
    n: u32,
    valid: impl FnOnce(&mut Unstructured) -> Result<Value>,
) -> Result<Value> {
    if one_in(u, n)? {
        hostile_number(u)
    } else {
        valid(u)
    }
}

/// Times in ms: whole or fractional, sometimes negative or beyond what the
/// engine accepts.
fn time(u: &mut Unstructured) -> Result<Value> {
    mostly(u, RARE, |u| {
        Ok(if one_in(u, 4)? {
            json!(f64::from(u.int_in_range(0u32..=10_000_000)?) / 1000.0)
        } else {
            json!(u.int_in_range(0u32..=20_000)?)
        })
    })
}

/// A node number: usually one of the course's three.
fn node(u: &mut Unstructured) -> Result<Value> {
    mostly(u, RARE, |u| {
        Ok(json!(if one_in(u, 10)? {
            u.int_in_range(0u32..=10)?
        } else {
            u.int_in_range(1u32..=3)?
        }))
    })
}

/// A list of nodes; once in a long while, one far longer than a cluster.
fn nodes(u: &mut Unstructured) -> Result<Value> {
    if one_in(u, 2000)? {
        let len = pick(u, &[10usize, 10_000])?;
        return Ok(json!(vec![node(u)?; len]));
    }
    Ok(json!(list(u, 0..=3, node)?))
}

fn level(u: &mut Unstructured) -> Result<Value> {
    let names: &[&str] = if one_in(u, 40)? {
        &["Strong", "sometimes", ""]
    } else {
        &[
            "eventual",
            "read_your_writes",
            "monotonic_reads",
            "causal",
            "strong",
            "linearizable",
        ]
    };
    Ok(json!(pick(u, names)?))
}

fn fraction(u: &mut Unstructured) -> Result<Value> {
    mostly(u, RARE, |u| {
        Ok(json!(f64::from(u.int_in_range(0u32..=100)?) / 100.0))
    })
}

fn count(u: &mut Unstructured, max: u32) -> Result<Value> {
    mostly(u, RARE, |u| Ok(json!(u.int_in_range(0..=max)?)))
}

/// N, W or R: mostly 1 to 3, so that most configurations hold together.
fn quorum(u: &mut Unstructured) -> Result<Value> {
    mostly(u, RARE, |u| {
        Ok(json!(if one_in(u, 30)? {
            u.int_in_range(0u32..=10)?
        } else {
            u.int_in_range(1u32..=3)?
        }))
    })
}

fn latency(u: &mut Unstructured) -> Result<Value> {
    mostly(u, RARE, |u| Ok(json!(u.int_in_range(0u32..=200)?)))
}

fn positive(u: &mut Unstructured) -> Result<Value> {
    mostly(u, RARE, |u| {
        Ok(json!(f64::from(u.int_in_range(1u32..=10_000)?) / 100.0))
    })
}

fn dist(u: &mut Unstructured, depth: u32) -> Result<Value> {
    let kinds = if depth == 0 { 4 } else { 5 };
    Ok(match u.int_in_range(0..=kinds)? {
        0 => json!({"kind": "constant", "ms": positive(u)?}),
        1 => json!({"kind": "uniform", "lo": positive(u)?, "hi": positive(u)?}),
        2 => json!({"kind": "exponential", "rate": positive(u)?}),
        3 => json!({"kind": "pareto", "xm": positive(u)?, "alpha": positive(u)?}),
        4 => json!({"kind": "lognormal", "mu": positive(u)?, "sigma": positive(u)?}),
        _ => {
            let parts = list(u, 1..=3, |u| Ok(json!([positive(u)?, dist(u, depth - 1)?])))?;
            json!({"kind": "mixture", "parts": parts})
        }
    })
}

fn jitter(u: &mut Unstructured) -> Result<Value> {
    Ok(if one_in(u, 4)? {
        json!({"preset": pick(u, &["lnkd-ssd", "lnkd-disk", "ymmr", "wan", "lan"])?})
    } else {
        json!({"dist": dist(u, 2)?})
    })
}

fn read_repair(u: &mut Unstructured) -> Result<Value> {
    let names: &[&str] = if one_in(u, 30)? {
        &["sometimes"]
    } else {
        &["off", "async", "blocking"]
    };
    Ok(json!(pick(u, names)?))
}

fn config(u: &mut Unstructured) -> Result<Value> {
    let n = |u: &mut Unstructured| {
        mostly(u, RARE, |u| {
            Ok(json!(if one_in(u, 4)? {
                u.int_in_range(1u32..=9)?
            } else {
                3
            }))
        })
    };
    let between = |lo: u32, hi: u32| {
        move |u: &mut Unstructured| mostly(u, RARE, |u| Ok(json!(u.int_in_range(lo..=hi)?)))
    };
    Ok(object(vec![
        ("n", maybe(u, 60, n)?),
        ("w", maybe(u, 60, quorum)?),
        ("r", maybe(u, 60, quorum)?),
        ("latency_ms", maybe(u, 40, latency)?),
        ("jitter", maybe(u, 20, jitter)?),
        ("drop", maybe(u, 20, fraction)?),
        ("heartbeat_ms", maybe(u, 10, between(20, 200))?),
        ("election_timeout_min_ms", maybe(u, 10, between(150, 600))?),
        ("election_timeout_max_ms", maybe(u, 10, between(400, 1200))?),
        ("read_repair", maybe(u, 10, read_repair)?),
        ("log_limit", maybe(u, 10, between(2, 5000))?),
        ("trace_window", maybe(u, 5, |u| count(u, 200_000))?),
        ("history_window", maybe(u, 5, |u| count(u, 200_000))?),
    ]))
}

/// A workload's fields, as an object (`workload`) or inside a
/// `start_workload` action.
fn workload(u: &mut Unstructured) -> Result<Value> {
    let rate = |u: &mut Unstructured| {
        mostly(u, RARE, |u| {
            Ok(json!(f64::from(u.int_in_range(1u32..=5000)?) / 10.0))
        })
    };
    let target = |u: &mut Unstructured| -> Result<Value> {
        Ok(if one_in(u, 3)? {
            json!({"node": node(u)?})
        } else {
            json!(pick(u, &["spread", "random", "everywhere"])?)
        })
    };
    let levels = |u: &mut Unstructured| {
        Ok(json!(list(u, 0..=7, |u| Ok(json!([
            level(u)?,
            fraction(u)?
        ])))?))
    };
    Ok(object(vec![
        (
            "clients",
            maybe(u, 40, |u| {
                let max = if one_in(u, 50)? { 2000 } else { 10 };
                count(u, max)
            })?,
        ),
        ("ops_per_sec", maybe(u, 60, rate)?),
        ("ops", maybe(u, 30, |u| count(u, 2_000_000))?),
        ("read_fraction", maybe(u, 30, fraction)?),
        ("delete_fraction", maybe(u, 20, fraction)?),
        (
            "keys",
            maybe(u, 30, |u| {
                let max = if one_in(u, 50)? { 200_000 } else { 20 };
                count(u, max)
            })?,
        ),
        ("key_skew", maybe(u, 20, fraction)?),
        ("levels", maybe(u, 30, levels)?),
        ("target", maybe(u, 20, target)?),
        (
            "follow_leader",
            maybe(u, 10, |u| Ok(json!(bool::arbitrary(u)?)))?,
        ),
    ]))
}

fn key(u: &mut Unstructured) -> Result<Value> {
    Ok(json!(if one_in(u, 3)? {
        hostile_string(u)?
    } else {
        pick(u, &["name", "k0", "k1"])?.to_string()
    }))
}

fn client(u: &mut Unstructured) -> Result<Value> {
    mostly(u, RARE, |u| Ok(json!(u.int_in_range(1u32..=3)?)))
}

fn action(u: &mut Unstructured) -> Result<Value> {
    Ok(match weighted(u, &[3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1])? {
        0 => object(vec![
            ("do", Some(json!("read"))),
            ("client", Some(client(u)?)),
            ("node", Some(node(u)?)),
            ("key", Some(key(u)?)),
            ("level", maybe(u, 80, level)?),
        ]),
        1 => json!({"do": "write", "client": client(u)?, "node": node(u)?, "key": key(u)?,
                    "value": hostile_string(u)?}),
        2 => json!({"do": "delete", "client": client(u)?, "node": node(u)?, "key": key(u)?}),
        3 => json!({"do": "crash", "node": node(u)?}),
        4 => json!({"do": "restart", "node": node(u)?}),
        5 => {
            let groups = if one_in(u, 60)? {
                json!(vec![nodes(u)?; 12])
            } else {
                json!(list(u, 0..=3, nodes)?)
            };
            json!({"do": "partition", "groups": groups})
        }
        6 => json!({"do": "cut", "from": nodes(u)?, "to": nodes(u)?}),
        7 => json!({"do": "heal"}),
        8 => object(vec![
            ("do", Some(json!("set"))),
            ("w", maybe(u, 30, quorum)?),
            ("r", maybe(u, 30, quorum)?),
            ("latency_ms", maybe(u, 20, latency)?),
            ("jitter", maybe(u, 20, jitter)?),
            ("drop", maybe(u, 20, fraction)?),
            ("read_repair", maybe(u, 20, read_repair)?),
        ]),
        9 => {
            let mut w = workload(u)?;
            w["do"] = json!("start_workload");
            w
        }
        _ => json!({"do": "stop_workload"}),
    })
}

/// A scenario value, before mutation.
/// A scenario as a value, before any mutation (lesson files hold them).
pub fn shaped(u: &mut Unstructured) -> Result<Value> {
    let version = mostly(u, RARE, |_| Ok(json!(1)))?;
    let seed = u64::arbitrary(u)?;
    let config = maybe(u, 70, config)?;
    let workload = maybe(u, 20, workload)?;
    let actions = if one_in(u, 2000)? {
        let one = json!([time(u)?, action(u)?]);
        vec![one; pick(u, &[600, 10_001])?]
    } else {
        list(u, 0..=15, |u| Ok(json!([time(u)?, action(u)?])))?
    };
    Ok(object(vec![
        ("version", Some(version)),
        ("seed", Some(json!(seed))),
        ("config", config),
        ("workload", workload),
        ("actions", Some(json!(actions))),
        ("until_ms", maybe(u, 30, time)?),
    ]))
}

/// Scenario text: shaped, mutated as a value, then perhaps as text.
pub fn scenario_text(u: &mut Unstructured) -> Result<String> {
    let mut value = shaped(u)?;
    mutate(u, &mut value, 3)?;
    let mut text = value.to_string();
    text::edit(u, &mut text)?;
    Ok(text)
}
