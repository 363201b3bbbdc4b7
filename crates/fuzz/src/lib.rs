//! The fuzz targets' driver and what they share: generators that build
//! inputs the way their formats are shaped (valid-ish JSON scenarios,
//! histories, lesson and quiz files, peer batches, HTTP requests, shell lines) and then break them
//! (hostile strings, huge numbers, deep nesting, lists far over a limit,
//! cut or spliced text), so that most cases get past the first byte and
//! into the decoder's rules.
//!
//! A generator reads its choices from bytes ([`arbitrary::Unstructured`]),
//! as a cargo-fuzz target does; [`run`] feeds it bytes from a seeded RNG,
//! case after case, so the targets run on a stable toolchain inside
//! `cargo test`. README.md ("Tests") says why and how many.

pub use arbitrary;

pub mod draw;
pub mod history;
pub mod http;
pub mod json;
pub mod lesson;
pub mod peer;
pub mod scenario;
pub mod shell;
pub mod text;

use arbitrary::Unstructured;
use rand_core::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;
use std::fmt::Debug;
use std::panic::{catch_unwind, resume_unwind, AssertUnwindSafe};
use std::path::PathBuf;

/// Cases per target when `FUZZ_CASES` is not set: enough for a debug
/// `cargo test` to reach every generator, quickly.
pub const DEFAULT_CASES: u64 = 2_000;

/// A long run says how far it got this often (in cases).
const PROGRESS_EVERY: u64 = 1_000_000;

/// Bytes each case's generator may read: more than any generator here
/// draws, so cases rarely run dry (a dry generator takes the first choice).
const CASE_BYTES: usize = 16 * 1024;

/// An input a target decodes, as the bytes a file or a socket would carry
/// (how a failing one is written out, and how the corpus holds them).
pub trait Case: Debug {
    fn bytes(&self) -> Vec<u8>;
}

impl Case for String {
    fn bytes(&self) -> Vec<u8> {
        self.as_bytes().to_vec()
    }
}

impl Case for Vec<u8> {
    fn bytes(&self) -> Vec<u8> {
        self.clone()
    }
}

fn env(name: &str) -> Option<u64> {
    std::env::var(name).ok()?.parse().ok()
}

/// Runs `check` on `FUZZ_CASES` inputs from `make`, cases `FUZZ_FIRST`
/// onwards (case k always makes the same input). A case that panics is
/// written to the system's temporary directory (`quorum-fuzz/`), named with
/// the command that replays it, and the panic goes on. Returns the number
/// of cases run, which it also prints.
pub fn run<T: Case>(
    target: &str,
    make: impl Fn(&mut Unstructured) -> arbitrary::Result<T>,
    mut check: impl FnMut(&T),
) -> u64 {
    let cases = env("FUZZ_CASES").unwrap_or(DEFAULT_CASES);
    let first = env("FUZZ_FIRST").unwrap_or(0);
    let salt = target
        .bytes()
        .fold(0u64, |h, b| h.rotate_left(5) ^ u64::from(b));
    let mut bytes = vec![0u8; CASE_BYTES];
    let started = std::time::Instant::now();
    for case in first..first + cases {
        if case > first && (case - first).is_multiple_of(PROGRESS_EVERY) {
            eprintln!(
                "fuzz target {target}: {} cases passed, {:.0} s",
                case - first,
                started.elapsed().as_secs_f64()
            );
        }
        Xoshiro256PlusPlus::seed_from_u64(salt ^ case).fill_bytes(&mut bytes);
        let Ok(input) = make(&mut Unstructured::new(&bytes)) else {
            continue;
        };
        if let Err(panic) = catch_unwind(AssertUnwindSafe(|| check(&input))) {
            let dir = std::env::temp_dir().join("quorum-fuzz");
            let path = dir.join(format!("{target}-{case}"));
            let _ =
                std::fs::create_dir_all(&dir).and_then(|()| std::fs::write(&path, input.bytes()));
            eprintln!(
                "fuzz target {target}: case {case} failed; its input is in {} \
                 (keep it in crates/fuzz/corpus/{target}/); replay: FUZZ_FIRST={case} FUZZ_CASES=1",
                path.display()
            );
            resume_unwind(panic);
        }
    }
    eprintln!(
        "fuzz target {target}: cases {first}..{} passed, {:.1} s",
        first + cases,
        started.elapsed().as_secs_f64()
    );
    cases
}

/// The kept inputs of `target` (`corpus/<target>/*`), by file name: inputs
/// that once broke a decoder or reach a limit, replayed by a plain test.
pub fn corpus(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("corpus")
        .join(target);
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("corpus {}: {e}", dir.display()))
        .map(|entry| {
            let path = entry.expect("a corpus entry").path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&path).expect("a corpus file"))
        })
        .collect();
    files.sort();
    assert!(!files.is_empty(), "corpus {} is empty", dir.display());
    files
}
