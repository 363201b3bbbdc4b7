//! Focus for dialogs: it moves in when one opens, Tab and Shift+Tab cycle
//! inside it until it closes, and it goes back to whatever had it before.

use gloo::events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, KeyboardEvent};
use yew::prelude::*;

const FOCUSABLE: &str =
    "button:not([disabled]), input:not([disabled]), select, textarea, a[href], [tabindex='0']";

fn focusables(container: &web_sys::Element) -> Vec<HtmlElement> {
    let Ok(list) = container.query_selector_all(FOCUSABLE) else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|i| list.item(i)?.dyn_into::<HtmlElement>().ok())
        .collect()
}

/// Keeps focus inside the element behind `container` while the calling
/// component lives; `first` gets it on opening (else the first control).
#[hook]
pub fn use_focus_trap(container: NodeRef, first: NodeRef) {
    use_effect_with((), move |_| {
        let before = gloo::utils::document()
            .active_element()
            .and_then(|e| e.dyn_into::<HtmlElement>().ok());
        let start = first.cast::<HtmlElement>().or_else(|| {
            container
                .cast::<web_sys::Element>()
                .and_then(|c| focusables(&c).into_iter().next())
        });
        if let Some(el) = start {
            let _ = el.focus();
        }
        let listener = container.cast::<web_sys::Element>().map(|root| {
            let inside = root.clone();
            let options = EventListenerOptions::enable_prevent_default();
            EventListener::new_with_options(&root, "keydown", options, move |e| {
                let Some(e) = e.dyn_ref::<KeyboardEvent>() else {
                    return;
                };
                if e.key() != "Tab" {
                    return;
                }
                let all = focusables(&inside);
                let (Some(first), Some(last)) = (all.first(), all.last()) else {
                    return;
                };
                let active = gloo::utils::document().active_element();
                let at = |el: &HtmlElement| active.as_ref() == Some(el.unchecked_ref());
                let wrap_to = if e.shift_key() && at(first) {
                    Some(last)
                } else if !e.shift_key() && at(last) {
                    Some(first)
                } else {
                    None
                };
                if let Some(target) = wrap_to {
                    e.prevent_default();
                    let _ = target.focus();
                }
            })
        });
        move || {
            drop(listener);
            if let Some(el) = before {
                let _ = el.focus();
            }
        }
    });
}

/// Moves focus to the element with `id` once the page has drawn it: the
/// heading of a lesson step the learner just opened.
pub fn focus_soon(id: &'static str) {
    gloo::timers::callback::Timeout::new(0, move || {
        if let Some(el) = gloo::utils::document()
            .get_element_by_id(id)
            .and_then(|e| e.dyn_into::<HtmlElement>().ok())
        {
            let _ = el.focus();
        }
    })
    .forget();
}
