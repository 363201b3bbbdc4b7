//! Light, dark, or whatever the system prefers; remembered in local storage.

use gloo::storage::{LocalStorage, Storage};

const KEY: &str = "consistency-playground-theme";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Theme {
    System,
    Light,
    Dark,
}

impl Theme {
    pub fn label(self) -> &'static str {
        match self {
            Theme::System => "Theme: system",
            Theme::Light => "Theme: light",
            Theme::Dark => "Theme: dark",
        }
    }

    /// The button's face: half-filled for "as the system", sun, moon.
    pub fn symbol(self) -> &'static str {
        match self {
            Theme::System => "◐",
            Theme::Light => "☀",
            Theme::Dark => "☾",
        }
    }

    pub fn next(self) -> Theme {
        match self {
            Theme::System => Theme::Light,
            Theme::Light => Theme::Dark,
            Theme::Dark => Theme::System,
        }
    }

    fn attr(self) -> Option<&'static str> {
        match self {
            Theme::System => None,
            Theme::Light => Some("light"),
            Theme::Dark => Some("dark"),
        }
    }

    pub fn stored() -> Theme {
        match LocalStorage::get::<String>(KEY).ok().as_deref() {
            Some("light") => Theme::Light,
            Some("dark") => Theme::Dark,
            _ => Theme::System,
        }
    }

    /// Sets `data-theme` on the root element (styles/app.css switches
    /// `color-scheme` on it) and remembers the choice. Storage may be
    /// refused (private windows, sandboxed iframes): then it just isn't kept.
    pub fn apply(self) {
        if let Some(root) = gloo::utils::document().document_element() {
            let _ = match self.attr() {
                Some(value) => root.set_attribute("data-theme", value),
                None => root.remove_attribute("data-theme"),
            };
        }
        let _ = match self.attr() {
            Some(value) => LocalStorage::set(KEY, value),
            None => {
                LocalStorage::delete(KEY);
                Ok(())
            }
        };
    }
}
