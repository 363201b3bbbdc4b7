//! The quorum explainer: what the current R, W and N promise, always visible.

use crate::model::quorum::explain;
use yew::prelude::*;

/// A plain function, not a component: each component costs the page a
/// copy of yew's view code, and this one renders with the page anyway.
pub struct ExplainerProps {
    pub n: usize,
    pub w: usize,
    pub r: usize,
    pub show_quorums: bool,
    pub on_toggle: Callback<bool>,
}

pub fn explainer(p: &ExplainerProps) -> Html {
    let e = explain(p.n, p.w, p.r);
    let on_toggle = p.on_toggle.clone();
    let onchange = Callback::from(move |ev: Event| {
        let input: web_sys::HtmlInputElement = ev.target_unchecked_into();
        on_toggle.emit(input.checked());
    });
    html! {
        <section class={classes!("panel", "explainer", e.overlap.then_some("overlap"))}
            aria-labelledby="explainer-title" data-testid="quorum-summary">
            <h2 id="explainer-title">{ "Quorums" }</h2>
            <p class="headline">{ e.headline }</p>
            <p>{ e.reads }</p>
            <p>{ e.writes }</p>
            <label class="check">
                <input type="checkbox" checked={p.show_quorums} {onchange} />
                <span>
                    { "Outline a write quorum " }<span class="key write" aria-hidden="true"></span>
                    { " and a read quorum " }<span class="key read" aria-hidden="true"></span>
                    { " on the ring (★ where they meet)" }
                </span>
            </label>
        </section>
    }
}
