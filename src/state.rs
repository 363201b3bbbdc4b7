//! The page's state and the one reducer that changes it. Components receive
//! snapshots and callbacks, never the state itself.

use quorum_sim::config::Config;
use std::rc::Rc;
use yew::Reducible;

#[derive(Clone, Debug, PartialEq)]
/// What a learner did; each variant names the setting it sets.
pub enum Action {
    Nodes(usize),
    WriteQuorum(usize),
    ReadQuorum(usize),
    Latency(f64),
}

#[derive(Clone, Debug, PartialEq, Default)]
pub struct Playground {
    pub config: Config,
    /// Set when shrinking N pulled W or R down with it, so the learner sees
    /// why a slider they did not touch moved.
    pub clamp_note: Option<String>,
}

impl Reducible for Playground {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        next.clamp_note = None;
        let c = &mut next.config;
        match action {
            Action::Nodes(n) => {
                c.n = n.clamp(1, quorum_sim::config::MAX_NODES);
                let mut clamped = Vec::new();
                if c.w > c.n {
                    clamped.push(format!("W from {} to {}", c.w, c.n));
                    c.w = c.n;
                }
                if c.r > c.n {
                    clamped.push(format!("R from {} to {}", c.r, c.n));
                    c.r = c.n;
                }
                if !clamped.is_empty() {
                    next.clamp_note = Some(format!(
                        "N is now {}, so {} (a quorum cannot exceed N).",
                        c.n,
                        clamped.join(" and ")
                    ));
                }
            }
            Action::WriteQuorum(w) => c.w = w.clamp(1, c.n),
            Action::ReadQuorum(r) => c.r = r.clamp(1, c.n),
            Action::Latency(ms) => c.latency_ms = ms.clamp(0.0, 1000.0),
        }
        Rc::new(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn apply(state: Playground, actions: &[Action]) -> Playground {
        let mut s = Rc::new(state);
        for a in actions {
            s = s.reduce(a.clone());
        }
        (*s).clone()
    }

    #[test]
    fn shrinking_n_clamps_quorums_and_says_so() {
        let s = apply(
            Playground::default(),
            &[
                Action::Nodes(5),
                Action::WriteQuorum(5),
                Action::ReadQuorum(4),
                Action::Nodes(3),
            ],
        );
        assert_eq!((s.config.n, s.config.w, s.config.r), (3, 3, 3));
        let note = s.clamp_note.expect("a note explains the clamp");
        assert!(
            note.contains("W from 5 to 3") && note.contains("R from 4 to 3"),
            "{note}"
        );
    }

    #[test]
    fn the_note_goes_away_on_the_next_change() {
        let s = apply(
            Playground::default(),
            &[Action::Nodes(1), Action::Latency(20.0)],
        );
        assert_eq!(s.clamp_note, None);
        assert_eq!(s.config.latency_ms, 20.0);
    }

    #[test]
    fn quorums_never_leave_one_to_n() {
        let s = apply(
            Playground::default(),
            &[Action::WriteQuorum(0), Action::ReadQuorum(99)],
        );
        assert_eq!((s.config.w, s.config.r), (1, 3));
        assert!(s.config.validate().is_ok());
    }
}
