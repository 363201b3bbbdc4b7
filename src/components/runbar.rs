//! The run bar: Pause/Play, Step back, Step, Reset, Speed, quiet-time
//! skipping, the clock, the scrubber over the whole run (with the way back
//! to the live run and the undo of a change made in the past), and a
//! preset's next scripted action with a way to skip to it.

use super::slider::{slider, Slider};
use crate::model::clock::{speed, speed_label, Pace, SPEEDS};
use crate::model::Msg;
use quorum_analysis::seconds;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// A scenario's next scripted action, for the countdown.
#[derive(Clone, Debug, PartialEq)]
pub struct Next {
    pub in_us: u64,
    pub what: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct RunView {
    pub paused: bool,
    pub speed_step: usize,
    pub skip_quiet: bool,
    pub pace: Pace,
    /// Quiet time was skipped a moment ago.
    pub skipping: bool,
    pub now_us: u64,
    /// How far the run has gone: the scrubber's end.
    pub live_us: u64,
    pub looking_back: bool,
    /// When the run was last changed in the past, while Undo can take it
    /// back.
    pub branched_at_us: Option<u64>,
    pub next: Option<Next>,
}

/// The scrubber moves in steps of this many µs; its last step is the live
/// run, wherever within it the live clock stands.
const SCRUB_STEP_US: f64 = 1000.0;

/// What the run bar shows. It is a plain function, not a component: its
/// props change every frame, so a component's memo would never skip a
/// render, and each component costs the page a copy of yew's view code.
pub struct RunBarProps {
    pub run: RunView,
    pub dispatch: Callback<Msg>,
    /// For an embed: Play/Reset, Speed and the clock only.
    pub compact: bool,
}

pub fn run_bar(p: &RunBarProps) -> Html {
    let r = &p.run;
    let click = |msg: Msg| {
        let dispatch = p.dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.emit(msg.clone()))
    };
    let on_speed = {
        let dispatch = p.dispatch.clone();
        Callback::from(move |v: f64| dispatch.emit(Msg::Speed(v as usize)))
    };
    let on_skip = {
        let dispatch = p.dispatch.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            dispatch.emit(Msg::SkipQuiet(input.checked()));
        })
    };
    let on_seek = {
        let (dispatch, live) = (p.dispatch.clone(), r.live_us);
        Callback::from(move |t: f64| {
            let t = t.max(0.0) as u64;
            dispatch.emit(if t + SCRUB_STEP_US as u64 > live {
                Msg::Live
            } else {
                Msg::Seek(t)
            })
        })
    };
    let (pace_class, pace_text, pace_why) = match (r.paused, r.skipping, r.pace) {
        (true, ..) => ("paused", "paused".to_string(), "Nothing moves until Play."),
        (false, true, _) | (false, _, Pace::Skip) => (
            "skip",
            "▶▶| skipping quiet time".to_string(),
            "Nothing is in flight and nobody waits: the clock jumps to the next event.",
        ),
        (false, false, Pace::Brisk) => (
            "brisk",
            "▶▶ heartbeats only: brisk".to_string(),
            "Only heartbeats are in flight: time runs at least at 0.5×.",
        ),
        (false, false, Pace::Watch) => (
            "watch",
            format!("▶ {}", speed_label(r.speed_step)),
            "Something worth watching is on its way: time runs at your speed.",
        ),
    };
    html! {
        <section class={classes!("runbar", p.compact.then_some("compact"))} aria-label="Run">
            <div class="run-buttons">
                <button type="button" class="primary" onclick={click(Msg::TogglePause)}
                    aria-keyshortcuts="Space">
                    { if r.paused { "Play" } else { "Pause" } }
                </button>
                if !p.compact {
                    <button type="button" onclick={click(Msg::StepBack)} aria-keyshortcuts=","
                        disabled={r.now_us == 0}>{ "Step back" }</button>
                    <button type="button" onclick={click(Msg::Step)} aria-keyshortcuts=".">{ "Step" }</button>
                }
                <button type="button" onclick={click(Msg::Reset)}>{ "Reset" }</button>
            </div>
            { slider(Slider {
                id: if p.compact { "embed-speed" } else { "speed" },
                label: "Speed",
                min: 0.0,
                max: (SPEEDS.len() - 1) as f64,
                step: 1.0,
                value: r.speed_step as f64,
                shown: format!("{}×", speed(r.speed_step)),
                on_change: on_speed,
            }) }
            <span class="clock" data-testid="clock">{ format!("t = {}", seconds(r.now_us)) }</span>
            <div class="run-state">
                <span class={classes!("pace", pace_class)} data-testid="pace" title={pace_why}>{ pace_text }</span>
                if !p.compact {
                    <label class="check skip-toggle">
                        <input type="checkbox" checked={r.skip_quiet} onchange={on_skip} />
                        <span>{ "Skip quiet time" }</span>
                    </label>
                }
            </div>
            if !p.compact {
                <div class={classes!("scrubber", r.looking_back.then_some("past"))}>
                    { slider(Slider {
                        id: "run-time",
                        label: "Run time",
                        min: 0.0,
                        max: r.live_us as f64,
                        step: SCRUB_STEP_US,
                        value: r.now_us as f64,
                        shown: if r.looking_back {
                            format!("{} of {}", seconds(r.now_us), seconds(r.live_us))
                        } else {
                            format!("live, {}", seconds(r.live_us))
                        },
                        on_change: on_seek,
                    }) }
                    if r.looking_back {
                        <span class="past-note" data-testid="past-note">
                            { "Looking back: Play replays the run as it was; any change starts a new run from here." }
                        </span>
                        <button type="button" onclick={click(Msg::Live)}>{ "Back to live" }</button>
                    }
                    if let Some(at) = r.branched_at_us {
                        <button type="button" onclick={click(Msg::Undo)}
                            title={format!("Bring back the run as it was before the change at t = {}", seconds(at))}>
                            { "Undo change" }
                        </button>
                    }
                </div>
            }
            if let Some(next) = &r.next {
                <div class="next" data-testid="next-action">
                    <span>
                        <strong>{ "Next: " }</strong>
                        { format!("{} in {} of simulated time", next.what, seconds(next.in_us)) }
                    </span>
                    <button type="button" onclick={click(Msg::SkipToNext)}>{ "Skip to it" }</button>
                </div>
            }
        </section>
    }
}
