//! The Yew side of the model: one reducer whose state is the [`Model`]
//! behind a shared cell. The world is far too large to clone per frame, so
//! the reducer mutates it in place and bumps a revision that tells Yew the
//! state changed. Components get snapshots and callbacks, never this store.

use crate::model::{Model, Msg};
use quorum_sim::scenario::Scenario;
use std::cell::{Ref, RefCell};
use std::rc::Rc;
use yew::Reducible;

pub struct Store {
    model: Rc<RefCell<Model>>,
    rev: u64,
}

impl Store {
    /// A store running `scenario`; `notice` (why a link was not followed)
    /// is shown unless the model has a more pressing one of its own.
    pub fn new(scenario: Scenario, notice: Option<String>) -> Store {
        let mut model = Model::new(scenario);
        if model.notice.is_none() {
            model.notice = notice;
        }
        Store {
            model: Rc::new(RefCell::new(model)),
            rev: 0,
        }
    }

    pub fn model(&self) -> Ref<'_, Model> {
        self.model.borrow()
    }
}

impl PartialEq for Store {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.model, &other.model) && self.rev == other.rev
    }
}

impl Reducible for Store {
    type Action = Msg;

    fn reduce(self: Rc<Self>, msg: Msg) -> Rc<Self> {
        self.model.borrow_mut().update(msg);
        Rc::new(Store {
            model: self.model.clone(),
            rev: self.rev + 1,
        })
    }
}
