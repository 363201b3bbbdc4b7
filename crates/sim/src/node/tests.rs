//! Handler tests: each asserts the exact outputs one rule produces.

use super::*;
use crate::kv::Level;
use crate::msg::{ClientOp, FailReason, MsgKind, Response};

const MS: u64 = 1000;
const N0: NodeId = NodeId::at(0);
const N1: NodeId = NodeId::at(1);
const N2: NodeId = NodeId::at(2);

fn params(n: usize, w: usize, r: usize) -> Params {
    Params {
        n,
        w,
        r,
        heartbeat_us: 100 * MS,
        election_min_us: 300 * MS,
        election_max_us: 600 * MS,
        write_timeout_us: 1000 * MS,
        read_timeout_us: 1000 * MS,
        read_repair: ReadRepair::Off,
        log_limit: 1000,
    }
}

fn cluster(p: Params) -> Vec<Node> {
    NodeId::all(p.n)
        .map(|id| Node::new(id, p.clone(), SimRng::new(id.index() as u64 + 1)))
        .collect()
}

fn text(s: &str) -> Text {
    Text::from(s)
}

fn put(term: u64, index: u64, key: &str, value: Option<&str>) -> Entry {
    Entry {
        term,
        index,
        command: Command::Put {
            key: text(key),
            value: value.map(text),
        },
    }
}

fn append(term: u64, prev: (u64, u64), entries: Vec<Entry>, commit: u64) -> Msg {
    Msg::Append {
        term,
        prev_index: prev.1,
        prev_term: prev.0,
        entries: Rc::from(entries),
        commit,
        round: 1,
    }
}

/// The leader `from` of `term` hands `node` its first entries, at time 0.
fn feed(
    node: &mut Node,
    from: NodeId,
    term: u64,
    entries: Vec<Entry>,
    commit: u64,
    out: &mut Vec<Output>,
) {
    node.on_message(0, from, append(term, (0, 0), entries, commit), out);
}

fn sends(out: &[Output]) -> Vec<(NodeId, Msg)> {
    out.iter()
        .filter_map(|o| match o {
            Output::Send { to, msg } => Some((*to, msg.clone())),
            _ => None,
        })
        .collect()
}

fn replies(out: &[Output]) -> Vec<(ReqId, Response)> {
    out.iter()
        .filter_map(|o| match o {
            Output::Reply { req, response } => Some((*req, response.clone())),
            _ => None,
        })
        .collect()
}

/// Delivers every message at once, in order, except to nodes in `cut`;
/// timers are ignored. Returns every output seen.
fn pump(
    nodes: &mut [Node],
    from: NodeId,
    out: Vec<Output>,
    cut: &[NodeId],
) -> Vec<(NodeId, Output)> {
    let mut queue: std::collections::VecDeque<(NodeId, Output)> =
        out.into_iter().map(|o| (from, o)).collect();
    let mut seen = Vec::new();
    while let Some((sender, output)) = queue.pop_front() {
        if let Output::Send { to, msg } = &output {
            if !cut.contains(to) && !cut.contains(&sender) {
                let mut next = Vec::new();
                nodes[*to].on_message(0, sender, msg.clone(), &mut next);
                queue.extend(next.into_iter().map(|o| (*to, o)));
            }
        }
        seen.push((sender, output));
    }
    seen
}

/// Node 0 stands and wins; everyone else hears about it.
fn elect(nodes: &mut [Node], leader: NodeId) {
    let mut out = Vec::new();
    nodes[leader].start(0, &mut out);
    let deadline = nodes[leader].election_deadline;
    out.clear();
    nodes[leader].on_timer(deadline, Timer::Election, &mut out);
    pump(nodes, leader, out, &[]);
    assert_eq!(nodes[leader].role(), Role::Leader);
}

fn request(req: ReqId, op: ClientOp) -> ClientRequest {
    ClientRequest {
        req,
        op,
        token: Version::ZERO,
    }
}

fn write(key: &str, value: &str) -> ClientOp {
    ClientOp::Write {
        key: text(key),
        value: text(value),
    }
}

fn read(key: &str, level: Level) -> ClientOp {
    ClientOp::Read {
        key: text(key),
        level,
    }
}

#[test]
fn an_election_timeout_makes_a_candidate_that_asks_every_peer() {
    let mut nodes = cluster(params(3, 2, 1));
    let mut out = Vec::new();
    nodes[0].start(0, &mut out);
    let deadline = nodes[0].election_deadline;
    assert!((300 * MS..=600 * MS).contains(&deadline));
    assert_eq!(
        out,
        vec![Output::SetTimer {
            timer: Timer::Election,
            at: deadline
        }]
    );
    out.clear();
    nodes[0].on_timer(deadline, Timer::Election, &mut out);
    let next = nodes[0].election_deadline;
    let ask = Msg::RequestVote {
        term: 1,
        last_index: 0,
        last_term: 0,
    };
    assert_eq!(
        out,
        vec![
            Output::RoleChanged {
                role: Role::Candidate,
                term: 1
            },
            Output::SetTimer {
                timer: Timer::Election,
                at: next
            },
            Output::Send {
                to: N1,
                msg: ask.clone()
            },
            Output::Send { to: N2, msg: ask },
        ]
    );
}

#[test]
fn a_heard_leader_pushes_the_election_timer_back_instead_of_firing() {
    let mut nodes = cluster(params(3, 2, 1));
    let mut out = Vec::new();
    nodes[1].start(0, &mut out);
    let first = nodes[1].election_deadline;
    nodes[1].on_message(first - 1, N0, append(1, (0, 0), vec![], 0), &mut out);
    out.clear();
    nodes[1].on_timer(first, Timer::Election, &mut out);
    assert_eq!(
        out,
        vec![Output::SetTimer {
            timer: Timer::Election,
            at: nodes[1].election_deadline
        }]
    );
    assert_eq!(nodes[1].role(), Role::Follower);
}

#[test]
fn one_vote_per_term() {
    let mut node = cluster(params(3, 2, 1)).remove(0);
    // What the node sends candidate `from` asking in `term` (logs empty).
    let mut ask = |from, term| {
        let mut out = Vec::new();
        let request = Msg::RequestVote {
            term,
            last_index: 0,
            last_term: 0,
        };
        node.on_message(0, from, request, &mut out);
        sends(&out)
    };
    let vote = |to, term, granted| vec![(to, Msg::Vote { term, granted })];
    assert_eq!(ask(N1, 1), vote(N1, 1, true));
    assert_eq!(ask(N2, 1), vote(N2, 1, false));
    // The same candidate asking again (a retry) gets the same answer.
    assert_eq!(ask(N1, 1), vote(N1, 1, true));
    // A new term frees the vote.
    assert_eq!(ask(N2, 2), vote(N2, 2, true));
}

#[test]
fn no_vote_for_a_candidate_with_an_older_log() {
    let mut out = Vec::new();
    // Our log ends at (term 2, index 2).
    for (last_term, last_index, granted) in [(1, 5, false), (2, 1, false), (2, 2, true)] {
        let mut fresh = cluster(params(3, 2, 1)).remove(0);
        feed(
            &mut fresh,
            N1,
            2,
            vec![put(2, 1, "x", Some("a")), put(2, 2, "x", Some("b"))],
            0,
            &mut out,
        );
        out.clear();
        fresh.on_message(
            0,
            N2,
            Msg::RequestVote {
                term: 3,
                last_index,
                last_term,
            },
            &mut out,
        );
        assert_eq!(
            sends(&out),
            vec![(N2, Msg::Vote { term: 3, granted })],
            "candidate log ({last_term}, {last_index})"
        );
    }
}

#[test]
fn a_majority_of_votes_elects_and_the_leader_logs_a_noop() {
    let mut nodes = cluster(params(3, 2, 1));
    let mut out = Vec::new();
    nodes[0].start(0, &mut out);
    let t = nodes[0].election_deadline;
    nodes[0].on_timer(t, Timer::Election, &mut out);
    out.clear();
    nodes[0].on_message(
        t,
        N1,
        Msg::Vote {
            term: 1,
            granted: true,
        },
        &mut out,
    );
    let noop = Entry {
        term: 1,
        index: 1,
        command: Command::Noop,
    };
    let carry = |to| Output::Send {
        to,
        msg: Msg::Append {
            term: 1,
            prev_index: 0,
            prev_term: 0,
            entries: Rc::from(vec![noop.clone()]),
            commit: 0,
            round: 1,
        },
    };
    assert_eq!(
        out,
        vec![
            Output::RoleChanged {
                role: Role::Leader,
                term: 1
            },
            Output::Applied { from: 1, to: 1 },
            carry(N1),
            carry(N2),
            Output::SetTimer {
                timer: Timer::Heartbeat,
                at: t + 100 * MS
            },
        ]
    );
    // A late vote changes nothing; a refusal neither.
    out.clear();
    nodes[0].on_message(
        t,
        N2,
        Msg::Vote {
            term: 1,
            granted: false,
        },
        &mut out,
    );
    assert!(out.is_empty());
}

#[test]
fn a_higher_term_deposes_a_leader() {
    let mut nodes = cluster(params(3, 2, 1));
    elect(&mut nodes, N0);
    let mut out = Vec::new();
    nodes[0].on_message(
        5,
        N2,
        Msg::AppendReply {
            term: 7,
            success: false,
            index: 0,
            round: 0,
            heartbeat: false,
        },
        &mut out,
    );
    assert_eq!(nodes[0].role(), Role::Follower);
    assert_eq!(nodes[0].term(), 7);
    assert_eq!(nodes[0].voted_for(), None);
    // Its election timer from before it led is still pending, so none is added.
    assert_eq!(
        out,
        vec![Output::RoleChanged {
            role: Role::Follower,
            term: 7
        }]
    );
    assert!(nodes[0].election_armed && nodes[0].election_deadline > 5);
}

#[test]
fn a_write_is_acknowledged_once_w_nodes_hold_it() {
    for w in 1..=3 {
        let mut nodes = cluster(params(3, w, 1));
        elect(&mut nodes, N0);
        let mut out = Vec::new();
        nodes[0].on_client_request(0, request(9, write("x", "a")), &mut out);
        let acked = |out: &[Output]| {
            replies(out).contains(&(
                9,
                Response::Written {
                    version: Version { term: 1, index: 2 },
                    achieved_quorum: true,
                },
            ))
        };
        assert_eq!(acked(&out), w == 1, "W={w}: leader alone");
        let ack = |index| Msg::AppendReply {
            term: 1,
            success: true,
            index,
            round: 1,
            heartbeat: false,
        };
        out.clear();
        nodes[0].on_message(0, N1, ack(2), &mut out);
        assert_eq!(acked(&out), w == 2, "W={w}: two holders");
        out.clear();
        nodes[0].on_message(0, N2, ack(2), &mut out);
        assert_eq!(acked(&out), w == 3, "W={w}: three holders");
        // Raft's commit needs a majority whatever W is.
        assert_eq!(nodes[0].commit_index(), 2);
    }
}

#[test]
fn a_write_short_of_w_acks_times_out_as_unknown_and_stays() {
    let mut nodes = cluster(params(3, 3, 1));
    elect(&mut nodes, N0);
    let mut out = Vec::new();
    nodes[0].on_client_request(0, request(4, write("x", "a")), &mut out);
    assert!(out.contains(&Output::SetTimer {
        timer: Timer::Deadline,
        at: 1000 * MS
    }));
    out.clear();
    nodes[0].on_timer(1000 * MS, Timer::Deadline, &mut out);
    assert_eq!(
        out,
        vec![Output::Reply {
            req: 4,
            response: Response::Written {
                version: Version { term: 1, index: 2 },
                achieved_quorum: false
            }
        }]
    );
    assert_eq!(nodes[0].map()[&text("x")].value.as_deref(), Some("a"));
}

#[test]
fn a_follower_refuses_writes_with_a_leader_hint() {
    let mut nodes = cluster(params(3, 2, 1));
    elect(&mut nodes, N2);
    let mut out = Vec::new();
    nodes[1].on_client_request(0, request(1, write("x", "a")), &mut out);
    assert_eq!(
        out,
        vec![Output::Reply {
            req: 1,
            response: Response::NotLeader {
                leader_hint: Some(N2)
            }
        }]
    );
}

#[test]
fn a_delete_is_a_versioned_tombstone_that_older_values_cannot_undo() {
    let mut nodes = cluster(params(3, 1, 1));
    let mut out = Vec::new();
    feed(
        &mut nodes[1],
        N0,
        1,
        vec![put(1, 1, "x", Some("a")), put(1, 2, "x", None)],
        0,
        &mut out,
    );
    out.clear();
    nodes[1].on_client_request(0, request(3, read("x", Level::Eventual)), &mut out);
    let gone = Response::Read {
        value: None,
        version: Version { term: 1, index: 2 },
    };
    assert_eq!(replies(&out), vec![(3, gone.clone())]);
    // A late repair carrying the old value must not resurrect the key.
    nodes[1].on_message(
        0,
        N2,
        Msg::Repair {
            req: 0,
            key: text("x"),
            cell: Cell {
                value: Some(text("a")),
                version: Version { term: 1, index: 1 },
            },
            ack: false,
        },
        &mut out,
    );
    out.clear();
    nodes[1].on_client_request(0, request(4, read("x", Level::Eventual)), &mut out);
    assert_eq!(replies(&out), vec![(4, gone)]);
}

#[test]
fn a_conflicting_suffix_is_truncated_and_the_map_rebuilt() {
    let mut nodes = cluster(params(3, 1, 1));
    let mut out = Vec::new();
    feed(
        &mut nodes[1],
        N0,
        1,
        vec![put(1, 1, "x", Some("a")), put(1, 2, "y", Some("lost"))],
        0,
        &mut out,
    );
    out.clear();
    // A new leader of term 2 never had (1, 2).
    nodes[1].on_message(
        0,
        N2,
        append(2, (1, 1), vec![put(2, 2, "x", Some("b"))], 1),
        &mut out,
    );
    assert_eq!(
        out,
        vec![
            Output::Truncated { from: 2 },
            Output::Applied { from: 2, to: 2 },
            Output::Send {
                to: N2,
                msg: Msg::AppendReply {
                    term: 2,
                    success: true,
                    index: 2,
                    round: 1,
                    heartbeat: false,
                }
            },
        ]
    );
    assert_eq!(nodes[1].map().get(&text("y")), None);
    assert_eq!(nodes[1].map()[&text("x")].value.as_deref(), Some("b"));
}

#[test]
fn a_gap_or_mismatch_is_refused_with_where_to_resume() {
    let mut nodes = cluster(params(3, 1, 1));
    let mut out = Vec::new();
    feed(
        &mut nodes[1],
        N0,
        1,
        vec![put(1, 1, "x", Some("a"))],
        1,
        &mut out,
    );
    out.clear();
    nodes[1].on_message(
        0,
        N0,
        append(1, (1, 5), vec![put(1, 6, "x", Some("f"))], 1),
        &mut out,
    );
    let refusal = |index| Msg::AppendReply {
        term: 1,
        success: false,
        index,
        round: 1,
        heartbeat: false,
    };
    assert_eq!(sends(&out), vec![(N0, refusal(2))]);
    out.clear();
    // A heartbeat's refusal is a heartbeat reply: it acknowledges nothing.
    nodes[1].on_message(0, N0, append(2, (2, 1), vec![], 1), &mut out);
    let reply = Msg::AppendReply {
        term: 2,
        success: false,
        index: 2,
        round: 1,
        heartbeat: true,
    };
    assert_eq!(reply.kind(), MsgKind::HeartbeatReply);
    assert_eq!(sends(&out), vec![(N0, reply)]);
}

#[test]
fn a_restarted_follower_keeps_its_durable_state_and_catches_up() {
    let mut nodes = cluster(params(3, 2, 1));
    elect(&mut nodes, N0);
    let mut out = Vec::new();
    nodes[0].on_client_request(0, request(1, write("x", "a")), &mut out);
    pump(&mut nodes, N0, std::mem::take(&mut out), &[]);
    // Node 2 is down for two writes.
    for (req, v) in [(2, "b"), (3, "c")] {
        nodes[0].on_client_request(0, request(req, write("x", v)), &mut out);
        pump(&mut nodes, N0, std::mem::take(&mut out), &[N2]);
    }
    let (term, vote) = (nodes[2].term(), nodes[2].voted_for());
    nodes[2].restart(0, &mut out);
    out.clear();
    assert_eq!((nodes[2].term(), nodes[2].voted_for()), (term, vote));
    assert_eq!(nodes[2].last_index(), 2);
    assert_eq!(nodes[2].map()[&text("x")].value.as_deref(), Some("a"));
    // The next heartbeat finds the gap and backs nextIndex off to fill it.
    nodes[0].on_timer(100 * MS, Timer::Heartbeat, &mut out);
    pump(&mut nodes, N0, std::mem::take(&mut out), &[]);
    assert_eq!(nodes[2].last_index(), 4);
    assert_eq!(nodes[2].map()[&text("x")].value.as_deref(), Some("c"));
}

#[test]
fn a_follower_behind_the_snapshot_gets_it_installed() {
    let mut p = params(3, 2, 1);
    p.log_limit = 2;
    let mut nodes = cluster(p);
    elect(&mut nodes, N0);
    let mut out = Vec::new();
    for req in 1..=6 {
        nodes[0].on_client_request(0, request(req, write(&format!("k{req}"), "v")), &mut out);
        pump(&mut nodes, N0, std::mem::take(&mut out), &[N2]);
    }
    nodes[0].on_timer(100 * MS, Timer::Heartbeat, &mut out);
    out.retain(|o| !matches!(o, Output::Send { to: N2, .. }));
    pump(&mut nodes, N0, std::mem::take(&mut out), &[N2]);
    assert!(nodes[0].snapshot_index() >= 5, "leader compacted");
    assert!(nodes[0].log_len() <= 2);
    nodes[0].on_timer(200 * MS, Timer::Heartbeat, &mut out);
    let seen = pump(&mut nodes, N0, std::mem::take(&mut out), &[]);
    assert!(seen.iter().any(|(_, o)| matches!(
        o,
        Output::Send {
            to: N2,
            msg: Msg::InstallSnapshot { .. }
        }
    )));
    assert_eq!(nodes[2].last_index(), nodes[0].last_index());
    assert_eq!(nodes[2].map(), nodes[0].map());
}

#[test]
fn session_reads_wait_for_their_token_or_fail_clearly() {
    let mut nodes = cluster(params(3, 1, 1));
    let token = Version { term: 1, index: 2 };
    for level in [Level::ReadYourWrites, Level::MonotonicReads, Level::Causal] {
        let mut follower = cluster(params(3, 1, 1)).remove(1);
        let mut out = Vec::new();
        follower.on_client_request(
            0,
            ClientRequest {
                req: 1,
                op: read("x", level),
                token,
            },
            &mut out,
        );
        assert_eq!(
            out,
            vec![Output::SetTimer {
                timer: Timer::Deadline,
                at: 1000 * MS
            }],
            "{level:?} waits"
        );
        out.clear();
        feed(
            &mut follower,
            N0,
            1,
            vec![put(1, 1, "y", Some("?")), put(1, 2, "x", Some("mine"))],
            0,
            &mut out,
        );
        assert!(replies(&out).contains(&(
            1,
            Response::Read {
                value: Some(text("mine")),
                version: token
            }
        )));
        // A token it never reaches: a clear failure at the deadline.
        out.clear();
        follower.on_client_request(
            0,
            ClientRequest {
                req: 2,
                op: read("x", level),
                token: Version { term: 1, index: 9 },
            },
            &mut out,
        );
        out.clear();
        follower.on_timer(1000 * MS, Timer::Deadline, &mut out);
        assert_eq!(
            replies(&out),
            vec![(2, Response::Failed(FailReason::NotCaughtUp))]
        );
    }
    // Eventual answers at once, whatever it holds.
    let mut out = Vec::new();
    nodes[1].on_client_request(0, request(7, read("x", Level::Eventual)), &mut out);
    assert_eq!(
        out,
        vec![Output::Reply {
            req: 7,
            response: Response::Read {
                value: None,
                version: Version::ZERO
            }
        }]
    );
}

fn strong_read_setup(mode: ReadRepair) -> (Vec<Node>, Vec<Output>) {
    let mut p = params(3, 1, 3);
    p.read_repair = mode;
    let mut nodes = cluster(p);
    let mut out = Vec::new();
    // Node 2 holds x = new, node 1 (the contacted one) holds x = old.
    feed(
        &mut nodes[1],
        N0,
        1,
        vec![put(1, 1, "x", Some("old"))],
        0,
        &mut out,
    );
    feed(
        &mut nodes[2],
        N0,
        1,
        vec![put(1, 1, "x", Some("old")), put(1, 2, "x", Some("new"))],
        0,
        &mut out,
    );
    out.clear();
    nodes[1].on_client_request(0, request(5, read("x", Level::Strong)), &mut out);
    (nodes, out)
}

#[test]
fn a_strong_read_gathers_r_replies_and_returns_the_newest() {
    let (mut nodes, mut out) = strong_read_setup(ReadRepair::Off);
    let ask = Msg::ReadReq {
        req: 5,
        key: text("x"),
    };
    assert_eq!(
        out,
        vec![
            Output::Send {
                to: N0,
                msg: ask.clone()
            },
            Output::Send { to: N2, msg: ask },
            Output::SetTimer {
                timer: Timer::Deadline,
                at: 1000 * MS
            },
        ]
    );
    out.clear();
    let cell = nodes[2].map().get(&text("x")).cloned();
    nodes[1].on_message(0, N2, Msg::ReadReply { req: 5, cell }, &mut out);
    assert!(out.is_empty(), "R = 3 needs node 0 too");
    nodes[1].on_message(0, N0, Msg::ReadReply { req: 5, cell: None }, &mut out);
    assert_eq!(
        replies(&out),
        vec![(
            5,
            Response::Read {
                value: Some(text("new")),
                version: Version { term: 1, index: 2 }
            }
        )]
    );
    assert_eq!(sends(&out), vec![], "no repair when it is off");
    assert_eq!(nodes[1].map()[&text("x")].value.as_deref(), Some("old"));
}

/// Node 2's newer copy and node 0's nothing reach the reader, node 1.
fn deliver_replies(nodes: &mut [Node], out: &mut Vec<Output>) -> Cell {
    let cell = nodes[2].map().get(&text("x")).cloned();
    let reply = |cell| Msg::ReadReply { req: 5, cell };
    nodes[1].on_message(0, N2, reply(cell.clone()), out);
    nodes[1].on_message(0, N0, reply(None), out);
    cell.expect("node 2 holds x")
}

#[test]
fn blocking_read_repair_writes_back_before_replying() {
    let (mut nodes, mut out) = strong_read_setup(ReadRepair::Blocking);
    out.clear();
    let cell = deliver_replies(&mut nodes, &mut out);
    assert_eq!(
        out,
        vec![Output::Send {
            to: N0,
            msg: Msg::Repair {
                req: 5,
                key: text("x"),
                cell: cell.clone(),
                ack: true
            }
        }]
    );
    assert_eq!(
        nodes[1].map()[&text("x")],
        cell,
        "the reader repaired itself"
    );
    out.clear();
    nodes[0].on_message(
        0,
        N1,
        Msg::Repair {
            req: 5,
            key: text("x"),
            cell: cell.clone(),
            ack: true,
        },
        &mut out,
    );
    assert_eq!(sends(&out), vec![(N1, Msg::RepairAck { req: 5 })]);
    out.clear();
    nodes[1].on_message(0, N0, Msg::RepairAck { req: 5 }, &mut out);
    assert_eq!(
        replies(&out),
        vec![(
            5,
            Response::Read {
                value: Some(text("new")),
                version: cell.version
            }
        )]
    );
}

#[test]
fn async_read_repair_replies_first() {
    let (mut nodes, mut out) = strong_read_setup(ReadRepair::Async);
    out.clear();
    let cell = deliver_replies(&mut nodes, &mut out);
    assert_eq!(replies(&out).len(), 1);
    assert_eq!(
        sends(&out),
        vec![(
            N0,
            Msg::Repair {
                req: 5,
                key: text("x"),
                cell,
                ack: false
            }
        )]
    );
}

#[test]
fn a_linearizable_read_waits_for_a_majority_round_after_it_arrived() {
    let mut nodes = cluster(params(3, 2, 1));
    elect(&mut nodes, N0);
    let mut out = Vec::new();
    nodes[1].on_client_request(0, request(1, read("x", Level::Linearizable)), &mut out);
    assert_eq!(
        replies(&out),
        vec![(
            1,
            Response::NotLeader {
                leader_hint: Some(N0)
            }
        )]
    );
    out.clear();
    nodes[0].on_client_request(0, request(2, read("x", Level::Linearizable)), &mut out);
    let round = nodes[0].round;
    assert!(replies(&out).is_empty());
    // An ack to an older round proves nothing.
    out.clear();
    nodes[0].on_message(
        0,
        N1,
        Msg::AppendReply {
            term: 1,
            success: true,
            index: 1,
            round: round - 1,
            heartbeat: false,
        },
        &mut out,
    );
    assert!(replies(&out).is_empty());
    nodes[0].on_message(
        0,
        N2,
        Msg::AppendReply {
            term: 1,
            success: true,
            index: 1,
            round,
            heartbeat: false,
        },
        &mut out,
    );
    assert_eq!(
        replies(&out),
        vec![(
            2,
            Response::Read {
                value: None,
                version: Version::ZERO
            }
        )]
    );
}

#[test]
fn a_cut_off_leader_cannot_serve_linearizable_reads() {
    let mut nodes = cluster(params(3, 1, 1));
    elect(&mut nodes, N0);
    let mut out = Vec::new();
    nodes[0].on_client_request(0, request(2, read("x", Level::Linearizable)), &mut out);
    out.clear();
    nodes[0].on_timer(1000 * MS, Timer::Deadline, &mut out);
    assert_eq!(
        replies(&out),
        vec![(2, Response::Failed(FailReason::LeadershipUnconfirmed))]
    );
}

#[test]
fn one_deadline_timer_serves_every_pending_request() {
    let mut nodes = cluster(params(3, 3, 1));
    elect(&mut nodes, N0);
    let mut out = Vec::new();
    nodes[0].on_client_request(0, request(1, write("x", "a")), &mut out);
    let timers = |out: &[Output]| {
        out.iter()
            .filter(|o| {
                matches!(
                    o,
                    Output::SetTimer {
                        timer: Timer::Deadline,
                        ..
                    }
                )
            })
            .count()
    };
    assert_eq!(timers(&out), 1);
    out.clear();
    nodes[0].on_client_request(400 * MS, request(2, write("x", "b")), &mut out);
    assert_eq!(timers(&out), 0, "the armed timer fires first anyway");
    out.clear();
    nodes[0].on_timer(1000 * MS, Timer::Deadline, &mut out);
    let unknown = |index| Response::Written {
        version: Version { term: 1, index },
        achieved_quorum: false,
    };
    assert_eq!(
        out,
        vec![
            Output::Reply {
                req: 1,
                response: unknown(2)
            },
            Output::SetTimer {
                timer: Timer::Deadline,
                at: 1400 * MS
            },
        ]
    );
    out.clear();
    nodes[0].on_timer(1400 * MS, Timer::Deadline, &mut out);
    assert_eq!(
        out,
        vec![Output::Reply {
            req: 2,
            response: unknown(3)
        }]
    );
}
