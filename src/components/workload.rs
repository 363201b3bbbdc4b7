//! The workload generator: background clients at a chosen rate and mix.

use super::slider::{slider, Slider};
use crate::model::clients::workload::{Levels, WorkloadForm, MAX_KEYS, MAX_OPS_PER_SEC};
use crate::model::clients::{ClientMsg, WorkloadField};
use crate::model::Msg;
use quorum_sim::kv::Level;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

/// A plain function, not a component: each component costs the page a
/// copy of yew's view code, and this one renders with the page anyway.
pub struct WorkloadProps {
    pub form: WorkloadForm,
    pub running: bool,
    pub dispatch: Callback<Msg>,
}

pub fn workload_panel(p: &WorkloadProps) -> Html {
    let f = &p.form;
    let send = |make: fn(f64) -> WorkloadField| {
        let dispatch = p.dispatch.clone();
        Callback::from(move |v: f64| dispatch.emit(Msg::Client(ClientMsg::Workload(make(v)))))
    };
    let click = |msg: ClientMsg| {
        let dispatch = p.dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.emit(Msg::Client(msg.clone())))
    };
    let on_levels = {
        let dispatch = p.dispatch.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            if let Some(l) = Levels::from_id(&select.value()) {
                dispatch.emit(Msg::Client(ClientMsg::Workload(WorkloadField::Levels(l))));
            }
        })
    };
    let choices = Level::ALL
        .iter()
        .map(|&l| (Levels::One(l), l.name()))
        .chain([(Levels::Mix, "a mix of all six")]);
    html! {
        <section class="workload" aria-labelledby="workload-title">
            <h3 id="workload-title">
                { "Workload generator" }
                <span class={classes!("badge", if p.running { "fresh" } else { "pending" })}>
                    { if p.running { "running" } else { "stopped" } }
                </span>
            </h3>
            <div class="workload-grid">
                { slider(Slider {
                    id: "workload-rate",
                    label: "Operations per second",
                    min: 1.0,
                    max: MAX_OPS_PER_SEC,
                    step: 1.0,
                    value: f.ops_per_sec,
                    shown: format!("{} ops/s", f.ops_per_sec),
                    on_change: send(WorkloadField::Rate),
                }) }
                { slider(Slider {
                    id: "workload-reads",
                    label: "Reads (rest: writes)",
                    min: 0.0,
                    max: 1.0,
                    step: 0.05,
                    value: f.read_fraction,
                    shown: format!("{:.0} %", f.read_fraction * 100.0),
                    on_change: send(WorkloadField::ReadFraction),
                }) }
                { slider(Slider {
                    id: "workload-keys",
                    label: "Keys",
                    min: 1.0,
                    max: MAX_KEYS as f64,
                    step: 1.0,
                    value: f.keys as f64,
                    shown: f.keys.to_string(),
                    on_change: send(|v| WorkloadField::Keys(v as u32)),
                }) }
                <div class="field">
                    <label for="workload-level">{ "Read consistency" }</label>
                    <select id="workload-level" onchange={on_levels}>
                        { for choices.map(|(l, label)| html! {
                            <option value={l.id()} selected={l == f.levels}>{ label }</option>
                        }) }
                    </select>
                </div>
            </div>
            <div class="run-buttons">
                <button type="button" class="primary" onclick={click(ClientMsg::StartWorkload)}>
                    { if p.running { "Restart with these settings" } else { "Start" } }
                </button>
                <button type="button" onclick={click(ClientMsg::StopWorkload)} disabled={!p.running}>{ "Stop" }</button>
            </div>
        </section>
    }
}
