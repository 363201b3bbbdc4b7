//! Details of the selected node, and the partition tool.

use crate::model::view::ClusterView;
use crate::model::Msg;
use quorum_sim::msg::NodeId;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct NodePanelProps {
    pub view: Rc<ClusterView>,
    pub selected: Option<NodeId>,
    pub dispatch: Callback<Msg>,
}

#[function_component(NodePanel)]
pub fn node_panel(p: &NodePanelProps) -> Html {
    let n = p.view.nodes.len();
    // The partition tool's chosen side; kept within the current N.
    let side = use_state(Vec::<NodeId>::new);
    let chosen: Vec<NodeId> = side.iter().copied().filter(|i| i.is_in(n)).collect();
    let toggle_side = |i: NodeId| {
        let side = side.clone();
        Callback::from(move |_: Event| {
            let mut next = (*side).clone();
            if let Some(at) = next.iter().position(|&x| x == i) {
                next.remove(at);
            } else {
                next.push(i);
            }
            side.set(next);
        })
    };
    let emit = |msg: Msg| {
        let dispatch = p.dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.emit(msg.clone()))
    };
    let details = p.selected.and_then(|id| p.view.nodes.get(id.index())).map(|card| {
        let name = card.id.to_string();
        let role = if card.crashed { "crashed" } else { card.role.name() };
        html! {
            <div class="details" aria-live="polite">
                <h3>{ format!("{name} · {role}") }</h3>
                <p class="facts">{ format!("term {} · log index {} · commit index {}", card.term, card.last_index, card.commit_index) }</p>
                <button type="button" onclick={emit(Msg::ToggleNode(card.id))}>
                    { if card.crashed { format!("Restart {name}") } else { format!("Crash {name}") } }
                </button>
                if card.cells.is_empty() {
                    <p class="muted">{ "No keys yet." }</p>
                } else {
                    <table class="kv">
                        <thead><tr><th>{ "key" }</th><th>{ "value" }</th><th>{ "version" }</th></tr></thead>
                        <tbody>
                        { for card.cells.iter().map(|c| html! {
                            <tr class={classes!(c.stale.then_some("stale"))}>
                                <td>{ c.key.to_string() }</td>
                                <td>{ c.value.as_deref().unwrap_or("(deleted)").to_string() }</td>
                                <td>{ format!("v{}.{}", c.version.term, c.version.index) }
                                    if c.stale { <span class="badge stale">{ "stale" }</span> }
                                </td>
                            </tr>
                        }) }
                        </tbody>
                    </table>
                }
            </div>
        }
    });
    html! {
        <section class="panel node-panel" aria-labelledby="node-panel-title">
            <h2 id="node-panel-title">{ "Nodes and partitions" }</h2>
            { details.unwrap_or_else(|| html! {
                <p class="muted">{ "Click or tap a node to crash or restart it and see its data." }</p>
            }) }
            <fieldset class="partition">
                <legend>{ "Partition: cut these nodes off from the rest" }</legend>
                <div class="chips">
                    { for NodeId::all(n).map(|i| html! {
                        <label class="chip">
                            <input type="checkbox" checked={chosen.contains(&i)} onchange={toggle_side(i)} />
                            { i.to_string() }
                        </label>
                    }) }
                </div>
                <div class="row">
                    <button type="button" onclick={emit(Msg::Isolate(chosen.clone()))}
                        disabled={chosen.is_empty() || chosen.len() == n}>{ "Cut off" }</button>
                    <button type="button" onclick={emit(Msg::Heal)} disabled={p.view.cuts.is_empty()}>{ "Heal" }</button>
                </div>
            </fieldset>
        </section>
    }
}
