//! The run as files and as a history to judge: export the operations for
//! `quorum check`, the diagram as an SVG, the scenario to a file (and load
//! one back), and the linearizability view. The history and the verdict
//! come from the history worker, which replays the recorded run to the
//! moment shown, so they cover the whole run, not the page's windows.

use crate::analysis;
use crate::download::{self, FileError};
use quorum_analysis::linear_view::Answer;
use quorum_analysis::seconds;
use quorum_analysis::{Done, Moment, Work};
use quorum_sim::errors::sentence;
use quorum_sim::scenario::Scenario;
use web_sys::HtmlInputElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct HistoryProps {
    /// The recorded run and the moment the page shows, read when asked.
    pub moment: Callback<(), Moment>,
    /// The simulated time shown (µs), to say what a verdict is about.
    pub now_us: u64,
    pub on_load: Callback<Scenario>,
}

/// A line under the buttons: what an export or a load came to.
#[derive(Clone, PartialEq)]
enum Said {
    Nothing,
    Working(String),
    Done(String),
    Failed(String),
}

#[function_component(HistoryPanel)]
pub fn history_panel(p: &HistoryProps) -> Html {
    let said = use_state(|| Said::Nothing);
    let linear = use_state(|| None::<(u64, analysis::Answer<Answer>)>);
    let export_history = {
        let (moment, said) = (p.moment.clone(), said.clone());
        Callback::from(move |_: MouseEvent| {
            let m = moment.emit(());
            let at = seconds(m.at_us);
            said.set(Said::Working(format!(
                "Writing the history up to t = {at}…"
            )));
            let said = said.clone();
            let pick = |d| match d {
                Done::History(file) => Some(file),
                _ => None,
            };
            analysis::ask_for(Work::History(m), pick, move |file| {
                let saved = file.map_err(FileError::Worker).and_then(|file| {
                    download::save("consistency-run.jsonl", "application/x-ndjson", &file.text)
                        .map(|()| file)
                });
                said.set(match saved {
                    Ok(file) => Said::Done(format!(
                        "Exported {} operations up to t = {at} as consistency-run.jsonl{}: `quorum check consistency-run.jsonl` judges it.",
                        file.ops,
                        if file.left_out > 0 { format!(" ({} later ones left out)", file.left_out) } else { String::new() }
                    )),
                    Err(why) => Said::Failed(format!("The history was not exported: {why}.")),
                });
            });
        })
    };
    let export_diagram = {
        let said = said.clone();
        let now_us = p.now_us;
        Callback::from(move |_: MouseEvent| {
            let svg = gloo::utils::document()
                .query_selector(".timeline-svg")
                .ok()
                .flatten();
            let title = format!(
                "Consistency Playground: the timeline up to t = {}",
                seconds(now_us)
            );
            let result = svg
                .ok_or(FileError::NoDiagram)
                .and_then(|svg| download::standalone_svg(&svg, &title))
                .and_then(|text| {
                    download::save("consistency-timeline.svg", "image/svg+xml", &text)
                });
            said.set(match result {
                Ok(()) => {
                    Said::Done("Exported the diagram as shown as consistency-timeline.svg.".into())
                }
                Err(why) => Said::Failed(format!("The diagram was not exported: {why}.")),
            });
        })
    };
    let save_scenario = {
        let (moment, said) = (p.moment.clone(), said.clone());
        Callback::from(move |_: MouseEvent| {
            let m = moment.emit(());
            let text = crate::scenario_file::save(&m.scenario);
            said.set(match download::save("consistency-scenario.json", "application/json", &text) {
                Ok(()) => Said::Done(format!(
                    "Saved the run ({} actions, seed {}) as consistency-scenario.json: Load scenario, or `quorum run --scenario consistency-scenario.json`, replays it.",
                    m.scenario.actions.len(),
                    m.scenario.seed
                )),
                Err(why) => Said::Failed(format!("The scenario was not saved: {why}.")),
            });
        })
    };
    let load_scenario = {
        let (said, on_load) = (said.clone(), p.on_load.clone());
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let (said, on_load) = (said.clone(), on_load.clone());
            download::read_chosen(&input, move |read| {
                let loaded = read.map_err(|e| sentence(&e)).and_then(|(name, text)| {
                    let scenario = crate::scenario_file::read(&text).map_err(|e| sentence(&e))?;
                    Ok((name, scenario))
                });
                match loaded {
                    Ok((name, scenario)) => {
                        said.set(Said::Done(format!(
                            "Loaded {name}: {} actions, seed {}, N = {}; the run starts again from it.",
                            scenario.actions.len(),
                            scenario.seed,
                            scenario.config.n
                        )));
                        on_load.emit(scenario);
                    }
                    Err(why) => said.set(Said::Failed(why)),
                }
            });
            // Choosing the same file again is a new choice.
            input.set_value("");
        })
    };
    let check = {
        let (moment, linear) = (p.moment.clone(), linear.clone());
        Callback::from(move |_: MouseEvent| {
            let m = moment.emit(());
            let at = m.at_us;
            linear.set(Some((at, analysis::Answer::Waiting)));
            let linear = linear.clone();
            let pick = |d| match d {
                Done::Linear(answer) => Some(answer),
                _ => None,
            };
            analysis::ask_for(Work::Linear(m), pick, move |answer| {
                linear.set(Some((at, analysis::Answer::of(answer))));
            });
        })
    };
    let status = match &*said {
        Said::Nothing => None,
        Said::Working(s) => Some(("muted", s)),
        Said::Done(s) => Some(("said", s)),
        Said::Failed(s) => Some(("said failed", s)),
    };
    html! {
        <section class="panel history" aria-labelledby="history-title">
            <h2 id="history-title">{ "History and linearizability" }</h2>
            <p class="muted">{ format!("The run up to the moment shown (t = {}): as files, and judged as a whole.", seconds(p.now_us)) }</p>
            <div class="history-tools">
                <button type="button" onclick={export_history}>{ "Export history" }</button>
                <button type="button" onclick={export_diagram}>{ "Export diagram" }</button>
                <button type="button" onclick={save_scenario}>{ "Save scenario" }</button>
                <label class="file-button">
                    <input type="file" accept=".json,application/json" onchange={load_scenario} />
                    <span>{ "Load scenario" }</span>
                </label>
            </div>
            <div role="status">
                if let Some((class, text)) = status {
                    <p {class}>{ text.clone() }</p>
                }
            </div>
            <div class="linear" role="region" aria-label="Linearizability">
                <div class="linear-head">
                    <h3>{ "Linearizability" }</h3>
                    <button type="button" onclick={check}>{ "Check linearizability" }</button>
                </div>
                { linear_body(linear.as_ref(), p.now_us) }
            </div>
        </section>
    }
}

fn linear_body(linear: Option<&(u64, analysis::Answer<Answer>)>, now_us: u64) -> Html {
    let Some((at, answer)) = linear else {
        return html! {
            <p class="muted">{ "Is there one order of all the operations, each taking effect between its request and its answer, in which every read returns the latest write? Check the run to see." }</p>
        };
    };
    let (class, text) = match answer {
        analysis::Answer::Waiting => (
            "muted",
            format!("Judging the run up to t = {}…", seconds(*at)),
        ),
        analysis::Answer::Failed(why) => ("said failed", format!("No verdict: {why}.")),
        analysis::Answer::Ready(answer) => {
            let moved = (*at != now_us).then(|| format!("This is the run up to t = {}; the page now shows t = {}: check again to judge it.", seconds(*at), seconds(now_us)));
            // Drawn by the worker, every learner's string escaped.
            return html! {
                <>
                    { Html::from_html_unchecked(AttrValue::from(answer.markup.clone())) }
                    if let Some(moved) = moved {
                        <p class="muted">{ moved }</p>
                    }
                </>
            };
        }
    };
    html! { <p {class}>{ text }</p> }
}
