//! Edits of serialized text: cut short, spliced, repeated, sprinkled with
//! bytes a format does not expect, always on character boundaries (the
//! decoders take `&str`).

use crate::draw::{one_in, pick, weighted};
use arbitrary::{Arbitrary, Result, Unstructured};

const INSERTS: &[&str] = &[
    "{", "}", "[", "]", ",", ":", "\"", "\\", "\\u", "\\ud800", "0", "-", "1e999", "\n", "\r",
    "\u{0}", "=", "%", "&", "é",
];

fn boundary(s: &str, at: usize) -> usize {
    let mut at = at.min(s.len());
    while !s.is_char_boundary(at) {
        at -= 1;
    }
    at
}

/// In one case of eight, one to three edits: the structure-aware
/// generators make the interesting inputs; these find what a broken byte
/// does to them.
pub fn edit(u: &mut Unstructured, text: &mut String) -> Result<()> {
    if !one_in(u, 8)? {
        return Ok(());
    }
    for _ in 0..u.int_in_range(1..=3)? {
        let at = boundary(text, u32::arbitrary(u)? as usize % (text.len() + 1));
        match weighted(u, &[1, 2, 1, 2, 1])? {
            0 => text.truncate(at),
            1 => text.insert_str(at, pick(u, INSERTS)?),
            2 => text.insert_str(at, &crate::json::chars(u, 1..=8)?),
            3 => {
                let end = boundary(text, at + u.int_in_range(1..=16)?);
                text.replace_range(at..end, "");
            }
            _ => {
                let end = boundary(text, at + u.int_in_range(1..=64)?);
                let piece = text[at..end].to_string();
                text.insert_str(end, &piece);
            }
        }
    }
    Ok(())
}
