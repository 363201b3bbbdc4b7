//! Page-wide keyboard shortcuts (listed in the help overlay).

use gloo::events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsCast;
use web_sys::KeyboardEvent;
use yew::prelude::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Key {
    TogglePause,
    Step,
    StepBack,
    ToggleHelp,
    Escape,
}

/// Typing in a field (a seed, a key, a curl command) is not a shortcut.
fn typing(e: &KeyboardEvent) -> bool {
    e.target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|el| {
            matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
                || el.closest("[role=button]").ok().flatten().is_some()
        })
}

#[hook]
pub fn use_shortcuts(on_key: Callback<Key>) {
    use_effect_with((), move |_| {
        let options = EventListenerOptions::enable_prevent_default();
        let listener = EventListener::new_with_options(
            &gloo::utils::document(),
            "keydown",
            options,
            move |e| {
                let Some(e) = e.dyn_ref::<KeyboardEvent>() else {
                    return;
                };
                if e.ctrl_key() || e.meta_key() || e.alt_key() {
                    return;
                }
                let key = match e.key().as_str() {
                    "Escape" => Key::Escape,
                    _ if typing(e) => return,
                    " " => Key::TogglePause,
                    "." => Key::Step,
                    "," => Key::StepBack,
                    "?" => Key::ToggleHelp,
                    _ => return,
                };
                // Space would scroll the page, "?" might type somewhere.
                e.prevent_default();
                on_key.emit(key);
            },
        );
        move || drop(listener)
    });
}
