//! Scenarios: configuration + seed + timed actions, as small versioned JSON.
//! The engine is deterministic, so a scenario replays a run exactly: presets,
//! links, time travel and tests all use this one format.
//!
//! ```json
//! {"version":1,"seed":7,"config":{"n":3,"w":1,"r":1,"latency_ms":20},
//!  "actions":[[100,{"do":"write","client":1,"node":1,"key":"name","value":"Alice"}],
//!             [101,{"do":"crash","node":1}],
//!             [150,{"do":"read","client":2,"node":2,"key":"name","level":"eventual"}],
//!             [900,{"do":"partition","groups":[[1],[2,3]]}],
//!             [1500,{"do":"heal"}],
//!             [1600,{"do":"set","w":2}]],
//!  "until_ms":3000}
//! ```
//!
//! Each action is `[at_ms, action]`. Nodes are numbered from 1, as the course
//! names them (`node-1` ...). `config` fields and `workload` are optional.

use crate::config::ConfigError;
use crate::config::{Config, Jitter, ReadRepair};
use crate::errors::{ActionError, WorkloadError};
use crate::kv::{Level, Text};
use crate::msg::{ClientOp, NodeId};
use crate::read_json::{self, Fields, ReadJson};
use crate::workload::Workload;
use serde::Serialize;
use std::fmt;

pub mod limits;

pub const VERSION: u32 = 1;

/// Written as an object tagged by `"do"`; read by hand in [`crate::read_json`].
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "do", rename_all = "snake_case")]
pub enum Action {
    Read {
        client: u32,
        node: NodeId,
        key: String,
        level: Level,
    },
    Write {
        client: u32,
        node: NodeId,
        key: String,
        value: String,
    },
    Delete {
        client: u32,
        node: NodeId,
        key: String,
    },
    Crash {
        node: NodeId,
    },
    Restart {
        node: NodeId,
    },
    /// Groups that cannot reach each other; unlisted nodes form one more group.
    Partition {
        groups: Vec<Vec<NodeId>>,
    },
    /// A one-way cut: messages from `from` to `to` are lost, not the reverse.
    Cut {
        from: Vec<NodeId>,
        to: Vec<NodeId>,
    },
    Heal,
    /// Changes settings while running; absent fields stay.
    Set(Settings),
    /// Starts the workload generator, replacing one that runs.
    StartWorkload(Workload),
    StopWorkload,
}

impl Action {
    /// For a client operation: the client, the node and the
    /// operation to invoke there.
    pub fn client_request(&self) -> Option<(u32, NodeId, ClientOp)> {
        let text = |s: &str| Text::from(s);
        let (client, node, op) = match self {
            Action::Read {
                client,
                node,
                key,
                level,
            } => (
                client,
                node,
                ClientOp::Read {
                    key: text(key),
                    level: *level,
                },
            ),
            Action::Write {
                client,
                node,
                key,
                value,
            } => (
                client,
                node,
                ClientOp::Write {
                    key: text(key),
                    value: text(value),
                },
            ),
            Action::Delete { client, node, key } => {
                (client, node, ClientOp::Delete { key: text(key) })
            }
            _ => return None,
        };
        Some((*client, *node, op))
    }
}

impl ReadJson for Action {
    fn read_json(value: serde_json::Value) -> Result<Action, serde_json::Error> {
        let (name, fields) = Fields::tagged(value, "do")?;
        Action::from_fields(&name, fields)
    }
}

impl Action {
    pub(crate) const NAMES: &'static [&'static str] = &[
        "read",
        "write",
        "delete",
        "crash",
        "restart",
        "partition",
        "cut",
        "heal",
        "set",
        "start_workload",
        "stop_workload",
    ];

    fn from_fields(name: &str, f: Fields) -> Result<Action, serde_json::Error> {
        match name {
            "read" => {
                let mut f = f.expect(&["client", "node", "key", "level"]);
                let action = Action::Read {
                    client: f.req("client")?,
                    node: f.req("node")?,
                    key: f.req("key")?,
                    level: f.opt("level")?.unwrap_or(Level::Eventual),
                };
                f.end(action)
            }
            "write" => {
                let mut f = f.expect(&["client", "node", "key", "value"]);
                let action = Action::Write {
                    client: f.req("client")?,
                    node: f.req("node")?,
                    key: f.req("key")?,
                    value: f.req("value")?,
                };
                f.end(action)
            }
            "delete" => {
                let mut f = f.expect(&["client", "node", "key"]);
                let action = Action::Delete {
                    client: f.req("client")?,
                    node: f.req("node")?,
                    key: f.req("key")?,
                };
                f.end(action)
            }
            "crash" | "restart" => {
                let mut f = f.expect(&["node"]);
                let node = f.req("node")?;
                f.end(if name == "crash" {
                    Action::Crash { node }
                } else {
                    Action::Restart { node }
                })
            }
            "partition" => {
                let mut f = f.expect(&["groups"]);
                let groups = f.req("groups")?;
                f.end(Action::Partition { groups })
            }
            "cut" => {
                let mut f = f.expect(&["from", "to"]);
                let action = Action::Cut {
                    from: f.req("from")?,
                    to: f.req("to")?,
                };
                f.end(action)
            }
            "heal" => f.end(Action::Heal),
            "stop_workload" => f.end(Action::StopWorkload),
            "set" => f.rest().map(Action::Set),
            "start_workload" => f.rest().map(Action::StartWorkload),
            other => Err(read_json::unknown(other, Action::NAMES)),
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Settings {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub w: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub r: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latency_ms: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jitter: Option<Jitter>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub drop: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub read_repair: Option<ReadRepair>,
}

impl ReadJson for Settings {
    fn read_json(value: serde_json::Value) -> Result<Settings, serde_json::Error> {
        let mut f = Fields::of(
            value,
            &["w", "r", "latency_ms", "jitter", "drop", "read_repair"],
        )?;
        let settings = Settings {
            w: f.opt("w")?,
            r: f.opt("r")?,
            latency_ms: f.opt("latency_ms")?,
            jitter: f.opt("jitter")?,
            drop: f.opt("drop")?,
            read_repair: f.opt("read_repair")?,
        };
        f.end(settings)
    }
}

impl Settings {
    pub fn apply_to(&self, c: &mut Config) {
        if let Some(w) = self.w {
            c.w = w;
        }
        if let Some(r) = self.r {
            c.r = r;
        }
        if let Some(l) = self.latency_ms {
            c.latency_ms = l;
        }
        if let Some(j) = &self.jitter {
            c.jitter = j.clone();
        }
        if let Some(d) = self.drop {
            c.drop = d;
        }
        if let Some(m) = self.read_repair {
            c.read_repair = m;
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Scenario {
    pub version: u32,
    pub seed: u64,
    pub config: Config,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub workload: Option<Workload>,
    pub actions: Vec<(f64, Action)>,
    /// Where a replay stops; by default a few seconds after the last action.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub until_ms: Option<f64>,
}

impl ReadJson for Scenario {
    fn read_json(value: serde_json::Value) -> Result<Scenario, serde_json::Error> {
        let mut f = Fields::of(
            value,
            &[
                "version", "seed", "config", "workload", "actions", "until_ms",
            ],
        )?;
        let scenario = Scenario {
            version: f.req("version")?,
            seed: f.req("seed")?,
            config: f.or("config", Config::default())?,
            workload: f.opt("workload")?,
            actions: f.or("actions", Vec::new())?,
            until_ms: f.opt("until_ms")?,
        };
        f.end(scenario)
    }
}

/// What is wrong with a scenario, naming the place.
#[derive(Clone, Debug, PartialEq)]
pub enum ScenarioError {
    /// Not JSON, or a field of the wrong shape: where, in serde's words.
    Syntax(String),
    /// The version it has, if any; this engine reads [`VERSION`].
    Version(Option<u64>),
    Limit(limits::LimitError),
    Config(ConfigError),
    Workload(WorkloadError),
    UntilMs(f64),
    ActionTime {
        index: usize,
        at_ms: f64,
    },
    Action {
        index: usize,
        error: ActionError,
    },
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ScenarioError::Syntax(s) => f.write_str(s),
            ScenarioError::Limit(e) => e.fmt(f),
            ScenarioError::Version(Some(v)) => write!(
                f,
                "version {} is not supported (this engine reads version {VERSION})",
                *v
            ),
            ScenarioError::Version(None) => {
                write!(f, "\"version\" is missing (expected {VERSION})")
            }
            ScenarioError::Config(e) => {
                f.write_str("config: ")?;
                e.fmt(f)
            }
            ScenarioError::Workload(e) => {
                f.write_str("workload: ")?;
                e.fmt(f)
            }
            ScenarioError::UntilMs(at) => {
                write!(f, "until_ms must be a time from 0 ms on, not {}", *at)
            }
            ScenarioError::ActionTime { index, at_ms } => write!(
                f,
                "action {}: the time must be a number of ms from 0 on, not {}",
                *index, *at_ms
            ),
            ScenarioError::Action { index, error } => {
                write!(f, "action {}: ", *index)?;
                error.fmt(f)
            }
        }
    }
}

impl std::error::Error for ScenarioError {}

/// Simulated time of a scenario timestamp, validated.
pub fn ms_to_us(ms: f64) -> Option<u64> {
    (ms.is_finite() && (0.0..=1e10).contains(&ms)).then(|| (ms * 1000.0).round() as u64)
}

impl Scenario {
    pub fn new(config: Config, seed: u64) -> Scenario {
        Scenario {
            version: VERSION,
            seed,
            config,
            workload: None,
            actions: Vec::new(),
            until_ms: None,
        }
    }

    /// Where a replay stops (µs): `until_ms`, or 5 s after the last action.
    pub fn end_us(&self) -> u64 {
        let last = self.actions.iter().map(|(at, _)| *at).fold(0.0, f64::max);
        ms_to_us(self.until_ms.unwrap_or(last + 5000.0)).unwrap_or(u64::MAX)
    }

    /// Parses and validates; errors name the action index and field, or
    /// the limit a scenario is over.
    pub fn from_json(text: &str) -> Result<Scenario, ScenarioError> {
        limits::check_text(text)?;
        let raw: serde_json::Value = serde_json::from_str(text)
            .map_err(|e| ScenarioError::Syntax(format!("not valid JSON: {e}")))?;
        match raw.get("version").and_then(|v| v.as_u64()) {
            Some(v) if v == VERSION as u64 => {}
            other => return Err(ScenarioError::Version(other)),
        }
        if let Some(actions) = raw.get("actions").and_then(|a| a.as_array()) {
            limits::check_action_count(actions.len())?;
            for (i, action) in actions.iter().enumerate() {
                <(f64, Action)>::read_json(action.clone())
                    .map_err(|e| ScenarioError::Syntax(format!("action {i}: {e}")))?;
            }
        }
        let scenario: Scenario = Scenario::read_json(raw)
            .map_err(|e| ScenarioError::Syntax(format!("scenario: {e}")))?;
        scenario.validate()?;
        Ok(scenario)
    }

    /// Compact JSON, for links: configuration fields at their defaults are
    /// left out (parsing puts them back).
    pub fn to_json(&self) -> String {
        let mut value = serde_json::to_value(self).expect("a scenario always serializes");
        let defaults = serde_json::to_value(Config::default()).expect("a config serializes");
        if let (Some(config), Some(defaults)) =
            (value["config"].as_object_mut(), defaults.as_object())
        {
            config.retain(|field, v| defaults.get(field) != Some(v));
        }
        value.to_string()
    }

    pub fn validate(&self) -> Result<(), ScenarioError> {
        if self.version != VERSION {
            return Err(ScenarioError::Version(Some(self.version.into())));
        }
        limits::check_sizes(self)?;
        self.config.validate().map_err(ScenarioError::Config)?;
        if let Some(w) = &self.workload {
            w.validate(self.config.n).map_err(ScenarioError::Workload)?;
        }
        if let Some(until) = self.until_ms {
            if ms_to_us(until).is_none() {
                return Err(ScenarioError::UntilMs(until));
            }
        }
        // Settings are checked in order, against the config as it will be then.
        let mut config = self.config.clone();
        for (i, (at, action)) in self.actions.iter().enumerate() {
            if ms_to_us(*at).is_none() {
                return Err(ScenarioError::ActionTime {
                    index: i,
                    at_ms: *at,
                });
            }
            check_action(action, &mut config)
                .map_err(|error| ScenarioError::Action { index: i, error })?;
        }
        limits::check_workload_ops(self)
    }
}

fn check_node(n: usize, node: NodeId) -> Result<(), ActionError> {
    if node.is_in(n) {
        Ok(())
    } else {
        Err(ActionError::NoSuchNode { node, n })
    }
}

/// Checks one action against the config in force; applies setting changes.
pub fn check_action(action: &Action, config: &mut Config) -> Result<(), ActionError> {
    let n = config.n;
    let nodes = |list: &[NodeId]| list.iter().try_for_each(|&k| check_node(n, k));
    match action {
        Action::Read { node, key, .. }
        | Action::Write { node, key, .. }
        | Action::Delete { node, key, .. } => {
            check_node(n, *node)?;
            if key.is_empty() {
                return Err(ActionError::EmptyKey);
            }
            Ok(())
        }
        Action::Crash { node } | Action::Restart { node } => check_node(n, *node),
        Action::Partition { groups } => {
            if groups.is_empty() || groups.iter().any(|g| g.is_empty()) {
                return Err(ActionError::EmptyPartition);
            }
            groups.iter().try_for_each(|g| nodes(g))
        }
        Action::Cut { from, to } => {
            nodes(from)?;
            nodes(to)
        }
        Action::Heal | Action::StopWorkload => Ok(()),
        Action::StartWorkload(w) => w.validate(n).map_err(ActionError::Workload),
        Action::Set(settings) => {
            let mut next = config.clone();
            settings.apply_to(&mut next);
            next.validate().map_err(ActionError::Setting)?;
            *config = next;
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::errors::OutOfRange;

    const EXAMPLE: &str = r#"{"version":1,"seed":7,"config":{"n":3,"w":1,"r":1,"latency_ms":20},
      "actions":[[100,{"do":"write","client":1,"node":1,"key":"name","value":"Alice"}],
                 [101,{"do":"crash","node":1}],
                 [150,{"do":"read","client":2,"node":2,"key":"name","level":"eventual"}],
                 [900,{"do":"partition","groups":[[1],[2,3]]}],
                 [1500,{"do":"heal"}],
                 [1600,{"do":"set","w":2}]],
      "until_ms":3000}"#;

    #[test]
    fn workload_start_and_stop_are_actions() {
        let text = r#"{"version":1,"seed":1,"actions":[
            [10,{"do":"start_workload","ops_per_sec":50,"keys":2}],
            [20,{"do":"stop_workload"}]]}"#;
        let s = Scenario::from_json(text).unwrap();
        match &s.actions[0].1 {
            Action::StartWorkload(w) => assert_eq!((w.ops_per_sec, w.keys), (50.0, 2)),
            other => panic!("{other:?}"),
        }
        assert_eq!(Scenario::from_json(&s.to_json()).unwrap(), s);
        let bad = text.replace("\"keys\":2", "\"keys\":0");
        let e = Scenario::from_json(&bad).unwrap_err();
        let keys = OutOfRange::new("keys", &1, &100_000, &0);
        assert_eq!(
            e,
            ScenarioError::Action {
                index: 0,
                error: ActionError::Workload(WorkloadError::Range(Box::new(keys)))
            }
        );
        assert_eq!(
            e.to_string(),
            "action 0: workload: keys must be between 1 and 100000, not 0"
        );
    }

    #[test]
    fn the_documented_example_parses_and_round_trips() {
        let s = Scenario::from_json(EXAMPLE).unwrap();
        assert_eq!(s.actions.len(), 6);
        assert_eq!(Scenario::from_json(&s.to_json()).unwrap(), s);
        let plain = Scenario::new(Config::default(), 1).to_json();
        assert_eq!(plain, r#"{"actions":[],"config":{},"seed":1,"version":1}"#);
    }

    #[test]
    fn errors_name_the_action_and_the_problem() {
        let seven = NodeId::numbered(7).unwrap();
        let typed = [
            (
                EXAMPLE.replace("\"node\":2,", "\"node\":7,"),
                ScenarioError::Action {
                    index: 2,
                    error: ActionError::NoSuchNode { node: seven, n: 3 },
                },
            ),
            (
                EXAMPLE.replace("\"version\":1", "\"version\":2"),
                ScenarioError::Version(Some(2)),
            ),
            (
                EXAMPLE.replace("[[1],[2,3]]", "[[]]"),
                ScenarioError::Action {
                    index: 3,
                    error: ActionError::EmptyPartition,
                },
            ),
        ];
        for (text, error) in typed {
            assert_eq!(Scenario::from_json(&text), Err(error));
        }
        let cases = [
            (
                EXAMPLE.replace("\"node\":2,", "\"node\":7,"),
                "action 2: node 7 does not exist",
            ),
            (
                EXAMPLE.replace("\"crash\"", "\"explode\""),
                "action 1: unknown variant `explode`",
            ),
            (
                EXAMPLE.replace("\"w\":2", "\"w\":5"),
                "action 5: set: W must be",
            ),
            (
                EXAMPLE.replace("\"version\":1", "\"version\":2"),
                "version 2 is not supported",
            ),
            (EXAMPLE.replace("\"n\":3", "\"n\":0"), "config: N must be"),
            (
                EXAMPLE.replace("\"level\":\"eventual\"", "\"level\":\"sometimes\""),
                "action 2: level: unknown variant `sometimes`",
            ),
            (
                EXAMPLE.replace("[[1],[2,3]]", "[[]]"),
                "action 3: partition groups",
            ),
            ("{".to_string(), "not valid JSON"),
        ];
        for (text, expected) in cases {
            let e = Scenario::from_json(&text).unwrap_err().to_string();
            assert!(e.contains(expected), "{e} should contain {expected}");
        }
    }
}
