//! One look per message kind, used by the cluster and the legend alike:
//! a colour (by CSS class) and a distinct shape, so kinds stay apart for
//! colour-blind learners too.

use quorum_sim::msg::MsgKind;
use yew::prelude::*;

pub const KINDS: [MsgKind; 11] = [
    MsgKind::RequestVote,
    MsgKind::Vote,
    MsgKind::Heartbeat,
    MsgKind::HeartbeatReply,
    MsgKind::Append,
    MsgKind::AppendReply,
    MsgKind::InstallSnapshot,
    MsgKind::ReadReq,
    MsgKind::ReadReply,
    MsgKind::Repair,
    MsgKind::RepairAck,
];

pub fn label(kind: MsgKind) -> &'static str {
    match kind {
        MsgKind::RequestVote => "vote request",
        MsgKind::Vote => "vote",
        MsgKind::Heartbeat => "heartbeat",
        MsgKind::HeartbeatReply => "heartbeat reply",
        MsgKind::Append => "replicate",
        MsgKind::AppendReply => "ack",
        MsgKind::InstallSnapshot => "snapshot",
        MsgKind::ReadReq => "read request",
        MsgKind::ReadReply => "read reply",
        MsgKind::Repair => "read repair",
        MsgKind::RepairAck => "repair ack",
    }
}

/// The CSS class that colours a kind: one per family of traffic.
pub fn family(kind: MsgKind) -> &'static str {
    match kind {
        MsgKind::RequestVote | MsgKind::Vote => "m-election",
        MsgKind::Heartbeat | MsgKind::HeartbeatReply => "m-heartbeat",
        MsgKind::Append | MsgKind::AppendReply | MsgKind::InstallSnapshot => "m-replication",
        MsgKind::ReadReq | MsgKind::ReadReply => "m-read",
        MsgKind::Repair | MsgKind::RepairAck => "m-repair",
    }
}

/// Requests are filled, replies hollow: the direction of a conversation
/// reads at a glance.
fn is_reply(kind: MsgKind) -> bool {
    matches!(
        kind,
        MsgKind::Vote
            | MsgKind::HeartbeatReply
            | MsgKind::AppendReply
            | MsgKind::ReadReply
            | MsgKind::RepairAck
    )
}

/// The shape of `kind`, centred on the origin, about 16 units across.
pub fn shape(kind: MsgKind) -> Html {
    let class = classes!("msg", family(kind), is_reply(kind).then_some("reply"));
    match kind {
        MsgKind::RequestVote | MsgKind::Vote => {
            html! { <polygon {class} points="0,-8 8,0 0,8 -8,0" /> }
        }
        MsgKind::Heartbeat | MsgKind::HeartbeatReply => html! { <circle {class} r="4.5" /> },
        MsgKind::Append | MsgKind::AppendReply => {
            html! { <rect {class} x="-6.5" y="-6.5" width="13" height="13" rx="2" /> }
        }
        MsgKind::InstallSnapshot => {
            html! { <rect {class} x="-9" y="-7" width="18" height="14" rx="2" /> }
        }
        MsgKind::ReadReq | MsgKind::ReadReply => {
            html! { <polygon {class} points="0,-8 8,6 -8,6" /> }
        }
        MsgKind::Repair | MsgKind::RepairAck => html! {
            <polygon {class} points="-3,-8 3,-8 3,-3 8,-3 8,3 3,3 3,8 -3,8 -3,3 -8,3 -8,-3 -3,-3" />
        },
    }
}

/// What the labels on the ring mean, for whoever wonders.
const LABELS: [(&str, &str); 6] = [
    ("v2.4", "a value's version: written in term 2 as log entry 4. A higher version is newer."),
    ("log 5 · commit 4", "the node's log ends at entry 5; entries up to 4 are known to be on a majority, so no failover can lose them."),
    ("⚠", "the node's copy is stale: a newer version of that key was acknowledged to a client."),
    ("solid ring", "a write quorum: W nodes a write waits for, the leader first."),
    ("dashed ring", "a read quorum: R nodes a strong read asks; ★ marks a node in both."),
    ("crown, dashes, cross", "the leader; a candidate asking for votes; a crashed node."),
];

/// The legend of message kinds. On a phone (`narrow`) it waits behind one
/// line, so the clients fit on the first screen. A plain function, not a
/// component: each component costs the page a copy of yew's view code.
pub fn legend(narrow: bool) -> Html {
    let kinds = html! {
        <ul class="legend" aria-label="Message kinds">
            { for KINDS.iter().map(|&kind| html! {
                <li>
                    <svg viewBox="-10 -10 20 20" aria-hidden="true">{ shape(kind) }</svg>
                    { label(kind) }
                </li>
            }) }
        </ul>
    };
    html! {
        <div class="legend-box">
            if !narrow { { kinds.clone() } }
            <details class="labels">
                <summary>{ if narrow { "Message kinds and what the labels mean" } else { "What do the labels mean?" } }</summary>
                if narrow { { kinds } }
                <dl>
                    { for LABELS.iter().map(|(term, meaning)| html! {
                        <div><dt>{ *term }</dt><dd>{ *meaning }</dd></div>
                    }) }
                </dl>
            </details>
        </div>
    }
}
