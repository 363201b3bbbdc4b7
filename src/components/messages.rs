//! One look per message kind, used by the cluster and the legend alike:
//! a colour (by CSS class) and a distinct shape, so kinds stay apart for
//! colour-blind learners too.

use quorum_sim::msg::MsgKind;
use yew::prelude::*;

pub const KINDS: [MsgKind; 10] = [
    MsgKind::RequestVote,
    MsgKind::Vote,
    MsgKind::Heartbeat,
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
fn family(kind: MsgKind) -> &'static str {
    match kind {
        MsgKind::RequestVote | MsgKind::Vote => "m-election",
        MsgKind::Heartbeat => "m-heartbeat",
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
        MsgKind::Vote | MsgKind::AppendReply | MsgKind::ReadReply | MsgKind::RepairAck
    )
}

/// The shape of `kind`, centred on the origin, about 16 units across.
pub fn shape(kind: MsgKind) -> Html {
    let class = classes!("msg", family(kind), is_reply(kind).then_some("reply"));
    match kind {
        MsgKind::RequestVote | MsgKind::Vote => {
            html! { <polygon {class} points="0,-8 8,0 0,8 -8,0" /> }
        }
        MsgKind::Heartbeat => html! { <circle {class} r="4.5" /> },
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

#[function_component(Legend)]
pub fn legend() -> Html {
    html! {
        <ul class="legend" aria-label="Message kinds">
            { for KINDS.iter().map(|&kind| html! {
                <li>
                    <svg viewBox="-10 -10 20 20" aria-hidden="true">{ shape(kind) }</svg>
                    { label(kind) }
                </li>
            }) }
        </ul>
    }
}
