//! The page's linearizability view, decided in the worker: the checker's
//! verdict on the whole replayed history, and one key's operations to draw
//! as bars on client lanes (Porcupine's picture). A linearizable key shows
//! the order the checker found; a failing key shows its smallest failing
//! window and says, in numbers, why no order exists.
//!
//! The worker draws it too: the page gets the verdict, its reason and the
//! drawing as SVG markup (every value escaped), so neither the drawing code
//! nor a codec for operations joins the page's first download.

use crate::errors::AnalysisError;
use quorum_sim::check::{check_with_limit, Linearizability};
use quorum_sim::history::{HistoryOp, OpKind, Outcome};
use quorum_sim::msg::NodeId;

/// Operations drawn at most: a linearizable key shows its latest ones.
pub const MAX_SHOWN: usize = 60;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    Linearizable,
    NotLinearizable,
    /// The search ran out of steps: no answer rather than a frozen tab.
    Unknown,
}

impl Verdict {
    fn name(self) -> &'static str {
        match self {
            Verdict::Linearizable => "linearizable",
            Verdict::NotLinearizable => "not",
            Verdict::Unknown => "unknown",
        }
    }
}

/// One operation as drawn.
#[derive(Clone, Debug, PartialEq)]
pub struct Bar {
    pub client: u32,
    pub node: NodeId,
    pub op: OpKind,
    pub value: Option<String>,
    pub invoke_us: u64,
    pub complete_us: Option<u64>,
    pub outcome: Outcome,
    /// Its place (from 1) in the linearization found, for a linearizable key.
    pub rank: Option<u32>,
    /// Part of the smallest failing window.
    pub failing: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct LinearView {
    pub verdict: Verdict,
    /// The key drawn: the failing one, the undecided one, or the busiest.
    pub key: String,
    pub keys: usize,
    /// Operations of every key judged.
    pub total: usize,
    pub bars: Vec<Bar>,
    /// The verdict in words, with times and values.
    pub reason: String,
}

fn quoted(value: Option<&str>) -> String {
    value.map_or("nothing".into(), |v| format!("“{v}”"))
}

/// What an out-of-date read returned: an older value, or nothing.
fn went_back(value: Option<&str>) -> String {
    value.map_or("found the key absent".into(), |v| {
        format!("returned the older “{v}”")
    })
}

/// Judges `ops`, giving the search `steps` (the checker's default is a
/// few hundred milliseconds), and chooses what to draw.
pub fn build(ops: &[HistoryOp], steps: u64) -> Result<LinearView, AnalysisError> {
    let report = check_with_limit(ops, steps).map_err(AnalysisError::History)?;
    let mut keys: Vec<&str> = ops.iter().map(|o| o.key.as_str()).collect();
    keys.sort_unstable();
    keys.dedup();
    let busiest = || {
        keys.iter()
            .max_by_key(|k| ops.iter().filter(|o| o.key == **k).count())
            .map_or(String::new(), |k| k.to_string())
    };
    let of_key =
        |key: &str| -> Vec<usize> { (0..ops.len()).filter(|&i| ops[i].key == key).collect() };
    let bar = |i: usize| {
        let o = &ops[i];
        Bar {
            client: o.client,
            node: o.node,
            op: o.op,
            value: o.value.clone(),
            invoke_us: o.invoke_us,
            complete_us: o.complete_us,
            outcome: o.outcome,
            rank: None,
            failing: false,
        }
    };
    let (verdict, key, bars, reason) = match &report.linearizable {
        Linearizability::Linearizable { witness } => {
            let key = busiest();
            let order = witness.get(&key).cloned().unwrap_or_default();
            let mine = of_key(&key);
            let shown = &mine[mine.len().saturating_sub(MAX_SHOWN)..];
            let bars = shown
                .iter()
                .map(|&i| Bar {
                    rank: order.iter().position(|&j| j == i).map(|p| p as u32 + 1),
                    ..bar(i)
                })
                .collect::<Vec<_>>();
            let reason = format!(
                "Linearizable: every key's operations can be put in one order that respects real time, in which each read returns the latest write before it. The numbers on the bars are that order for “{key}”{}.",
                if shown.len() < mine.len() {
                    format!(" (its latest {} of {} operations)", shown.len(), mine.len())
                } else {
                    String::new()
                }
            );
            (Verdict::Linearizable, key, bars, reason)
        }
        Linearizability::NotLinearizable { key, window } => {
            // The window and what overlaps it in time: the bars a reader
            // needs to see why.
            let from = window.iter().map(|&i| ops[i].invoke_us).min().unwrap_or(0);
            let to = window
                .iter()
                .map(|&i| ops[i].complete_us.unwrap_or(u64::MAX))
                .max()
                .unwrap_or(0);
            let shown = of_key(key)
                .into_iter()
                .filter(|&i| ops[i].invoke_us <= to && ops[i].complete_us.is_none_or(|c| c >= from))
                .filter(|&i| window.contains(&i) || ops[i].outcome != Outcome::Fail)
                .take(MAX_SHOWN)
                .map(|i| Bar {
                    failing: window.contains(&i),
                    ..bar(i)
                })
                .collect();
            let reason = why_not(ops, window);
            (Verdict::NotLinearizable, key.clone(), shown, reason)
        }
        Linearizability::Unknown { key } => {
            let mine = of_key(key);
            let bars = mine[mine.len().saturating_sub(MAX_SHOWN)..]
                .iter()
                .map(|&i| bar(i))
                .collect();
            let reason = format!(
                "Unknown: the search for an order of “{key}”'s {} operations ran out of its {steps} steps, so the view says so instead of freezing the page. No key was found wanting.",
                mine.len()
            );
            (Verdict::Unknown, key.clone(), bars, reason)
        }
    };
    Ok(LinearView {
        verdict,
        key,
        keys: keys.len(),
        total: ops.len(),
        bars,
        reason,
    })
}

/// Why a failing window has no order: the first pattern that fits, in
/// numbers, or the rule itself when none does.
fn why_not(ops: &[HistoryOp], window: &[usize]) -> String {
    let done = |i: usize| ops[i].outcome == Outcome::Ok && ops[i].complete_us.is_some();
    let reads: Vec<usize> = window
        .iter()
        .copied()
        .filter(|&i| ops[i].op == OpKind::Read && done(i))
        .collect();
    let writer = |value: &Option<String>| {
        value.as_ref().and_then(|v| {
            window
                .iter()
                .copied()
                .find(|&w| ops[w].op == OpKind::Write && ops[w].value.as_ref() == Some(v))
        })
    };
    // `a` certainly took effect before `b` began.
    let before = |a: usize, b: usize| ops[a].complete_us.is_some_and(|c| c < ops[b].invoke_us);
    // The write read by `r` is older than write `w`: it ended before `w`
    // began, or `r` saw nothing although `w` had been acknowledged.
    let older = |r: usize, w: usize| {
        writer(&ops[r].value).map_or(ops[r].value.is_none(), |src| src != w && before(src, w))
    };
    for &r2 in &reads {
        for &r1 in &reads {
            let Some(w1) = writer(&ops[r1].value) else {
                continue;
            };
            if r1 != r2 && before(r1, r2) && older(r2, w1) {
                return format!(
                    "Not linearizable: client {}'s read finished at {} having returned {}, then client {}'s read began at {} and {}. Once one read has seen a write, no read that starts later may go back to an earlier value.",
                    ops[r1].client,
                    crate::seconds(ops[r1].complete_us.unwrap_or(0)),
                    quoted(ops[r1].value.as_deref()),
                    ops[r2].client,
                    crate::seconds(ops[r2].invoke_us),
                    went_back(ops[r2].value.as_deref()),
                );
            }
        }
        for &w in window {
            if ops[w].op == OpKind::Write && done(w) && before(w, r2) && older(r2, w) {
                return format!(
                    "Not linearizable: the write of {} was acknowledged at {}, and client {}'s read began after it, at {}, yet {}.",
                    quoted(ops[w].value.as_deref()),
                    crate::seconds(ops[w].complete_us.unwrap_or(0)),
                    ops[r2].client,
                    crate::seconds(ops[r2].invoke_us),
                    went_back(ops[r2].value.as_deref()),
                );
            }
        }
    }
    format!(
        "Not linearizable: no order of these {} operations respects real time and has every read return the latest write before it.",
        window.len()
    )
}

/// What the page shows: the verdict, and its markup (the verdict in a word
/// and a sentence, the reason, the drawing), every learner's string
/// escaped.
#[derive(Clone, Debug, PartialEq)]
pub struct Answer {
    pub verdict: Verdict,
    pub markup: String,
}

impl LinearView {
    /// The page's answer, drawn up to `at_us` (where pending bars end).
    pub fn answer(&self, at_us: u64) -> Answer {
        let (tone, word) = match self.verdict {
            Verdict::Linearizable => ("fresh", "linearizable"),
            Verdict::NotLinearizable => ("stale", "not linearizable"),
            Verdict::Unknown => ("allowed", "unknown"),
        };
        let markup = format!(
            "<p data-testid=\"linear-verdict\"><span class=\"badge {tone}\">{word}</span> {} operations on {} key{} up to t = {}; drawn: “{}”.</p><p class=\"linear-why\" data-testid=\"linear-why\">{}</p><div class=\"linear-scroll\">{}</div>",
            self.total,
            self.keys,
            if self.keys == 1 { "" } else { "s" },
            crate::seconds(at_us),
            escaped(&self.key),
            escaped(&self.reason),
            drawing(self, at_us)
        );
        Answer {
            verdict: self.verdict,
            markup,
        }
    }
}

impl Answer {
    /// The answer as the worker sends it: its tag and text.
    pub fn to_message(&self) -> (&'static str, String) {
        (self.verdict.name(), self.markup.clone())
    }

    /// The answer from the worker's message; `None` when it is not one.
    pub fn from_message(tag: &str, text: &str) -> Option<Answer> {
        let verdict = match tag {
            "linearizable" => Verdict::Linearizable,
            "not" => Verdict::NotLinearizable,
            "unknown" => Verdict::Unknown,
            _ => return None,
        };
        Some(Answer {
            verdict,
            markup: text.to_string(),
        })
    }
}

/// The drawing's style: it loads with the drawing, not with the page.
const STYLE: &str = ".linear-svg{display:block;min-width:760px;width:100%;height:auto}\
.linear-svg .lane-name{fill:var(--ink);font-size:12px;font-weight:700}\
.linear-svg .bar rect{fill:color-mix(in srgb,var(--accent) 16%,var(--panel));stroke:var(--accent);stroke-width:1.5}\
.linear-svg .bar.failing rect{fill:color-mix(in srgb,var(--warn) 40%,var(--panel));stroke:var(--warn);stroke-width:2.5}\
.linear-svg .bar.pending rect{stroke-dasharray:4 3}\
.linear-svg .bar.refused rect{fill:var(--panel);stroke:var(--muted)}\
.linear-svg .bar text{fill:var(--ink);font-size:11px}\
.linear-svg .order{fill:none;stroke:var(--fresh);stroke-width:2}\
.linear-svg .point circle{fill:var(--fresh)}\
.linear-svg .point text{fill:var(--panel);font-size:10px;font-weight:700;text-anchor:middle}\
.linear-svg .axis{fill:var(--muted);font-size:11px}\
.linear-svg .axis.end{text-anchor:end}";

/// Text made safe for XML: a learner's key or value is shown, never run.
pub fn escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

const WIDTH: f64 = 820.0;
const LEFT: f64 = 84.0;
const LANE: f64 = 38.0;

/// Porcupine's picture: a lane per client, each operation a bar from its
/// request to its answer; for a linearizable key, the order found as
/// numbered points joined by a line; for a failing one, its window.
fn drawing(view: &LinearView, at_us: u64) -> String {
    use std::fmt::Write;
    let mut clients: Vec<u32> = view.bars.iter().map(|b| b.client).collect();
    clients.sort_unstable();
    clients.dedup();
    let t0 = view.bars.iter().map(|b| b.invoke_us).min().unwrap_or(0);
    let end = |b: &Bar| b.complete_us.unwrap_or(at_us.max(b.invoke_us));
    let t1 = view.bars.iter().map(end).max().unwrap_or(t0).max(t0 + 1);
    // Room on the right for the last bar's label.
    let x = |t: u64| LEFT + (t - t0) as f64 / (t1 - t0) as f64 * (WIDTH - LEFT - 110.0);
    let lane = |client: u32| clients.iter().position(|&c| c == client).unwrap_or(0) as f64;
    let height = LANE * clients.len() as f64 + 26.0;
    let label = |b: &Bar| {
        let value = b.value.as_deref().unwrap_or("∅");
        escaped(&match b.op {
            OpKind::Write => format!("W {value}"),
            OpKind::Read => format!("R {value}"),
            OpKind::Delete => "D".into(),
        })
    };
    let mut svg = format!(
        "<svg class=\"linear-svg\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {height:.1}\" role=\"img\" aria-label=\"Operations on “{}” from {} to {} on {} client lanes\"><style>{STYLE}</style>",
        escaped(&view.key),
        crate::seconds(t0),
        crate::seconds(t1),
        clients.len()
    );
    for (i, c) in clients.iter().enumerate() {
        let _ = write!(
            svg,
            "<text class=\"lane-name\" x=\"4\" y=\"{:.1}\">Client {c}</text>",
            29.0 + i as f64 * LANE
        );
    }
    for b in &view.bars {
        // An answer in the same microsecond still gets a bar to read.
        let (x0, x1) = (x(b.invoke_us), x(end(b)).max(x(b.invoke_us) + 40.0));
        let y = 14.0 + lane(b.client) * LANE;
        let mut class = String::from("bar");
        for (on, name) in [
            (b.failing, " failing"),
            (b.complete_us.is_none(), " pending"),
            (b.outcome == Outcome::Fail, " refused"),
        ] {
            if on {
                class.push_str(name);
            }
        }
        let answered = b.complete_us.map_or("no answer".into(), crate::seconds);
        let _ = write!(
            svg,
            "<g class=\"{class}\"><rect x=\"{x0:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"22\" rx=\"4\"/><text x=\"{:.1}\" y=\"{:.1}\">{}</text><title>Client {}: {} at {}, {} to {answered}</title></g>",
            x1 - x0,
            x0 + 4.0,
            y + 15.0,
            label(b),
            b.client,
            label(b),
            b.node,
            crate::seconds(b.invoke_us),
        );
    }
    // The order's points: each as early as its request and its
    // predecessor allow, which a linearizable order always fits.
    let mut ranked: Vec<&Bar> = view.bars.iter().filter(|b| b.rank.is_some()).collect();
    ranked.sort_by_key(|b| b.rank);
    let mut last = t0;
    let points: Vec<(f64, f64, u32)> = ranked
        .iter()
        .map(|b| {
            last = last.max(b.invoke_us).min(end(b));
            (x(last), 25.0 + lane(b.client) * LANE, b.rank.unwrap_or(0))
        })
        .collect();
    if points.len() > 1 {
        let line: Vec<String> = points
            .iter()
            .map(|(x, y, _)| format!("{x:.1},{y:.1}"))
            .collect();
        let _ = write!(
            svg,
            "<polyline class=\"order\" points=\"{}\"/>",
            line.join(" ")
        );
    }
    for (x, y, rank) in &points {
        let _ = write!(
            svg,
            "<g class=\"point\"><circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"8\"/><text x=\"{x:.1}\" y=\"{:.1}\">{rank}</text></g>",
            y + 4.0
        );
    }
    let _ = write!(
        svg,
        "<text class=\"axis\" x=\"{LEFT}\" y=\"{:.1}\">{}</text><text class=\"axis end\" x=\"{}\" y=\"{:.1}\">{}</text></svg>",
        height - 4.0,
        crate::seconds(t0),
        x(t1),
        height - 4.0,
        crate::seconds(t1)
    );
    svg
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::replay::{replay, tests::preset};
    use quorum_sim::check::DEFAULT_STEP_LIMIT;

    fn op(client: u32, op: OpKind, value: &str, invoke_us: u64, complete_us: u64) -> HistoryOp {
        HistoryOp {
            client,
            node: NodeId::at(0),
            op,
            key: "k".into(),
            value: (!value.is_empty()).then(|| value.to_string()),
            level: "eventual".into(),
            invoke_us,
            complete_us: Some(complete_us),
            outcome: Outcome::Ok,
        }
    }

    fn round_trip(view: &LinearView) {
        let answer = view.answer(1_000_000);
        let (tag, text) = answer.to_message();
        assert_eq!(Answer::from_message(tag, &text), Some(answer));
    }

    #[test]
    fn the_stale_follower_read_fails_with_the_acknowledged_write_named() {
        let s = preset("stale-follower-read");
        let mut ops = replay(&s, s.end_us()).unwrap().ops;
        quorum_sim::history::distinct_values(&mut ops);
        let view = build(&ops, DEFAULT_STEP_LIMIT).unwrap();
        assert_eq!(view.verdict, Verdict::NotLinearizable);
        assert!(
            view.reason.contains("was acknowledged at"),
            "{}",
            view.reason
        );
        assert!(view.reason.contains("“Alice”"), "{}", view.reason);
        let failing: Vec<&Bar> = view.bars.iter().filter(|b| b.failing).collect();
        assert!(
            failing.len() >= 2,
            "the write and the stale read: {:?}",
            view.bars
        );
        assert!(failing
            .iter()
            .any(|b| b.op == OpKind::Read && b.value.is_none()));
        round_trip(&view);
    }

    #[test]
    fn a_linearizable_history_numbers_every_bar_in_one_order() {
        let ops = vec![
            op(1, OpKind::Write, "a", 0, 10),
            op(2, OpKind::Read, "a", 5, 20),
            op(1, OpKind::Write, "b", 30, 40),
            op(2, OpKind::Read, "b", 45, 50),
        ];
        let view = build(&ops, DEFAULT_STEP_LIMIT).unwrap();
        assert_eq!(view.verdict, Verdict::Linearizable);
        let ranks: Vec<Option<u32>> = view.bars.iter().map(|b| b.rank).collect();
        assert_eq!(ranks, [Some(1), Some(2), Some(3), Some(4)]);
        round_trip(&view);
    }

    #[test]
    fn a_new_then_old_pair_of_reads_is_named_with_both_times() {
        let ops = vec![
            op(1, OpKind::Write, "a", 0, 10),
            // b's write never answers before both reads: they overlap it.
            HistoryOp {
                complete_us: None,
                outcome: Outcome::Unknown,
                ..op(1, OpKind::Write, "b", 20, 0)
            },
            op(2, OpKind::Read, "b", 25, 30),
            op(3, OpKind::Read, "a", 40, 45),
        ];
        let view = build(&ops, DEFAULT_STEP_LIMIT).unwrap();
        assert_eq!(view.verdict, Verdict::NotLinearizable);
        assert!(
            view.reason
                .contains("client 2's read finished at 0.000 s having returned “b”")
                && view
                    .reason
                    .contains("client 3's read began at 0.000 s and returned the older “a”"),
            "{}",
            view.reason
        );
        round_trip(&view);
    }

    #[test]
    fn a_search_out_of_steps_says_unknown() {
        let ops: Vec<HistoryOp> = (0..8)
            .map(|i| op(i, OpKind::Write, &format!("v{i}"), 0, 100))
            .chain((0..8).map(|i| op(10 + i, OpKind::Read, &format!("v{i}"), 0, 100)))
            .collect();
        let view = build(&ops, 1).unwrap();
        assert_eq!(view.verdict, Verdict::Unknown);
        assert!(
            view.reason.contains("ran out of its 1 steps"),
            "{}",
            view.reason
        );
        round_trip(&view);
    }

    #[test]
    fn a_message_that_is_not_an_answer_is_refused() {
        assert_eq!(Answer::from_message("maybe", "<p></p>"), None);
    }

    #[test]
    fn a_learners_markup_is_drawn_as_text_never_as_markup() {
        let hostile = "<script>alert(1)</script>&\"'\u{7}";
        let mut ops = vec![
            op(1, OpKind::Write, hostile, 0, 10),
            op(2, OpKind::Read, hostile, 20, 30),
        ];
        for o in &mut ops {
            o.key = "<img src=x onerror=alert(1)>".into();
        }
        let svg = build(&ops, DEFAULT_STEP_LIMIT).unwrap().answer(40).markup;
        assert!(!svg.contains("<script") && !svg.contains("<img"), "{svg}");
        assert!(
            svg.contains("drawn: “&lt;img src=x onerror=alert(1)&gt;”"),
            "{svg}"
        );
        assert!(
            svg.contains("W &lt;script&gt;alert(1)&lt;/script&gt;&amp;&quot;&#39;\u{fffd}"),
            "{svg}"
        );
        // Every tag the drawing opens, it closes: the markup parses.
        for tag in ["g", "text", "p", "div", "svg", "style", "title", "span"] {
            let opened =
                svg.matches(&format!("<{tag} ")).count() + svg.matches(&format!("<{tag}>")).count();
            assert_eq!(
                opened,
                svg.matches(&format!("</{tag}>")).count(),
                "<{tag}> in {svg}"
            );
        }
    }
}
