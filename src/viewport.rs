//! Whether the page is phone-sized, kept up to date as the window resizes.

use gloo::events::EventListener;
use yew::prelude::*;

/// Matches the phone breakpoint in styles/app.css.
const NARROW_PX: f64 = 720.0;

fn is_narrow() -> bool {
    gloo::utils::window()
        .inner_width()
        .ok()
        .and_then(|w| w.as_f64())
        .is_some_and(|w| w <= NARROW_PX)
}

#[hook]
pub fn use_narrow() -> bool {
    let narrow = use_state(is_narrow);
    {
        let narrow = narrow.clone();
        use_effect_with((), move |_| {
            let listener = EventListener::new(&gloo::utils::window(), "resize", move |_| {
                narrow.set(is_narrow())
            });
            move || drop(listener)
        });
    }
    *narrow
}
