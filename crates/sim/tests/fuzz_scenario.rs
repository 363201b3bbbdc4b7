//! Fuzz target: scenario files (`Scenario::from_json`, what `quorum run
//! --scenario` and the bench-wasm replay read). No input panics; one that
//! decodes round-trips through `to_json` (floats within a few ulps: see
//! `same_but_ulps`) and starts a world, and some are
//! replayed for a simulated second. `FUZZ_CASES` sets the number of cases
//! (README.md, "Tests").

use quorum_fuzz::json::same_but_ulps;
use quorum_fuzz::scenario::scenario_text;
use quorum_fuzz::{corpus, run};
use quorum_sim::scenario::Scenario;
use quorum_sim::world::World;

fn target(text: &str) {
    let Ok(scenario) = Scenario::from_json(text) else {
        return;
    };
    let again = Scenario::from_json(&scenario.to_json()).expect("a decoded scenario decodes again");
    let value = |s: &Scenario| serde_json::to_value(s).expect("a scenario serializes");
    assert!(
        same_but_ulps(&value(&again), &value(&scenario)),
        "a decoded scenario round-trips: {again:?} != {scenario:?}"
    );
    let mut world = World::from_scenario(&scenario).expect("a valid scenario starts");
    // Replaying is what costs: one accepted case in 32 is run.
    if scenario.seed.is_multiple_of(32) {
        world.run_until(scenario.end_us().min(1_000_000));
    }
}

#[test]
fn kept_inputs_decode_without_panic() {
    for (name, bytes) in corpus("scenario") {
        eprintln!("{name}");
        target(&String::from_utf8(bytes).expect("corpus files are text"));
    }
}

#[test]
fn fuzz_scenario_from_json() {
    run("scenario", scenario_text, |text| target(text));
}
