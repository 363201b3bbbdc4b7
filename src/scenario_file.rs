//! Scenario files: the run saved as the JSON that `quorum run --scenario`
//! replays, and read back from a file a learner or a course author picks.
//! A preset file (its scenario under `"scenario"`, with a title and story)
//! is read too, so a course can hand out its own.

use crate::link::LinkError;
use quorum_sim::scenario::{limits::MAX_SCENARIO_BYTES, Scenario};
use serde_json::Value;
use std::fmt;

/// The file's text: the link's compact JSON (settings left at their
/// defaults are left out), one line.
pub fn save(scenario: &Scenario) -> String {
    scenario.to_json() + "\n"
}

/// Why a file is not a scenario the page can run.
#[derive(Debug)]
pub enum Unfit {
    /// Its size in bytes.
    TooLarge(usize),
    NotJson(serde_json::Error),
    Scenario(LinkError),
}

impl fmt::Display for Unfit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("This file is not a scenario the page can run: ")?;
        match self {
            Unfit::TooLarge(len) => write!(
                f,
                "it is {len} bytes, more than the {MAX_SCENARIO_BYTES} a scenario may have"
            ),
            Unfit::NotJson(e) => write!(f, "it is not JSON ({e})"),
            Unfit::Scenario(e) => e.fmt(f),
        }?;
        f.write_str(".")
    }
}

/// The scenario a file holds, or what is wrong with it.
pub fn read(text: &str) -> Result<Scenario, Unfit> {
    if text.len() > MAX_SCENARIO_BYTES {
        return Err(Unfit::TooLarge(text.len()));
    }
    let mut value: Value = serde_json::from_str(text).map_err(Unfit::NotJson)?;
    if value.get("scenario").is_some_and(Value::is_object) {
        value = value["scenario"].take();
    }
    crate::link::from_value(value).map_err(Unfit::Scenario)
}

#[cfg(test)]
mod tests {
    use super::*;
    use quorum_sim::msg::NodeId;
    use quorum_sim::scenario::{Action, ScenarioError};

    #[test]
    fn a_saved_run_reads_back_as_the_same_run() {
        let mut scenario = crate::link::default_scenario();
        scenario.actions.push((
            1500.0,
            Action::Crash {
                node: NodeId::numbered(2).unwrap(),
            },
        ));
        scenario.actions.push((
            1800.0,
            Action::Write {
                client: 1,
                node: NodeId::numbered(1).unwrap(),
                key: "name".into(),
                value: "<b>&\"Bob\"</b>".into(),
            },
        ));
        let text = save(&scenario);
        assert_eq!(text.lines().count(), 1, "{text}");
        assert_eq!(read(&text).unwrap(), scenario);
    }

    #[test]
    fn every_preset_file_reads_as_its_scenario() {
        for preset in crate::presets::all() {
            let file = std::fs::read_to_string(format!(
                "{}/presets/{}.json",
                env!("CARGO_MANIFEST_DIR"),
                preset.id
            ))
            .unwrap();
            assert_eq!(read(&file).unwrap(), preset.scenario, "{}", preset.id);
        }
    }

    #[test]
    fn a_file_that_is_not_a_scenario_says_what_is_wrong() {
        let version =
            |v| move |e: &Unfit| matches!(e, Unfit::Scenario(LinkError::Version(got)) if *got == v);
        type Is = dyn Fn(&Unfit) -> bool;
        let cases: [(&str, &Is, &str); 5] = [
            ("", &|e| matches!(e, Unfit::NotJson(_)), "it is not JSON"),
            (
                "{\"version\": 9}",
                &version(Some(9)),
                "made for scenario version 9",
            ),
            ("[1, 2]", &version(None), "no scenario version"),
            ("{\"scenario\": 3}", &version(None), "no scenario version"),
            (
                "{\"version\":1,\"seed\":1,\"actions\":[[5,{\"do\":\"crash\",\"node\":7}]]}",
                &|e| {
                    matches!(
                        e,
                        Unfit::Scenario(LinkError::Scenario(ScenarioError::Action {
                            index: 0,
                            ..
                        }))
                    )
                },
                "node 7",
            ),
        ];
        for (text, is, says) in cases {
            let e = read(text).unwrap_err();
            assert!(is(&e), "{text}: {e:?}");
            let why = e.to_string();
            assert!(why.starts_with("This file is not a scenario"), "{why}");
            assert!(why.contains(says) && why.ends_with('.'), "{text}: {why}");
        }
        let big = " ".repeat(MAX_SCENARIO_BYTES + 1);
        assert!(matches!(read(&big), Err(Unfit::TooLarge(n)) if n == big.len()));
    }
}
