//! The course's curl exercises against the simulated cluster: a shell-like
//! splitter, a curl option reader, the course's store API over a
//! [`Cluster`], and a [`Console`] that runs pasted commands one after
//! another as simulated time passes. Pure Rust, no web dependency.
//!
//! Driving it from the page, per animation frame:
//! ```text
//! on Enter:  log.extend(console.run(&mut world, client, &input));
//! per frame: world.run_until(t); log.extend(console.poll(&mut world));
//! ```

pub mod api;
pub mod cluster;
pub mod console;
pub mod curl;
pub mod examples;
pub mod json;
pub mod render;
mod settings;
pub mod shell;
mod world_adapter;

pub use cluster::{Cluster, NodeStatus, Op, QuorumsFixed, Refused, Reply, Ticket};
pub use console::{Console, Event};
pub use render::{Answer, Exchange};
