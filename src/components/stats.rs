//! Live statistics, a chart over time and the PBS curve.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct StatsProps {}

#[function_component(Stats)]
pub fn stats(_p: &StatsProps) -> Html {
    html! {}
}
