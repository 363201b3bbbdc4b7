//! Statistics over time for the stats panel.

use quorum_sim::world::World;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Series {}

impl Series {
    /// Called once per frame, after the world advanced.
    pub fn sample(&mut self, _world: &World) {}
}
