pub mod cluster;
pub mod controls;
pub mod explainer;
pub mod messages;
pub mod node_panel;
pub mod ring;
pub mod slider;
pub mod stats;
