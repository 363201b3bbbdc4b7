use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct SliderProps {
    /// The visible label, which is also the input's accessible name.
    pub label: AttrValue,
    pub id: AttrValue,
    pub min: f64,
    pub max: f64,
    #[prop_or(1.0)]
    pub step: f64,
    pub value: f64,
    /// Shown beside the label: the value with its unit.
    pub shown: AttrValue,
    pub on_change: Callback<f64>,
}

#[function_component(Slider)]
pub fn slider(p: &SliderProps) -> Html {
    let on_change = p.on_change.clone();
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
            <label for={p.id.clone()}>
                <span>{ p.label.clone() }</span>
                // The range input announces its own value; a second live region
                // here would make screen readers read every change twice.
                <output for={p.id.clone()} aria-hidden="true">{ p.shown.clone() }</output>
            </label>
            <input type="range" id={p.id.clone()}
                min={p.min.to_string()} max={p.max.to_string()} step={p.step.to_string()}
                value={p.value.to_string()} {oninput} />
        </div>
    }
}
