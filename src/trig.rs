//! Sine and cosine for drawing the ring. In the browser they come from JS
//! `Math`: Rust's own bring their argument reduction (README, "Size") into
//! a bundle that only ever needs a handful of angles. Native builds
//! (the unit tests) use std.

#[cfg(target_arch = "wasm32")]
pub fn cos_sin(angle: f64) -> (f64, f64) {
    (js_sys::Math::cos(angle), js_sys::Math::sin(angle))
}

#[cfg(not(target_arch = "wasm32"))]
pub fn cos_sin(angle: f64) -> (f64, f64) {
    (angle.cos(), angle.sin())
}
