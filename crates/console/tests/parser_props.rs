//! Fuzz target: the page's console (`Console::run`: the shell splitter, the
//! curl reader, the store's API), on lines of shell and curl pieces, whole
//! course commands with hostile keys and bodies, and arbitrary text. Each
//! line runs against a cluster that answers at once, and one line in 16
//! against the real engine too. No line panics, every command that starts
//! finishes, and the console ends idle. `FUZZ_CASES` sets the number of
//! cases (README.md, "Tests"). Also a property: quoting round-trips.

use proptest::prelude::*;
use quorum_console::shell::{quote, split, MAX_COMMANDS};
use quorum_console::{Cluster, Console, Event, NodeStatus, Op, Refused, Reply, Ticket};
use quorum_fuzz::{corpus, run, shell};
use quorum_sim::config::Config;
use quorum_sim::msg::{NodeId, Role};
use quorum_sim::world::World;
use std::collections::BTreeSet;

/// Every node up and leading, every request answered at once.
struct Instant;

impl Cluster for Instant {
    fn node_count(&self) -> usize {
        3
    }
    fn status(&self, node: NodeId) -> Option<NodeStatus> {
        node.is_in(3).then(|| NodeStatus {
            role: Role::Leader,
            term: 1,
            leader: Some(node),
            keys: vec!["name".into()],
            write_quorum: 2,
            read_quorum: 1,
            total_nodes: 3,
        })
    }
    fn request(&mut self, _: u32, _: NodeId, _: Op) -> Result<Ticket, Refused> {
        Ok(Ticket(0))
    }
    fn reply(&mut self, _: Ticket) -> Option<Reply> {
        Some(Reply::Read {
            value: Some("{\"a\":[1]}".into()),
        })
    }
    fn set_quorums(
        &mut self,
        _: Option<usize>,
        _: Option<usize>,
    ) -> Result<(), quorum_console::QuorumsFixed> {
        Ok(())
    }
}

/// Runs `input`, calling `tick` between polls, at most `polls` times; the
/// console must end idle with every started command finished once.
fn drive<C: Cluster>(cluster: &mut C, input: &str, polls: usize, mut tick: impl FnMut(&mut C)) {
    let mut console = Console::new();
    let mut events = console.run(cluster, 1, input);
    for _ in 0..polls {
        if !console.busy() {
            break;
        }
        tick(cluster);
        events.extend(console.poll(cluster));
    }
    assert!(!console.busy(), "the console is still busy");
    let (mut started, mut finished) = (BTreeSet::new(), BTreeSet::new());
    for event in events {
        match event {
            Event::Started { id, .. } => assert!(started.insert(id), "command {id} started twice"),
            Event::Finished { id, .. } => {
                assert!(finished.insert(id), "command {id} finished twice")
            }
        }
    }
    assert_eq!(started, finished, "every command that starts finishes");
}

/// The course's cluster, elected, shared by the cases that use it.
fn course_world() -> World {
    let mut world = World::new(Config::default(), 1).expect("the default config");
    world.run_until(2_000_000);
    world
}

fn target(input: &str, world: Option<&mut World>) {
    drive(&mut Instant, input, MAX_COMMANDS + 1, |_| {});
    if let Some(world) = world {
        // 10 ms a poll: a read that times out (1 s) takes 100 polls.
        drive(world, input, 200 * MAX_COMMANDS, |w| {
            w.run_until(w.now() + 10_000)
        });
    }
}

#[test]
fn kept_inputs_run_without_panic() {
    let mut world = course_world();
    for (name, bytes) in corpus("console") {
        eprintln!("{name}");
        target(
            &String::from_utf8(bytes).expect("corpus files are text"),
            Some(&mut world),
        );
    }
}

#[test]
fn fuzz_console_run() {
    let mut world = course_world();
    let mut case = 0u64;
    run("console", shell::line, |input| {
        case += 1;
        target(input, case.is_multiple_of(16).then_some(&mut world));
    });
}

proptest! {
    #[test]
    fn quoted_argument_vectors_split_back_unchanged(
        commands in prop::collection::vec(prop::collection::vec(any::<String>(), 1..6), 1..4),
        separator in prop::sample::select(vec!["\n", "; ", " && ", " \\\n; "]),
    ) {
        let line = commands
            .iter()
            .map(|words| words.iter().map(|w| quote(w)).collect::<Vec<_>>().join(" "))
            .collect::<Vec<_>>()
            .join(separator);
        let parsed = split(&line).unwrap();
        let words: Vec<Vec<String>> = parsed.into_iter().map(|c| c.words).collect();
        prop_assert_eq!(words, commands);
    }
}
