//! Exercise 3's tool, the quorum map: for the learner's N, every (W, R) run
//! on one seed and one workload with the chosen faults, each cell the
//! numbers `quorum run --scenario` prints for that run (the same replay,
//! `World::replay_to_end`), coloured by the metric chosen. The course's
//! four use cases each say what they need, and a chosen cell is judged by
//! the map's own numbers.

use crate::errors::AskError;
use quorum_analysis::linear_view::escaped;
use quorum_sim::read_json::Named;
use quorum_sim::scenario::Scenario;
use quorum_sim::stats::Summary;
use quorum_sim::world::World;
use serde_json::{json, Value};

/// Most nodes a map is drawn for: N² runs, each a fraction of a second.
pub const MAX_N: usize = 7;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Metric {
    Stale,
    Lost,
    Availability,
    P99,
}

impl Named for Metric {
    const ALL: &'static [Metric] = &[
        Metric::Stale,
        Metric::Lost,
        Metric::Availability,
        Metric::P99,
    ];
    const NAMES: &'static [&'static str] = &["stale", "lost", "availability", "p99"];
}

impl Metric {
    fn label(self) -> &'static str {
        [
            "Stale reads",
            "Lost acknowledged writes",
            "Availability",
            "p99 latency",
        ][self as usize]
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Faults {
    None,
    Crash,
    Partition,
}

impl Named for Faults {
    const ALL: &'static [Faults] = &[Faults::None, Faults::Crash, Faults::Partition];
    const NAMES: &'static [&'static str] = &["none", "crash", "partition"];
}

impl Faults {
    fn label(self) -> &'static str {
        [
            "no faults",
            "node-1 down from 3 s to 6 s",
            "a minority cut off from 3 s to 6 s",
        ][self as usize]
    }
}

/// One cell: the run's figures.
#[derive(Clone, Debug, PartialEq)]
pub struct Cell {
    pub w: usize,
    pub r: usize,
    pub stale_pct: f64,
    pub lost: u64,
    pub available_pct: f64,
    pub p99_ms: f64,
}

impl Cell {
    fn of(w: usize, r: usize, s: &Summary) -> Cell {
        let pct = |part: u64, whole: u64| {
            if whole == 0 {
                0.0
            } else {
                100.0 * part as f64 / whole as f64
            }
        };
        Cell {
            w,
            r,
            stale_pct: pct(s.stale_reads, s.reads),
            lost: s.lost_acked_writes,
            available_pct: pct(s.ops - s.failed_ops - s.unknown_ops, s.ops),
            p99_ms: s.read_latency_ms_p99.max(s.write_latency_ms_p99),
        }
    }

    /// The metric's value, as the cell shows it.
    fn shown(&self, m: Metric) -> String {
        match m {
            Metric::Stale => format!("{:.0} %", self.stale_pct),
            Metric::Lost => self.lost.to_string(),
            Metric::Availability => format!("{:.0} %", self.available_pct),
            Metric::P99 => format!("{:.0} ms", self.p99_ms),
        }
    }

    /// 0 (good) to 4 (bad), for the cell's colour.
    fn band(&self, m: Metric, worst_p99: f64) -> usize {
        let share = match m {
            Metric::Stale => self.stale_pct / 40.0,
            Metric::Lost => self.lost as f64 / 4.0,
            Metric::Availability => (100.0 - self.available_pct) / 40.0,
            Metric::P99 => self.p99_ms / worst_p99.max(1.0),
        };
        ((share * 4.0).ceil() as usize).min(4)
    }
}

/// The run behind every cell: the learner's settings and seed (`settings`,
/// a scenario as the page writes one), a steady workload of strong reads
/// (the ones R governs) and writes, and the faults. Returned parsed and as
/// the JSON `quorum run --scenario` reads.
pub fn base(settings: &Value, faults: Faults) -> Result<(Scenario, Value), AskError> {
    let n = settings["config"]["n"].as_u64().unwrap_or(3) as usize;
    let actions = match faults {
        Faults::None => json!([]),
        Faults::Crash => {
            json!([[3000, {"do": "crash", "node": 1}], [6000, {"do": "restart", "node": 1}]])
        }
        Faults::Partition if n >= 3 => {
            let minority: Vec<usize> = (1..=(n - 1) / 2).collect();
            json!([[3000, {"do": "partition", "groups": [minority]}], [6000, {"do": "heal"}]])
        }
        Faults::Partition => json!([]),
    };
    let mut text = json!({ "version": 1, "seed": settings["seed"], "config": settings["config"] });
    text["workload"] = json!({"clients": 3, "ops_per_sec": 40, "ops": 400, "read_fraction": 0.5,
                              "delete_fraction": 0, "keys": 3, "levels": [["strong", 1.0]]});
    text["actions"] = actions;
    text["until_ms"] = json!(12000);
    let scenario = Scenario::from_json(&text.to_string()).map_err(AskError::MapRun)?;
    Ok((scenario, text))
}

/// Every (W, R) of `base`'s N, run as `quorum run --scenario` runs it.
/// Not inlined into the worker's dispatch: inlined, the engine's run loop
/// was copied there and cost the download 3 kB.
#[inline(never)]
pub fn cells(base: &Scenario) -> Result<Vec<Cell>, AskError> {
    let n = base.config.n;
    if n > MAX_N {
        return Err(AskError::MapTooLarge(n));
    }
    let mut cells = Vec::with_capacity(n * n);
    for w in 1..=n {
        for r in 1..=n {
            let mut s = base.clone();
            s.config.w = w;
            s.config.r = r;
            let mut world = World::from_scenario(&s)?;
            world.replay_to_end(s.end_us(), |_| {});
            cells.push(Cell::of(w, r, &world.summary()));
        }
    }
    Ok(cells)
}

/// The course's exercise 3: what each use case cannot do without.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UseCase {
    Bank,
    Like,
    Cart,
    Profile,
}

impl Named for UseCase {
    const ALL: &'static [UseCase] = &[
        UseCase::Bank,
        UseCase::Like,
        UseCase::Cart,
        UseCase::Profile,
    ];
    const NAMES: &'static [&'static str] = &["bank", "like", "cart", "profile"];
}

impl UseCase {
    fn title(self) -> &'static str {
        [
            "Bank balance transfer",
            "Social media like",
            "Shopping cart",
            "User profile view",
        ][self as usize]
    }

    fn needs(self) -> &'static str {
        [
            "No money may vanish or be read wrong: no lost acknowledged write, no stale read.",
            "A like may show up late, but the button must always work: availability first.",
            "Your own adds must never disappear: no lost acknowledged write; a slightly old read is fine.",
            "A profile may be a little old, but must load fast and always: availability and low latency.",
        ][self as usize]
    }

    /// Whether `cell` gives what the use case needs, and why, in numbers.
    fn judge(self, cell: &Cell, best_p99: f64) -> (bool, String) {
        let numbers = format!(
            "W = {}, R = {}: {:.0} % stale reads, {} lost acknowledged write{}, {:.0} % available, p99 {:.0} ms.",
            cell.w,
            cell.r,
            cell.stale_pct,
            cell.lost,
            if cell.lost == 1 { "" } else { "s" },
            cell.available_pct,
            cell.p99_ms
        );
        let (ok, why) = match self {
            UseCase::Bank => (
                cell.lost == 0 && cell.stale_pct == 0.0,
                "a transfer needs both numbers at 0, whatever it costs in speed or availability",
            ),
            UseCase::Like => (
                cell.available_pct >= 95.0,
                "a like needs the operation to go through (95 % or more here); staleness does not matter",
            ),
            UseCase::Cart => (
                cell.lost == 0,
                "a cart needs no acknowledged add to be lost; reads may lag",
            ),
            UseCase::Profile => (
                cell.available_pct >= 95.0 && cell.p99_ms <= best_p99 * 1.5 + 1.0,
                "a profile view needs to answer nearly always and about as fast as the fastest setting",
            ),
        };
        let verdict = if ok { "A good choice" } else { "Not this one" };
        (
            ok,
            format!(
                "{verdict} for a {}: {numbers} {}.",
                self.title().to_lowercase(),
                capital(why)
            ),
        )
    }
}

fn capital(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// The map as the panel shows it.
pub struct Shown<'a> {
    pub cells: &'a [Cell],
    pub n: usize,
    pub metric: Metric,
    pub faults: Faults,
    pub use_case: Option<UseCase>,
    /// The cell the learner chose, to judge for the use case.
    pub chosen: Option<(usize, usize)>,
    /// The run behind every cell, as `quorum run --scenario` reads it.
    pub base: &'a Value,
}

fn choice(command: String, label: &str, pressed: bool) -> String {
    format!(
        "<button type=\"button\" aria-pressed=\"{pressed}\" data-do=\"{}\">{}</button>",
        escaped(&command),
        escaped(label)
    )
}

impl Shown<'_> {
    /// The command that shows this map with one thing changed.
    fn command(
        &self,
        metric: Metric,
        faults: Faults,
        use_case: Option<UseCase>,
        chosen: Option<(usize, usize)>,
    ) -> String {
        let case = use_case.map_or("-", |u| UseCase::NAMES[u as usize]);
        let cell = chosen.map_or("-".to_string(), |(w, r)| format!("{w}-{r}"));
        format!(
            "map:{}:{}:{case}:{cell}",
            Metric::NAMES[metric as usize],
            Faults::NAMES[faults as usize]
        )
    }

    pub fn markup(&self) -> String {
        let mut out = String::from("<div class=\"lesson-wide quorum-map\"><h2 id=\"lesson-title\" tabindex=\"-1\">The quorum map</h2>");
        out += &format!(
            "<p>Every W and R for N = {} on the same seed and workload (400 strong reads and writes over 10 s, {}). Choose a use case, then a cell: the map's numbers say whether it fits. A cell's button sets the cluster to it.</p>",
            self.n,
            self.faults.label()
        );
        out += "<div class=\"map-controls\"><div role=\"group\" aria-label=\"Colour by\">";
        for &m in Metric::ALL {
            out += &choice(
                self.command(m, self.faults, self.use_case, self.chosen),
                m.label(),
                m == self.metric,
            );
        }
        out += "</div><div role=\"group\" aria-label=\"Faults\">";
        for &f in Faults::ALL {
            out += &choice(
                self.command(self.metric, f, self.use_case, None),
                f.label(),
                f == self.faults,
            );
        }
        out += "</div><div role=\"group\" aria-label=\"Use case\">";
        for &u in UseCase::ALL {
            out += &choice(
                self.command(self.metric, self.faults, Some(u), self.chosen),
                u.title(),
                Some(u) == self.use_case,
            );
        }
        out += "</div></div>";
        if let Some(u) = self.use_case {
            out += &format!(
                "<p class=\"map-needs\"><strong>{}: </strong>{}</p>",
                escaped(u.title()),
                escaped(u.needs())
            );
        }
        let worst_p99 = self.cells.iter().map(|c| c.p99_ms).fold(0.0, f64::max);
        let best_p99 = self
            .cells
            .iter()
            .map(|c| c.p99_ms)
            .fold(f64::INFINITY, f64::min);
        out += "<table class=\"map-grid\" role=\"grid\" aria-label=\"Quorum map\"><thead><tr><th scope=\"col\">W \\ R</th>";
        for r in 1..=self.n {
            out += &format!("<th scope=\"col\">R = {r}</th>");
        }
        out += "</tr></thead><tbody>";
        for w in 1..=self.n {
            out += &format!("<tr><th scope=\"row\">W = {w}</th>");
            for c in self.cells.iter().filter(|c| c.w == w) {
                let overlap = if c.w + c.r > self.n { " overlap" } else { "" };
                let chosen = if self.chosen == Some((c.w, c.r)) {
                    " chosen"
                } else {
                    ""
                };
                out += &format!(
                    "<td class=\"band-{}{overlap}{chosen}\" data-w=\"{}\" data-r=\"{}\" data-stale=\"{:.3}\" data-lost=\"{}\" data-available=\"{:.3}\" data-p99=\"{:.3}\"><button type=\"button\" data-do=\"{}\" aria-label=\"W = {}, R = {}: {}\">{}</button></td>",
                    c.band(self.metric, worst_p99),
                    c.w, c.r, c.stale_pct, c.lost, c.available_pct, c.p99_ms,
                    escaped(&self.command(self.metric, self.faults, self.use_case, Some((c.w, c.r)))),
                    c.w, c.r, c.shown(self.metric),
                    c.shown(self.metric)
                );
            }
            out += "</tr>";
        }
        out += "</tbody></table><p class=\"muted\">Outlined cells have R + W &gt; N.</p>";
        out += "<div class=\"map-verdict\" role=\"status\">";
        if let (Some(u), Some((w, r))) = (self.use_case, self.chosen) {
            if let Some(cell) = self.cells.iter().find(|c| (c.w, c.r) == (w, r)) {
                let (ok, text) = u.judge(cell, best_p99);
                out += &format!(
                    "<p class=\"{}\">{}</p>",
                    if ok { "met" } else { "unmet" },
                    escaped(&text)
                );
            }
        }
        out += "</div>";
        out += &format!(
            "<details><summary>The run behind each cell</summary><p>Run it yourself with <code>quorum run --scenario FILE --json</code>, setting W and R in its config:</p><pre class=\"map-scenario\">{}</pre></details>",
            escaped(&self.base.to_string())
        );
        out + "<button type=\"button\" class=\"quiet\" data-do=\"list\">All lessons</button></div>"
    }
}
