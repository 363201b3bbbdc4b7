//! The lesson panel's markup. The lesson worker writes it and the page
//! inserts it as it is, so the page's first download carries no lesson
//! code: a button says what it does in `data-do` (`open:ID:K`,
//! `next:ID:K`, `check:ID:K`, `list`, `quiz`, `answer:QUESTION:CHOICE`) and the page
//! hands that back to the worker. Every text is escaped: a lesson file or a
//! learner's key and value is shown, never run.

use crate::check::Finding;
use crate::format::Lesson;
use crate::progress::Progress;
use crate::quiz::Quiz;
use quorum_analysis::linear_view::escaped;

/// The panel's own rules, sent with its markup: the page's stylesheet is
/// part of the first download, and holds only where the panel goes. On a
/// phone a step scrolls inside half the screen, its buttons kept in view,
/// so the cluster the task is about shows below it.
pub(crate) const STYLE: &str = r#"<style>.lesson{display:grid;grid-template-columns:minmax(0,1.15fr) minmax(0,1fr);gap:4px 22px;align-items:start;padding-right:44px}.lesson-wide{grid-column:1/-1}.lesson h2{margin:0 0 4px;font-size:1.05rem;color:var(--ink)}.lesson h2:focus{outline:none}.lesson p{margin:0 0 6px;line-height:1.42;font-size:.94rem}.lesson .lesson-where{font-size:.82rem;color:var(--muted);margin-bottom:2px}.lesson .lesson-done{color:var(--fresh-ink);font-weight:600}.lesson .lesson-task{padding:8px 10px;border-left:4px solid var(--accent);background:var(--node)}.lesson-feedback:empty{display:none}.lesson .lesson-verdict{font-weight:700;margin:6px 0 2px}.lesson .lesson-verdict.pass,.lesson .met{color:var(--fresh-ink)}.lesson .lesson-verdict.miss,.lesson .unmet{color:var(--alert-ink)}.lesson-findings{margin:0 0 6px;padding-left:18px;font-size:.9rem}.lesson-findings li{color:var(--ink)}.lesson-nav{display:flex;flex-wrap:wrap;gap:6px;margin-top:6px}.lesson-nav .quiet{background:transparent}.lesson-close{position:absolute;top:8px;right:8px}.lesson-list,.quiz{margin:4px 0 8px;padding-left:22px;display:flex;flex-direction:column;gap:6px}.lesson-list li{display:flex;flex-wrap:wrap;gap:2px 10px;align-items:baseline}.lesson-list .lesson-summary{color:var(--muted);font-size:.88rem;flex:1 1 320px}.lesson-list .lesson-count{font-size:.82rem;color:var(--muted)}.lesson button.link{border:none;background:transparent;padding:0;min-height:0;color:var(--accent);text-decoration:underline;font-weight:600}.quiz-ask{font-weight:600}.quiz-choices{display:flex;flex-wrap:wrap;gap:6px;margin-bottom:4px}.quiz-choices button{text-align:left;white-space:normal}.quiz-choices button.right{border-color:var(--fresh);box-shadow:inset 0 0 0 2px var(--fresh)}.quiz-choices button.wrong{border-color:var(--alert);box-shadow:inset 0 0 0 2px var(--alert)}.quiz-explain{font-size:.9rem}.map-controls{display:flex;flex-wrap:wrap;gap:8px 18px;margin:4px 0 8px}.map-controls [role=group]{display:flex;flex-wrap:wrap;gap:4px}.map-controls button[aria-pressed=true]{border-color:var(--accent);box-shadow:inset 0 0 0 2px var(--accent)}.map-grid{border-collapse:separate;border-spacing:3px;margin:4px 0}.map-grid th{font-size:.82rem;color:var(--muted);font-weight:600;padding:0 6px;text-align:center}.map-grid td button{width:100%;min-width:4.2em;font-variant-numeric:tabular-nums;background:transparent}.map-grid td{border-radius:6px;background:var(--node)}.map-grid .band-1{background:color-mix(in srgb,var(--alert) 14%,var(--panel))}.map-grid .band-2{background:color-mix(in srgb,var(--alert) 26%,var(--panel))}.map-grid .band-3{background:color-mix(in srgb,var(--alert) 38%,var(--panel))}.map-grid .band-4{background:color-mix(in srgb,var(--alert) 50%,var(--panel))}.map-grid .overlap{outline:2px solid var(--fresh);outline-offset:-2px}.map-grid .chosen button{font-weight:700;text-decoration:underline}.map-needs{margin:2px 0 6px}.map-verdict .met{color:var(--fresh-ink);font-weight:600}.map-verdict .unmet{color:var(--alert-ink);font-weight:600}.map-scenario{white-space:pre-wrap;word-break:break-all;font-size:.78rem;max-height:8em;overflow:auto}@media (max-width:720px){.lesson{grid-template-columns:minmax(0,1fr);padding-right:36px}.lesson:has(>.lesson-text){max-height:50vh;overflow-y:auto;overscroll-behavior:contain}.lesson-nav{position:sticky;bottom:-12px;background:var(--panel);padding:6px 0 8px;box-shadow:0 -8px 8px -8px rgb(0 0 0/.3)}}</style>"#;

fn button(command: &str, label: &str, class: &str) -> String {
    format!(
        "<button type=\"button\" class=\"{class}\" data-do=\"{}\">{}</button>",
        escaped(command),
        escaped(label)
    )
}

/// The heading, which takes focus when a step opens.
fn heading(text: &str) -> String {
    format!(
        "<h2 id=\"lesson-title\" tabindex=\"-1\">{}</h2>",
        escaped(text)
    )
}

/// What a check found, for the step it belongs to.
pub struct Feedback<'a> {
    pub findings: &'a [Finding],
    pub hint: Option<&'a str>,
    pub why: Option<&'a str>,
}

impl Feedback<'_> {
    pub fn passed(&self) -> bool {
        self.findings.iter().all(|f| f.met)
    }

    fn markup(&self) -> String {
        let mut out = String::new();
        if self.passed() {
            out += "<p class=\"lesson-verdict pass\">✓ Done: the run shows it.</p>";
        } else {
            out += "<p class=\"lesson-verdict miss\">Not yet.</p>";
        }
        out += "<ul class=\"lesson-findings\">";
        for f in self.findings {
            let class = if f.met { "met" } else { "unmet" };
            let mark = if f.met { "✓" } else { "✗" };
            out += &format!(
                "<li class=\"{class}\"><span aria-hidden=\"true\">{mark} </span>{}</li>",
                escaped(&f.says)
            );
        }
        out += "</ul>";
        let (label, text) = if self.passed() {
            ("Why: ", self.why)
        } else {
            ("Hint: ", self.hint)
        };
        if let Some(text) = text {
            out += &format!(
                "<p class=\"lesson-note\"><strong>{label}</strong>{}</p>",
                escaped(text)
            );
        }
        out
    }
}

/// Step `k` (from 1) of `lesson`, the `place`-th of `count` lessons.
pub fn step(
    lesson: &Lesson,
    k: usize,
    (place, count): (usize, usize),
    progress: &Progress,
    feedback: Option<&Feedback>,
    next_lesson: Option<&Lesson>,
) -> String {
    let s = &lesson.steps[k - 1];
    let n = lesson.steps.len();
    let done = if progress.done(&lesson.id, k) {
        " · <span class=\"lesson-done\">✓ done</span>"
    } else {
        ""
    };
    // The step's text on the left, what to do and what came of it beside.
    let mut out = format!(
        "{STYLE}<div class=\"lesson-text\"><p class=\"lesson-where\">Lesson {place} of {count}: {} · step {k} of {n}{done}</p>",
        escaped(&lesson.title)
    );
    out += &heading(&s.title);
    for p in &s.text {
        out += &format!("<p>{}</p>", escaped(p));
    }
    out += "</div><div class=\"lesson-side\">";
    if let Some(task) = &s.task {
        out += &format!(
            "<p class=\"lesson-task\"><strong>Your task: </strong>{}</p>",
            escaped(task)
        );
    }
    // Always there, so a screen reader hears the verdict when it comes.
    out += "<div class=\"lesson-feedback\" role=\"status\">";
    if let Some(f) = feedback {
        out += &f.markup();
    }
    out += "</div><div class=\"lesson-nav\">";
    if k > 1 {
        out += &button(&format!("open:{}:{}", lesson.id, k - 1), "← Back", "");
    }
    if s.task.is_some() {
        out += &button(
            &format!("check:{}:{k}", lesson.id),
            "Check my run",
            "primary",
        );
    }
    if k < n {
        out += &button(&format!("next:{}:{}", lesson.id, k + 1), "Continue →", "");
    } else if let Some(next) = next_lesson {
        out += &button(
            &format!("open:{}:1", next.id),
            &format!("Next lesson: {} →", next.title),
            "",
        );
    } else {
        out += &button("quiz", "Take the quiz →", "");
    }
    out += &button("list", "All lessons", "quiet");
    out + "</div></div>"
}

/// Every lesson with how far the learner got, and the quiz.
pub fn list(lessons: &[Lesson], progress: &Progress) -> String {
    let mut out = format!("{STYLE}<div class=\"lesson-wide\">{}", heading("Lessons"));
    out += "<p>Each lesson sets up a run, gives you something to do in it, and checks what happened. Your progress stays in this browser.</p><ol class=\"lesson-list\">";
    for l in lessons {
        let done = progress.steps_done(&l.id);
        let total = l.steps.iter().filter(|s| s.task.is_some()).count();
        out += &format!(
            "<li>{}<span class=\"lesson-summary\">{}</span><span class=\"lesson-count\">{done} of {total} tasks done</span></li>",
            button(&format!("open:{}:1", l.id), &l.title, "link"),
            escaped(&l.summary),
        );
    }
    out + "</ol><p class=\"lesson-nav\">"
        + &button("map:stale:none:-:-", "Exercise 3: the quorum map", "")
        + &button("quiz", "Check your understanding: the quiz", "")
        + "</p></div>"
}

/// The quiz, with the learner's answers marked and explained.
pub fn quiz(quiz: &Quiz, progress: &Progress) -> String {
    let right = quiz
        .questions
        .iter()
        .filter(|q| progress.quiz.get(&q.id) == Some(&q.answer))
        .count();
    let answered = quiz
        .questions
        .iter()
        .filter(|q| progress.quiz.contains_key(&q.id))
        .count();
    let mut out = format!(
        "{STYLE}<div class=\"lesson-wide\">{}",
        heading("Check your understanding")
    );
    out += &format!(
        "<p class=\"quiz-score\" role=\"status\">{right} right of {answered} answered ({} questions).</p><ol class=\"quiz\">",
        quiz.questions.len()
    );
    for (i, q) in quiz.questions.iter().enumerate() {
        let given = progress.quiz.get(&q.id).copied();
        out += &format!(
            "<li><p class=\"quiz-ask\">{}</p><div class=\"quiz-choices\" role=\"group\" aria-label=\"Question {}\">",
            escaped(&q.ask),
            i + 1
        );
        for (c, choice) in q.choices.iter().enumerate() {
            let class = match given {
                Some(g) if g == c && c == q.answer => "right",
                Some(g) if g == c => "wrong",
                _ => "",
            };
            out += &format!(
                "<button type=\"button\" class=\"{class}\" aria-pressed=\"{}\" data-do=\"answer:{}:{c}\">{}</button>",
                given == Some(c),
                escaped(&q.id),
                escaped(choice)
            );
        }
        out += "</div>";
        if let Some(g) = given {
            let verdict = if g == q.answer {
                "Right.".to_string()
            } else {
                format!("Not quite: the answer is “{}”.", q.choices[q.answer])
            };
            out += &format!(
                "<p class=\"quiz-explain\"><strong>{}</strong> {} <a href=\"{}\">See it in a run</a></p>",
                escaped(&verdict),
                escaped(&q.explain),
                escaped(&q.run)
            );
        }
        out += "</li>";
    }
    out + "</ol>" + &button("list", "All lessons", "quiet") + "</div>"
}
