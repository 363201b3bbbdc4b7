use crate::analysis::Answer;
use crate::components::{
    clients::Clients,
    cluster::{cluster_drawing, ClusterProps},
    console::Console,
    controls::{controls, ControlsProps, SettingsView},
    explainer::{explainer, ExplainerProps},
    header::{header, HeaderProps},
    help::Help,
    history::HistoryPanel,
    lesson::{lesson_panel, LessonProps},
    messages::legend,
    node_panel::NodePanel,
    runbar::{run_bar, Next, RunBarProps, RunView},
    stats::{Stats, StatsProps},
    timeline::{timeline, TimelineProps},
    workload::{workload_panel, WorkloadProps},
};
use crate::frames::use_frames;
use crate::keys::{use_shortcuts, Key};
use crate::link;
use crate::model::clients::{verdict::Verdict, ClientsView, Why};
use crate::model::quorum::picture;
use crate::model::view::ClusterView;
use crate::model::{narrate, Model, Msg};
use crate::presets::{self, Preset};
use crate::state::Store;
use crate::theme::Theme;
use crate::viewport::use_narrow;
use quorum_analysis::diagram::{self, Focus, MessageId};
use quorum_sim::msg::Role;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Clone, Copy, PartialEq)]
enum Overlay {
    None,
    Help,
    Share,
}

fn location() -> web_sys::Location {
    gloo::utils::window().location()
}

/// The page's address without its query: where links point.
fn page_url() -> String {
    let l = location();
    format!(
        "{}{}",
        l.origin().unwrap_or_default(),
        l.pathname().unwrap_or_default()
    )
}

#[function_component(App)]
pub fn app() -> Html {
    let start = use_memo((), |_| {
        link::parse(&location().search().unwrap_or_default())
    });
    let store = {
        let start = start.clone();
        use_reducer(move || Store::new(start.scenario.clone(), start.notice.clone()))
    };
    let dispatch = {
        let store = store.clone();
        Callback::from(move |msg| store.dispatch(msg))
    };
    use_frames(dispatch.clone());
    let preset = use_state(|| start.preset.clone());
    let embed = start.embed;
    let overlay = use_state(|| Overlay::None);
    let theme = use_state(Theme::stored);
    let show_quorums = use_state(|| true);
    let narrow = use_narrow();
    // The timeline's view (span, end: None follows the present) and what
    // the learner singled out in it, on the ring or in a client card.
    let view_span = use_state(|| (DIAGRAM_SPAN_US, None::<u64>));
    let focus = use_state(Focus::default);
    // The history worker's explanation of the read or write chosen: what a
    // strong read's quorum held, or what became of a write.
    let explained = use_state(|| None::<Answer<Rc<quorum_analysis::quorum_why::Answer>>>);
    let lesson = use_state(|| None::<crate::lesson::Panel>);

    use_effect_with(*theme, |theme| theme.apply());
    {
        let on_key = {
            let (dispatch, overlay) = (dispatch.clone(), overlay.clone());
            Callback::from(move |key| match key {
                Key::TogglePause => dispatch.emit(Msg::TogglePause),
                Key::Step => dispatch.emit(Msg::Step),
                Key::StepBack => dispatch.emit(Msg::StepBack),
                Key::ToggleHelp => overlay.set(if *overlay == Overlay::Help {
                    Overlay::None
                } else {
                    Overlay::Help
                }),
                Key::Escape => overlay.set(Overlay::None),
            })
        };
        use_shortcuts(on_key);
    }

    let model = store.model();
    let preset_id = preset.as_ref().map(|p| p.id.clone());
    // Links to the run so far; they change only when the recording does, not
    // with every frame.
    let lesson_at = (*lesson).as_ref().and_then(|p| p.at.clone());
    let links = {
        let store = store.clone();
        use_memo(
            (model.revision, preset_id.clone(), lesson_at),
            move |(_, preset_id, lesson_at)| {
                let recorded = store.model();
                let url = |embed: bool| {
                    let query = match lesson_at {
                        // A step's link opens the step, as a course page uses it.
                        Some(query) if !embed => query.clone(),
                        _ => link::query(&recorded.recorded(), preset_id.as_deref(), embed),
                    };
                    format!("{}{query}", page_url())
                };
                (url(false), url(true))
            },
        )
    };
    // The address bar always holds the run so far, so copying it shares it.
    use_effect_with(links.clone(), move |links| {
        let url = if embed { &links.1 } else { &links.0 };
        if let Ok(history) = gloo::utils::window().history() {
            let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(url));
        }
    });

    let on_preset = {
        let (dispatch, preset) = (dispatch.clone(), preset.clone());
        Callback::from(move |id: String| {
            let chosen = presets::find(&id).cloned();
            let scenario = chosen
                .as_ref()
                .map_or_else(link::default_scenario, |p| p.scenario.clone());
            preset.set(chosen);
            dispatch.emit(Msg::Load(Box::new(scenario)));
        })
    };
    let on_lesson = {
        let (lesson, dispatch, preset, store) = (
            lesson.clone(),
            dispatch.clone(),
            preset.clone(),
            store.clone(),
        );
        Callback::from(move |command: String| {
            if command == "close" {
                return lesson.set(None);
            }
            let checking = command.starts_with("check:");
            // A check judges the run; the quorum map starts from its settings.
            let with_run = checking || command.starts_with("map:");
            let moves = !checking && !command.starts_with("answer:");
            let moment = with_run.then(|| {
                let m = store.model();
                let scenario = if checking {
                    m.whole_run().clone()
                } else {
                    // The map needs only the settings as they are now.
                    quorum_sim::scenario::Scenario::new(m.config().clone(), m.recorded().seed)
                };
                quorum_analysis::Moment {
                    scenario,
                    at_us: m.world().now(),
                }
            });
            let mut waiting = (*lesson).clone().unwrap_or_default();
            waiting.busy = Some(if checking {
                "Checking your run…"
            } else {
                "Loading…"
            });
            waiting.error = None;
            lesson.set(Some(waiting.clone()));
            let (lesson, dispatch, preset) = (lesson.clone(), dispatch.clone(), preset.clone());
            crate::lesson::ask(command, moment, move |reply| match reply {
                Ok(mut reply) => {
                    if let Some(scenario) = reply.start {
                        preset.set(None);
                        dispatch.emit(Msg::Load(Box::new(scenario)));
                    }
                    if let Some((w, r)) = reply.set {
                        dispatch.emit(Msg::WriteQuorum(w));
                        dispatch.emit(Msg::ReadQuorum(r));
                    }
                    // The list and the quiz keep the last step's link.
                    if reply.panel.at.is_none() {
                        reply.panel.at = waiting.at.take();
                    }
                    lesson.set(Some(reply.panel));
                    if moves {
                        crate::focus::focus_soon("lesson-title");
                    }
                }
                Err(why) => {
                    waiting.busy = None;
                    waiting.error = Some(quorum_sim::errors::sentence(&why));
                    lesson.set(Some(waiting));
                }
            });
        })
    };
    {
        let (on_lesson, start) = (on_lesson.clone(), start.clone());
        use_effect_with((), move |_| {
            if let Some((id, k)) = &start.lesson {
                on_lesson.emit(format!("open:{id}:{k}"));
            }
        });
    }
    let set_overlay = |to: Overlay| {
        let overlay = overlay.clone();
        Callback::from(move |_: ()| overlay.set(to))
    };
    let on_theme = {
        let theme = theme.clone();
        Callback::from(move |t| theme.set(t))
    };

    let clients = Rc::new(model.clients.view(model.world()));
    let mut view = ClusterView::of(model.world());
    view.bubbles = model.clients.bubbles(model.world().now());
    let view = Rc::new(view);
    let run = run_view(&model);
    let on_message = {
        let focus = focus.clone();
        Callback::from(move |message: Option<MessageId>| {
            focus.set(Focus {
                message,
                read: None,
            })
        })
    };
    let cluster = cluster_panel(
        &model,
        &view,
        (*preset).as_ref().filter(|_| !embed),
        (*show_quorums, narrow),
        (&focus, &on_message),
        &dispatch,
    );
    if embed {
        let full = links.0.clone();
        return html! {
            <main class="layout embed">
                { run_bar(&RunBarProps { run, dispatch: dispatch.clone(), compact: true }) }
                { cluster }
                <aside class="embed-side">
                    if let Some(p) = (*preset).as_ref() {
                        { story(p) }
                    }
                    { embed_verdicts(&clients) }
                    <a class="open-full" href={full} target="_blank" rel="noopener">{ "Open in Consistency Playground ↗" }</a>
                </aside>
            </main>
        };
    }

    let presets: Vec<(AttrValue, AttrValue)> = presets::all()
        .iter()
        .map(|p| {
            (
                AttrValue::from(p.id.clone()),
                AttrValue::from(p.title.clone()),
            )
        })
        .collect();
    let c = model.config();
    let settings = SettingsView {
        n: c.n,
        w: c.w,
        r: c.r,
        latency_ms: c.latency_ms,
        drop: c.drop,
        jitter_kind: model.jitter_kind,
        jitter_spread_ms: model.jitter_spread_ms,
        read_repair: c.read_repair,
        seed: model.recorded().seed,
    };
    let on_toggle = {
        let show_quorums = show_quorums.clone();
        Callback::from(move |on| show_quorums.set(on))
    };
    let share = (*overlay == Overlay::Share).then(|| {
        let (url, embed_url) = (*links).clone();
        (AttrValue::from(url), AttrValue::from(embed_url))
    });
    let (span_us, end_us) = *view_span;
    let diagram = {
        let world = model.world();
        let t1 = end_us.unwrap_or(world.now()).min(world.now());
        Rc::new(diagram::build(
            c.n,
            (t1.saturating_sub(span_us), t1),
            world.trace(),
            world.judged_history(),
        ))
    };
    let on_view = {
        let view_span = view_span.clone();
        Callback::from(move |v| view_span.set(v))
    };
    let on_why = {
        let (focus, view_span, explained) = (focus.clone(), view_span.clone(), explained.clone());
        let store = store.clone();
        Callback::from(move |why: Why| {
            let (span, _) = *view_span;
            let scenario = || store.model().whole_run().clone();
            // What the history worker is asked, and where the timeline looks.
            let (work, at_us) = match why {
                Why::Read(read) => {
                    let at_us = read.at_us;
                    let work = read.quorum.clone().map(|(key, invoke_us)| {
                        quorum_analysis::Work::Quorum(quorum_analysis::quorum_why::QuorumRead {
                            scenario: scenario(),
                            node: read.node,
                            key,
                            invoke_us,
                            complete_us: read.at_us,
                        })
                    });
                    focus.set(Focus {
                        message: None,
                        read: Some(read),
                    });
                    (work, at_us)
                }
                Why::Write {
                    node,
                    key,
                    value,
                    at_us,
                } => {
                    focus.set(Focus::default());
                    let write = quorum_analysis::lost_why::AckedWrite {
                        scenario: scenario(),
                        node,
                        key,
                        value,
                        complete_us: at_us,
                    };
                    (Some(quorum_analysis::Work::Lost(write)), at_us)
                }
            };
            // The moment a third of the way up from the bottom.
            view_span.set((span, Some(at_us + span / 3)));
            explained.set(work.as_ref().map(|_| Answer::Waiting));
            if let Some(work) = work {
                let (explained, view_span) = (explained.clone(), view_span.clone());
                let pick = |d| match d {
                    quorum_analysis::Done::Quorum(answer) => Some(answer),
                    _ => None,
                };
                crate::analysis::ask_for(work, pick, move |answer| {
                    // Where what it names happened: the overwrite, or the
                    // last reply.
                    let last = answer
                        .iter()
                        .flat_map(|a| &a.replies)
                        .map(|m| m.at_us)
                        .max();
                    if let Some(last) = last {
                        view_span.set((span, Some(last + span / 3)));
                    }
                    explained.set(Some(Answer::of(answer.map(Rc::new))));
                });
            }
        })
    };
    let on_bar = {
        let (clients, on_why) = (clients.clone(), on_why.clone());
        Callback::from(move |(client, sent_us): (u32, u64)| {
            if let Some(why) = clients.why_at(client, sent_us) {
                on_why.emit(why);
            }
        })
    };
    let moment = {
        let store = store.clone();
        Callback::from(move |()| {
            let m = store.model();
            quorum_analysis::Moment {
                scenario: m.whole_run().clone(),
                at_us: m.world().now(),
            }
        })
    };
    let on_load = {
        let (dispatch, preset) = (dispatch.clone(), preset.clone());
        Callback::from(move |scenario: quorum_sim::scenario::Scenario| {
            preset.set(None);
            dispatch.emit(Msg::Load(Box::new(scenario)));
        })
    };
    html! {
        <>
            { header(&HeaderProps {
                presets,
                current: preset_id.map(AttrValue::from),
                on_preset,
                on_share: set_overlay(Overlay::Share),
                share,
                on_close_share: set_overlay(Overlay::None),
                on_help: set_overlay(Overlay::Help),
                on_lessons: { let on_lesson = on_lesson.clone(); Callback::from(move |()| on_lesson.emit("list".into())) },
                lessons_open: lesson.is_some(),
                theme: *theme,
                on_theme,
            }) }
            // Above the grid, not in it: the grid's areas stay one set.
            if let Some(panel) = &*lesson {
                { lesson_panel(&LessonProps { panel, on_do: on_lesson }) }
            }
            <main class="layout">
                { run_bar(&RunBarProps { run, dispatch: dispatch.clone(), compact: false }) }
                { cluster }
                <Clients view={clients.clone()} {narrow} dispatch={dispatch.clone()} on_why={on_why.clone()} />
                { controls(&ControlsProps { settings, dispatch: dispatch.clone() }) }
                { timeline(&TimelineProps {
                    diagram,
                    focus: (*focus).clone(),
                    why: (*explained).clone(),
                    on_message,
                    on_bar,
                    span_us,
                    end_us,
                    on_view,
                }) }
                <section class="panel workbench" aria-labelledby="workbench-title">
                    <h2 id="workbench-title">{ "Console and workload" }</h2>
                    <Console view={clients.clone()} dispatch={dispatch.clone()} on_why={on_why.clone()} />
                    { workload_panel(&WorkloadProps { form: clients.workload.clone(), running: clients.workload_running, dispatch: dispatch.clone() }) }
                </section>
                <HistoryPanel {moment} now_us={model.world().now()} {on_load} />
                { explainer(&ExplainerProps { n: c.n, w: c.w, r: c.r, show_quorums: *show_quorums, on_toggle }) }
                <NodePanel view={view} selected={model.selected} dispatch={dispatch.clone()} />
                <Stats ..stats_props(&model) />
            </main>
            if *overlay == Overlay::Help {
                <Help on_close={set_overlay(Overlay::None)} />
            }
        </>
    }
}

fn run_view(model: &Model) -> RunView {
    let now = model.world().now();
    RunView {
        live_us: model.live().now(),
        looking_back: model.looking_back(),
        branched_at_us: model.branched_at(),
        paused: model.paused,
        speed_step: model.speed_step,
        skip_quiet: model.skip_quiet,
        pace: model.pace,
        skipping: model.skipping() && !model.paused,
        now_us: now,
        next: model.next_action().map(|(at, action)| Next {
            in_us: at - now,
            what: narrate::describe(action),
        }),
    }
}

fn story(p: &Preset) -> Html {
    html! {
        <div class="story" data-testid="story">
            <h3>{ p.title.clone() }</h3>
            <p>{ p.summary.clone() }</p>
            <p><strong>{ "Look for: " }</strong>{ p.look_for.clone() }</p>
        </div>
    }
}

/// An embed's list of the scenario's reads and their verdicts.
fn embed_verdicts(clients: &ClientsView) -> Html {
    let rows: Vec<Html> = clients
        .panels
        .iter()
        .enumerate()
        .flat_map(|(i, panel)| panel.rows.iter().map(move |row| (i, row)))
        .filter(|(_, row)| matches!(row.verdict, Verdict::Read(_) | Verdict::Pending))
        .map(|(i, row)| {
            html! {
                <li>
                    <strong>{ format!("Client {}: {}", i + 1, row.op) }</strong>
                    { for row.badges().iter().map(crate::components::clients::badge) }
                    if let Some(why) = row.verdict.why() {
                        <p class="why">{ why.to_string() }</p>
                    }
                </li>
            }
        })
        .collect();
    html! {
        <section class="embed-verdicts" aria-label="Verdicts">
            <h3>{ "Reads and their verdicts" }</h3>
            if rows.is_empty() {
                <p class="muted">{ "No read has been sent yet." }</p>
            } else {
                <ul>{ for rows }</ul>
            }
        </section>
    }
}

/// The timeline shows this much simulated time at first.
const DIAGRAM_SPAN_US: u64 = 800_000;

/// The cluster with its story, notice and legend.
fn cluster_panel(
    model: &Model,
    view: &Rc<ClusterView>,
    preset: Option<&Preset>,
    (show_quorums, narrow): (bool, bool),
    (focus, on_message): (&Focus, &Callback<Option<MessageId>>),
    dispatch: &Callback<Msg>,
) -> Html {
    let c = model.config();
    let leader = view
        .nodes
        .iter()
        .find(|card| card.role == Role::Leader && !card.crashed)
        .map(|card| card.id);
    let up: Vec<bool> = view.nodes.iter().map(|card| !card.crashed).collect();
    let quorums = show_quorums.then(|| picture(c.w, c.r, leader, &up));
    let on_node = {
        let dispatch = dispatch.clone();
        Callback::from(move |id| dispatch.emit(Msg::ToggleNode(id)))
    };
    html! {
        <section class="panel cluster" aria-labelledby="cluster-title">
            <h2 id="cluster-title">{ format!("The cluster: {} node{}", c.n, if c.n == 1 { "" } else { "s" }) }</h2>
            if let Some(p) = preset {
                { story(p) }
            }
            if let Some(notice) = &model.notice {
                <p class="note" role="status">{ notice.clone() }</p>
            }
            { cluster_drawing(&ClusterProps {
                view: view.clone(),
                quorums,
                selected: model.selected,
                on_node,
                narrow,
                chosen: focus.message,
                on_message: on_message.clone(),
                holders: focus.read.as_ref().map(|r| r.holders.clone()).unwrap_or_default(),
            }) }
            { legend(narrow) }
        </section>
    }
}

/// The stats panel's figures, rebuilt every frame from counters (cheap),
/// and the inputs its memoised PBS curve depends on.
fn stats_props(model: &Model) -> StatsProps {
    StatsProps {
        figures: Rc::new(crate::model::series::Figures::of(
            model.world(),
            model.previous_run.as_ref(),
        )),
        pbs: quorum_analysis::pbs_curve::PbsInputs::of(model.config()),
    }
}
