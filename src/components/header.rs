//! The top bar: title, preset menu, share, help and theme.

use crate::theme::Theme;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct HeaderProps {
    /// (id, title) of every preset.
    pub presets: Vec<(AttrValue, AttrValue)>,
    pub current: Option<AttrValue>,
    pub on_preset: Callback<String>,
    pub on_share: Callback<()>,
    pub on_help: Callback<()>,
    pub theme: Theme,
    pub on_theme: Callback<Theme>,
}

#[function_component(Header)]
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
                <button type="button" onclick={click(&p.on_share)}>{ "Share" }</button>
                <button type="button" class="icon" onclick={click(&p.on_help)}
                    aria-label="Help and keyboard shortcuts" aria-keyshortcuts="?">{ "?" }</button>
                <button type="button" onclick={Callback::from(move |_| on_theme.emit(next_theme))}
                    aria-label={format!("Theme: {}. Switch to {}", p.theme.label(), next_theme.label())}>
                    { p.theme.label() }
                </button>
            </div>
        </header>
    }
}
