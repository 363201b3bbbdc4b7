//! Scenario files: the run saved as the JSON that `quorum run --scenario`
//! replays, and read back from a file a learner or a course author picks.
//! A preset file (its scenario under `"scenario"`, with a title and story)
//! is read too, so a course can hand out its own.

use quorum_sim::errors::sentence;
use quorum_sim::scenario::{limits::MAX_SCENARIO_BYTES, Scenario};
use serde_json::Value;

/// The file's text: the link's compact JSON (settings left at their
/// defaults are left out), one line.
pub fn save(scenario: &Scenario) -> String {
    scenario.to_json() + "\n"
}

/// The scenario a file holds, or what is wrong with it in one sentence.
pub fn read(text: &str) -> Result<Scenario, String> {
    let unfit = |why: String| format!("This file is not a scenario the page can run: {why}.");
    if text.len() > MAX_SCENARIO_BYTES {
        return Err(unfit(format!(
            "it is {} bytes, more than the {MAX_SCENARIO_BYTES} a scenario may have",
            text.len()
        )));
    }
    let mut value: Value =
        serde_json::from_str(text).map_err(|e| unfit(format!("it is not JSON ({e})")))?;
    if value.get("scenario").is_some_and(Value::is_object) {
        value = value["scenario"].take();
    }
    crate::link::from_value(value).map_err(|e| unfit(sentence(&e)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use quorum_sim::msg::NodeId;
    use quorum_sim::scenario::Action;

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
        assert_eq!(read(&text), Ok(scenario));
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
            assert_eq!(read(&file).as_ref(), Ok(&preset.scenario), "{}", preset.id);
        }
    }

    #[test]
    fn a_file_that_is_not_a_scenario_says_what_is_wrong() {
        for (text, says) in [
            ("", "it is not JSON"),
            ("{\"version\": 9}", "made for scenario version 9"),
            ("[1, 2]", "no scenario version"),
            ("{\"scenario\": 3}", "no scenario version"),
            (
                "{\"version\":1,\"seed\":1,\"actions\":[[5,{\"do\":\"crash\",\"node\":7}]]}",
                "node 7",
            ),
        ] {
            let why = read(text).unwrap_err();
            assert!(why.starts_with("This file is not a scenario"), "{why}");
            assert!(why.contains(says), "{text}: {why}");
        }
    }
}
