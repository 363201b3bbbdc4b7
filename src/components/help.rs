//! The help overlay: what the page is and its keyboard shortcuts.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct HelpProps {
    pub on_close: Callback<()>,
}

pub const SHORTCUTS: [(&str, &str); 5] = [
    ("Space", "pause or play"),
    (".", "step one event (pauses)"),
    ("?", "show or hide this help"),
    ("Esc", "close this help"),
    ("Enter on a node", "crash or restart it"),
];

#[function_component(Help)]
pub fn help(p: &HelpProps) -> Html {
    let close = {
        let cb = p.on_close.clone();
        Callback::from(move |_: MouseEvent| cb.emit(()))
    };
    let close_button = use_node_ref();
    {
        // Focus moves into the dialog so Esc and Tab work at once.
        let close_button = close_button.clone();
        use_effect_with((), move |_| {
            if let Some(b) = close_button.cast::<web_sys::HtmlElement>() {
                let _ = b.focus();
            }
        });
    }
    html! {
        <div class="overlay" onclick={close.clone()}>
            <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="help-title"
                onclick={Callback::from(|e: MouseEvent| e.stop_propagation())}>
                <h2 id="help-title">{ "How to use the playground" }</h2>
                <p>{ "A replicated key-value store runs in your browser on a simulated network. Every message is drawn as it travels; nothing is faked. Change N, W, R and the network on the left; click a node to crash or restart it; choose a scenario at the top to see one idea at a time." }</p>
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
