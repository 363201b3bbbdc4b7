//! Consistency Playground: the Yew app that Trunk builds. Rendering and input
//! only; the simulation lives in the `quorum-sim` crate.

mod analysis;
mod app;
mod components;
mod crash;
mod download;
mod focus;
mod frames;
mod keys;
mod lesson;
mod link;
mod model;
mod presets;
mod scenario_file;
mod state;
mod theme;
mod trig;
mod viewport;

fn main() {
    crash::install();
    yew::Renderer::<app::App>::new().render();
}
