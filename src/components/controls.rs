//! The settings panel: N, W and R with what they promise, then the network,
//! read repair and the seed. Pause and Speed live in the run bar.

use super::slider::{slider, Slider};
use crate::model::jitter::JitterKind;
use crate::model::quorum::explain;
use crate::model::Msg;
use quorum_sim::config::{ReadRepair, MAX_NODES};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// What the panel shows: a snapshot, cheap to compare.
#[derive(Clone, Debug, PartialEq)]
pub struct SettingsView {
    pub n: usize,
    pub w: usize,
    pub r: usize,
    pub latency_ms: f64,
    pub drop: f64,
    pub jitter_kind: JitterKind,
    pub jitter_spread_ms: f64,
    pub read_repair: ReadRepair,
    pub seed: u64,
}

const REPAIRS: [(ReadRepair, &str, &str); 3] = [
    (ReadRepair::Off, "off", "Off (as the course's store)"),
    (
        ReadRepair::Async,
        "async",
        "Async: reply, then fix stale replicas",
    ),
    (
        ReadRepair::Blocking,
        "blocking",
        "Blocking: fix stale replicas, then reply",
    ),
];

/// A plain function's arguments, not a component's props: each component
/// costs the page a copy of yew's view code.
pub struct ControlsProps {
    pub settings: SettingsView,
    pub dispatch: Callback<Msg>,
}

pub fn controls(p: &ControlsProps) -> Html {
    let s = &p.settings;
    let send = |make: fn(f64) -> Msg| {
        let dispatch = p.dispatch.clone();
        Callback::from(move |v: f64| dispatch.emit(make(v)))
    };
    let on_jitter = {
        let dispatch = p.dispatch.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            if let Some(kind) = JitterKind::from_id(&select.value()) {
                dispatch.emit(Msg::JitterKind(kind));
            }
        })
    };
    let on_repair = {
        let dispatch = p.dispatch.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            if let Some((mode, ..)) = REPAIRS.iter().find(|r| r.1 == select.value()) {
                dispatch.emit(Msg::ReadRepair(*mode));
            }
        })
    };
    let e = explain(s.n, s.w, s.r);
    html! {
        <section class="panel controls" aria-labelledby="controls-title">
            <h2 id="controls-title">{ "Settings" }</h2>
            { slider(Slider {
                id: "nodes",
                label: "Nodes (N)",
                min: 1.0,
                max: MAX_NODES as f64,
                step: 1.0,
                value: s.n as f64,
                shown: s.n.to_string(),
                on_change: send(|v| Msg::Nodes(v as usize)),
            }) }
            { slider(Slider {
                id: "write-quorum",
                label: "Write quorum (W)",
                min: 1.0,
                max: s.n as f64,
                step: 1.0,
                value: s.w as f64,
                shown: s.w.to_string(),
                on_change: send(|v| Msg::WriteQuorum(v as usize)),
            }) }
            { slider(Slider {
                id: "read-quorum",
                label: "Read quorum (R)",
                min: 1.0,
                max: s.n as f64,
                step: 1.0,
                value: s.r as f64,
                shown: s.r.to_string(),
                on_change: send(|v| Msg::ReadQuorum(v as usize)),
            }) }
            <p class={classes!("quorum-line", e.overlap.then_some("overlap"))} data-testid="quorum-line">
                <strong>{ e.headline.clone() }</strong>{ ": " }{ e.short.clone() }
            </p>
            { slider(Slider {
                id: "latency",
                label: "Latency (ms)",
                min: 0.0,
                max: 500.0,
                step: 5.0,
                value: s.latency_ms,
                shown: format!("{} ms", s.latency_ms),
                on_change: send(Msg::Latency),
            }) }
            <div class="field">
                <label for="jitter">{ "Jitter" }</label>
                <select id="jitter" onchange={on_jitter}>
                    { for JitterKind::ALL.iter().map(|k| html! {
                        <option value={k.id()} selected={*k == s.jitter_kind}>{ k.label() }</option>
                    }) }
                </select>
            </div>
            if s.jitter_kind.has_spread() {
                { slider(Slider {
                    id: "jitter-spread",
                    label: "Jitter spread (mean, ms)",
                    min: 1.0,
                    max: 300.0,
                    step: 1.0,
                    value: s.jitter_spread_ms,
                    shown: format!("{} ms", s.jitter_spread_ms),
                    on_change: send(Msg::JitterSpread),
                }) }
            }
            { slider(Slider {
                id: "drop",
                label: "Drop rate",
                min: 0.0,
                max: 0.5,
                step: 0.01,
                value: s.drop,
                shown: format!("{:.0} %", s.drop * 100.0),
                on_change: send(Msg::Drop),
            }) }
            <div class="field">
                <label for="read-repair">{ "Read repair (strong reads)" }</label>
                <select id="read-repair" onchange={on_repair}>
                    { for REPAIRS.iter().map(|(mode, id, label)| html! {
                        <option value={*id} selected={*mode == s.read_repair}>{ *label }</option>
                    }) }
                </select>
            </div>
            <SeedField seed={s.seed} dispatch={p.dispatch.clone()} />
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct SeedProps {
    seed: u64,
    dispatch: Callback<Msg>,
}

/// The seed takes effect on Enter or when the field loses focus; anything
/// that is not a whole number is refused with a message, not a panic.
#[function_component(SeedField)]
fn seed_field(p: &SeedProps) -> Html {
    let error = use_state(|| None::<String>);
    let onchange = {
        let (dispatch, error, current) = (p.dispatch.clone(), error.clone(), p.seed);
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            match input.value().trim().parse::<u64>() {
                Ok(seed) if seed == current => error.set(None),
                Ok(seed) => {
                    error.set(None);
                    dispatch.emit(Msg::Seed(seed));
                }
                Err(_) => error.set(Some(format!(
                    "“{}” is not a seed: use a whole number from 0 to {}.",
                    input.value(),
                    u64::MAX
                ))),
            }
        })
    };
    html! {
        <div class="field">
            <label for="seed">{ "Seed" }</label>
            <input id="seed" type="text" inputmode="numeric" value={p.seed.to_string()}
                aria-describedby="seed-help" aria-invalid={error.is_some().to_string()} {onchange} />
            <small id="seed-help">{ "The same seed and actions replay the same run." }</small>
            if let Some(e) = &*error { <p class="note" role="alert">{ e.clone() }</p> }
        </div>
    }
}
