//! A worker's side of the messages: reads each request the page posts,
//! serves it and posts the answer. It says "ready" first: a message posted
//! before the wasm is running would be lost.

use crate::Message;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

/// Runs this worker with `serve` as its job.
pub fn run(serve: fn(&Message) -> Message) {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let reply = scope.clone();
    let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
        let answer = serve(&Message::from_js(&event.data()));
        let _ = reply.post_message(&answer.to_js());
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The worker lives as long as the page that started it.
    on_message.forget();
    let _ = scope.post_message(&JsValue::from_str("ready"));
}
