use crate::components::{
    cluster::Cluster,
    controls::{Controls, SettingsView},
    explainer::Explainer,
    messages::Legend,
    node_panel::NodePanel,
    stats::Stats,
};
use crate::frames::use_frames;
use crate::model::quorum::picture;
use crate::model::view::ClusterView;
use crate::state::Store;
use crate::viewport::use_narrow;
use quorum_sim::config::Config;
use quorum_sim::msg::Role;
use quorum_sim::scenario::Scenario;
use std::rc::Rc;
use yew::prelude::*;

#[function_component(App)]
pub fn app() -> Html {
    let store = use_reducer(|| Store::new(Scenario::new(Config::default(), 1)));
    let dispatch = {
        let store = store.clone();
        Callback::from(move |msg| store.dispatch(msg))
    };
    use_frames(dispatch.clone());
    let show_quorums = use_state(|| true);
    let narrow = use_narrow();

    let model = store.model();
    let view = Rc::new(ClusterView::of(model.world()));
    let c = model.config();
    let settings = SettingsView {
        n: c.n,
        w: c.w,
        r: c.r,
        latency_ms: c.latency_ms,
        drop: c.drop,
        jitter_kind: model.jitter_kind,
        jitter_spread_ms: model.jitter_spread_ms,
        speed_step: model.speed_step,
        paused: model.paused,
        seed: model.recorded().seed,
    };
    let leader = view
        .nodes
        .iter()
        .find(|card| card.role == Role::Leader && !card.crashed)
        .map(|card| card.id);
    let quorums = show_quorums.then(|| picture(c.n, c.w, c.r, leader));
    let on_node = {
        let dispatch = dispatch.clone();
        Callback::from(move |id| dispatch.emit(crate::model::Msg::ToggleNode(id)))
    };
    let on_toggle = {
        let show_quorums = show_quorums.clone();
        Callback::from(move |on| show_quorums.set(on))
    };
    let clock = format!("t = {:.3} s", view.now_us as f64 / 1e6);

    html! {
        <>
            <header class="topbar">
                <h1>{ "Consistency Playground" }</h1>
                <p class="tagline">{ "Drag N, W and R and watch what a replicated store lets you read." }</p>
            </header>
            <main class="layout">
                <section class="panel cluster" aria-labelledby="cluster-title">
                    <div class="cluster-head">
                        <h2 id="cluster-title">{ format!("The cluster: {} node{}", c.n, if c.n == 1 { "" } else { "s" }) }</h2>
                        <span class="clock" aria-label="simulated time">{ clock }</span>
                    </div>
                    if let Some(notice) = &model.notice {
                        <p class="note" role="status">{ notice.clone() }</p>
                    }
                    <Cluster view={view.clone()} {quorums} selected={model.selected} {on_node} {narrow} />
                    <Legend />
                </section>
                <Controls {settings} dispatch={dispatch.clone()} />
                <Explainer n={c.n} w={c.w} r={c.r} show_quorums={*show_quorums} {on_toggle} />
                <NodePanel view={view} selected={model.selected} dispatch={dispatch.clone()} />
                <Stats />
            </main>
        </>
    }
}
