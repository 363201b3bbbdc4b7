//! A panic must never leave a learner with a blank or frozen page and no
//! word why: the hook puts a plain message on the page (outside Yew, which
//! cannot render once the program has stopped) and logs the details.

use std::panic::PanicHookInfo;
use wasm_bindgen::prelude::*;

/// What the learner reads; `what` is the panic's own message.
pub fn message(what: &str) -> String {
    format!(
        "The playground stopped because of a bug: {what}. The page's address holds your run, \
         which replays to this point: share it to report the bug, or open the playground \
         without it to start afresh."
    )
}

fn payload(info: &PanicHookInfo) -> String {
    let what = info
        .payload()
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| info.payload().downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "an unexpected error".to_string());
    match info.location() {
        Some(at) => format!("{what} (at {}:{})", at.file(), at.line()),
        None => what,
    }
}

fn show(text: &str) -> Option<()> {
    let document = web_sys::window()?.document()?;
    // A panic mid-frame leaves state behind that later frames trip over:
    // the first message is the one worth reading.
    if document.query_selector(".crash").ok()?.is_some() {
        return Some(());
    }
    let banner = document.create_element("div").ok()?;
    banner.set_class_name("crash");
    banner.set_attribute("role", "alert").ok()?;
    banner.set_text_content(Some(text));
    document.body()?.prepend_with_node_1(&banner).ok()
}

/// Yew installs its own hook (a console log only) when it starts rendering,
/// unless one was given through it, as here.
pub fn install() {
    yew::set_custom_panic_hook(Box::new(|info| {
        let what = payload(info);
        web_sys::console::error_1(&format!("Consistency Playground panicked: {what}").into());
        show(&message(&what));
    }));
}

/// Shows the crash message as a real panic would; for checking that it works
/// (the browser tests call it as `wasmBindings.crash_self_test()`).
#[wasm_bindgen]
pub fn crash_self_test() {
    panic!("crash self-test requested");
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_message_says_what_happened_and_what_to_do() {
        let m = super::message("index out of bounds");
        assert!(
            m.contains("index out of bounds") && m.contains("report the bug"),
            "{m}"
        );
    }
}
