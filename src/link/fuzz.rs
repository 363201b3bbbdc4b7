//! Fuzz target: the page's link (`?s=...`, `parse` and `decode`). Links are
//! built as the page builds them (a scenario's JSON in URL-safe base64,
//! with `preset` and `embed` around it) from the scenario generator's
//! hostile JSON, then edited. No link panics; the page shows the scenario
//! the link holds or, when it cannot, the defaults with a notice; and what
//! it shows, its own `query` links to (floats within a few ulps: see
//! `same_but_ulps`). `FUZZ_CASES` sets the number of
//! cases (README.md, "Tests").

use super::*;
use quorum_fuzz::arbitrary::{Result, Unstructured};
use quorum_fuzz::draw::{maybe, one_in, pick};
use quorum_fuzz::json::{hostile_string, same_but_ulps};
use quorum_fuzz::scenario::scenario_text;
use quorum_fuzz::{corpus, run, text};

fn link(u: &mut Unstructured) -> Result<String> {
    let mut encoded = URL_SAFE_NO_PAD.encode(scenario_text(u)?);
    text::edit(u, &mut encoded)?;
    let mut parts = vec![format!("s={encoded}")];
    if let Some(preset) = maybe(u, 30, |u| {
        Ok(if one_in(u, 4)? {
            hostile_string(u)?
        } else {
            pick(u, presets::all())?.id
        })
    })? {
        parts.push(format!("preset={preset}"));
    }
    if let Some(embed) = maybe(u, 20, |u| pick(u, &["1", "0", "", "yes"]))? {
        parts.push(format!("embed={embed}"));
    }
    if one_in(u, 10)? {
        parts.push(format!("utm_source={}", hostile_string(u)?));
    }
    let at = u.int_in_range(0..=parts.len() - 1)?;
    parts.rotate_left(at);
    Ok(format!("?{}", parts.join("&")))
}

fn target(q: &str) {
    let link = parse(q);
    // The scenario the link shares: the last `s`, as `parse` reads it.
    let shared = q
        .trim_start_matches('?')
        .split('&')
        .map(|pair| pair.split_once('=').unwrap_or((pair, "")))
        .rfind(|(key, _)| *key == "s");
    match shared.map(|(_, value)| decode(value)) {
        Some(Ok(scenario)) => assert_eq!(link.scenario, scenario),
        Some(Err(_)) => {
            assert_eq!(
                link.scenario,
                default_scenario(),
                "a refused link shows the defaults"
            );
            assert!(link
                .notice
                .as_deref()
                .unwrap_or_default()
                .contains("could not be used"));
        }
        None => {}
    }
    let id = link.preset.as_ref().map(|p| p.id.as_str());
    let again = parse(&query(&link.scenario, id, link.embed));
    let value = |s: &Scenario| serde_json::to_value(s).expect("a scenario serializes");
    assert!(
        same_but_ulps(&value(&again.scenario), &value(&link.scenario)),
        "what the page shows, it links to: {:?} != {:?}",
        again.scenario,
        link.scenario
    );
    assert_eq!(
        (&again.preset, again.embed, &again.notice),
        (&link.preset, link.embed, &None)
    );
}

#[test]
fn kept_links_parse_without_panic() {
    for (name, bytes) in corpus("link") {
        eprintln!("{name}");
        target(&String::from_utf8(bytes).expect("corpus files are text"));
    }
}

#[test]
fn fuzz_link_parse() {
    run("link", link, |q| target(q));
}
