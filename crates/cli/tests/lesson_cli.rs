//! `quorum lesson` as a course author runs it: the built binary on the
//! page's own lesson files, and on files with the mistakes authors make.

use std::process::{Command, Output};

fn quorum(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_quorum"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn lessons_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../lessons")
}

#[test]
fn the_pages_lessons_and_quiz_read() {
    let mut files: Vec<String> = std::fs::read_dir(lessons_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .map(|p| p.display().to_string())
        .collect();
    files.sort();
    let mut args = vec!["lesson"];
    args.extend(files.iter().map(String::as_str));
    let out = quorum(&args);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        stdout
            .lines()
            .filter(|l| l.contains(": ok, lesson "))
            .count(),
        files.len() - 1
    );
    assert!(
        stdout.contains("quiz.json: ok, a quiz of 16 questions"),
        "{stdout}"
    );
}

#[test]
fn a_broken_lesson_is_named_by_step_and_field() {
    let good = std::fs::read_to_string(lessons_dir().join("partition.json")).unwrap();
    let dir = std::env::temp_dir().join(format!("quorum-lesson-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.json");
    std::fs::write(
        &bad,
        good.replace(
            "\"node\": 5, \"op\": \"read\"",
            "\"node\": 5, \"op\": \"reed\"",
        ),
    )
    .unwrap();
    let out = quorum(&["lesson", bad.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("step 1, check[0]: op: unknown variant `reed`, expected `read` or `write`"),
        "{stderr}"
    );
    let missing = quorum(&["lesson", dir.join("none.json").to_str().unwrap()]);
    assert_eq!(missing.status.code(), Some(2));
    std::fs::remove_dir_all(dir).unwrap();
}
