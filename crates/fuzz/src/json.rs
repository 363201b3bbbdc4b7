//! JSON pieces: hostile strings and numbers, arbitrary (and very deep)
//! values, and mutations of a well-formed value at a drawn place.

use crate::draw::{list, one_in, pick, weighted};
use arbitrary::{Arbitrary, Result, Unstructured};
use quorum_sim::scenario::limits::{MAX_KEY_BYTES, MAX_VALUE_BYTES};
use serde_json::{json, Map, Number, Value};

/// Strings a learner or a stranger might send: markup, control and
/// direction characters, escapes, look-alikes of other JSON types.
const SPECIAL: &[&str] = &[
    "",
    " ",
    "<img src=x onerror=alert(1)>",
    "</script><script>alert(1)</script>",
    "\"><svg onload=alert(1)>",
    "]]><!--",
    "\u{0}",
    "\u{7}\u{1b}[31m",
    "\r\n",
    "\u{202e}evil",
    "\u{feff}",
    "\u{fffd}",
    "a\u{301}",
    "日本語",
    "🦀",
    "\\",
    "\"",
    "%00%2e%2e%2f",
    "../../etc/passwd",
    "null",
    "true",
    "1e999",
    "-0",
    "name",
    "k0",
];

/// Lengths just under, at and over the store's limits, and far over.
const LENGTHS: [usize; 7] = [
    MAX_KEY_BYTES - 1,
    MAX_KEY_BYTES,
    MAX_KEY_BYTES + 1,
    MAX_VALUE_BYTES - 1,
    MAX_VALUE_BYTES,
    MAX_VALUE_BYTES + 1,
    100_000,
];

/// 1 to 8 lowercase letters and digits: a plain name.
pub fn word(u: &mut Unstructured) -> Result<String> {
    const ALNUM: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    list(u, 1..=8, |u| Ok(char::from(pick(u, ALNUM)?))).map(|c| c.into_iter().collect())
}

/// `char::arbitrary` for any input lifetime, as `list` needs.
fn any_char(u: &mut Unstructured) -> Result<char> {
    char::arbitrary(u)
}

/// Arbitrary characters, any code point.
pub fn chars(u: &mut Unstructured, len: std::ops::RangeInclusive<usize>) -> Result<String> {
    list(u, len, any_char).map(|c| c.into_iter().collect())
}

pub fn hostile_string(u: &mut Unstructured) -> Result<String> {
    Ok(match weighted(u, &[300, 80, 40, 1])? {
        0 => word(u)?,
        1 => pick(u, SPECIAL)?.to_string(),
        2 => chars(u, 0..=24)?,
        _ => {
            let piece = pick(u, &["a", "é", "<", "\u{0}", "🦀"])?;
            piece.repeat(pick(u, &LENGTHS)? / piece.len())
        }
    })
}

/// Numbers at the edges: zero, negatives, integer extremes, the float
/// extremes JSON can hold, and fractions where integers are expected.
pub fn hostile_number(u: &mut Unstructured) -> Result<Value> {
    Ok(match weighted(u, &[3, 2, 1, 1])? {
        0 => json!(u.int_in_range(0u64..=19)?),
        1 => pick(
            u,
            &[
                json!(0),
                json!(-1),
                json!(u64::MAX),
                json!(i64::MIN),
                json!(u64::from(u32::MAX) + 1),
                json!(1e308),
                json!(-1e308),
                json!(5e-324),
                json!(0.5),
                json!(-0.0),
                json!(1e10),
                json!(1e11),
            ],
        )?,
        2 => json!(i64::arbitrary(u)?),
        _ => Number::from_f64(f64::arbitrary(u)?).map_or(Value::Null, Value::Number),
    })
}

/// Any JSON value, up to `depth` levels deep, with hostile leaves.
pub fn value(u: &mut Unstructured, depth: u32) -> Result<Value> {
    let kinds = if depth == 0 { 3 } else { 5 };
    Ok(match u.int_in_range(0..=kinds)? {
        0 => Value::Null,
        1 => Value::Bool(bool::arbitrary(u)?),
        2 => hostile_number(u)?,
        3 => Value::String(hostile_string(u)?),
        4 => Value::Array(list(u, 0..=5, |u| value(u, depth - 1))?),
        _ => {
            let fields = list(u, 0..=5, |u| Ok((word(u)?, value(u, depth - 1)?)))?;
            Value::Object(fields.into_iter().collect())
        }
    })
}

/// Arrays nested 100 to 300 deep: past serde_json's recursion limit (128)
/// for most.
pub fn deep(u: &mut Unstructured) -> Result<Value> {
    let depth = u.int_in_range(100..=300)?;
    Ok((0..depth).fold(json!(1), |inner, _| json!([inner])))
}

/// One change to a value, at the container and child `at` picks.
#[derive(Clone, Debug)]
enum Mutation {
    /// The child becomes this.
    Replace(Value),
    Remove,
    /// An array's child repeated this many times more; an object gains an
    /// unknown field.
    Repeat(usize),
    /// An object's field is renamed.
    Rename(String),
}

fn mutation(u: &mut Unstructured) -> Result<Mutation> {
    Ok(match weighted(u, &[2000, 100, 1000, 500, 1, 500])? {
        0 => Mutation::Replace(value(u, 3)?),
        1 => Mutation::Replace(deep(u)?),
        2 => Mutation::Remove,
        3 => Mutation::Repeat(pick(u, &[1, 2, 10])?),
        4 => Mutation::Repeat(10_001),
        _ => Mutation::Rename(hostile_string(u)?),
    })
}

/// Up to `max` mutations, in one case of four: a valid input must stay
/// common, or the decoder's deeper rules are never reached.
pub fn mutate(u: &mut Unstructured, value: &mut Value, max: usize) -> Result<()> {
    if !one_in(u, 4)? {
        return Ok(());
    }
    for _ in 0..u.int_in_range(1..=max)? {
        let (at, child, m) = (u32::arbitrary(u)?, u32::arbitrary(u)?, mutation(u)?);
        let containers = count_containers(value);
        if containers == 0 {
            if let Mutation::Replace(v) = m {
                *value = v;
            }
            continue;
        }
        let mut target = at as usize % containers;
        if let Some(container) = nth_container(value, &mut target) {
            apply(container, child as usize, m);
        }
    }
    Ok(())
}

fn count_containers(v: &Value) -> usize {
    match v {
        Value::Array(a) => 1 + a.iter().map(count_containers).sum::<usize>(),
        Value::Object(o) => 1 + o.values().map(count_containers).sum::<usize>(),
        _ => 0,
    }
}

/// The container at pre-order position `n` (counted down as it walks).
fn nth_container<'a>(v: &'a mut Value, n: &mut usize) -> Option<&'a mut Value> {
    if !(v.is_array() || v.is_object()) {
        return None;
    }
    if *n == 0 {
        return Some(v);
    }
    *n -= 1;
    let children: Vec<&mut Value> = match v {
        Value::Array(a) => a.iter_mut().collect(),
        Value::Object(o) => o.values_mut().collect(),
        _ => unreachable!("checked above"),
    };
    children.into_iter().find_map(|c| nth_container(c, n))
}

fn apply(container: &mut Value, child: usize, m: Mutation) {
    match container {
        Value::Array(a) if a.is_empty() => {
            if let Mutation::Replace(v) = m {
                a.push(v);
            }
        }
        Value::Array(a) => {
            let i = child % a.len();
            match m {
                Mutation::Replace(v) => a[i] = v,
                Mutation::Remove => {
                    a.remove(i);
                }
                Mutation::Repeat(times) => {
                    let copy = a[i].clone();
                    a.extend(std::iter::repeat_n(copy, times));
                }
                Mutation::Rename(s) => a[i] = Value::String(s),
            }
        }
        Value::Object(o) => {
            let Some(key) = o.keys().nth(child % o.len().max(1)).cloned() else {
                if let Mutation::Replace(v) = m {
                    o.insert("x".into(), v);
                }
                return;
            };
            match m {
                Mutation::Replace(v) => {
                    o.insert(key, v);
                }
                Mutation::Remove => {
                    o.remove(&key);
                }
                Mutation::Repeat(_) => {
                    o.insert(format!("{key}_unknown"), json!(1));
                }
                Mutation::Rename(s) => {
                    let v = o.remove(&key).expect("the key is there");
                    o.insert(s, v);
                }
            }
        }
        _ => {}
    }
}

/// An object of the fields that are `Some`: a format's optional fields.
pub fn object(fields: Vec<(&str, Option<Value>)>) -> Value {
    let map: Map<String, Value> = fields
        .into_iter()
        .filter_map(|(k, v)| Some((k.to_string(), v?)))
        .collect();
    Value::Object(map)
}

/// Whether `a` and `b` are the same JSON but for floats a few ulps apart:
/// serde_json's default float parser (the one the page can afford) may read
/// a 17-digit or extreme float one ulp off, so a value written and read
/// back can drift by that much. Integers must be equal.
pub fn same_but_ulps(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) if x.is_f64() || y.is_f64() => {
            let (x, y) = (
                x.as_f64().unwrap_or(f64::NAN),
                y.as_f64().unwrap_or(f64::NAN),
            );
            x == y || (x - y).abs() <= 4.0 * f64::EPSILON * x.abs().max(y.abs())
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same_but_ulps(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| same_but_ulps(v, w)))
        }
        _ => a == b,
    }
}
