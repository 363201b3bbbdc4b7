use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ClusterProps {
    pub n: usize,
}

/// Side of the square SVG user space the ring is drawn in.
const VIEW: f64 = 400.0;

/// Centre of node `i` of `n` on the ring, node 1 at the top, clockwise.
fn position(i: usize, n: usize) -> (f64, f64) {
    let ring = if n == 1 { 0.0 } else { VIEW * 0.36 };
    let angle = std::f64::consts::TAU * i as f64 / n as f64 - std::f64::consts::FRAC_PI_2;
    (
        VIEW / 2.0 + ring * angle.cos(),
        VIEW / 2.0 + ring * angle.sin(),
    )
}

#[function_component(Cluster)]
pub fn cluster(p: &ClusterProps) -> Html {
    let n = p.n;
    // Node circles shrink as the ring fills so nine still fit without touching.
    let radius = if n <= 5 { 38.0 } else { 30.0 };
    let links = (0..n).flat_map(|a| (a + 1..n).map(move |b| (a, b))).map(|(a, b)| {
        let ((x1, y1), (x2, y2)) = (position(a, n), position(b, n));
        html! { <line class="link" x1={x1.to_string()} y1={y1.to_string()} x2={x2.to_string()} y2={y2.to_string()} /> }
    });
    let nodes = (0..n).map(|i| {
        let (x, y) = position(i, n);
        let name = format!("node-{}", i + 1);
        html! {
            <g class="node follower" transform={format!("translate({x} {y})")} role="listitem" aria-label={format!("{name}, follower")}>
                <circle r={radius.to_string()} />
                <text class="node-name" y="-4">{ name.clone() }</text>
                <text class="node-role" y="14">{ "follower" }</text>
            </g>
        }
    });
    html! {
        <section class="panel cluster" aria-labelledby="cluster-title">
            <h2 id="cluster-title">{ format!("The cluster: {n} node{}", if n == 1 { "" } else { "s" }) }</h2>
            <svg viewBox={format!("0 0 {VIEW} {VIEW}")} role="img" aria-labelledby="cluster-title">
                <g class="links">{ for links }</g>
                <g class="nodes" role="list">{ for nodes }</g>
            </svg>
        </section>
    }
}
