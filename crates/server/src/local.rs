//! One engine node as the console's [`Cluster`] of which it is the only
//! reachable member, so the console's API code answers real HTTP requests
//! exactly as it answers the page's console.
//!
//! Every HTTP client of a node shares one session: the engine's session
//! levels then mean "what was written or read through this node", which is
//! what the course's `read_your_writes` means too.

use quorum_console::{Cluster, NodeStatus, Op, QuorumsFixed, Refused, Reply, Ticket};
use quorum_sim::client::Session;
use quorum_sim::kv::Level;
use quorum_sim::msg::{ClientOp, ClientRequest, NodeId, Output, ReqId, Response, Role};
use quorum_sim::node::Node;
use std::collections::HashMap;

pub struct LocalNode {
    pub node: Node,
    /// The time the next request arrives at, µs of the node's clock.
    pub now: u64,
    /// What the node wants done; the driver drains it.
    pub out: Vec<Output>,
    session: Session,
    next_req: ReqId,
    replies: HashMap<ReqId, Reply>,
}

impl LocalNode {
    pub fn new(node: Node) -> LocalNode {
        LocalNode {
            node,
            now: 0,
            out: Vec::new(),
            session: Session::default(),
            next_req: 0,
            replies: HashMap::new(),
        }
    }

    /// Takes the node's answer to `req` in, for [`Cluster::reply`].
    pub fn answered(&mut self, req: ReqId, response: Response) {
        match response {
            Response::Written { version, .. } => {
                self.session.written = self.session.written.max(version)
            }
            Response::Read { version, .. } => self.session.read = self.session.read.max(version),
            Response::NotLeader { .. } | Response::Failed(_) => {}
        }
        let reply = Reply::from_response(response, self.node.params().r);
        self.replies.insert(req, reply);
    }

    pub fn has_reply(&self, ticket: Ticket) -> bool {
        self.replies.contains_key(&ticket.0)
    }
}

impl Cluster for LocalNode {
    fn node_count(&self) -> usize {
        self.node.params().n
    }

    fn status(&self, node: NodeId) -> Option<NodeStatus> {
        if node != self.node.id() {
            return None;
        }
        let n = &self.node;
        let keys = (n.map().iter())
            .filter(|(_, cell)| cell.value.is_some())
            .map(|(key, _)| key.to_string())
            .collect();
        let leader: Option<NodeId> = match n.role() {
            Role::Leader => Some(n.id()),
            _ => n.leader_hint(),
        };
        Some(NodeStatus {
            role: n.role(),
            term: n.term(),
            leader,
            keys,
            write_quorum: n.params().w,
            read_quorum: n.params().r,
            total_nodes: n.params().n,
        })
    }

    fn request(&mut self, client: u32, node: NodeId, op: Op) -> Result<Ticket, Refused> {
        if node != self.node.id() {
            return Err(Refused);
        }
        let (_, _, op) = op
            .into_action(client, node)
            .client_request()
            .ok_or(Refused)?;
        let level = match &op {
            ClientOp::Read { level, .. } => *level,
            // Writes carry no token: the leader orders them.
            ClientOp::Write { .. } | ClientOp::Delete { .. } => Level::Eventual,
        };
        let req = self.next_req;
        self.next_req += 1;
        let request = ClientRequest {
            req,
            op,
            token: self.session.token(level),
        };
        self.node
            .on_client_request(self.now, request, &mut self.out);
        Ok(Ticket(req))
    }

    fn reply(&mut self, ticket: Ticket) -> Option<Reply> {
        self.replies.remove(&ticket.0)
    }

    fn set_quorums(&mut self, _: Option<usize>, _: Option<usize>) -> Result<(), QuorumsFixed> {
        Err(QuorumsFixed::AtStartup)
    }
}
