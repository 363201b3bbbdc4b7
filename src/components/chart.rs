//! A small inline-SVG line chart with a 0–100 % vertical axis, shared by the
//! chart over time and the PBS curve. Drawn by hand: a chart library would
//! cost more download than the whole panel.

use yew::prelude::*;

/// The drawing's coordinate box; the SVG scales to its container's width.
const WIDTH: f64 = 360.0;
const HEIGHT: f64 = 214.0;
const LEFT: f64 = 54.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 172.0;

/// One polyline; `None` leaves a gap (a bucket without data).
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    /// CSS class giving the stroke (and, in the legend, the swatch).
    pub class: &'static str,
    pub label: &'static str,
    /// (x in axis units, y in percent).
    pub points: Vec<Option<(f64, f64)>>,
}

/// A labelled vertical rule at `x`.
#[derive(Clone, Debug, PartialEq)]
pub struct Mark {
    pub x: f64,
    pub label: String,
}

/// A plain function's arguments, not a component's props: each component
/// costs the page a copy of yew's view code.
#[derive(Default)]
pub struct ChartProps {
    /// Prefix for the ids the title and description are referenced by.
    pub id: AttrValue,
    pub title: AttrValue,
    /// What the chart shows, in words, for screen readers.
    pub summary: AttrValue,
    pub x_label: AttrValue,
    pub y_label: AttrValue,
    /// The largest x the data reaches; the axis ends at the next round number.
    pub x_max: f64,
    pub lines: Vec<Line>,
    pub marks: Vec<Mark>,
    /// x positions of events drawn as small triangles along the top.
    pub events: Vec<f64>,
    pub events_label: Option<AttrValue>,
    /// Shown across the plot, for when there is nothing to draw yet.
    pub note: Option<AttrValue>,
}

/// A round tick step (1, 2 or 5 × a power of ten) giving about `ticks` ticks.
pub fn nice_step(span: f64, ticks: f64) -> f64 {
    let raw = (span / ticks).max(f64::MIN_POSITIVE);
    // The power of ten at or below `raw`, found by steps rather than
    // `powf`/`log10`, whose code the page would otherwise carry for this alone.
    let mut magnitude = 1.0;
    while magnitude * 10.0 <= raw {
        magnitude *= 10.0;
    }
    while magnitude > raw {
        magnitude /= 10.0;
    }
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .find(|m| m * magnitude >= raw)
        .unwrap_or(10.0);
    step * magnitude
}

fn tick_text(x: f64, step: f64) -> String {
    if step >= 1.0 {
        format!("{x:.0}")
    } else {
        let decimals = (-step.log10().floor()) as usize;
        format!("{x:.decimals$}")
    }
}

pub fn chart(p: &ChartProps) -> Html {
    let step = nice_step(p.x_max, 5.0);
    let axis_max = ((p.x_max / step).ceil() * step).max(step);
    let sx = |x: f64| LEFT + (x / axis_max).clamp(0.0, 1.0) * (WIDTH - LEFT - RIGHT);
    let sy = |y: f64| BOTTOM - (y / 100.0).clamp(0.0, 1.0) * (BOTTOM - TOP);
    let (title_id, desc_id) = (format!("{}-title", p.id), format!("{}-desc", p.id));

    let y_grid = (0..=4).map(|i| {
        let y = sy(25.0 * i as f64);
        html! {
            <g class="grid">
                <line x1={LEFT.to_string()} x2={(WIDTH - RIGHT).to_string()} y1={y.to_string()} y2={y.to_string()} />
                <text x={(LEFT - 6.0).to_string()} y={(y + 4.0).to_string()} text-anchor="end">{ format!("{} %", 25 * i) }</text>
            </g>
        }
    });
    let ticks = (0..)
        .map(|i| i as f64 * step)
        .take_while(|&x| x <= axis_max + step * 1e-6);
    let x_ticks = ticks.map(|x| {
        html! {
            <text class="tick" x={sx(x).to_string()} y={(BOTTOM + 15.0).to_string()} text-anchor="middle">{ tick_text(x, step) }</text>
        }
    });
    let lines = p.lines.iter().map(|line| {
        let mut d = String::new();
        let mut pen_down = false;
        for point in &line.points {
            match point {
                Some((x, y)) => {
                    d += &format!(
                        "{}{:.1},{:.1} ",
                        if pen_down { "L" } else { "M" },
                        sx(*x),
                        sy(*y)
                    );
                    pen_down = true;
                }
                None => pen_down = false,
            }
        }
        html! { <path class={classes!("series", line.class)} d={d} /> }
    });
    let marks = p.marks.iter().map(|m| {
        let x = sx(m.x);
        // Keep the label inside the plot on whichever side has room.
        let (anchor, dx) = if x > (LEFT + WIDTH) / 2.0 { ("end", -4.0) } else { ("start", 4.0) };
        html! {
            <g class="mark">
                <line x1={x.to_string()} x2={x.to_string()} y1={TOP.to_string()} y2={BOTTOM.to_string()} />
                <text x={(x + dx).to_string()} y={(BOTTOM - 8.0).to_string()} text-anchor={anchor}>{ m.label.clone() }</text>
            </g>
        }
    });
    let events = p.events.iter().map(|&x| {
        let x = sx(x);
        html! { <path class="event" d={format!("M{:.1},{:.1} l-4,-7 h8 z", x, TOP - 1.0)} /> }
    });

    html! {
        <div class="chart">
            <svg viewBox={format!("0 0 {WIDTH} {HEIGHT}")} role="img" aria-labelledby={title_id.clone()} aria-describedby={desc_id.clone()}>
                <title id={title_id}>{ p.title.clone() }</title>
                <desc id={desc_id}>{ p.summary.clone() }</desc>
                { for y_grid }
                <line class="axis" x1={LEFT.to_string()} x2={(WIDTH - RIGHT).to_string()} y1={BOTTOM.to_string()} y2={BOTTOM.to_string()} />
                { for x_ticks }
                { for lines }
                { for marks }
                { for events }
                if let Some(note) = &p.note {
                    <text class="note" x={((LEFT + WIDTH - RIGHT) / 2.0).to_string()} y={((TOP + BOTTOM) / 2.0).to_string()} text-anchor="middle">{ note.clone() }</text>
                }
                <text class="axis-label" x={((LEFT + WIDTH - RIGHT) / 2.0).to_string()} y={(HEIGHT - 6.0).to_string()} text-anchor="middle">{ p.x_label.clone() }</text>
                <text class="axis-label" transform={format!("translate(11 {:.1}) rotate(-90)", (TOP + BOTTOM) / 2.0)} text-anchor="middle">{ p.y_label.clone() }</text>
            </svg>
            <ul class="chart-legend" aria-hidden="true">
                { for p.lines.iter().map(|line| html! {
                    <li><span class={classes!("swatch", line.class)}></span>{ line.label }</li>
                }) }
                if let Some(label) = &p.events_label {
                    <li><span class="swatch event-swatch">{ "▼" }</span>{ label.clone() }</li>
                }
            </ul>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_are_round() {
        assert_eq!(nice_step(100.0, 5.0), 20.0);
        assert_eq!(nice_step(12.0, 5.0), 5.0);
        assert_eq!(nice_step(0.9, 5.0), 0.2);
        assert_eq!(nice_step(3000.0, 5.0), 1000.0);
    }

    #[test]
    fn tick_labels_have_as_many_decimals_as_the_step() {
        assert_eq!(tick_text(40.0, 20.0), "40");
        assert_eq!(tick_text(0.4, 0.2), "0.4");
        assert_eq!(tick_text(0.05, 0.05), "0.05");
    }
}
