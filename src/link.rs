//! What the page's URL says: which scenario to run and how to show it.
//!
//! * `?preset=ID` — a preset by name: short links for course pages.
//! * `?s=...` — a whole scenario (settings, seed, every action so far) as
//!   URL-safe base64 of its JSON, with settings left at their defaults
//!   omitted to keep links short. `preset=ID` may accompany it to say which
//!   preset the run started from.
//! * `embed=1` — only the cluster and its story, for an iframe.
//! * `?lesson=ID&step=K` — a lesson's step (`step` is 1 when left out);
//!   the lesson worker says whether there is one.
//!
//! A link that cannot be read never stops the page: it falls back to the
//! defaults and says, in one sentence, what was wrong.

use crate::model::clients::workload::MAX_OPS_PER_SEC;
use crate::presets::{self, Preset};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use quorum_sim::config::{Config, Jitter};
use quorum_sim::dist::Dist;
use quorum_sim::read_json::ReadJson;
use quorum_sim::scenario::{Action, Scenario, ScenarioError, VERSION};
use serde_json::Value;
use std::fmt;

/// Longer than any scenario the page records (its actions are capped).
/// The scenario's own limits (`quorum_sim::scenario::limits`) apply too.
const MAX_ENCODED: usize = 60_000;

/// The seed a first visit runs with: node-1 wins the first election (term
/// 1), as in the course's "You should see", and the first write to it
/// reaches node-3 well before node-2, so the course's Step 2 read from
/// node-2 finds it stale (the page's tests hold it to both).
pub const DEFAULT_SEED: u64 = 369;

/// The default network: 50 ms on the wire, and a replica's disk write that
/// takes 150 ms on average (exponential), so a follower can lag the quorum
/// that acknowledged a write, as real ones do.
pub const DEFAULT_DISK_MS: f64 = 150.0;

#[derive(Clone, Debug, PartialEq)]
pub struct Link {
    pub scenario: Scenario,
    pub preset: Option<Preset>,
    pub embed: bool,
    /// Why the link was not followed, for the learner to read.
    pub notice: Option<String>,
    /// A lesson's id and step (from 1), to open once the page runs.
    pub lesson: Option<(String, usize)>,
}

/// The course's cluster (N = 3, W = 2, R = 1) on the default network.
pub fn default_scenario() -> Scenario {
    let config = Config {
        jitter: Jitter::Writes(Dist::Exponential {
            rate: 1.0 / DEFAULT_DISK_MS,
        }),
        ..Config::default()
    };
    Scenario::new(config, DEFAULT_SEED)
}

/// Reads a query string (`location.search`, with or without the `?`).
pub fn parse(query: &str) -> Link {
    let mut link = Link {
        scenario: default_scenario(),
        preset: None,
        embed: false,
        notice: None,
        lesson: None,
    };
    let mut shared = None;
    let mut step = 1;
    for pair in query
        .trim_start_matches('?')
        .split('&')
        .filter(|p| !p.is_empty())
    {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        match key {
            "preset" => match presets::find(value) {
                Some(p) => link.preset = Some(p.clone()),
                None => {
                    link.notice = Some(format!(
                        "There is no preset called “{}”; showing the defaults.",
                        printable(value)
                    ))
                }
            },
            "s" => shared = Some(value),
            "embed" => link.embed = value != "0",
            "lesson" => link.lesson = Some((value.to_string(), 1)),
            "step" => step = value.parse().unwrap_or(1),
            // Other parameters belong to whoever embeds the page.
            _ => {}
        }
    }
    if let Some((_, k)) = &mut link.lesson {
        *k = step;
    }
    if let Some(p) = &link.preset {
        link.scenario = p.scenario.clone();
    }
    if let Some(encoded) = shared {
        match decode(encoded) {
            Ok(scenario) => link.scenario = scenario,
            Err(why) => {
                link.scenario = default_scenario();
                link.preset = None;
                link.notice = Some(format!(
                    "This link's scenario could not be used: {why}. Showing the defaults."
                ));
            }
        }
    }
    link
}

/// The query string that reproduces `scenario` (started from `preset`).
pub fn query(scenario: &Scenario, preset: Option<&str>, embed: bool) -> String {
    let mut parts = Vec::new();
    if let Some(id) = preset {
        parts.push(format!("preset={id}"));
    }
    let unchanged_preset = preset
        .and_then(presets::find)
        .is_some_and(|p| &p.scenario == scenario);
    if !unchanged_preset && *scenario != default_scenario() {
        parts.push(format!("s={}", encode(scenario)));
    }
    if embed {
        parts.push("embed=1".into());
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!("?{}", parts.join("&"))
    }
}

pub fn encode(scenario: &Scenario) -> String {
    URL_SAFE_NO_PAD.encode(scenario.to_json())
}

/// Why a link's (or a file's) scenario cannot be run; the Display ends a
/// sentence that begins "This link's scenario could not be used:".
#[derive(Debug)]
pub enum LinkError {
    /// Characters, as given or as the page would write it out again.
    TooLong {
        chars: usize,
        again: bool,
    },
    NotBase64,
    NotText,
    /// Not JSON, or a field of the wrong shape.
    Syntax(serde_json::Error),
    Version(Option<u64>),
    Scenario(ScenarioError),
    /// A workload faster than the page runs (operations a second).
    Rate(f64),
}

impl fmt::Display for LinkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LinkError::TooLong { chars, again } => write!(
                f,
                "{}it is {} characters long, more than the {MAX_ENCODED} a link may hold",
                if *again { "written out again " } else { "" },
                *chars
            ),
            LinkError::NotBase64 => f.write_str("it was cut short or changed (not valid base64)"),
            LinkError::NotText => f.write_str("it does not hold text"),
            LinkError::Syntax(e) => e.fmt(f),
            LinkError::Version(Some(v)) => write!(
                f,
                "it was made for scenario version {}, and this page reads version {VERSION}",
                *v
            ),
            LinkError::Version(None) => f.write_str("it has no scenario version"),
            LinkError::Scenario(e) => e.fmt(f),
            LinkError::Rate(rate) => write!(
                f,
                "it runs a workload at {} operations per second, more than the {MAX_OPS_PER_SEC} the page runs",
                *rate
            ),
        }
    }
}

pub fn decode(encoded: &str) -> Result<Scenario, LinkError> {
    if encoded.len() > MAX_ENCODED {
        return Err(LinkError::TooLong {
            chars: encoded.len(),
            again: false,
        });
    }
    let bytes = URL_SAFE_NO_PAD
        .decode(encoded.trim_end_matches('='))
        .map_err(|_| LinkError::NotBase64)?;
    let text = String::from_utf8(bytes).map_err(|_| LinkError::NotText)?;
    let value = serde_json::from_str(&text).map_err(LinkError::Syntax)?;
    let scenario = from_value(value)?;
    // A link may leave out what the page writes (a read's level): its
    // scenario must still fit the address the page writes back for it.
    let again = encode(&scenario).len();
    if again > MAX_ENCODED {
        return Err(LinkError::TooLong {
            chars: again,
            again: true,
        });
    }
    Ok(scenario)
}

/// A scenario from its parsed JSON (a link's, a file's), checked as the
/// page runs it.
pub fn from_value(value: Value) -> Result<Scenario, LinkError> {
    // The version first: a link from a newer playground should say so, not
    // complain about whatever field it happens to lack.
    match value.get("version").and_then(Value::as_u64) {
        Some(v) if v == u64::from(VERSION) => {}
        other => return Err(LinkError::Version(other)),
    }
    let scenario = Scenario::read_json(value).map_err(LinkError::Syntax)?;
    scenario.validate().map_err(LinkError::Scenario)?;
    check_rates(&scenario)?;
    Ok(scenario)
}

/// The page runs its workloads live, up to 50 simulated seconds a second:
/// one faster than its own slider allows would freeze the tab.
fn check_rates(scenario: &Scenario) -> Result<(), LinkError> {
    let started = scenario.actions.iter().filter_map(|(_, a)| match a {
        Action::StartWorkload(w) => Some(w),
        _ => None,
    });
    match scenario
        .workload
        .iter()
        .chain(started)
        .find(|w| w.ops_per_sec > MAX_OPS_PER_SEC)
    {
        Some(w) => Err(LinkError::Rate(w.ops_per_sec)),
        None => Ok(()),
    }
}

/// At most 40 characters of untrusted text, to quote back safely.
fn printable(s: &str) -> String {
    let clean: String = s.chars().filter(|c| !c.is_control()).take(40).collect();
    if s.chars().count() > 40 {
        clean + "…"
    } else {
        clean
    }
}

#[cfg(test)]
mod fuzz;
#[cfg(test)]
mod tests;
