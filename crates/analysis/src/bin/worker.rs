//! The Web Worker: reads each request the page posts, does the work and
//! posts the answer. It says "ready" first: a message posted before the
//! wasm is running would be lost.

#[cfg(target_arch = "wasm32")]
fn main() {
    use js_sys::{Array, Float64Array};
    use quorum_analysis::Message;
    use wasm_bindgen::prelude::*;
    use wasm_bindgen::JsCast;
    use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let reply = scope.clone();
    let on_message = Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
        let parts = Array::from(&event.data());
        let request = Message {
            id: parts.get(0).as_f64().unwrap_or(0.0) as u64,
            tag: parts.get(1).as_string().unwrap_or_default(),
            text: parts.get(2).as_string().unwrap_or_default(),
            numbers: Vec::new(),
        };
        let answer = quorum_analysis::serve(&request);
        let out = Array::of4(
            &JsValue::from_f64(answer.id as f64),
            &JsValue::from_str(&answer.tag),
            &JsValue::from_str(&answer.text),
            &Float64Array::from(&answer.numbers[..]),
        );
        let _ = reply.post_message(&out);
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    let _ = scope.post_message(&JsValue::from_str("ready"));
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("analysis-worker runs as the page's Web Worker in a browser (see crates/analysis).");
    std::process::exit(2);
}
