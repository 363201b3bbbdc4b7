//! The clients area: Client 1 and Client 2, the workload generator and the
//! curl console.

use super::console::Console;
use super::workload::WorkloadPanel;
use crate::model::clients::verdict::Badge;
use crate::model::clients::{ClientMsg, ClientsView, FormField, OpChoice, Panel};
use crate::model::Msg;
use quorum_sim::kv::Level;
use std::rc::Rc;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ClientsProps {
    pub view: Rc<ClientsView>,
    pub dispatch: Callback<Msg>,
}

#[function_component(Clients)]
pub fn clients(p: &ClientsProps) -> Html {
    let v = &p.view;
    html! {
        <section class="panel clients" aria-labelledby="clients-title">
            <h2 id="clients-title">{ "Clients" }</h2>
            <p class="muted">
                { match v.leader {
                    Some(l) => format!("node-{l} leads now. "),
                    None => "No leader right now. ".to_string(),
                } }
                { "Every operation here (and in the console) is part of the shared link." }
            </p>
            <div class="client-cards">
                { for v.panels.iter().enumerate().map(|(i, panel)| html! {
                    <ClientCard index={i} panel={panel.clone()} n={v.n} dispatch={p.dispatch.clone()} />
                }) }
            </div>
            <WorkloadPanel form={v.workload.clone()} running={v.workload_running} dispatch={p.dispatch.clone()} />
            <Console view={v.clone()} dispatch={p.dispatch.clone()} />
        </section>
    }
}

pub fn badge(b: &Badge) -> Html {
    html! { <span class={classes!("badge", b.tone.class())}>{ b.text.clone() }</span> }
}

#[derive(Properties, PartialEq)]
struct CardProps {
    index: usize,
    panel: Panel,
    n: usize,
    dispatch: Callback<Msg>,
}

const OPS: [(OpChoice, &str, &str); 3] = [
    (OpChoice::Put, "put", "PUT"),
    (OpChoice::Get, "get", "GET"),
    (OpChoice::Delete, "delete", "DELETE"),
];

#[function_component(ClientCard)]
fn client_card(p: &CardProps) -> Html {
    let i = p.index;
    let f = &p.panel.form;
    let id = |what: &str| format!("client-{}-{what}", i + 1);
    let field = |make: fn(String) -> Option<FormField>| {
        let dispatch = p.dispatch.clone();
        Callback::from(move |e: Event| {
            let value = match e.target_dyn_into::<HtmlSelectElement>() {
                Some(select) => select.value(),
                None => e.target_unchecked_into::<HtmlInputElement>().value(),
            };
            if let Some(f) = make(value) {
                dispatch.emit(Msg::Client(ClientMsg::Form(i, f)));
            }
        })
    };
    let typed = |make: fn(String) -> FormField| {
        let dispatch = p.dispatch.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            dispatch.emit(Msg::Client(ClientMsg::Form(i, make(input.value()))));
        })
    };
    let on_redirect = {
        let dispatch = p.dispatch.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            dispatch.emit(Msg::Client(ClientMsg::Form(
                i,
                FormField::Redirect(input.checked()),
            )));
        })
    };
    let onsubmit = {
        let dispatch = p.dispatch.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            dispatch.emit(Msg::Client(ClientMsg::Send(i)));
        })
    };
    let title = format!("Client {}", i + 1);
    html! {
        <section class="client-card" aria-labelledby={id("title")}>
            <h3 id={id("title")}>{ title.clone() }</h3>
            <form class="client-form" {onsubmit}>
                <div class="field">
                    <label for={id("node")}>{ "Node" }</label>
                    <select id={id("node")} onchange={field(|v| v.parse().ok().map(FormField::Node))}>
                        { for (1..=p.n).map(|k| html! {
                            <option value={k.to_string()} selected={k == f.node}>{ format!("node-{k}") }</option>
                        }) }
                    </select>
                </div>
                <div class="field">
                    <label for={id("op")}>{ "Operation" }</label>
                    <select id={id("op")} onchange={field(|v| OPS.iter().find(|o| o.1 == v).map(|o| FormField::Op(o.0)))}>
                        { for OPS.iter().map(|(op, value, label)| html! {
                            <option value={*value} selected={*op == f.op}>{ *label }</option>
                        }) }
                    </select>
                </div>
                <div class="field">
                    <label for={id("key")}>{ "Key" }</label>
                    <input type="text" id={id("key")} value={f.key.clone()} autocomplete="off"
                        oninput={typed(FormField::Key)} />
                </div>
                if f.op == OpChoice::Put {
                    <div class="field">
                        <label for={id("value")}>{ "Value" }</label>
                        <input type="text" id={id("value")} value={f.value.clone()} autocomplete="off"
                            oninput={typed(FormField::Value)} />
                    </div>
                }
                if f.op == OpChoice::Get {
                    <div class="field">
                        <label for={id("level")}>{ "Consistency" }</label>
                        <select id={id("level")} onchange={field(|v| Level::parse(&v).map(FormField::Level))}>
                            { for Level::ALL.iter().map(|l| html! {
                                <option value={l.name()} selected={*l == f.level}>{ l.name() }</option>
                            }) }
                        </select>
                    </div>
                }
                <label class="check wide">
                    <input type="checkbox" checked={f.redirect} onchange={on_redirect} />
                    <span>{ "Redirect writes to the leader (retry a 503 where it points)" }</span>
                </label>
                <button type="submit" class="primary wide">{ "Send" }</button>
            </form>
            <ol class="results" aria-label={format!("{title} results")} aria-live="polite">
                if p.panel.rows.is_empty() {
                    <li class="muted empty">{ "No operations yet." }</li>
                }
                { for p.panel.rows.iter().map(|row| html! {
                    <li class="result">
                        <div class="result-op">
                            <strong>{ row.op.clone() }</strong>
                            <span class="muted">{ format!(" → node-{}", row.node) }</span>
                        </div>
                        <div class="result-facts">
                            if let Some(v) = &row.returned {
                                <span>{ format!("got {v}") }</span>
                            }
                            if let Some(ms) = row.latency_ms {
                                <span class="muted">{ format!("{ms:.0} ms") }</span>
                            }
                            if let Some(note) = &row.note {
                                <span class="muted">{ note.clone() }</span>
                            }
                            { for row.badges().iter().map(badge) }
                        </div>
                    </li>
                }) }
            </ol>
        </section>
    }
}
