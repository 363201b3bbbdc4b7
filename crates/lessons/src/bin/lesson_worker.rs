//! The lesson worker: lessons, the quiz, and the checks that replay and
//! judge a learner's run, loaded when a lesson is first opened.

fn main() {
    #[cfg(target_arch = "wasm32")]
    quorum_analysis::glue::run(quorum_lessons::serve);
    #[cfg(not(target_arch = "wasm32"))]
    not_in_a_browser();
}

#[cfg(not(target_arch = "wasm32"))]
fn not_in_a_browser() {
    eprintln!("lesson-worker runs as the page's Web Worker in a browser (see crates/lessons).");
    std::process::exit(2);
}
