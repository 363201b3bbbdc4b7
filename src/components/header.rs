//! The top bar: title, preset menu, lessons, share (its panel opens
//! beneath the button), help and theme.

use super::share::Share;
use crate::theme::Theme;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

/// A plain function, not a component: each component costs the page a
/// copy of yew's view code, and this one renders with the page anyway.
pub struct HeaderProps {
    /// (id, title) of every preset.
    pub presets: Vec<(AttrValue, AttrValue)>,
    pub current: Option<AttrValue>,
    pub on_preset: Callback<String>,
    pub on_share: Callback<()>,
    /// The share panel's links, while it is open.
    pub share: Option<(AttrValue, AttrValue)>,
    pub on_close_share: Callback<()>,
    pub on_help: Callback<()>,
    pub on_lessons: Callback<()>,
    /// Whether the lesson panel is open.
    pub lessons_open: bool,
    pub theme: Theme,
    pub on_theme: Callback<Theme>,
}

pub fn header(p: &HeaderProps) -> Html {
    let on_preset = p.on_preset.clone();
    let onchange = Callback::from(move |e: Event| {
        let select: HtmlSelectElement = e.target_unchecked_into();
        on_preset.emit(select.value());
    });
    let click = |cb: &Callback<()>| {
        let cb = cb.clone();
        Callback::from(move |_: MouseEvent| cb.emit(()))
    };
    let next_theme = p.theme.next();
    let on_theme = p.on_theme.clone();
    html! {
        <header class="topbar">
            <div class="brand">
                <h1>{ "Consistency Playground" }</h1>
                <p class="tagline">{ "Drag N, W and R and watch what a replicated store lets you read." }</p>
            </div>
            <div class="tools">
                <label class="preset-pick">
                    <span>{ "Scenario" }</span>
                    <select {onchange} aria-label="Scenario preset">
                        <option value="" selected={p.current.is_none()}>{ "Free play (the course's cluster)" }</option>
                        { for p.presets.iter().map(|(id, title)| html! {
                            <option value={id.clone()} selected={p.current.as_ref() == Some(id)}>{ title.clone() }</option>
                        }) }
                    </select>
                </label>
                <button type="button" onclick={click(&p.on_lessons)}
                    aria-expanded={p.lessons_open.to_string()}>{ "Lessons" }</button>
                <div class="share-anchor">
                    <button type="button" onclick={click(&p.on_share)}
                        aria-expanded={p.share.is_some().to_string()}>{ "Share" }</button>
                    if let Some((url, embed_url)) = &p.share {
                        <Share url={url.clone()} embed_url={embed_url.clone()} on_close={p.on_close_share.clone()} />
                    }
                </div>
                <button type="button" class="icon" onclick={click(&p.on_help)}
                    aria-label="Help and keyboard shortcuts" aria-keyshortcuts="?">{ "?" }</button>
                <button type="button" class="icon" onclick={Callback::from(move |_| on_theme.emit(next_theme))}
                    aria-label={format!("{}. Switch to {}", p.theme.label(), next_theme.label().to_ascii_lowercase())}
                    title={p.theme.label()}>
                    { p.theme.symbol() }
                </button>
            </div>
        </header>
    }
}
