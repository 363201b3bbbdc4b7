//! The lesson panel: the lesson worker's markup as it is, and one click
//! handler for every button in it, which hands the button's `data-do` to
//! the page. A plain function: each component costs the page a copy of
//! yew's view code.

use crate::lesson::Panel;
use web_sys::Element;
use yew::prelude::*;

pub struct LessonProps<'a> {
    pub panel: &'a Panel,
    /// A button's command (`open:ID:K`, `check:ID:K`, `list`, `close`, …).
    pub on_do: Callback<String>,
}

pub fn lesson_panel(p: &LessonProps) -> Html {
    let on_do = p.on_do.clone();
    let onclick = Callback::from(move |e: MouseEvent| {
        let target: Element = e.target_unchecked_into();
        if let Some(command) = target
            .closest("[data-do]")
            .ok()
            .flatten()
            .and_then(|b| b.get_attribute("data-do"))
        {
            on_do.emit(command);
        }
    });
    let panel = p.panel;
    html! {
        <section class="panel lesson" aria-label="Lesson" {onclick}>
            <button type="button" class="icon lesson-close" data-do="close" aria-label="Close the lesson">{ "×" }</button>
            if let Some(markup) = &panel.markup {
                { Html::from_html_unchecked(AttrValue::from(markup.clone())) }
            }
            if let Some(busy) = panel.busy {
                <p class="muted lesson-busy">{ busy }</p>
            }
            if let Some(why) = &panel.error {
                <p class="note" role="alert">{ why.clone() }</p>
                <button type="button" data-do="list">{ "All lessons" }</button>
            }
        </section>
    }
}
