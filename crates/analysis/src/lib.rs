//! The page's heavy analysis, kept out of the first download: the page asks,
//! a Web Worker (`src/bin/worker.rs`) answers, so the work never blocks a
//! frame and its code loads only once needed.
//!
//! A message either way is `[id, tag, text, numbers]`: what the page needs
//! to write and read is a string and a list of numbers, so its own bundle
//! needs no codec beyond the scenario format it already has.
//!
//! ```text
//!   page ── [7, "pbs", "{…config…}", []] ──────────────────▶ worker
//!   page ◀── [7, "partial", "", [t99, p0, trials, t, p, …]] ─ worker
//!   page ◀── [7, "error", "why", []] ─────────────────────── worker
//! ```

pub mod diagram;
pub mod pbs_curve;
pub mod replay;

use pbs_curve::{PbsCurve, PbsInputs};
use quorum_sim::config::Config;

/// Work the page hands off.
#[derive(Clone, Debug, PartialEq)]
pub enum Work {
    Pbs(PbsInputs),
}

/// What became of it.
#[derive(Clone, Debug, PartialEq)]
pub enum Done {
    Pbs(Result<PbsCurve, String>),
}

/// One message, as it crosses to or from the worker.
#[derive(Clone, Debug, PartialEq)]
pub struct Message {
    pub id: u64,
    pub tag: String,
    pub text: String,
    pub numbers: Vec<f64>,
}

impl Message {
    fn new(id: u64, tag: &str, text: String, numbers: Vec<f64>) -> Message {
        Message {
            id,
            tag: tag.to_string(),
            text,
            numbers,
        }
    }
}

impl Work {
    /// The request for `self`, numbered `id`.
    pub fn message(&self, id: u64) -> Message {
        match self {
            Work::Pbs(inputs) => {
                let config = serde_json::to_value(inputs.config()).expect("a config serializes");
                Message::new(id, "pbs", config.to_string(), Vec::new())
            }
        }
    }

    /// The work a request asks for (in the worker).
    pub fn read(message: &Message) -> Result<Work, String> {
        match message.tag.as_str() {
            "pbs" => {
                let config: Config = quorum_sim::read_json::from_str(&message.text)
                    .map_err(|e| format!("a PBS request without settings: {e}"))?;
                Ok(Work::Pbs(PbsInputs::of(&config)))
            }
            other => Err(format!("no such work: {other:?}")),
        }
    }

    /// Does it: what the worker runs for each request.
    pub fn run(&self) -> Done {
        match self {
            Work::Pbs(inputs) => Done::Pbs(pbs_curve::build(inputs)),
        }
    }
}

impl Done {
    /// The answer to request `id`.
    pub fn message(&self, id: u64) -> Message {
        match self {
            Done::Pbs(Ok(curve)) => {
                let (tag, numbers) = curve.to_numbers();
                Message::new(id, tag, String::new(), numbers)
            }
            Done::Pbs(Err(why)) => Message::new(id, "error", why.clone(), Vec::new()),
        }
    }

    /// The answer a message holds, read as an answer to `work` (the page
    /// knows what it asked); a worker's error comes back as the work's
    /// failure.
    pub fn read(work: &Work, message: &Message) -> Result<Done, String> {
        match work {
            Work::Pbs(_) if message.tag == "error" => Ok(Done::Pbs(Err(message.text.clone()))),
            Work::Pbs(_) => PbsCurve::from_numbers(&message.tag, &message.numbers)
                .map(|c| Done::Pbs(Ok(c)))
                .ok_or_else(|| format!("a PBS answer that is not a curve (\"{}\")", message.tag)),
        }
    }
}

/// The worker's whole job for one request.
pub fn serve(request: &Message) -> Message {
    match Work::read(request) {
        Ok(work) => work.run().message(request.id),
        Err(why) => Message::new(request.id, "error", why, Vec::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use quorum_sim::config::Jitter;
    use quorum_sim::dist::Dist;

    fn pbs(config: Config) -> Work {
        Work::Pbs(PbsInputs::of(&config))
    }

    #[test]
    fn a_pbs_request_travels_and_its_curve_comes_back_exactly() {
        for config in [
            Config {
                r: 1,
                w: 1,
                jitter: Jitter::Writes(Dist::Exponential { rate: 0.01 }),
                ..Config::default()
            },
            Config {
                r: 2,
                ..Config::default()
            },
        ] {
            let work = pbs(config);
            let request = work.message(7);
            assert_eq!(
                Work::read(&request),
                Ok(work.clone()),
                "the settings arrive whole"
            );
            let answer = serve(&request);
            assert_eq!(answer.id, 7);
            assert_eq!(
                Done::read(&work, &answer),
                Ok(work.run()),
                "the curve arrives whole"
            );
        }
    }

    #[test]
    fn failures_come_back_as_reasons() {
        let work = pbs(Config::default());
        let mut bad = work.message(1);
        bad.text = "{".into();
        let answer = serve(&bad);
        assert_eq!(answer.tag, "error");
        assert!(
            answer.text.starts_with("a PBS request without settings"),
            "{answer:?}"
        );
        assert_eq!(
            Done::read(&work, &answer),
            Ok(Done::Pbs(Err(answer.text.clone())))
        );
        bad.tag = "fly".into();
        assert_eq!(serve(&bad).text, "no such work: \"fly\"");
        let nonsense = Message::new(1, "partial", String::new(), vec![1.0]);
        assert!(Done::read(&work, &nonsense).is_err());
    }
}
