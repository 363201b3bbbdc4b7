pub mod cluster;
pub mod controls;
pub mod slider;
