//! The in-page curl console: the course's commands against the simulated
//! cluster, with history, one-click examples and exercise 2.

use super::clients::badge;
use crate::model::clients::{ClientMsg, ClientsView, Why, CLIENTS};
use crate::model::Msg;
use quorum_console::examples::{self, ReadResult};
use std::rc::Rc;
use web_sys::{Element, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ConsoleProps {
    pub view: Rc<ClientsView>,
    pub dispatch: Callback<Msg>,
    /// A read's "why" was asked for: the timeline shows it.
    pub on_why: Callback<Why>,
}

fn result_card(level: &str, read: Option<&ReadResult>) -> Html {
    let (node, answer) = match read {
        None => ("".to_string(), "waiting…".to_string()),
        Some(r) => (
            format!("{} · HTTP {}", r.node, r.status),
            match &r.value {
                Some(v) => v.to_string(),
                None if r.status == 404 => "Key not found".into(),
                None => "no value".into(),
            },
        ),
    };
    html! {
        <div class="pair-card">
            <div class="muted">{ format!("consistency={level}") }</div>
            <div class="pair-value" data-testid={format!("exercise-{level}")}>{ answer }</div>
            <div class="muted">{ node }</div>
        </div>
    }
}

#[function_component(Console)]
pub fn console(p: &ConsoleProps) -> Html {
    let v = &p.view;
    let text = use_state(String::new);
    // Position in the history while browsing it with the arrow keys.
    let cursor = use_state(|| None::<usize>);
    let log_ref = use_node_ref();
    {
        let log_ref = log_ref.clone();
        let last = v.log.last().map(|e| (e.id, e.answer.is_some()));
        use_effect_with(last, move |_| {
            if let Some(log) = log_ref.cast::<Element>() {
                log.set_scroll_top(log.scroll_height());
            }
        });
    }
    let emit = |msg: ClientMsg| {
        let dispatch = p.dispatch.clone();
        move || dispatch.emit(Msg::Client(msg.clone()))
    };
    let run = {
        let (dispatch, text, cursor) = (p.dispatch.clone(), text.clone(), cursor.clone());
        move || {
            dispatch.emit(Msg::Client(ClientMsg::ConsoleRun((*text).clone())));
            text.set(String::new());
            cursor.set(None);
        }
    };
    let onkeydown = {
        let (run, text, cursor, history) =
            (run.clone(), text.clone(), cursor.clone(), v.history.clone());
        Callback::from(move |e: KeyboardEvent| {
            let area: HtmlTextAreaElement = e.target_unchecked_into();
            let caret = area.selection_start().ok().flatten().unwrap_or(0) as usize;
            let value = area.value();
            // The caret counts UTF-16 units; count the line breaks before it.
            let breaks_before = value
                .encode_utf16()
                .take(caret)
                .filter(|&u| u == 10)
                .count();
            let on_first_line = breaks_before == 0;
            let on_last_line = breaks_before == value.matches('\n').count();
            match e.key().as_str() {
                "Enter" if !e.shift_key() => {
                    e.prevent_default();
                    run();
                }
                "ArrowUp" if on_first_line && !history.is_empty() => {
                    e.prevent_default();
                    let at = cursor.map_or(history.len() - 1, |c| c.saturating_sub(1));
                    cursor.set(Some(at));
                    text.set(history[at].clone());
                }
                "ArrowDown" if on_last_line && cursor.is_some() => {
                    e.prevent_default();
                    let next = cursor.map(|c| c + 1).filter(|&c| c < history.len());
                    cursor.set(next);
                    text.set(next.map(|c| history[c].clone()).unwrap_or_default());
                }
                _ => {}
            }
        })
    };
    let oninput = {
        let text = text.clone();
        Callback::from(move |e: InputEvent| {
            let area: HtmlTextAreaElement = e.target_unchecked_into();
            text.set(area.value());
        })
    };
    let on_client = {
        let dispatch = p.dispatch.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            if let Ok(i) = select.value().parse() {
                dispatch.emit(Msg::Client(ClientMsg::ConsoleClient(i)));
            }
        })
    };
    let leader_note = match v.leader {
        Some(l) => format!(
            "In this run {l} leads: writes go to localhost:{}, and the course's commands below follow it.",
            examples::port(l)
        ),
        None => "No node leads right now: writes get a 503 until one is elected.".into(),
    };
    html! {
        <section class="console" aria-labelledby="console-title">
            <h3 id="console-title">{ "curl console" }</h3>
            <p class="muted">
                { "Node i answers at http://localhost:400i, as in the course. " }
                { leader_note }
            </p>
            <div class="console-top">
                <div class="field">
                    <label for="console-client">{ "Typing as" }</label>
                    <select id="console-client" onchange={on_client}>
                        { for (0..CLIENTS).map(|i| html! {
                            <option value={i.to_string()} selected={i == v.typing}>{ format!("Client {}", i + 1) }</option>
                        }) }
                    </select>
                </div>
                <button type="button" onclick={{ let e = emit(ClientMsg::Exercise2); move |_| e() }}
                    disabled={v.console_busy}>
                    { "Run exercise 2" }
                </button>
                <button type="button" onclick={{ let e = emit(ClientMsg::ConsoleClear); move |_| e() }}>
                    { "Clear" }
                </button>
            </div>
            if let Some(pair) = &v.exercise {
                <div class="pair" aria-label="Exercise 2: the two reads side by side" role="group">
                    { result_card("eventual", pair.eventual.as_ref()) }
                    { result_card("strong", pair.strong.as_ref()) }
                </div>
                if let Some(note) = &v.exercise_note {
                    <p class="note" data-testid="exercise-note">{ note.clone() }</p>
                }
            }
            <div class="console-log" role="log" aria-live="polite" aria-label="Console output" ref={log_ref} tabindex="0">
                if v.log.is_empty() {
                    <p class="muted">{ "Answers appear here. Try an example below." }</p>
                }
                { for v.log.iter().map(|entry| html! {
                    <div class="console-entry">
                        <pre class="prompt">{ format!("client-{} $ {}", entry.client + 1, entry.command) }</pre>
                        <pre class="answer">{
                            match &entry.answer {
                                Some(a) => a.text.clone(),
                                None if entry.cut_off => "(no answer: the run was changed before it came)".into(),
                                None => "…".into(),
                            }
                        }</pre>
                        if let Some(verdict) = entry.verdict.as_ref().filter(|v| v.why().is_some()) {
                            <p class="verdict-line" data-testid="console-verdict">
                                { for verdict.badges().iter().map(badge) }
                                <span>{ format!(" {}", verdict.why().unwrap_or_default()) }</span>
                            </p>
                        }
                        if let Some(why) = entry.why() {
                            <button type="button" class="show-why" onclick={{
                                let on_why = p.on_why.clone();
                                move |_| on_why.emit(why.clone())
                            }}>{ "Show why in the timeline" }</button>
                        }
                    </div>
                }) }
            </div>
            <form class="console-input" onsubmit={{ let run = run.clone(); move |e: SubmitEvent| { e.prevent_default(); run(); } }}>
                <label for="console-input">{ "Console" }</label>
                <textarea id="console-input" rows="3" spellcheck="false" autocomplete="off"
                    placeholder="curl http://localhost:4001/status"
                    value={(*text).clone()} {oninput} {onkeydown}
                    aria-describedby="console-help" />
                <small id="console-help" class="muted">
                    { "Enter runs, Shift+Enter adds a line, ↑ and ↓ recall earlier commands." }
                </small>
                <button type="submit" class="primary">{ "Run" }</button>
            </form>
            <details class="examples" open=true>
                <summary>{ "The course's commands" }</summary>
                <ul>
                    { for v.steps.iter().map(|ex| {
                        let e = emit(ClientMsg::ConsoleRun(ex.command.clone()));
                        html! {
                            <li>
                                <button type="button" class="example" onclick={move |_| e()}
                                    title={ex.command.clone()}>
                                    { ex.label.clone() }
                                </button>
                            </li>
                        }
                    }) }
                </ul>
            </details>
        </section>
    }
}
