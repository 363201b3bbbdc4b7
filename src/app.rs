use yew::prelude::*;

#[function_component(App)]
pub fn app() -> Html {
    html! { <h1>{ "Consistency Playground" }</h1> }
}
