//! The analysis worker: the PBS curve, just after the page's first paint.

fn main() {
    #[cfg(target_arch = "wasm32")]
    quorum_analysis::glue::run(quorum_analysis::serve_analysis);
    #[cfg(not(target_arch = "wasm32"))]
    not_in_a_browser();
}

#[cfg(not(target_arch = "wasm32"))]
fn not_in_a_browser() {
    eprintln!("analysis-worker runs as the page's Web Worker in a browser (see crates/analysis).");
    std::process::exit(2);
}
