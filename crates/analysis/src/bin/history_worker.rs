//! The history worker: the run replayed for its history file and its
//! linearizability verdict, loaded when a learner first asks for one.

fn main() {
    #[cfg(target_arch = "wasm32")]
    quorum_analysis::glue::run(quorum_analysis::serve_history);
    #[cfg(not(target_arch = "wasm32"))]
    not_in_a_browser();
}

#[cfg(not(target_arch = "wasm32"))]
fn not_in_a_browser() {
    eprintln!("history-worker runs as the page's Web Worker in a browser (see crates/analysis).");
    std::process::exit(2);
}
