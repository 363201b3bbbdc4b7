//! The clients area: Client 1 and Client 2, the workload generator and the
//! curl console.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ClientsProps {}

#[function_component(Clients)]
pub fn clients(_p: &ClientsProps) -> Html {
    html! {}
}
