//! Plain-data snapshots of the world for one frame: what the components draw.
//! Built fresh each frame, compared cheaply, and free of engine internals.

use super::clients::Bubble;
use quorum_analysis::diagram::MessageId;
use quorum_sim::kv::{Text, Version};
use quorum_sim::msg::{MsgKind, NodeId, Role};
use quorum_sim::world::World;

#[derive(Clone, Debug, PartialEq)]
pub struct ClusterView {
    pub now_us: u64,
    pub nodes: Vec<NodeCard>,
    pub sprites: Vec<Sprite>,
    /// Links cut by a partition.
    pub cuts: Vec<Cut>,
    /// Reads just answered, shown at the node that answered.
    pub bubbles: Vec<Bubble>,
}

/// A link cut by a partition, both ways or one; `a < b`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cut {
    pub a: NodeId,
    pub b: NodeId,
    pub a_to_b: bool,
    pub b_to_a: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct NodeCard {
    pub id: NodeId,
    pub role: Role,
    pub crashed: bool,
    pub term: u64,
    pub last_index: u64,
    pub commit_index: u64,
    pub cells: Vec<CellRow>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct CellRow {
    pub key: Text,
    /// `None`: deleted (a tombstone).
    pub value: Option<Text>,
    pub version: Version,
    /// Older than the newest version acknowledged to any client.
    pub stale: bool,
}

/// One message drawn on its link.
#[derive(Clone, Debug, PartialEq)]
pub struct Sprite {
    pub id: MessageId,
    pub from: NodeId,
    pub to: NodeId,
    pub kind: MsgKind,
    /// 0 at the sender, 1 at the receiver.
    pub progress: f64,
    /// Lost on the way: drawn falling off the link.
    pub lost: bool,
}

impl ClusterView {
    pub fn of(world: &World) -> ClusterView {
        let now = world.now();
        let n = world.config().n;
        let nodes = NodeId::all(n)
            .map(|id| {
                let node = world.node(id);
                let cells = node
                    .map()
                    .iter()
                    .map(|(key, cell)| CellRow {
                        key: key.clone(),
                        value: cell.value.clone(),
                        version: cell.version,
                        stale: cell.version < world.newest_acked(key),
                    })
                    .collect();
                NodeCard {
                    id,
                    role: node.role(),
                    crashed: !world.is_alive(id),
                    term: node.term(),
                    last_index: node.last_index(),
                    commit_index: node.commit_index(),
                    cells,
                }
            })
            .collect();
        let sprites = world
            .in_flight()
            .into_iter()
            .map(|m| Sprite {
                id: MessageId {
                    from: m.from,
                    to: m.to,
                    sent_us: m.sent_at,
                    due_us: m.deliver_at,
                },
                from: m.from,
                to: m.to,
                kind: m.kind,
                progress: progress(now, m.sent_at, m.deliver_at),
                lost: m.lost,
            })
            .collect();
        let cuts = NodeId::all(n)
            .flat_map(|a| NodeId::all(n).filter(move |&b| a < b).map(move |b| (a, b)))
            .filter_map(|(a, b)| {
                let (ab, ba) = (world.link_blocked(a, b), world.link_blocked(b, a));
                (ab || ba).then_some(Cut {
                    a,
                    b,
                    a_to_b: ab,
                    b_to_a: ba,
                })
            })
            .collect();
        ClusterView {
            now_us: now,
            nodes,
            sprites,
            cuts,
            bubbles: Vec::new(),
        }
    }
}

fn progress(now: u64, sent: u64, deliver: u64) -> f64 {
    if deliver <= sent {
        return 1.0;
    }
    (now.saturating_sub(sent) as f64 / (deliver - sent) as f64).clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_runs_from_sender_to_receiver() {
        assert_eq!(progress(100, 100, 200), 0.0);
        assert_eq!(progress(150, 100, 200), 0.5);
        assert_eq!(progress(250, 100, 200), 1.0);
        assert_eq!(progress(50, 100, 200), 0.0);
        assert_eq!(progress(100, 100, 100), 1.0);
    }

    #[test]
    fn a_fresh_cluster_elects_and_sends_visible_messages() {
        let mut world = World::from_scenario(&crate::link::default_scenario()).unwrap();
        world.run_until(2_000_000);
        let view = ClusterView::of(&world);
        assert_eq!(view.nodes.len(), 3);
        assert_eq!(
            view.nodes.iter().filter(|c| c.role == Role::Leader).count(),
            1,
            "{view:?}"
        );
        assert!(view
            .sprites
            .iter()
            .all(|s| (0.0..=1.0).contains(&s.progress)));
        assert!(view.cuts.is_empty());
    }
}
