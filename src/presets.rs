//! The scenario presets: prepared runs that each show one idea. They are
//! plain scenario files in presets/ (the engine's format, wrapped with a
//! title and what to look for), so a course author can read and copy them.

use quorum_sim::scenario::Scenario;
use serde::Deserialize;
use std::sync::OnceLock;

#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Preset {
    pub id: String,
    pub title: String,
    pub summary: String,
    pub look_for: String,
    pub scenario: Scenario,
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
            // Through a Value, as links are read: one set of decoders in
            // the bundle, not two.
            .map(|text| {
                serde_json::from_str(text)
                    .and_then(serde_json::from_value)
                    .expect("presets/*.json are checked by tests")
            })
            .collect()
    })
}

pub fn find(id: &str) -> Option<&'static Preset> {
    all().iter().find(|p| p.id == id)
}

#[cfg(test)]
mod tests;
