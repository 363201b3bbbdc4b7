//! A message as it crosses `postMessage`: `[id, tag, text, numbers]`, the
//! numbers a `Float64Array`. Both sides (the page and each worker) read and
//! write it here.

use crate::Message;
use js_sys::{Array, Float64Array};
use wasm_bindgen::{JsCast, JsValue};

impl Message {
    /// The message in `data`; what is missing reads as empty (id 0).
    pub fn from_js(data: &JsValue) -> Message {
        let parts = Array::from(data);
        Message {
            id: parts.get(0).as_f64().unwrap_or(0.0) as u64,
            tag: parts.get(1).as_string().unwrap_or_default(),
            text: parts.get(2).as_string().unwrap_or_default(),
            numbers: parts
                .get(3)
                .dyn_into::<Float64Array>()
                .map(|a| a.to_vec())
                .unwrap_or_default(),
        }
    }

    pub fn to_js(&self) -> Array {
        Array::of4(
            &JsValue::from_f64(self.id as f64),
            &JsValue::from_str(&self.tag),
            &JsValue::from_str(&self.text),
            &Float64Array::from(&self.numbers[..]),
        )
    }
}
