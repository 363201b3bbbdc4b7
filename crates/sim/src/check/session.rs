//! Per-client session guarantees, on completed `ok` operations in each
//! client's order (a client runs one operation at a time, so invocation
//! order is its program order).
//!
//! * **Read your writes**: a read must not return a value that certainly
//!   precedes (in real time) the client's own latest acknowledged write to
//!   the key, made before the read began.
//! * **Monotonic reads**: a read must not return a value that certainly
//!   precedes the value of one of the client's earlier reads of the key.
//!
//! "Certainly precedes" is [`Keyed::precedes`]: a verdict here holds in
//! every linearization, so concurrent writes never raise one.

use super::observed::{is_ok, is_write, Keyed, Source};
use serde::Serialize;

/// A read that went back on something the client already knew.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SessionViolation {
    pub client: u32,
    pub key: String,
    /// The client's own write (read your writes) or earlier read (monotonic
    /// reads) that the read went back on, by history index.
    pub earlier: usize,
    /// The offending read.
    pub read: usize,
    /// The write whose older value the read returned, when not the initial
    /// state.
    pub returned: Option<usize>,
}

#[derive(Default)]
struct Session {
    /// Latest acknowledged own write.
    own_write: Option<usize>,
    /// The earlier read whose source was invoked last: the one a later
    /// read's source is most likely to precede.
    newest_read: Option<(usize, Source)>,
}

/// Key by key, each client's operations in its order; the violations in
/// the clients' order.
pub(super) fn judge_sessions(keyed: &Keyed) -> (Vec<SessionViolation>, Vec<SessionViolation>) {
    let ops = &keyed.facts;
    let (mut ryw, mut monotonic) = (Vec::new(), Vec::new());
    for indices in keyed.by_key.values() {
        let mut order: Vec<usize> = indices
            .iter()
            .copied()
            .filter(|&i| is_ok(&ops[i]))
            .collect();
        order.sort_unstable_by_key(|&i| (ops[i].client, ops[i].invoke_us, i));
        let mut session = (None, Session::default());
        for i in order {
            if session.0 != Some(ops[i].client) {
                session = (Some(ops[i].client), Session::default());
            }
            judge_one(keyed, i, &mut session.1, &mut ryw, &mut monotonic);
        }
    }
    let session_order = |v: &SessionViolation| (v.client, ops[v.read].invoke_us, v.read);
    ryw.sort_unstable_by_key(session_order);
    monotonic.sort_unstable_by_key(session_order);
    (ryw, monotonic)
}

/// Operation `i` in its client's session on its key.
fn judge_one(
    keyed: &Keyed,
    i: usize,
    session: &mut Session,
    ryw: &mut Vec<SessionViolation>,
    monotonic: &mut Vec<SessionViolation>,
) {
    let ops = &keyed.facts;
    let op = &ops[i];
    if is_write(op) {
        session.own_write = Some(i);
        return;
    }
    let source = keyed.source(i);
    let violation = |earlier| SessionViolation {
        client: op.client,
        key: keyed.ops[i].key.clone(),
        earlier,
        read: i,
        returned: match source {
            Source::Write(w) => Some(w),
            _ => None,
        },
    };
    if let Some(w) = session.own_write {
        let acked_before = ops[w].complete_us.is_some_and(|end| end <= op.invoke_us);
        if acked_before && keyed.precedes(source, Source::Write(w)) {
            ryw.push(violation(w));
        }
    }
    if let Some((earlier, earlier_source)) = session.newest_read {
        if keyed.precedes(source, earlier_source) {
            monotonic.push(violation(earlier));
        }
    }
    let invoked = |s: Source| match s {
        Source::Write(w) => Some(ops[w].invoke_us),
        _ => None,
    };
    if source != Source::Unexplained
        && session
            .newest_read
            .is_none_or(|(_, s)| invoked(source) > invoked(s))
    {
        session.newest_read = Some((i, source));
    }
}
