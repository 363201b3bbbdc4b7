//! Live statistics, a chart over time and the PBS curve.

use crate::analysis::{use_analysis, Answer};
use crate::components::chart::{chart, ChartProps, Line, Mark};
use crate::model::pbs_note;
use crate::model::series::{percent, Figures, Segment, Tally};
use quorum_analysis::pbs_curve::{PbsCurve, PbsInputs, TARGET};
use quorum_analysis::{Done, Work};
use quorum_sim::series::Bucket;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct StatsProps {
    pub figures: Rc<Figures>,
    /// The panel memoises the PBS curve on these.
    pub pbs: PbsInputs,
}

#[function_component(Stats)]
pub fn stats(p: &StatsProps) -> Html {
    // Computed in the analysis worker, off the main thread and out of the
    // first download.
    let curve = use_analysis(
        p.pbs.clone(),
        |inputs| Work::Pbs(inputs.clone()),
        |done| match done {
            Done::Pbs(curve) => Some(curve),
            _ => None,
        },
    );
    let f = &*p.figures;
    let note = match &curve {
        Answer::Ready(c) => pbs_note::disagreement(c, &f.total),
        _ => None,
    };
    html! {
        <section class="panel stats" aria-labelledby="stats-title" data-testid="stats">
            <h2 id="stats-title">{ "Live statistics" }</h2>
            if !f.segments.is_empty() {
                { segments(&f.segments) }
            }
            <div class="stats-body">
                { figures(&f.total) }
                { timeline(f) }
                { pbs_figure(&curve, note) }
            </div>
        </section>
    }
}

/// A figure's verdict colour: the same calm / warm / alarming scale as the
/// read badges.
#[derive(Clone, Copy)]
enum Tone {
    Neutral,
    Fresh,
    Warn,
    Alert,
}

impl Tone {
    fn class(self) -> &'static str {
        match self {
            Tone::Neutral => "neutral",
            Tone::Fresh => "fresh",
            Tone::Warn => "warn",
            Tone::Alert => "alert",
        }
    }

    /// Calm at zero, `bad` otherwise.
    fn zero_is_fine(count: u64, bad: Tone) -> Tone {
        if count == 0 {
            Tone::Fresh
        } else {
            bad
        }
    }
}

fn card(title: &str, tone: Tone, value: String, id: &'static str, detail: Html) -> Html {
    html! {
        <div class={classes!("figure", tone.class(), id)}>
            <dt>{ title }</dt>
            <dd>
                <strong data-testid={id}>{ value }</strong>
                <span class="detail">{ detail }</span>
            </dd>
        </div>
    }
}

/// Before and after the last setting change, side by side.
fn segments(list: &[Segment]) -> Html {
    let span = |s: &Segment| match s.to_us {
        Some(to) => format!(
            "{} to {}",
            seconds(s.from_us as f64 / 1e6),
            seconds(to as f64 / 1e6)
        ),
        None => format!("since {}", seconds(s.from_us as f64 / 1e6)),
    };
    let stale = |t: &Tally| match percent(t.stale_reads, t.reads) {
        Some(p) => format!(
            "{} stale ({} of {})",
            pct(p),
            count(t.stale_reads),
            count(t.reads)
        ),
        None => "no reads".into(),
    };
    let avail = |t: &Tally| or_dash(percent(t.succeeded, t.completed), pct);
    html! {
        <table class="segments" data-testid="segments">
            <caption>{ "Before and after the last change" }</caption>
            <thead><tr>
                <th scope="col">{ "Settings" }</th><th scope="col">{ "Simulated time" }</th>
                <th scope="col">{ "Reads" }</th><th scope="col">{ "Lost writes" }</th>
                <th scope="col">{ "Availability" }</th><th scope="col">{ "Write p50" }</th>
            </tr></thead>
            <tbody>
            { for list.iter().map(|s| html! {
                <tr class={classes!(s.to_us.is_none().then_some("current"))}>
                    <th scope="row">{ s.settings.clone() }</th>
                    <td>{ span(s) }</td>
                    <td>{ stale(&s.tally) }</td>
                    <td>{ format!("{} of {}", count(s.tally.lost_acked_writes), count(s.tally.acked_writes)) }</td>
                    <td>{ avail(&s.tally) }</td>
                    <td>{ or_dash(s.tally.write_latency_ms, p50) }</td>
                </tr>
            }) }
            </tbody>
        </table>
    }
}

fn figures(f: &Tally) -> Html {
    let stale_tone = match f.reads {
        0 => Tone::Neutral,
        _ => Tone::zero_is_fine(f.stale_reads, Tone::Warn),
    };
    let by_level = f.by_level.iter().map(|l| {
        html! {
            <span class="level">{ format!("{}: {} stale of {} sent", l.level.replace('_', " "), count(l.stale), count(l.reads)) }</span>
        }
    });
    let violations = f.read_your_writes + f.monotonic_reads;
    let availability = percent(f.succeeded, f.completed);
    let availability_tone = match availability {
        None => Tone::Neutral,
        Some(a) if a >= 100.0 => Tone::Fresh,
        Some(_) => Tone::Warn,
    };
    let failed = f.completed - f.succeeded;
    html! {
        <dl class="figures">
            { card("Stale reads", stale_tone, or_dash(percent(f.stale_reads, f.reads), pct), "stale-reads", html! {
                <>
                    <span>{ if f.reads == 0 { "no reads answered yet".to_string() }
                        else { format!("{} of {} answered reads", count(f.stale_reads), count(f.reads)) } }</span>
                    { for by_level }
                </>
            }) }
            { card("Session violations", Tone::zero_is_fine(violations, Tone::Alert), count(violations), "violations", html! {
                <span>{ format!("read-your-writes {} · monotonic reads {}", f.read_your_writes, f.monotonic_reads) }</span>
            }) }
            { card("Lost acknowledged writes", Tone::zero_is_fine(f.lost_acked_writes, Tone::Alert), count(f.lost_acked_writes), "lost-writes", html! {
                <span>{ format!("of {} acknowledged", count(f.acked_writes)) }</span>
            }) }
            { card("Availability", availability_tone, or_dash(availability, pct), "availability", html! {
                <span>{ if f.completed == 0 { "no operations finished yet".to_string() }
                    else { format!("{} of {} operations succeeded; {} failed or timed out ({} × 503 not the leader)",
                        count(f.succeeded), count(f.completed), count(failed), count(f.not_leader)) } }</span>
            }) }
            { card("Read latency", Tone::Neutral, or_dash(f.read_latency_ms, p50), "read-latency", html! {
                <span>{ shown_or(f.read_latency_ms, p99, "") }</span>
            }) }
            { card("Write latency", Tone::Neutral, or_dash(f.write_latency_ms, p50), "write-latency", html! {
                <span>{ shown_or(f.write_latency_ms, p99, "") }</span>
            }) }
            { card("Elections", Tone::Neutral, count(f.elections), "elections", html! {
                <span>{ "times a node became leader" }</span>
            }) }
            { card("Messages", Tone::Neutral, format!("{} sent", count(f.messages_sent)), "messages", html! {
                <span>{ format!("{} dropped{}", count(f.messages_dropped),
                    percent(f.messages_dropped, f.messages_sent).map(|p| format!(" ({})", pct(p))).unwrap_or_default()) }</span>
            }) }
        </dl>
    }
}

/// Stale reads and availability per column of simulated time, elections
/// marked: the two sides of the trade-off a learner steers with R, W and
/// faults, and the event that explains most availability dips.
fn timeline(f: &Figures) -> Html {
    let w = f.bucket_s;
    // Each bucket drawn as a level segment across its width, joined to its
    // neighbours: a step chart is what bucketed data is, and one bucket is
    // already visible. Buckets without operations leave a gap.
    let steps = |value: fn(&Bucket) -> Option<f64>| -> Vec<Option<(f64, f64)>> {
        f.buckets
            .iter()
            .enumerate()
            .flat_map(|(i, b)| match value(b) {
                Some(y) => [Some((i as f64 * w, y)), Some(((i + 1) as f64 * w, y))],
                None => [None, None],
            })
            .collect()
    };
    let lines = vec![
        Line {
            class: "ln-stale",
            label: "stale reads (% of reads)",
            points: steps(|b| b.stale_percent()),
        },
        Line {
            class: "ln-avail",
            label: "availability (% of operations)",
            points: steps(|b| b.availability_percent()),
        },
    ];
    let events: Vec<f64> = f
        .buckets
        .iter()
        .enumerate()
        .filter(|(_, b)| b.elections > 0)
        .map(|(i, _)| (i as f64 + 0.5) * w)
        .collect();
    let x_max = (f.buckets.len().max(1) as f64) * w;
    let t = &f.total;
    let summary = match (percent(t.stale_reads, t.reads), percent(t.succeeded, t.completed)) {
        (Some(stale), Some(avail)) => format!(
            "Over {x_max:.0} s of simulated time: {} of reads stale, {} of operations succeeded, {} elections.",
            pct(stale), pct(avail), t.elections
        ),
        _ => format!(
            "No client operations yet in {x_max:.0} s of simulated time; {} elections.",
            t.elections
        ),
    };
    html! {
        <figure class="chart-box">
            { chart(&ChartProps {
                id: "timeline".into(),
                title: "Stale reads and availability over simulated time".into(),
                summary: summary.into(),
                x_label: "simulated time (s)".into(),
                y_label: "% per column".into(),
                x_max,
                lines,
                events,
                events_label: Some("election".into()),
                note: (f.total.completed == 0).then_some("no client operations yet".into()),
                ..ChartProps::default()
            }) }
            <figcaption>
                { format!("Columns of {} of simulated time, the whole run: older columns merge as it grows. \
                    Raise R or W and watch stale reads fall; cut a partition and watch availability drop.", seconds(w)) }
            </figcaption>
        </figure>
    }
}

const PBS_LINE: &str = "P(read returns the write)";

fn pbs_figure(curve: &Answer<PbsCurve>, note: Option<String>) -> Html {
    let (lines, marks, x_max, text, trials) = match curve {
        Answer::Waiting => (Vec::new(), Vec::new(), 10.0, "Computing the curve…".to_string(), 0),
        Answer::Failed(why) => (
            Vec::new(),
            Vec::new(),
            10.0,
            format!("The curve could not be computed: {why}. Everything else on the page works."),
            0,
        ),
        Answer::Ready(PbsCurve::Strict { n, r, w }) => (
            vec![Line {
                class: "ln-pbs",
                label: PBS_LINE,
                points: vec![Some((0.0, 100.0)), Some((10.0, 100.0))],
            }],
            Vec::new(),
            10.0,
            format!(
                "R + W = {} > N = {n}: reads are always consistent. Every read quorum of {r} overlaps \
                 every write quorum of {w}, so a read sent any time after a write commits reaches \
                 a replica that has it: the curve is 1 (100 %) everywhere.",
                r + w
            ),
            0,
        ),
        Answer::Ready(PbsCurve::Partial(c)) => {
            let text = if c.t_target_ms == 0.0 {
                "R + W ≤ N, yet in this model every read returned the write from commit on: \
                 the commit waits for a round trip to W replicas, and by then the write has reached \
                 every replica. Lower the latency or add jitter to see the gap."
                    .to_string()
            } else {
                format!(
                    "R + W ≤ N: right after commit a read sees the write with p = {}; \
                     p reaches {} at t = {}.",
                    pct(100.0 * c.p_at_commit),
                    pct(100.0 * TARGET),
                    ms(c.t_target_ms)
                )
            };
            let marks = (c.t_target_ms > 0.0)
                .then(|| Mark {
                    x: c.t_target_ms,
                    label: format!("{} at {}", pct(100.0 * TARGET), ms(c.t_target_ms)),
                })
                .into_iter()
                .collect();
            let line = Line {
                class: "ln-pbs",
                label: PBS_LINE,
                points: c.points.iter().map(|&(t, p)| Some((t, 100.0 * p))).collect(),
            };
            (vec![line], marks, c.t_max_ms(), text, c.trials)
        }
    };
    html! {
        <figure class="chart-box pbs">
            { chart(&ChartProps {
                id: "pbs".into(),
                title: "PBS: chance a read returns the latest write, by time after commit".into(),
                summary: text.clone().into(),
                x_label: "time after the write commits (ms)".into(),
                y_label: "consistent reads".into(),
                x_max,
                lines,
                marks,
                ..ChartProps::default()
            }) }
            <figcaption>
                <span data-testid="pbs-summary">{ text }</span>
                { " WARS model (Bailis et al., VLDB 2012) for this N, R, W, latency and jitter" }
                if trials > 0 {
                    { format!(", {} Monte Carlo trials", count(trials as u64)) }
                }
                { ". In the model the coordinator is not a replica; here the leader is one and counts \
                    itself toward W, so eventual reads from followers can be staler than the curve." }
                if let Some(note) = note {
                    <span class="pbs-note" data-testid="pbs-note">{ format!(" {note}") }</span>
                }
            </figcaption>
        </figure>
    }
}

fn or_dash<T>(value: Option<T>, show: fn(T) -> String) -> String {
    shown_or(value, show, "–")
}

fn shown_or<T>(value: Option<T>, show: fn(T) -> String, none: &str) -> String {
    value.map_or_else(|| none.to_string(), show)
}

fn pct(p: f64) -> String {
    format!("{p:.1} %")
}

fn ms(t: f64) -> String {
    if t < 10.0 {
        format!("{t:.1} ms")
    } else {
        format!("{t:.0} ms")
    }
}

fn seconds(s: f64) -> String {
    if s < 10.0 {
        format!("{s:.1} s")
    } else {
        format!("{s:.0} s")
    }
}

fn p50((median, _): (f64, f64)) -> String {
    format!("p50 {}", ms(median))
}

fn p99((_, tail): (f64, f64)) -> String {
    format!("p99 {}", ms(tail))
}

/// Thousands separated by thin spaces, as the course writes numbers.
fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('\u{2009}');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_carry_units_and_separators() {
        assert_eq!(count(0), "0");
        assert_eq!(count(1234567), "1\u{2009}234\u{2009}567");
        assert_eq!(ms(3.26), "3.3 ms");
        assert_eq!(ms(42.4), "42 ms");
        assert_eq!(pct(12.345), "12.3 %");
        assert_eq!(or_dash(None, p50), "–");
        assert_eq!(shown_or(Some((5.0, 80.0)), p99, ""), "p99 80 ms");
        assert_eq!(shown_or(None, p99, ""), "");
    }
}
