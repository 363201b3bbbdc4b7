//! Lost acknowledged writes, as far as a history can show them.
//!
//! A history shows the store's final state of a key only through reads made
//! once its writes are over: a read is *final* when it began after every
//! write of the key had completed (or, for one that never completed, been
//! invoked). An acknowledged write is **lost** when the last final read of
//! its key returned a value that certainly precedes it in real time (its
//! write completed before the lost one was invoked, or it is the initial
//! state): the acknowledged value was overwritten by an older one.
//!
//! Only final reads that cannot be stale make this certain; a final
//! `eventual` read from a lagging replica looks the same. The engine, which
//! sees replica state, counts lost writes on its own.

use super::observed::{is_ok, is_write, Keyed, Source};
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LostWrite {
    /// The acknowledged write, by history index.
    pub write: usize,
    /// The last final read, which returned an older value.
    pub read: usize,
}

pub(super) fn find_lost_writes(keyed: &Keyed) -> Vec<LostWrite> {
    let ops = &keyed.facts;
    let mut lost = Vec::new();
    for indices in keyed.by_key.values() {
        let writes = || indices.iter().copied().filter(|&w| is_write(&ops[w]));
        let quiet_from = writes()
            .map(|w| ops[w].complete_us.unwrap_or(ops[w].invoke_us))
            .max()
            .unwrap_or(0);
        let last_final_read = indices
            .iter()
            .copied()
            .filter(|&r| !is_write(&ops[r]) && is_ok(&ops[r]) && ops[r].invoke_us > quiet_from)
            .max_by_key(|&r| (ops[r].invoke_us, r));
        let Some(read) = last_final_read else {
            continue;
        };
        let source = keyed.source(read);
        for w in writes().filter(|&w| is_ok(&ops[w])) {
            if keyed.precedes(source, Source::Write(w)) {
                lost.push(LostWrite { write: w, read });
            }
        }
    }
    lost.sort_by_key(|l| l.write);
    lost
}
