//! The scenario presets: prepared runs that each show one idea. They are
//! plain scenario files in presets/ (the engine's format, wrapped with a
//! title and what to look for), so a course author can read and copy them.

use quorum_sim::read_json::{self, Fields, ReadJson};
use quorum_sim::scenario::Scenario;
use serde_json::{Error, Value};
use std::sync::OnceLock;

#[derive(Clone, Debug, PartialEq)]
pub struct Preset {
    pub id: String,
    pub title: String,
    pub summary: String,
    pub look_for: String,
    pub scenario: Scenario,
}

impl ReadJson for Preset {
    fn read_json(value: Value) -> Result<Preset, Error> {
        let mut f = Fields::of(value, &["id", "title", "summary", "look_for", "scenario"])?;
        let preset = Preset {
            id: f.req("id")?,
            title: f.req("title")?,
            summary: f.req("summary")?,
            look_for: f.req("look_for")?,
            scenario: f.req("scenario")?,
        };
        f.end(preset)
    }
}

const FILES: [&str; 6] = [
    include_str!("../presets/stale-follower-read.json"),
    include_str!("../presets/strong-quorum-read.json"),
    include_str!("../presets/leader-crash.json"),
    include_str!("../presets/partition-split.json"),
    include_str!("../presets/w1-lost-write.json"),
    include_str!("../presets/read-repair.json"),
];

/// Every preset, in the order the menu lists them; parsed once, on first use.
pub fn all() -> &'static [Preset] {
    static PRESETS: OnceLock<Vec<Preset>> = OnceLock::new();
    PRESETS.get_or_init(|| {
        FILES
            .iter()
            .map(|text| read_json::from_str(text).expect("presets/*.json are checked by tests"))
            .collect()
    })
}

pub fn find(id: &str) -> Option<&'static Preset> {
    all().iter().find(|p| p.id == id)
}

#[cfg(test)]
mod tests;
