//! The delivery tap: every message that reaches a node, whole, and none
//! that was lost; a clone of the world (a checkpoint) has no tap.

use quorum_sim::chaos::{self, Faults};
use quorum_sim::config::Config;
use quorum_sim::world::{Delivery, World};
use std::cell::RefCell;
use std::rc::Rc;

#[test]
fn the_tap_sees_exactly_the_messages_the_trace_says_were_delivered() {
    for seed in 0..20u64 {
        let config = Config {
            n: 5,
            drop: 0.05,
            ..Config::default()
        };
        let drop = config.drop;
        let mut world = World::new(config, seed).unwrap();
        for (at, action) in chaos::plan(Faults::Mixed, 5, drop, 3_000_000, seed) {
            world.schedule_action(at, action).unwrap();
        }
        let seen: Rc<RefCell<Vec<Delivery>>> = Rc::default();
        let sink = seen.clone();
        world.set_delivery_sink(Box::new(move |d| sink.borrow_mut().push(d.clone())));
        let mut copy = world.clone();
        world.run_until(3_000_000);
        let delivered = world.stats().messages_delivered;
        let seen = seen.borrow();
        assert_eq!(seen.len() as u64, delivered, "seed {seed}");
        assert!(
            seen.windows(2).all(|w| w[0].at_us <= w[1].at_us),
            "in time order, seed {seed}"
        );
        assert!(seen.iter().all(|d| d.from != d.to && d.to.is_in(5)));
        copy.run_until(3_000_000);
        assert_eq!(
            seen.len() as u64,
            delivered,
            "the clone fed nothing, seed {seed}"
        );
    }
}
