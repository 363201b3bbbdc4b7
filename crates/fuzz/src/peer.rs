//! Peer batches as nodes POST them (`{"from": id, "messages": [...]}`, each
//! message as serde writes the engine's `Msg`): every kind of message,
//! terms and indices mostly small (so that they interleave with a node's
//! own), sometimes at the integer edge, then mutated.

use crate::draw::{list, one_in, pick};
use crate::json::{hostile_number, hostile_string, mutate};
use crate::text;
use arbitrary::{Arbitrary, Result, Unstructured};
use serde_json::{json, Value};

fn small(u: &mut Unstructured) -> Result<Value> {
    if one_in(u, 30)? {
        hostile_number(u)
    } else {
        Ok(json!(u.int_in_range(0u64..=5)?))
    }
}

fn key(u: &mut Unstructured) -> Result<Value> {
    Ok(json!(if one_in(u, 5)? {
        hostile_string(u)?
    } else {
        pick(u, &["k0", "k1", "name"])?.to_string()
    }))
}

fn text_or_null(u: &mut Unstructured) -> Result<Value> {
    Ok(if one_in(u, 4)? {
        Value::Null
    } else {
        json!(hostile_string(u)?)
    })
}

fn cell(u: &mut Unstructured) -> Result<Value> {
    Ok(json!({"value": text_or_null(u)?, "version": {"term": small(u)?, "index": small(u)?}}))
}

fn entry(u: &mut Unstructured) -> Result<Value> {
    let command = if one_in(u, 4)? {
        json!("Noop")
    } else {
        json!({"Put": {"key": key(u)?, "value": text_or_null(u)?}})
    };
    Ok(json!({"term": small(u)?, "index": small(u)?, "command": command}))
}

/// One message, as the `wire` feature's serde derives write it.
pub fn message(u: &mut Unstructured) -> Result<Value> {
    Ok(match u.int_in_range(0..=11)? {
        0 => {
            json!({"RequestVote": {"term": small(u)?, "last_index": small(u)?, "last_term": small(u)?}})
        }
        1 => json!({"Vote": {"term": small(u)?, "granted": bool::arbitrary(u)?}}),
        2..=4 => json!({"Append": {
            "term": small(u)?, "prev_index": small(u)?, "prev_term": small(u)?,
            "entries": list(u, 0..=4, entry)?, "commit": small(u)?, "round": small(u)?}}),
        5 => json!({"AppendReply": {"term": small(u)?, "success": bool::arbitrary(u)?,
                                    "index": small(u)?, "round": small(u)?}}),
        6 => {
            let map: serde_json::Map<String, Value> =
                list(u, 0..=3, |u| Ok((crate::json::word(u)?, cell(u)?)))?
                    .into_iter()
                    .collect();
            json!({"InstallSnapshot": {"term": small(u)?, "round": small(u)?,
                   "snapshot": {"last_index": small(u)?, "last_term": small(u)?, "map": map}}})
        }
        7 => json!({"ReadReq": {"req": small(u)?, "key": key(u)?}}),
        8 => {
            let cell = if one_in(u, 3)? { Value::Null } else { cell(u)? };
            json!({"ReadReply": {"req": small(u)?, "cell": cell}})
        }
        9 | 10 => json!({"Repair": {"req": small(u)?, "key": key(u)?, "cell": cell(u)?,
                                    "ack": bool::arbitrary(u)?}}),
        _ => json!({"RepairAck": {"req": small(u)?}}),
    })
}

/// A batch body: shaped, mutated as a value, perhaps edited as text.
pub fn batch_body(u: &mut Unstructured) -> Result<Vec<u8>> {
    let from = if one_in(u, 20)? {
        hostile_number(u)?
    } else {
        json!(u.int_in_range(0u64..=3)?)
    };
    let mut value = json!({"from": from, "messages": list(u, 0..=7, message)?});
    mutate(u, &mut value, 2)?;
    let mut body = value.to_string();
    text::edit(u, &mut body)?;
    Ok(body.into_bytes())
}
