use web_sys::HtmlInputElement;
use yew::prelude::*;

/// A labelled range input. A plain function, not a component: each
/// component costs the page a copy of yew's view code.
pub struct Slider {
    /// The input's id; the label points at it.
    pub id: &'static str,
    /// The visible label, which is also the input's accessible name.
    pub label: &'static str,
    pub min: f64,
    pub max: f64,
    pub step: f64,
    pub value: f64,
    /// Shown beside the label: the value with its unit.
    pub shown: String,
    pub on_change: Callback<f64>,
}

pub fn slider(p: Slider) -> Html {
    let on_change = p.on_change;
    let oninput = Callback::from(move |e: InputEvent| {
        let input: HtmlInputElement = e.target_unchecked_into();
        // The browser's number, not a parse here: Rust's float parser brings
        // a 20 kB table into the download.
        let v = input.value_as_number();
        if v.is_finite() {
            on_change.emit(v);
        }
    });
    html! {
        <div class="slider">
            <label for={p.id}>
                <span>{ p.label }</span>
                // The range input announces its own value; a second live region
                // here would make screen readers read every change twice.
                <output for={p.id} aria-hidden="true">{ p.shown }</output>
            </label>
            <input type="range" id={p.id}
                min={p.min.to_string()} max={p.max.to_string()} step={p.step.to_string()}
                value={p.value.to_string()} {oninput} />
        </div>
    }
}
