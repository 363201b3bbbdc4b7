//! The course's Client 1 and Client 2: a compact form each, the latest
//! answer with its verdict and the reason in numbers, and earlier answers
//! below it.

use crate::model::clients::verdict::{version_name, Badge};
use crate::model::clients::{
    Behind, ClientMsg, ClientsView, FormField, OpChoice, Panel, ResultRow, Why,
};
use crate::model::Msg;
use quorum_sim::kv::Level;
use quorum_sim::msg::NodeId;
use std::rc::Rc;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ClientsProps {
    pub view: Rc<ClientsView>,
    /// On a phone the two clients share the first screen as tabs.
    pub narrow: bool,
    pub dispatch: Callback<Msg>,
    /// A read's or a write's "why" was asked for.
    pub on_why: Callback<Why>,
}

#[function_component(Clients)]
pub fn clients(p: &ClientsProps) -> Html {
    let v = &p.view;
    let shown = use_state(|| 0usize);
    let tab = |i: usize| {
        let shown = shown.clone();
        Callback::from(move |_: MouseEvent| shown.set(i))
    };
    let on_keys = {
        let (shown, count) = (shown.clone(), v.panels.len());
        Callback::from(move |e: KeyboardEvent| {
            let step = match e.key().as_str() {
                "ArrowRight" => 1,
                "ArrowLeft" => count - 1,
                _ => return,
            };
            e.prevent_default();
            shown.set((*shown + step) % count);
        })
    };
    html! {
        <section class={classes!("panel", "clients", p.narrow.then_some("tabbed"))} aria-labelledby="clients-title">
            <h2 id="clients-title">{ "Clients" }</h2>
            <p class="muted leader-note">
                { match v.leader {
                    Some(l) => format!("{l} leads now: send writes there."),
                    None => "No leader right now: writes get a 503.".to_string(),
                } }
            </p>
            if p.narrow {
                <div class="tabs" role="tablist" aria-label="Clients" onkeydown={on_keys}>
                    { for (0..v.panels.len()).map(|i| html! {
                        <button type="button" role="tab" id={format!("client-tab-{}", i + 1)}
                            aria-selected={(*shown == i).to_string()} aria-controls={format!("client-panel-{}", i + 1)}
                            tabindex={if *shown == i { "0" } else { "-1" }} onclick={tab(i)}>
                            { format!("Client {}", i + 1) }
                        </button>
                    }) }
                </div>
            }
            { for v.panels.iter().enumerate().map(|(i, panel)| html! {
                <div id={format!("client-panel-{}", i + 1)} role={p.narrow.then_some("tabpanel")}
                    aria-labelledby={p.narrow.then(|| format!("client-tab-{}", i + 1))}
                    hidden={p.narrow && *shown != i}>
                    { client_card(&CardProps {
                        index: i,
                        panel,
                        n: v.n,
                        behind: &v.behind[i],
                        dispatch: &p.dispatch,
                        on_why: &p.on_why,
                    }) }
                </div>
            }) }
        </section>
    }
}

pub fn badge(b: &Badge) -> Html {
    html! { <span class={classes!("badge", b.tone.class())}>{ b.text.clone() }</span> }
}

/// A plain function's arguments, not a component's props: each component
/// costs the page a copy of yew's view code.
pub struct CardProps<'a> {
    pub index: usize,
    pub panel: &'a Panel,
    pub n: usize,
    /// Nodes whose copy of this form's key is behind right now.
    pub behind: &'a [Behind],
    pub dispatch: &'a Callback<Msg>,
    pub on_why: &'a Callback<Why>,
}

const OPS: [(OpChoice, &str, &str); 3] = [
    (OpChoice::Put, "put", "PUT"),
    (OpChoice::Get, "get", "GET"),
    (OpChoice::Delete, "delete", "DELETE"),
];

fn result(row: &ResultRow, latest: bool, on_why: &Callback<Why>) -> Html {
    let focus = row.why();
    let label = if matches!(focus, Some(Why::Write { .. })) {
        "What became of this write?"
    } else {
        "Show why in the timeline"
    };
    html! {
        <li class={classes!("result", latest.then_some("latest"), row.verdict.tone().class())}>
            <div class="result-op">
                <strong>{ row.op.clone() }</strong>
                <span class="muted">{ format!(" → {}", row.node) }</span>
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
            if let Some(why) = row.verdict.why().filter(|_| latest) {
                <p class="why" data-testid="why">{ why.to_string() }</p>
            }
            if let Some(focus) = focus {
                <button type="button" class="show-why" onclick={{
                    let on_why = on_why.clone();
                    move |_| on_why.emit(focus.clone())
                }}>{ label }</button>
            }
        </li>
    }
}

/// The hint under a reader's form: which nodes have not got the newest
/// acknowledged write of its key yet.
fn behind_hint(key: &str, behind: &[Behind]) -> Html {
    let Some(first) = behind.first() else {
        return html! {};
    };
    let names: Vec<String> = behind.iter().map(|b| b.node.to_string()).collect();
    let has = if first.has == quorum_sim::kv::Version::ZERO {
        "no copy".to_string()
    } else {
        version_name(first.has)
    };
    html! {
        <p class="hint" data-testid="behind">
            { format!("Behind on {key} now: {} ({has}; {} acknowledged). A read there is stale.",
                names.join(", "), version_name(first.newest)) }
        </p>
    }
}

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
    let reading = f.op == OpChoice::Get;
    html! {
        <section class="client-card" aria-labelledby={id("title")}>
            <h3 id={id("title")}>{ title.clone() }</h3>
            <form class="client-form" {onsubmit}>
                <div class="field">
                    <label for={id("op")}>{ "Method" }</label>
                    <select id={id("op")} onchange={field(|v| OPS.iter().find(|o| o.1 == v).map(|o| FormField::Op(o.0)))}>
                        { for OPS.iter().map(|(op, value, label)| html! {
                            <option value={*value} selected={*op == f.op}>{ *label }</option>
                        }) }
                    </select>
                </div>
                <div class="field">
                    <label for={id("node")}>{ "Node" }</label>
                    <select id={id("node")} onchange={field(|v| v.parse().ok().map(FormField::Node))}>
                        { for NodeId::all(p.n).map(|k| html! {
                            <option value={k.number().to_string()} selected={k == f.node}>{ k.to_string() }</option>
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
                if reading {
                    <div class="field">
                        <label for={id("level")}>{ "Consistency" }</label>
                        <select id={id("level")} onchange={field(|v| Level::parse(&v).map(FormField::Level))}>
                            { for Level::ALL.iter().map(|l| html! {
                                <option value={l.name()} selected={*l == f.level}>{ l.name() }</option>
                            }) }
                        </select>
                    </div>
                }
                <button type="submit" class={classes!("primary", "send", reading.then_some("alone"))}>{ "Send" }</button>
                if !reading {
                    <label class="check retry">
                        <input type="checkbox" checked={f.redirect} onchange={on_redirect} />
                        <span>{ "Retry a 503 at the leader" }</span>
                    </label>
                }
            </form>
            if reading {
                { behind_hint(f.key.trim(), p.behind) }
            }
            <ol class="results" aria-label={format!("{title} results")} aria-live="polite">
                if p.panel.rows.is_empty() {
                    <li class="muted empty">{ "No operations yet." }</li>
                }
                { for p.panel.rows.iter().enumerate().map(|(k, row)| result(row, k == 0, p.on_why)) }
            </ol>
        </section>
    }
}
