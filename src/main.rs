//! Consistency Playground: the Yew app that Trunk builds. Rendering and input
//! only; the simulation lives in the `quorum-sim` crate.

mod app;
mod components;
mod frames;
mod model;
mod state;
mod viewport;

fn main() {
    yew::Renderer::<app::App>::new().render();
}
