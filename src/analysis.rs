//! The page's side of its workers (crates/analysis): each is fetched a
//! moment after its first request, after the first paint, so its download
//! never delays the page; requests queue until it says it is ready. A
//! worker that cannot load or that dies fails every request with a plain
//! reason, and the rest of the page goes on.

use gloo::timers::callback::Timeout;
use js_sys::Array;
use quorum_analysis::errors::Failure;
use quorum_analysis::{Done, Message, Work, Worker as Kind};
use serde_json::Value;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Blob, BlobPropertyBag, ErrorEvent, MessageEvent, Url, Worker};
use yew::prelude::*;

/// How long the worker may take to load before requests fail.
const START_MS: u32 = 20_000;

/// The first request waits this long before the worker is fetched, so the
/// fetch never competes with the first paint and the page's own start.
const DEFER_MS: u32 = 400;

/// What an analysis came to, for a panel to show.
#[derive(Clone, Debug, PartialEq)]
pub enum Answer<T> {
    Waiting,
    Ready(T),
    Failed(Failure),
}

impl<T> Answer<T> {
    /// The answer a worker's result gives.
    pub fn of(result: Result<T, Failure>) -> Answer<T> {
        match result {
            Ok(value) => Answer::Ready(value),
            Err(why) => Answer::Failed(why),
        }
    }
}

type Reply = Box<dyn FnOnce(Result<Done, Failure>)>;

struct Client {
    kind: Kind,
    /// `None` until it is fetched, just after the first paint.
    worker: Option<Worker>,
    ready: bool,
    /// Requests written before the worker was ready.
    queue: Vec<Array>,
    next_id: u64,
    /// Each request's work (to read its answer by) and who gets it.
    waiting: BTreeMap<u64, (Work, Reply)>,
    failed: Option<Failure>,
    _start: Option<Timeout>,
}

thread_local! {
    /// Each worker's client, once it was first asked for something.
    static CLIENTS: RefCell<Vec<Rc<RefCell<Client>>>> = const { RefCell::new(Vec::new()) };
}

/// Every waiting request fails with `why`, and so will every later one.
fn fail(client: &Rc<RefCell<Client>>, why: Failure) {
    let waiting = {
        let mut c = client.borrow_mut();
        c.failed.get_or_insert(why.clone());
        if let Some(worker) = &c.worker {
            worker.terminate();
        }
        std::mem::take(&mut c.waiting)
    };
    for (_, (_, reply)) in waiting {
        reply(Err(why.clone()));
    }
}

fn on_message(client: &Rc<RefCell<Client>>, data: JsValue) {
    if data.as_string().as_deref() == Some("ready") {
        let mut c = client.borrow_mut();
        c.ready = true;
        c._start = None;
        let queued = std::mem::take(&mut c.queue);
        if let Some(worker) = &c.worker {
            for message in queued {
                let _ = worker.post_message(&message);
            }
        }
        return;
    }
    let answer = Message::from_js(&data);
    let Some((work, reply)) = client.borrow_mut().waiting.remove(&answer.id) else {
        return;
    };
    reply(Done::read(&work, &answer));
}

/// The worker's loader: a script that fetches its glue and wasm from beside
/// the page (a worker script must be same-origin; a blob of our own is).
fn spawn(kind: Kind) -> Result<Worker, Failure> {
    let base = gloo::utils::document()
        .base_uri()
        .ok()
        .flatten()
        .unwrap_or_default();
    // JSON string literals are JavaScript ones (and cost no Debug
    // formatting, whose Unicode tables would join the download).
    let literal = |path: &str| Value::from(format!("{base}{path}")).to_string();
    let script = js_sys::Array::of1(&JsValue::from_str(&format!(
        "importScripts({});wasm_bindgen({});",
        literal(&format!("{}.js", kind.name())),
        literal(&format!("{}_bg.wasm", kind.name()))
    )));
    let options = BlobPropertyBag::new();
    options.set_type("text/javascript");
    let blob = Blob::new_with_str_sequence_and_options(&script, &options)
        .map_err(|_| Failure::Refused("to build the worker's loader"))?;
    let url = Url::create_object_url_with_blob(&blob)
        .map_err(|_| Failure::Refused("the worker's loader"))?;
    Worker::new(&url).map_err(|_| Failure::Refused("to start a worker"))
}

/// Fetches and starts the worker for `client`, and watches it.
fn start(client: &Rc<RefCell<Client>>) {
    let kind = client.borrow().kind;
    let worker = match spawn(kind) {
        Ok(worker) => worker,
        Err(why) => return fail(client, why),
    };
    let messages = {
        let client = client.clone();
        Closure::<dyn Fn(MessageEvent)>::new(move |e: MessageEvent| on_message(&client, e.data()))
    };
    let errors = {
        let client = client.clone();
        Closure::<dyn Fn(ErrorEvent)>::new(move |e: ErrorEvent| {
            let detail = e.message();
            let why = if detail.is_empty() {
                Failure::Unloaded(kind)
            } else {
                Failure::Stopped {
                    worker: kind,
                    detail,
                }
            };
            fail(&client, why);
        })
    };
    worker.set_onmessage(Some(messages.as_ref().unchecked_ref()));
    worker.set_onerror(Some(errors.as_ref().unchecked_ref()));
    // The worker lives as long as the page.
    messages.forget();
    errors.forget();
    let late = client.clone();
    let mut c = client.borrow_mut();
    c.worker = Some(worker);
    c._start = Some(Timeout::new(START_MS, move || {
        if !late.borrow().ready {
            fail(&late, Failure::Late(kind));
        }
    }));
}

/// The client of `kind`'s worker, created (and its start scheduled) on
/// first use.
fn client(kind: Kind) -> Rc<RefCell<Client>> {
    CLIENTS.with(|cell| {
        let mut clients = cell.borrow_mut();
        if let Some(client) = clients.iter().find(|c| c.borrow().kind == kind) {
            return client.clone();
        }
        let client = Rc::new(RefCell::new(Client {
            kind,
            worker: None,
            ready: false,
            queue: Vec::new(),
            next_id: 0,
            waiting: BTreeMap::new(),
            failed: None,
            _start: None,
        }));
        let later = client.clone();
        client.borrow_mut()._start = Some(Timeout::new(DEFER_MS, move || start(&later)));
        clients.push(client.clone());
        client
    })
}

/// Hands `work` to the worker (starting it if need be); `reply` gets the
/// result, or why there is none.
pub fn ask(work: Work, reply: impl FnOnce(Result<Done, Failure>) + 'static) {
    let client = client(work.worker());
    let mut c = client.borrow_mut();
    if let Some(why) = c.failed.clone() {
        drop(c);
        return reply(Err(why));
    }
    c.next_id += 1;
    let id = c.next_id;
    let m = work.message(id);
    let message = m.to_js();
    c.waiting.insert(id, (work, Box::new(reply)));
    match &c.worker {
        Some(worker) if c.ready => {
            let _ = worker.post_message(&message);
        }
        _ => c.queue.push(message),
    }
}

/// [`ask`], with `reply` getting the work's own result, which `pick` finds
/// in what came back.
pub fn ask_for<T: 'static>(
    work: Work,
    pick: fn(Done) -> Option<T>,
    reply: impl FnOnce(Result<T, Failure>) + 'static,
) {
    ask(work, move |done| {
        reply(done.and_then(|d| pick(d).ok_or(Failure::OtherQuestion)))
    });
}

/// The answer to `work` for a component, asked again whenever `key`
/// changes; an answer to an older key is dropped.
#[hook]
pub fn use_analysis<K, T>(key: K, work: fn(&K) -> Work, pick: fn(Done) -> Option<T>) -> Answer<T>
where
    K: PartialEq + Clone + 'static,
    T: Clone + 'static,
{
    let answer = use_state(|| Answer::Waiting);
    let generation = use_mut_ref(|| 0u64);
    {
        let answer = answer.clone();
        use_effect_with(key, move |key| {
            *generation.borrow_mut() += 1;
            let asked = *generation.borrow();
            answer.set(Answer::Waiting);
            ask(work(key), move |done| {
                if *generation.borrow() != asked {
                    return;
                }
                answer.set(match done.map(pick) {
                    Ok(Some(value)) => Answer::Ready(value),
                    Ok(None) => Answer::Failed(Failure::OtherQuestion),
                    Err(why) => Answer::Failed(why),
                });
            });
        });
    }
    (*answer).clone()
}
