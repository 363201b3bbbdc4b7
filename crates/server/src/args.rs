//! Who a node is and whom it talks to, from flags or from the course's
//! environment variables (a flag wins over its variable).

use crate::auth::ClusterKey;
use crate::errors::ArgsError;
use clap::Args;
use quorum_sim::config::Config;
use quorum_sim::msg::NodeId;
use std::net::IpAddr;
use std::path::PathBuf;

#[derive(Args, Clone, Debug)]
pub struct ServeArgs {
    /// This node's name: node-1 .. node-N.
    #[arg(long, env = "NODE_ID", default_value = "node-1")]
    pub id: String,
    #[arg(long, env = "PORT", default_value_t = 4000)]
    pub port: u16,
    /// The other nodes' base URLs in id order, this node left out (node-2
    /// of three lists node-1's URL, then node-3's). N is their count + 1.
    #[arg(long, env = "PEERS", value_delimiter = ',', default_value = "")]
    pub peers: Vec<String>,
    /// W: acknowledgements a write needs, the leader's included.
    #[arg(long = "w", env = "WRITE_QUORUM", default_value_t = 2)]
    pub w: usize,
    /// R: replies a `strong` read gathers, the contacted node's included.
    #[arg(long = "r", env = "READ_QUORUM", default_value_t = 1)]
    pub r: usize,
    /// Keep term, vote and log here (fsynced before answering); without it
    /// the node keeps everything in memory, as the course's nodes do.
    #[arg(long, env = "DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    /// Address to listen on; 0.0.0.0 in a container.
    #[arg(long, env = "BIND", default_value = "127.0.0.1")]
    pub bind: IpAddr,
    /// A secret every node of the cluster shares: peers sign each batch with
    /// it and a node refuses (401) batches that are not signed with it.
    /// Without one, anyone who reaches the port can speak as a peer.
    #[arg(long, env = "CLUSTER_KEY", hide_env_values = true)]
    pub cluster_key: Option<String>,
}

/// A node's place in its cluster, checked.
#[derive(Clone, Debug)]
pub struct Identity {
    /// The engine's id: node-k is k - 1.
    pub me: NodeId,
    /// Base URL by engine id; `None` at `me`.
    pub urls: Vec<Option<String>>,
    pub config: Config,
    /// The cluster key, when one is set (an empty one is none).
    pub key: Option<ClusterKey>,
}

impl ServeArgs {
    pub fn identity(&self) -> Result<Identity, ArgsError> {
        let peers: Vec<&str> = self
            .peers
            .iter()
            .map(|p| p.trim().trim_end_matches('/'))
            .filter(|p| !p.is_empty())
            .collect();
        if let Some(bad) = peers.iter().find(|p| !p.starts_with("http://")) {
            return Err(ArgsError::Peer(bad.to_string()));
        }
        let n = peers.len() + 1;
        let me = self
            .id
            .strip_prefix("node-")
            .and_then(|k| k.parse().ok())
            .and_then(NodeId::numbered)
            .ok_or_else(|| ArgsError::NodeId(self.id.clone()))?;
        if !me.is_in(n) {
            return Err(ArgsError::NotInCluster {
                id: self.id.clone(),
                n,
            });
        }
        let config = Config {
            n,
            w: self.w,
            r: self.r,
            ..Config::default()
        };
        config.validate().map_err(ArgsError::Config)?;
        let mut urls: Vec<Option<String>> = peers.into_iter().map(|p| Some(p.into())).collect();
        urls.insert(me.index(), None);
        Ok(Identity {
            me,
            urls,
            config,
            key: self.cluster_key.as_deref().and_then(ClusterKey::new),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;
    use quorum_sim::errors::ConfigError;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        serve: ServeArgs,
    }

    fn identity(args: &[&str]) -> Result<Identity, ArgsError> {
        let mut argv = vec!["serve"];
        argv.extend_from_slice(args);
        Cli::try_parse_from(argv).unwrap().serve.identity()
    }

    #[test]
    fn peers_fill_the_ids_around_this_node() {
        let id = identity(&["--id", "node-2", "--peers", "http://a:1,http://c:3/"]).unwrap();
        assert_eq!(id.me, NodeId::at(1));
        let urls = [Some("http://a:1".into()), None, Some("http://c:3".into())];
        assert_eq!(id.urls, urls);
        assert!(id.key.is_none());
        assert_eq!((id.config.n, id.config.w, id.config.r), (3, 2, 1));
    }

    #[test]
    fn mismatched_clusters_and_bad_quorums_are_refused_in_words() {
        let err = identity(&["--id", "node-4", "--peers", "http://a:1,http://b:2"]).unwrap_err();
        let not_in = ArgsError::NotInCluster {
            id: "node-4".into(),
            n: 3,
        };
        assert_eq!(err, not_in);
        assert_eq!(
            err.to_string(),
            "--id node-4 but --peers names 2 other node(s): the cluster is node-1..node-3, \
             listed in id order without this node"
        );
        assert_eq!(
            identity(&["--id", "n1"]).unwrap_err(),
            ArgsError::NodeId("n1".into())
        );
        assert_eq!(
            identity(&["--peers", "https://a:1"]).unwrap_err(),
            ArgsError::Peer("https://a:1".into())
        );
        let w3 = identity(&["--peers", "http://a:1", "--w", "3"]).unwrap_err();
        assert!(
            matches!(&w3, ArgsError::Config(ConfigError::Range(r)) if r.what == "W"),
            "{w3:?}"
        );
        assert_eq!(identity(&["--w", "1"]).unwrap().config.n, 1);
    }
}
