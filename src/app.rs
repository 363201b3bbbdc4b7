use crate::components::{cluster::Cluster, controls::Controls};
use crate::state::Playground;
use yew::prelude::*;

#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(Playground::default);
    let dispatch = {
        let state = state.clone();
        Callback::from(move |a| state.dispatch(a))
    };
    html! {
        <>
            <header class="topbar">
                <h1>{ "Consistency Playground" }</h1>
                <p class="tagline">{ "Drag N, W and R and watch what a replicated store lets you read." }</p>
            </header>
            <main class="layout">
                <Cluster n={state.config.n} />
                <Controls config={state.config.clone()}
                    clamp_note={state.clamp_note.clone().map(AttrValue::from)}
                    {dispatch} />
            </main>
        </>
    }
}
