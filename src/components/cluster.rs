//! The cluster: nodes on a ring with their role, term, log and key table,
//! links (cut ones dashed red), and every message in flight placed between
//! its send and delivery times.

use super::messages::shape;
use super::ring::Ring;
use crate::model::quorum::QuorumPicture;
use crate::model::view::{CellRow, ClusterView, NodeCard, Sprite};
use quorum_sim::msg::Role;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ClusterProps {
    pub view: Rc<ClusterView>,
    /// A write and a read quorum to outline, when the explainer asks for it.
    pub quorums: Option<QuorumPicture>,
    pub selected: Option<usize>,
    /// A node was clicked or tapped (or pressed with Enter/Space).
    pub on_node: Callback<usize>,
    /// Lay the ring out for a phone-sized screen.
    pub narrow: bool,
}

#[function_component(Cluster)]
pub fn cluster(p: &ClusterProps) -> Html {
    let n = p.view.nodes.len();
    let ring = Ring::new(n, p.narrow);
    let title = format!("The cluster: {n} node{}", if n == 1 { "" } else { "s" });
    html! {
        <svg class="cluster-svg" viewBox={format!("0 0 {} {}", ring.width, ring.height)} role="group" aria-label={title}>
            <g class="links">{ for links(&ring, &p.view) }</g>
            <g class="sprites" aria-hidden="true">{ for p.view.sprites.iter().map(|s| sprite(&ring, s)) }</g>
            <g class="nodes">
                { for p.view.nodes.iter().map(|card| node(&ring, card, p)) }
            </g>
        </svg>
    }
}

fn f(x: f64) -> String {
    format!("{x:.1}")
}

fn links(ring: &Ring, view: &ClusterView) -> Vec<Html> {
    let n = ring.n;
    (0..n)
        .flat_map(|a| (a + 1..n).map(move |b| (a, b)))
        .map(|(a, b)| {
            let ((x1, y1), (x2, y2)) = (ring.at(a), ring.at(b));
            let cut = view.cuts.iter().find(|c| (c.0, c.1) == (a, b));
            let class = match cut {
                Some((_, _, true, true)) => "link cut",
                Some(_) => "link cut one-way",
                None => "link",
            };
            html! { <line {class} x1={f(x1)} y1={f(y1)} x2={f(x2)} y2={f(y2)} /> }
        })
        .collect()
}

fn sprite(ring: &Ring, s: &Sprite) -> Html {
    let (x, mut y) = ring.along(s.from, s.to, s.progress);
    let mut opacity = 1.0;
    // A lost message travels half way, then falls off the link and fades.
    if s.lost && s.progress > 0.5 {
        let fall = (s.progress - 0.5) * 2.0;
        y += 70.0 * fall * fall;
        opacity = 1.0 - fall;
    }
    html! {
        <g class={classes!("sprite", s.lost.then_some("lost"))}
           transform={format!("translate({} {})", f(x), f(y))} opacity={format!("{opacity:.2}")}>
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
    let name = format!("node-{}", card.id + 1);
    let role = role_name(card);
    let in_set = |set: fn(&QuorumPicture) -> &Vec<usize>| {
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
    let label = format!(
        "{name}, {role}, term {}, log index {}: press to {action} it",
        card.term, card.last_index
    );
    let class = classes!(
        "node",
        role,
        (p.selected == Some(card.id)).then_some("selected"),
    );
    html! {
        <g {class} transform={format!("translate({} {})", f(x), f(y))}
           role="button" tabindex="0" aria-label={label} {onclick} {onkeydown}>
            <title>{ format!("{name}: click or tap to {action}") }</title>
            if in_write { <circle class="halo write" r={f(r + 7.0)} /> }
            if in_read { <circle class="halo read" r={f(r + 13.0)} /> }
            <circle class="body" r={f(r)} />
            if card.role == Role::Leader && !card.crashed {
                <path class="crown" d={format!("M-16 {b} l0 -14 l8 7 l8 -11 l8 11 l8 -7 l0 14 z", b = f(-r - 2.0))} />
            }
            <text class="node-name" y="-8">{ name }</text>
            <text class="node-role" y="9">{ role }</text>
            <text class="node-term" y="25">{ format!("term {}", card.term) }</text>
            if card.crashed {
                <path class="strike" d={format!("M{a} {a} L{b} {b} M{a} {b} L{b} {a}", a = f(-r * 0.6), b = f(r * 0.6))} />
            }
            if in_both { <text class="overlap-mark" x={f(r * 0.72)} y={f(-r * 0.62)}>{ "★" }</text> }
            <text class="node-log" y={f(r + 18.0)}>{ format!("log {} · commit {}", card.last_index, card.commit_index) }</text>
            { for card.cells.iter().take(ring.rows).enumerate().map(|(i, c)| cell(c, r + 36.0 + 16.0 * i as f64)) }
            if card.cells.len() > ring.rows {
                <text class={classes!("cell", "more", card.cells.iter().any(|c| c.stale).then_some("stale"))}
                    y={f(r + 36.0 + 16.0 * ring.rows as f64)}>
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
    let text = format!(
        "{}{} = {value} v{}.{}",
        if c.stale { "⚠ " } else { "" },
        short(&c.key, 8),
        c.version.term,
        c.version.index
    );
    html! { <text class={classes!("cell", c.stale.then_some("stale"))} y={f(y)}>{ text }</text> }
}
