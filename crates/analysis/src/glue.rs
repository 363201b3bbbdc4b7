//! A worker's side of the messages: reads each request the page posts,
//! serves it and posts the answer. It says "ready" first: a message posted
//! before the wasm is running would be lost.

use crate::Message;
use js_sys::{Array, Float64Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

/// Runs this worker with `serve` as its job.
pub fn run(serve: fn(&Message) -> Message) {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let reply = scope.clone();
    let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
        let parts = Array::from(&event.data());
        let request = Message {
            id: parts.get(0).as_f64().unwrap_or(0.0) as u64,
            tag: parts.get(1).as_string().unwrap_or_default(),
            text: parts.get(2).as_string().unwrap_or_default(),
            numbers: parts
                .get(3)
                .dyn_into::<Float64Array>()
                .map(|a| a.to_vec())
                .unwrap_or_default(),
        };
        let answer = serve(&request);
        let out = Array::of4(
            &JsValue::from_f64(answer.id as f64),
            &JsValue::from_str(&answer.tag),
            &JsValue::from_str(&answer.text),
            &Float64Array::from(&answer.numbers[..]),
        );
        let _ = reply.post_message(&out);
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The worker lives as long as the page that started it.
    on_message.forget();
    let _ = scope.post_message(&JsValue::from_str("ready"));
}
