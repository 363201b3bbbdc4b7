//! The share panel: a link that replays exactly this run, and the code to
//! embed it in a course page. It opens under the Share button and keeps
//! focus until it is closed.

use crate::focus::use_focus_trap;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ShareProps {
    pub url: AttrValue,
    pub embed_url: AttrValue,
    pub on_close: Callback<()>,
}

fn copy(text: &str) {
    // The clipboard may be refused (no permission, insecure origin); the
    // text stays selectable in the field either way.
    let _ = gloo::utils::window()
        .navigator()
        .clipboard()
        .write_text(text);
}

#[function_component(Share)]
pub fn share(p: &ShareProps) -> Html {
    let iframe = format!(
        "<iframe src=\"{}\" title=\"Consistency Playground\" width=\"100%\" height=\"640\" style=\"border:0\"></iframe>",
        p.embed_url
    );
    let copy_button = |text: String, label: &'static str| {
        let onclick = Callback::from(move |_: MouseEvent| copy(&text));
        html! { <button type="button" {onclick}>{ label }</button> }
    };
    let close = {
        let cb = p.on_close.clone();
        Callback::from(move |_: MouseEvent| cb.emit(()))
    };
    let select_all = Callback::from(|e: FocusEvent| {
        if let Some(input) = e.target_dyn_into::<web_sys::HtmlInputElement>() {
            input.select();
        } else if let Some(area) = e.target_dyn_into::<web_sys::HtmlTextAreaElement>() {
            area.select();
        }
    });
    let (panel, link) = (use_node_ref(), use_node_ref());
    use_focus_trap(panel.clone(), link.clone());
    html! {
        <section class="share" role="dialog" aria-labelledby="share-title" ref={panel}>
            <h2 id="share-title">{ "Share this run" }</h2>
            <p class="muted">{ "The link holds the settings, the seed and everything done so far: it replays this exact run." }</p>
            <label class="field">
                <span>{ "Link" }</span>
                <input type="text" readonly=true value={p.url.clone()} onfocus={select_all.clone()} ref={link} />
            </label>
            { copy_button(p.url.to_string(), "Copy link") }
            <label class="field">
                <span>{ "Embed in a course page" }</span>
                <textarea readonly=true rows="3" onfocus={select_all} value={iframe.clone()} />
            </label>
            <div class="row">
                { copy_button(iframe, "Copy embed code") }
                <button type="button" onclick={close}>{ "Close" }</button>
            </div>
        </section>
    }
}
