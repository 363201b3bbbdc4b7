//! Drives the model from the browser's animation frames.

use crate::model::Msg;
use gloo::render::{request_animation_frame, AnimationFrame};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use yew::prelude::*;

/// Calls `on_frame` with the wall-clock milliseconds since the previous frame,
/// once per animation frame, for as long as the calling component lives.
#[hook]
pub fn use_frames(on_frame: Callback<Msg>) {
    use_effect_with((), move |_| {
        let handle: Rc<RefCell<Option<AnimationFrame>>> = Rc::default();
        let last: Rc<Cell<Option<f64>>> = Rc::default();
        schedule(handle.clone(), last, on_frame);
        // Dropping the pending frame cancels it and frees the closure chain.
        move || drop(handle.borrow_mut().take())
    });
}

fn schedule(
    handle: Rc<RefCell<Option<AnimationFrame>>>,
    last: Rc<Cell<Option<f64>>>,
    on_frame: Callback<Msg>,
) {
    let next = handle.clone();
    *handle.borrow_mut() = Some(request_animation_frame(move |now_ms| {
        let elapsed = last
            .replace(Some(now_ms))
            .map_or(0.0, |before| now_ms - before);
        on_frame.emit(Msg::Frame(elapsed));
        schedule(next, last, on_frame);
    }));
}
