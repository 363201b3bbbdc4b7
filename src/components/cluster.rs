//! The cluster: nodes on a ring with their role, term, log and key table,
//! links (cut ones dashed red), every message in flight placed between its
//! send and delivery times, and each read's answer shown for a moment at
//! the node that gave it.
//!
//! Each node's pressable part is a bare circle with an accessible name of
//! its own; the labels beside it are plain text, with a tooltip that says
//! what they mean.

use super::messages::shape;
use super::ring::Ring;
use crate::model::clients::Bubble;
use crate::model::quorum::QuorumPicture;
use crate::model::view::{CellRow, ClusterView, NodeCard, Sprite};
use quorum_analysis::diagram::MessageId;
use quorum_sim::msg::{NodeId, Role};
use std::rc::Rc;
use yew::prelude::*;

/// A plain function, not a component: each component costs the page a
/// copy of yew's view code, and this one renders with the page anyway.
pub struct ClusterProps {
    pub view: Rc<ClusterView>,
    /// A write and a read quorum to outline, when the explainer asks for it.
    pub quorums: Option<QuorumPicture>,
    pub selected: Option<NodeId>,
    /// A node was clicked or tapped (or pressed with Enter/Space).
    pub on_node: Callback<NodeId>,
    /// Lay the ring out for a phone-sized screen.
    pub narrow: bool,
    /// The message chosen in the timeline (or here), drawn singled out.
    pub chosen: Option<MessageId>,
    pub on_message: Callback<Option<MessageId>>,
    /// Nodes that held the write a chosen read missed.
    pub holders: Vec<NodeId>,
}

pub fn cluster_drawing(p: &ClusterProps) -> Html {
    let n = p.view.nodes.len();
    let ring = Ring::new(n, p.narrow);
    let title = format!("The cluster: {n} node{}", if n == 1 { "" } else { "s" });
    html! {
        <svg class="cluster-svg" viewBox={format!("0 0 {} {}", ring.width, ring.height)} role="group" aria-label={title}>
            <g class="links" aria-hidden="true">{ for links(&ring, &p.view) }</g>
            <g class="sprites" aria-hidden="true">{ for p.view.sprites.iter().map(|s| sprite(&ring, s, p)) }</g>
            <g class="nodes">
                { for p.view.nodes.iter().map(|card| node(&ring, card, p)) }
            </g>
            <g class="bubbles">{ for p.view.bubbles.iter().map(|b| bubble(&ring, b)) }</g>
        </svg>
    }
}

fn f(x: f64) -> String {
    format!("{x:.1}")
}

fn links(ring: &Ring, view: &ClusterView) -> Vec<Html> {
    let n = ring.n;
    NodeId::all(n)
        .flat_map(|a| NodeId::all(n).filter(move |&b| a < b).map(move |b| (a, b)))
        .map(|(a, b)| {
            let ((x1, y1), (x2, y2)) = (ring.at(a), ring.at(b));
            let cut = view.cuts.iter().find(|c| (c.a, c.b) == (a, b));
            let class = match cut {
                Some(c) if c.a_to_b && c.b_to_a => "link cut",
                Some(_) => "link cut one-way",
                None => "link",
            };
            html! { <line {class} x1={f(x1)} y1={f(y1)} x2={f(x2)} y2={f(y2)} /> }
        })
        .collect()
}

fn sprite(ring: &Ring, s: &Sprite, p: &ClusterProps) -> Html {
    let chosen = p.chosen == Some(s.id);
    let onclick = {
        let (on_message, id) = (p.on_message.clone(), s.id);
        Callback::from(move |_: MouseEvent| on_message.emit((!chosen).then_some(id)))
    };
    let (x, mut y) = ring.along(s.from, s.to, s.progress);
    let mut opacity = 1.0;
    // A lost message travels half way, then falls off the link and fades.
    if s.lost && s.progress > 0.5 {
        let fall = (s.progress - 0.5) * 2.0;
        y += 70.0 * fall * fall;
        opacity = 1.0 - fall;
    }
    html! {
        <g class={classes!("sprite", s.lost.then_some("lost"), chosen.then_some("chosen"))}
           transform={format!("translate({} {})", f(x), f(y))} opacity={format!("{opacity:.2}")} {onclick}>
            if chosen { <circle class="chosen-ring" r="13" /> }
            { shape(s.kind) }
        </g>
    }
}

fn role_name(card: &NodeCard) -> &'static str {
    if card.crashed {
        "crashed"
    } else {
        card.role.name()
    }
}

fn node(ring: &Ring, card: &NodeCard, p: &ClusterProps) -> Html {
    let (x, y) = ring.at(card.id);
    let r = ring.node_radius;
    let name = card.id.to_string();
    let role = role_name(card);
    let in_set = |set: fn(&QuorumPicture) -> &Vec<NodeId>| {
        p.quorums
            .as_ref()
            .is_some_and(|q| set(q).contains(&card.id))
    };
    let (in_write, in_read, in_both) = (
        in_set(|q| &q.write),
        in_set(|q| &q.read),
        in_set(|q| &q.overlap),
    );
    let id = card.id;
    let on_node = p.on_node.clone();
    let onclick = {
        let on_node = on_node.clone();
        Callback::from(move |_: MouseEvent| on_node.emit(id))
    };
    let onkeydown = Callback::from(move |e: KeyboardEvent| {
        if e.key() == "Enter" || e.key() == " " {
            e.prevent_default();
            on_node.emit(id);
        }
    });
    let action = if card.crashed { "restart" } else { "crash" };
    let label = format!("{name}, {role}, term {}: press to {action} it", card.term);
    let class = classes!(
        "node",
        role,
        (p.selected == Some(card.id)).then_some("selected"),
        p.holders.contains(&card.id).then_some("holder"),
    );
    let below = ring.labels_below();
    html! {
        <g {class} transform={format!("translate({} {})", f(x), f(y))}>
            if in_write {
                <circle class="halo write" r={f(r + 7.0)}>
                    <title>{ "In a write quorum: one of W nodes a write waits for" }</title>
                </circle>
            }
            if in_read {
                <circle class="halo read" r={f(r + 13.0)}>
                    <title>{ "In a read quorum (dashed): one of R nodes a strong read asks" }</title>
                </circle>
            }
            <circle class="focus-ring" r={f(r + 18.0)} aria-hidden="true" />
            <circle class="body" r={f(r)} />
            if card.role == Role::Leader && !card.crashed {
                <path class="crown" d={format!("M-16 {b} l0 -14 l8 7 l8 -11 l8 11 l8 -7 l0 14 z", b = f(-r - 2.0))} />
            }
            <g class="inside" aria-hidden="true">
                <text class="node-name" y="-8">{ name.clone() }</text>
                <text class="node-role" y="9">{ role }</text>
                <text class="node-term" y="25">{ format!("term {}", card.term) }</text>
            </g>
            if card.crashed {
                <path class="strike" d={format!("M{a} {a} L{b} {b} M{a} {b} L{b} {a}", a = f(-r * 0.6), b = f(r * 0.6))} />
            }
            if in_both {
                <text class="overlap-mark" x={f(r * 0.72)} y={f(-r * 0.62)}>
                    { "★" }<title>{ "In both quorums: where every write and strong read meet" }</title>
                </text>
            }
            <circle class="hit" r={f(r)} role="button" tabindex="0" aria-label={label}
                {onclick} {onkeydown} />
            <text class="node-log" y={f(below)}>
                { format!("log {} · commit {}", card.last_index, card.commit_index) }
                <title>{ format!("log {}: the last entry in {name}'s log is number {}. commit {}: entries up to {} are known to be on a majority, so no failover can lose them.",
                    card.last_index, card.last_index, card.commit_index, card.commit_index) }</title>
            </text>
            { for card.cells.iter().take(ring.rows).enumerate().map(|(i, c)| cell(c, below + 18.0 + 16.0 * i as f64)) }
            if card.cells.len() > ring.rows {
                <text class={classes!("cell", "more", card.cells.iter().any(|c| c.stale).then_some("stale"))}
                    y={f(below + 18.0 + 16.0 * ring.rows as f64)}>
                    { more_line(card, ring.rows) }
                </text>
            }
        </g>
    }
}

/// The line under a node's rows: how many keys are not shown, and whether
/// any of those hidden is stale.
fn more_line(card: &NodeCard, shown: usize) -> String {
    let hidden = card.cells.len() - shown;
    let stale = card.cells.iter().skip(shown).filter(|c| c.stale).count();
    let keys = if shown == 0 { "key" } else { "more" };
    let plural = if hidden == 1 || shown > 0 { "" } else { "s" };
    if stale > 0 {
        format!("⚠ {hidden} {keys}{plural}, {stale} stale")
    } else {
        format!("+{hidden} {keys}{plural}")
    }
}

/// Long values are cut so a table never runs into the next node.
fn short(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(max - 1).collect::<String>())
    }
}

fn cell(c: &CellRow, y: f64) -> Html {
    let value = c
        .value
        .as_deref()
        .map_or("(deleted)".to_string(), |v| short(v, 9));
    let version = format!("v{}.{}", c.version.term, c.version.index);
    let text = format!(
        "{}{} = {value} {version}",
        if c.stale { "⚠ " } else { "" },
        short(&c.key, 8),
    );
    let tip = format!(
        "{} = {}, version {version}: written in term {} as log entry {}.{}",
        c.key,
        c.value.as_deref().unwrap_or("(deleted)"),
        c.version.term,
        c.version.index,
        if c.stale {
            " ⚠ stale: a newer version of this key has been acknowledged to a client."
        } else {
            ""
        }
    );
    html! {
        <text class={classes!("cell", c.stale.then_some("stale"))} y={f(y)}>
            { text }<title>{ tip }</title>
        </text>
    }
}

/// A read's answer beside the node that gave it, on the ring's inner side
/// (above a lower node, below an upper one's labels), clear of the quorum
/// outlines.
fn bubble(ring: &Ring, b: &Bubble) -> Html {
    let (x, y) = ring.bubble_at(b.node);
    let width = (b.text.chars().count() as f64 * 7.4 + 18.0).min(ring.width - 8.0);
    let left = (x - width / 2.0).clamp(4.0, ring.width - width - 4.0);
    html! {
        <g class={classes!("bubble", b.tone.class())} transform={format!("translate({} {})", f(left), f(y - 13.0))}
            data-testid="bubble" aria-hidden="true">
            <rect width={f(width)} height="26" rx="13" />
            <text x={f(width / 2.0)} y="18">{ b.text.clone() }</text>
        </g>
    }
}
