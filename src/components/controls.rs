use super::slider::Slider;
use crate::state::Action;
use quorum_sim::config::{Config, MAX_NODES};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ControlsProps {
    pub config: Config,
    pub clamp_note: Option<AttrValue>,
    pub dispatch: Callback<Action>,
}

#[function_component(Controls)]
pub fn controls(p: &ControlsProps) -> Html {
    let c = &p.config;
    let send = |make: fn(f64) -> Action| {
        let dispatch = p.dispatch.clone();
        Callback::from(move |v: f64| dispatch.emit(make(v)))
    };
    html! {
        <section class="panel controls" aria-labelledby="controls-title">
            <h2 id="controls-title">{ "Settings" }</h2>
            <Slider id="nodes" label="Nodes (N)" min={1.0} max={MAX_NODES as f64}
                value={c.n as f64} shown={c.n.to_string()}
                on_change={send(|v| Action::Nodes(v as usize))} />
            <Slider id="write-quorum" label="Write quorum (W)" min={1.0} max={c.n as f64}
                value={c.w as f64} shown={c.w.to_string()}
                on_change={send(|v| Action::WriteQuorum(v as usize))} />
            <Slider id="read-quorum" label="Read quorum (R)" min={1.0} max={c.n as f64}
                value={c.r as f64} shown={c.r.to_string()}
                on_change={send(|v| Action::ReadQuorum(v as usize))} />
            <Slider id="latency" label="Latency (ms)" min={0.0} max={1000.0} step={5.0}
                value={c.latency_ms} shown={format!("{} ms", c.latency_ms)}
                on_change={send(Action::Latency)} />
            if let Some(note) = &p.clamp_note {
                <p class="note" role="status">{ note.clone() }</p>
            }
            <QuorumSummary n={c.n} w={c.w} r={c.r} />
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct SummaryProps {
    n: usize,
    w: usize,
    r: usize,
}

#[function_component(QuorumSummary)]
fn quorum_summary(p: &SummaryProps) -> Html {
    let overlap = p.r + p.w > p.n;
    let (relation, meaning) = if overlap {
        (
            ">",
            "every read quorum shares a node with every write quorum",
        )
    } else {
        ("≤", "a read quorum can miss every node that took the write")
    };
    html! {
        <p class={classes!("quorum-summary", overlap.then_some("overlap"))} data-testid="quorum-summary">
            <strong>{ format!("R + W = {} {relation} N = {}", p.r + p.w, p.n) }</strong>
            <span>{ format!(": {meaning}.") }</span>
        </p>
    }
}
