//! The space-time diagram: clients and nodes as columns, simulated time
//! flowing down, every message an arrow from its send to its delivery, every
//! operation a bar in its verdict's tone. It follows the live edge, or shows
//! any stretch the learner pans and zooms to. Choosing an arrow (or a
//! message on the ring) highlights it in both; choosing a read shows why it
//! got its verdict.

use super::messages::family;
use crate::analysis::Answer;
use quorum_analysis::diagram::{Bar, Diagram, Fate, Focus, LaneKind, MarkKind, MessageId};
use quorum_analysis::quorum_why::{self, Marked};
use quorum_sim::msg::MsgKind;
use std::cell::Cell;
use std::rc::Rc;
use web_sys::{HtmlInputElement, PointerEvent, WheelEvent};
use yew::prelude::*;

/// The drawing's user space, drawn one unit to a pixel: lanes share
/// about `WIDTH`, within bounds that keep labels legible.
const WIDTH: f64 = 820.0;
const LEFT: f64 = 64.0;
const TOP: f64 = 34.0;
const HEIGHT: f64 = 380.0;

/// A plain function's arguments, not a component's props: each component
/// costs the page a copy of yew's view code.
pub struct TimelineProps {
    pub diagram: Rc<Diagram>,
    pub focus: Focus,
    /// The history worker's explanation of the chosen read or write, once
    /// it says: a sentence and the messages to mark.
    pub why: Option<Answer<Rc<quorum_why::Answer>>>,
    pub on_message: Callback<Option<MessageId>>,
    /// A client's bar was chosen: its client and when it was sent.
    pub on_bar: Callback<(u32, u64)>,
    /// Span of simulated time shown (µs), and its end (`None`: the present).
    pub span_us: u64,
    pub end_us: Option<u64>,
    pub on_view: Callback<(u64, Option<u64>)>,
}

fn f(x: f64) -> String {
    format!("{x:.1}")
}

fn ms(us: u64) -> String {
    format!("{:.1} ms", us as f64 / 1000.0)
}

thread_local! {
    /// Where a drag of the diagram began (pointer y, the view's end), while
    /// the pointer is down: the page has one timeline.
    static DRAG: Cell<Option<(f64, u64)>> = const { Cell::new(None) };
}

pub fn timeline(p: &TimelineProps) -> Html {
    let d = &p.diagram;
    let lanes = d.lanes.len().max(1) as f64;
    let lane_w = ((WIDTH - LEFT) / lanes).clamp(90.0, 220.0);
    let width = LEFT + lane_w * lanes + 12.0;
    let span = (d.t1_us.saturating_sub(d.t0_us)).max(1) as f64;
    let y = move |t: u64| TOP + (t.saturating_sub(d.t0_us) as f64 / span).min(1.05) * HEIGHT;
    let x = |lane: usize| LEFT + lane_w * (lane as f64 + 0.5);
    let (span_us, end_us) = (p.span_us, p.end_us.unwrap_or(d.t1_us));
    let zoom = |factor: f64| {
        let on_view = p.on_view.clone();
        let end = p.end_us;
        Callback::from(move |_: MouseEvent| {
            let span = ((span_us as f64 * factor) as u64).clamp(20_000, 120_000_000);
            on_view.emit((span, end));
        })
    };
    let on_wheel = {
        let on_view = p.on_view.clone();
        let end = p.end_us;
        Callback::from(move |e: WheelEvent| {
            e.prevent_default();
            let factor = if e.delta_y() > 0.0 { 1.25 } else { 0.8 };
            let span = ((span_us as f64 * factor) as u64).clamp(20_000, 120_000_000);
            on_view.emit((span, end));
        })
    };
    let on_down =
        Callback::from(move |e: PointerEvent| DRAG.set(Some((e.client_y() as f64, end_us))));
    let on_move = {
        let on_view = p.on_view.clone();
        Callback::from(move |e: PointerEvent| {
            let Some((from_y, from_end)) = DRAG.get() else {
                return;
            };
            // Dragging down moves back in time, as a map follows the hand.
            let shift = ((e.client_y() as f64 - from_y) / HEIGHT * span_us as f64) as i64;
            let end = (from_end as i64 - shift).max(span_us as i64) as u64;
            on_view.emit((span_us, Some(end)));
        })
    };
    let on_up = Callback::from(move |_: PointerEvent| DRAG.set(None));
    let on_live = {
        let on_view = p.on_view.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            on_view.emit((span_us, if input.checked() { None } else { Some(end_us) }));
        })
    };
    let pick = |id: MessageId| {
        let on_message = p.on_message.clone();
        let chosen = p.focus.message == Some(id);
        Callback::from(move |_: MouseEvent| on_message.emit((!chosen).then_some(id)))
    };
    let summary = format!(
        "Space-time diagram from {} to {}: {} messages, {} operations{}",
        ms(d.t0_us),
        ms(d.t1_us),
        d.arrows.len(),
        d.bars.len(),
        if d.left_out > 0 {
            format!(" ({} older messages not drawn)", d.left_out)
        } else {
            String::new()
        }
    );
    let ticks = 5;
    let replies: &[Marked] = match &p.why {
        Some(Answer::Ready(a)) => &a.replies,
        _ => &[],
    };
    let reply_fate = |a: &quorum_analysis::diagram::Arrow| {
        let m = replies.iter().find(|m| {
            matches!(
                a.kind,
                MsgKind::ReadReply | MsgKind::Append | MsgKind::InstallSnapshot
            ) && a.id.from == m.from
                && a.id.to == m.to
                && a.id.due_us == m.at_us
        })?;
        Some(match m.fate {
            quorum_why::Fate::Chosen => "reply-chosen",
            quorum_why::Fate::Counted => "reply-counted",
            quorum_why::Fate::Late => "reply-late",
        })
    };
    let why_note = match &p.why {
        None => None,
        Some(Answer::Waiting) => Some((
            "muted",
            "Replaying the run to see what happened…".to_string(),
        )),
        Some(Answer::Ready(a)) => Some(("why", a.sentence.clone())),
        Some(Answer::Failed(why)) => Some((
            "said failed",
            format!("What happened could not be found: {why}."),
        )),
    };
    html! {
        <section class="panel timeline" role="region" aria-label="Timeline">
            <div class="timeline-head">
                <h2>{ "Timeline" }</h2>
                <div class="timeline-tools">
                    <button type="button" onclick={zoom(0.5)}>{ "Zoom in" }</button>
                    <button type="button" onclick={zoom(2.0)}>{ "Zoom out" }</button>
                    <label class="check">
                        <input type="checkbox" checked={p.end_us.is_none()} onchange={on_live} />
                        <span>{ "Follow the present" }</span>
                    </label>
                </div>
            </div>
            <p class="muted">{ "Time flows down. Drag to move through the run, use the wheel or the buttons to zoom; choose a message to find it on the ring, a client's operation to see why it got its verdict." }</p>
            if let Some((class, text)) = why_note {
                <p {class} data-testid="quorum-why">{ text }</p>
            }
            // Focusable so a keyboard can scroll it where it is wider than
            // the screen (a phone).
            <div class="timeline-scroll" tabindex="0" role="region" aria-label="Timeline diagram">
                <svg class="timeline-svg" viewBox={format!("0 0 {} {}", f(width), f(TOP + HEIGHT + 16.0))}
                    width={f(width)} height={f(TOP + HEIGHT + 16.0)}
                    role="img" aria-label={summary.clone()}
                    onwheel={on_wheel} onpointerdown={on_down} onpointermove={on_move} onpointerup={on_up.clone()} onpointerleave={on_up}>
                    <desc>{ summary }</desc>
                    { for (0..=ticks).map(|i| {
                        let t = d.t0_us + (d.t1_us - d.t0_us) * i / ticks;
                        html! {
                            <g class="tick">
                                <line x1={f(LEFT - 6.0)} x2={f(width - 8.0)} y1={f(y(t))} y2={f(y(t))} />
                                <text x={f(LEFT - 8.0)} y={f(y(t) + 4.0)}>{ format!("{:.2} s", t as f64 / 1e6) }</text>
                            </g>
                        }
                    }) }
                    { for d.lanes.iter().enumerate().map(|(i, lane)| html! {
                        <g class="lane">
                            <line x1={f(x(i))} x2={f(x(i))} y1={f(TOP)} y2={f(TOP + HEIGHT)} />
                            <text x={f(x(i))} y={f(TOP - 12.0)}>{ lane.label.clone() }</text>
                        </g>
                    }) }
                    { for d.marks.iter().map(|m| html! {
                        <g class={classes!("mark", mark_class(m.kind))}>
                            <circle cx={f(x(m.lane))} cy={f(y(m.at_us))} r="4" />
                            if m.kind != MarkKind::Commit {
                                <text x={f(x(m.lane) + 7.0)} y={f(y(m.at_us) + 4.0)}>{ m.text.clone() }</text>
                            }
                            <title>{ format!("{} at {}", m.text, ms(m.at_us)) }</title>
                        </g>
                    }) }
                    { for d.bars.iter().zip(bar_places(&d.bars, d.t1_us, &y)).map(|(b, (dx, labelled))| {
                        let end = b.to_us.unwrap_or(d.t1_us);
                        let (top, bottom) = (y(b.from_us), y(end).max(y(b.from_us) + 3.0));
                        let bx = x(b.lane) + dx;
                        let onclick = match d.lanes.get(b.lane).map(|l| &l.kind) {
                            Some(LaneKind::Client(c)) => {
                                let (on_bar, at) = (p.on_bar.clone(), (*c, b.from_us));
                                Some(Callback::from(move |_: MouseEvent| on_bar.emit(at)))
                            }
                            _ => None,
                        };
                        html! {
                            <g class={classes!("op", b.tone.class())} {onclick}>
                                <line class="op-link" x1={f(bx)} x2={f(x(b.node_lane))} y1={f(top)} y2={f(top)} />
                                <rect x={f(bx - 5.0)} y={f(top)} width="10" height={f(bottom - top)} rx="3" />
                                if labelled {
                                    <text x={f(bx + 9.0)} y={f(top + 11.0)}>{ b.label.clone() }</text>
                                }
                                <title>{ format!("{} from {} to {}", b.label, ms(b.from_us),
                                    b.to_us.map_or("(no answer)".to_string(), ms)) }</title>
                            </g>
                        }
                    }) }
                    { for d.arrows.iter().map(|a| {
                        let (x1, y1, x2, y2) = (x(a.from), y(a.id.sent_us), x(a.to), y(a.end_us()));
                        let chosen = p.focus.message == Some(a.id);
                        let missed = p.focus.read.as_ref().is_some_and(|r| r.missed(a));
                        let class = classes!(
                            "arrow",
                            family(a.kind),
                            matches!(a.fate, Fate::Dropped(_)).then_some("dropped"),
                            (a.fate == Fate::Flying).then_some("flying"),
                            chosen.then_some("chosen"),
                            missed.then_some("missed"),
                            reply_fate(a),
                        );
                        let (dx, dy) = (x2 - x1, y2 - y1);
                        let len = (dx * dx + dy * dy).sqrt().max(1.0);
                        let (ux, uy) = (dx / len, dy / len);
                        let head = format!("{},{} {},{} {},{}",
                            f(x2), f(y2),
                            f(x2 - 8.0 * ux + 4.0 * uy), f(y2 - 8.0 * uy - 4.0 * ux),
                            f(x2 - 8.0 * ux - 4.0 * uy), f(y2 - 8.0 * uy + 4.0 * ux));
                        html! {
                            <g {class} onclick={pick(a.id)} data-testid={missed.then_some("missed-replicate")}>
                                <line class="hit" x1={f(x1)} y1={f(y1)} x2={f(x2)} y2={f(y2)} />
                                <line x1={f(x1)} y1={f(y1)} x2={f(x2)} y2={f(y2)} />
                                if let Fate::Dropped(_) = a.fate {
                                    <path class="cross" d={format!("M{} {} l8 8 m0 -8 l-8 8", f(x2 - 4.0), f(y2 - 4.0))} />
                                } else {
                                    <polygon points={head} />
                                }
                                <title>{ format!("{} from {} to {}: sent {}, {} {}", super::messages::label(a.kind),
                                    a.id.from, a.id.to, ms(a.id.sent_us),
                                    match a.fate { Fate::Delivered => "delivered", Fate::Dropped(_) => "lost", Fate::Flying => "due" },
                                    ms(a.id.due_us)) }</title>
                            </g>
                        }
                    }) }
                </svg>
            </div>
        </section>
    }
}

/// Bars side by side in a lane need room. Operations of one lane that
/// overlap in time go in columns a little apart (at most four; a fifth
/// shares the one that frees first), and a bar is named only where the
/// name does not run into the one above: the bar's title still names it.
fn bar_places(bars: &[Bar], t1: u64, y: &dyn Fn(u64) -> f64) -> Vec<(f64, bool)> {
    const COLUMNS: usize = 4;
    // By lane, then start: packed in one number, so that the page's one
    // sort of numbers serves (another sort costs the download 1.5 kB).
    let mut order: Vec<u64> = (0..bars.len().min(1 << 16))
        .map(|i| (bars[i].lane as u64) << 56 | bars[i].from_us.min((1 << 40) - 1) << 16 | i as u64)
        .collect();
    order.sort_unstable();
    let mut places = vec![(0.0, false); bars.len()];
    let mut lane = usize::MAX;
    let (mut ends, mut named_at) = (Vec::<u64>::new(), f64::NEG_INFINITY);
    for key in order {
        let i = (key & 0xffff) as usize;
        let b = &bars[i];
        if b.lane != lane {
            (lane, named_at) = (b.lane, f64::NEG_INFINITY);
            ends.clear();
        }
        let column = match ends.iter().position(|&end| end < b.from_us) {
            Some(c) => c,
            None if ends.len() < COLUMNS => {
                ends.push(0);
                ends.len() - 1
            }
            None => (0..COLUMNS).min_by_key(|&c| ends[c]).unwrap_or(0),
        };
        ends[column] = b.to_us.unwrap_or(t1);
        let top = y(b.from_us);
        let named = top - named_at >= 12.0;
        if named {
            named_at = top;
        }
        places[i] = (column as f64 * 7.0, named);
    }
    places
}

fn mark_class(kind: MarkKind) -> &'static str {
    match kind {
        MarkKind::Leader => "m-leader",
        MarkKind::Candidate => "m-candidate",
        MarkKind::Follower => "m-follower",
        MarkKind::Crash => "m-crash",
        MarkKind::Restart => "m-restart",
        MarkKind::Commit => "m-commit",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quorum_analysis::diagram::Tone;

    fn bar(lane: usize, from_us: u64, to_us: Option<u64>) -> Bar {
        Bar {
            lane,
            node_lane: 3,
            from_us,
            to_us,
            tone: Tone::Fresh,
            label: format!("GET k at {from_us}"),
        }
    }

    #[test]
    fn overlapping_operations_of_a_lane_go_in_columns_and_crowded_names_are_left_out() {
        // One µs a pixel: names need 12 µs between them.
        let y = |t: u64| t as f64;
        let bars = [
            bar(0, 0, Some(50)),
            bar(0, 5, Some(60)),
            bar(1, 5, Some(60)),
            bar(0, 20, None),
            bar(0, 70, Some(80)),
            bar(0, 71, Some(90)),
            bar(0, 72, Some(90)),
            bar(0, 73, Some(90)),
            bar(0, 74, Some(90)),
        ];
        let places = bar_places(&bars, 100, &y);
        let columns: Vec<f64> = places.iter().map(|p| p.0 / 7.0).collect();
        // 70 starts after the first ended; the pending one holds its
        // column to the present; past four at once, a bar shares the
        // column that frees first (the earliest of equals).
        assert_eq!(columns, [0.0, 1.0, 0.0, 2.0, 0.0, 1.0, 3.0, 0.0, 0.0]);
        let named: Vec<bool> = places.iter().map(|p| p.1).collect();
        assert_eq!(
            named,
            [true, false, true, true, true, false, false, false, false]
        );
    }
}
