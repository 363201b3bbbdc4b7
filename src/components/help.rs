//! The help overlay: what the page is and its keyboard shortcuts.

use crate::focus::use_focus_trap;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct HelpProps {
    pub on_close: Callback<()>,
}

pub const SHORTCUTS: [(&str, &str); 6] = [
    ("Space", "pause or play"),
    (".", "step one event (pauses)"),
    (",", "step back one event"),
    ("?", "show or hide this help"),
    ("Esc", "close this help or the share panel"),
    ("Enter on a node", "crash or restart it"),
];

#[function_component(Help)]
pub fn help(p: &HelpProps) -> Html {
    let close = {
        let cb = p.on_close.clone();
        Callback::from(move |_: MouseEvent| cb.emit(()))
    };
    let (dialog, close_button) = (use_node_ref(), use_node_ref());
    // Focus moves in so Esc and Tab work at once, and stays until closed.
    use_focus_trap(dialog.clone(), close_button.clone());
    html! {
        <div class="overlay" onclick={close.clone()}>
            <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="help-title" ref={dialog}
                onclick={Callback::from(|e: MouseEvent| e.stop_propagation())}>
                <h2 id="help-title">{ "How to use the playground" }</h2>
                <p>{ "A replicated key-value store runs in your browser on a simulated network. Every message is drawn as it travels; nothing is faked. Change N, W, R and the network in Settings; click a node to crash or restart it; choose a scenario at the top to see one idea at a time." }</p>
                <p>{ "Time runs in slow motion while something worth seeing travels, briskly while only heartbeats fly, and jumps over moments when nothing happens (turn that off with “Skip quiet time”). What you see at a given simulated time is the same however you got there." }</p>
                <table class="shortcuts">
                    <tbody>
                    { for SHORTCUTS.iter().map(|(key, what)| html! {
                        <tr><th><kbd>{ *key }</kbd></th><td>{ *what }</td></tr>
                    }) }
                    </tbody>
                </table>
                <button type="button" class="primary" ref={close_button} onclick={close}>{ "Close" }</button>
            </div>
        </div>
    }
}
