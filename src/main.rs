//! Consistency Playground: the Yew app that Trunk builds.

mod app;

fn main() {
    yew::Renderer::<app::App>::new().render();
}
