//! Files the page hands to the learner: a download of text it made, the
//! diagram on screen as a standalone SVG, and a file the learner picks.

use quorum_analysis::errors::Failure;
use std::fmt;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{
    Blob, BlobPropertyBag, Element, FileReader, HtmlAnchorElement, HtmlInputElement, Url,
    XmlSerializer,
};

/// Why a file was not made, offered or read.
#[derive(Debug, PartialEq)]
pub enum FileError {
    /// What the browser refused to do.
    Refused(&'static str),
    /// The file chosen, which did not read as text.
    NotText(String),
    NoDiagram,
    /// The worker that writes the file had no answer.
    Worker(Failure),
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FileError::Refused(what) => write!(f, "the browser refused to {what}"),
            FileError::NotText(name) => write!(f, "{name} could not be read as text"),
            FileError::NoDiagram => f.write_str("the diagram is not on the page"),
            FileError::Worker(e) => e.fmt(f),
        }
    }
}

/// Offers `text` as a file called `name`.
pub fn save(name: &str, mime: &str, text: &str) -> Result<(), FileError> {
    let refused = FileError::Refused;
    let options = BlobPropertyBag::new();
    options.set_type(mime);
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let blob = Blob::new_with_str_sequence_and_options(&parts, &options)
        .map_err(|_| refused("make the file"))?;
    let url = Url::create_object_url_with_blob(&blob).map_err(|_| refused("offer the file"))?;
    let anchor: HtmlAnchorElement = gloo::utils::document()
        .create_element("a")
        .map_err(|_| refused("offer the file"))?
        .unchecked_into();
    anchor.set_href(&url);
    anchor.set_download(name);
    anchor.click();
    let _ = Url::revoke_object_url(&url);
    Ok(())
}

/// What a standalone drawing keeps of the page's style sheet: the
/// properties the diagram's classes set, resolved to plain values (the
/// page's colours are variables and `light-dark()`, which an SVG viewer
/// does not know). All but opacity are inherited, so an element states
/// only those that differ from its parent's.
const PAINT: [&str; 10] = [
    "opacity",
    "fill",
    "stroke",
    "stroke-width",
    "stroke-dasharray",
    "font-family",
    "font-size",
    "font-weight",
    "text-anchor",
    "font-variant-numeric",
];

/// The SVG element `svg` as a file of its own, drawn as it is on screen
/// (in the current theme), on its panel's background.
pub fn standalone_svg(svg: &Element, title: &str) -> Result<String, FileError> {
    let window = gloo::utils::window();
    let refused = FileError::Refused;
    let computed = |element: &Element| -> Vec<String> {
        let style = window.get_computed_style(element).ok().flatten();
        PAINT
            .iter()
            .map(|p| {
                style
                    .as_ref()
                    .and_then(|s| s.get_property_value(p).ok())
                    .unwrap_or_default()
            })
            .collect()
    };
    let copy: Element = svg
        .clone_node_with_deep(true)
        .map_err(|_| refused("copy the drawing"))?
        .unchecked_into();
    let (from, to) = (
        svg.get_elements_by_tag_name("*"),
        copy.get_elements_by_tag_name("*"),
    );
    let mut all: Vec<(Element, Element)> = vec![(svg.clone(), copy.clone())];
    all.extend((0..from.length()).filter_map(|i| Some((from.item(i)?, to.item(i)?))));
    for (original, copied) in &all {
        let mine = computed(original);
        let parent = match original.parent_element() {
            Some(p) if original != svg => computed(&p),
            _ => vec![String::new(); PAINT.len()],
        };
        let style: String = PAINT
            .iter()
            .zip(mine.iter().zip(&parent))
            .enumerate()
            .filter(|(i, (_, (v, p)))| {
                // Opacity (first) is stated unless it is the default.
                let inherited = *i > 0;
                !v.is_empty() && if inherited { v != p } else { v.as_str() != "1" }
            })
            .map(|(_, (name, (v, _)))| format!("{name}:{v};"))
            .collect();
        let _ = copied.remove_attribute("class");
        if !style.is_empty() {
            let _ = copied.set_attribute("style", &style);
        }
    }
    let document = gloo::utils::document();
    let ns = Some("http://www.w3.org/2000/svg");
    let background = document
        .create_element_ns(ns, "rect")
        .map_err(|_| refused("draw the background"))?;
    let panel = svg
        .closest(".panel")
        .ok()
        .flatten()
        .and_then(|p| window.get_computed_style(&p).ok().flatten())
        .and_then(|s| s.get_property_value("background-color").ok())
        .unwrap_or_else(|| "white".into());
    for (k, v) in [
        ("width", "100%"),
        ("height", "100%"),
        ("fill", panel.as_str()),
    ] {
        let _ = background.set_attribute(k, v);
    }
    let name = document
        .create_element_ns(ns, "title")
        .map_err(|_| refused("name the drawing"))?;
    name.set_text_content(Some(title));
    let _ = copy.prepend_with_node_2(&name, &background);
    // XML, not the HTML serialization: the file must parse on its own.
    let text = XmlSerializer::new()
        .and_then(|s| s.serialize_to_string(&copy))
        .map_err(|_| refused("write the drawing out"))?;
    Ok(format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n{text}\n"
    ))
}

/// Reads the file chosen in `input` as text and hands it to `done` with
/// the file's name; a file that cannot be read gives why.
pub fn read_chosen(
    input: &HtmlInputElement,
    done: impl FnOnce(Result<(String, String), FileError>) + 'static,
) {
    let Some(file) = input.files().and_then(|files| files.get(0)) else {
        return;
    };
    let name = file.name();
    let Ok(reader) = FileReader::new() else {
        return done(Err(FileError::Refused("read the file")));
    };
    let on_load = {
        let reader = reader.clone();
        Closure::once(move |_: JsValue| {
            done(match reader.result().ok().and_then(|r| r.as_string()) {
                Some(text) => Ok((name, text)),
                None => Err(FileError::NotText(name)),
            })
        })
    };
    reader.set_onloadend(Some(on_load.as_ref().unchecked_ref()));
    // The reader calls back once; the closure lives until then.
    on_load.forget();
    if reader.read_as_text(&file).is_err() {
        reader.set_onloadend(None);
    }
}
