//! Reading the engine's JSON formats (scenarios, configurations,
//! workloads, actions, distributions) from a parsed `serde_json::Value`.
//!
//! serde's derived `Deserialize` writes a visitor per type and, for the
//! internally tagged ones (`{"do": "write", …}`, `{"kind": "uniform", …}`),
//! a private buffer of every field besides, a large share of the page's
//! wasm (README, "Size"). The page parses every scenario into a
//! `Value` anyway (links are checked before they are read), so taking each
//! field straight from it costs a small fraction. The types still derive
//! `Serialize`, and the tests round-trip every type through both, so the
//! two directions keep one format. Errors read as serde's would, with the
//! field's name in front.

use serde::de::{Error as _, Unexpected};
use serde_json::{Error, Map, Value};

/// A type read from a JSON value.
pub trait ReadJson: Sized {
    fn read_json(value: Value) -> Result<Self, Error>;
}

/// Parses `text` and reads a `T` from it.
pub fn from_str<T: ReadJson>(text: &str) -> Result<T, Error> {
    T::read_json(serde_json::from_str(text)?)
}

fn unexpected(value: &Value) -> Unexpected<'_> {
    match value {
        Value::Null => Unexpected::Unit,
        Value::Bool(b) => Unexpected::Bool(*b),
        Value::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => Unexpected::Unsigned(u),
            (None, Some(i)) => Unexpected::Signed(i),
            _ => Unexpected::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        Value::String(s) => Unexpected::Str(s),
        Value::Array(_) => Unexpected::Seq,
        Value::Object(_) => Unexpected::Map,
    }
}

/// The error for a value of the wrong JSON type.
pub fn wrong(value: &Value, expected: &str) -> Error {
    Error::invalid_type(unexpected(value), &expected)
}

macro_rules! read_unsigned {
    ($($t:ty),*) => {$(
        impl ReadJson for $t {
            fn read_json(value: Value) -> Result<$t, Error> {
                match value.as_u64() {
                    Some(n) => <$t>::try_from(n).map_err(|_| {
                        Error::invalid_value(Unexpected::Unsigned(n), &stringify!($t))
                    }),
                    // A negative integer is the right type, the wrong value.
                    None if value.is_i64() => {
                        Err(Error::invalid_value(unexpected(&value), &stringify!($t)))
                    }
                    None => Err(wrong(&value, stringify!($t))),
                }
            }
        }
    )*};
}
read_unsigned!(u32, u64, usize);

/// A node as files name it: its number, from 1.
impl ReadJson for crate::node_id::NodeId {
    fn read_json(value: Value) -> Result<Self, Error> {
        let number = usize::read_json(value)?;
        Self::numbered(number).ok_or_else(|| Error::custom(crate::node_id::NUMBERED_FROM_1))
    }
}

impl ReadJson for f64 {
    fn read_json(value: Value) -> Result<f64, Error> {
        value.as_f64().ok_or_else(|| wrong(&value, "f64"))
    }
}

impl ReadJson for bool {
    fn read_json(value: Value) -> Result<bool, Error> {
        value.as_bool().ok_or_else(|| wrong(&value, "a boolean"))
    }
}

impl ReadJson for String {
    fn read_json(value: Value) -> Result<String, Error> {
        match value {
            Value::String(s) => Ok(s),
            other => Err(wrong(&other, "a string")),
        }
    }
}

impl<T: ReadJson> ReadJson for Option<T> {
    fn read_json(value: Value) -> Result<Option<T>, Error> {
        match value {
            Value::Null => Ok(None),
            other => T::read_json(other).map(Some),
        }
    }
}

impl<T: ReadJson> ReadJson for Vec<T> {
    fn read_json(value: Value) -> Result<Vec<T>, Error> {
        match value {
            Value::Array(items) => items.into_iter().map(T::read_json).collect(),
            other => Err(wrong(&other, "a sequence")),
        }
    }
}

impl<A: ReadJson, B: ReadJson> ReadJson for (A, B) {
    fn read_json(value: Value) -> Result<(A, B), Error> {
        match value {
            Value::Array(items) if items.len() == 2 => {
                let mut items = items.into_iter();
                let a = items.next().map(A::read_json).transpose()?;
                let b = items.next().map(B::read_json).transpose()?;
                Ok((a.expect("two items"), b.expect("two items")))
            }
            Value::Array(items) => Err(Error::invalid_length(items.len(), &"a pair")),
            other => Err(wrong(&other, "a pair")),
        }
    }
}

/// An enum of unit variants written as their names: one table serves its
/// `name`, its `parse` and its reading from JSON.
pub trait Named: Copy + 'static {
    /// Every variant, in the order of [`Named::NAMES`].
    const ALL: &'static [Self];
    const NAMES: &'static [&'static str];

    /// The variant called exactly `name`.
    fn find(name: &str) -> Option<Self> {
        let i = Self::NAMES.iter().position(|n| *n == name)?;
        Some(Self::ALL[i])
    }
}

impl<T: Named> ReadJson for T {
    fn read_json(value: Value) -> Result<T, Error> {
        match value {
            Value::String(name) => {
                T::find(&name).ok_or_else(|| Error::unknown_variant(&name, T::NAMES))
            }
            other => Err(wrong(&other, "a string")),
        }
    }
}

/// Reads a string naming one of `names`; returns its index.
pub fn variant(value: Value, names: &'static [&'static str]) -> Result<usize, Error> {
    match value {
        Value::String(name) => names
            .iter()
            .position(|n| *n == name)
            .ok_or_else(|| Error::unknown_variant(&name, names)),
        other => Err(wrong(&other, "a string")),
    }
}

/// The error for a tag that names no variant.
pub fn unknown(name: &str, variants: &'static [&'static str]) -> Error {
    Error::unknown_variant(name, variants)
}

/// An object's fields, taken out one by one.
pub struct Fields {
    map: Map<String, Value>,
    /// Every field name the object may have, for the unknown-field message.
    known: &'static [&'static str],
}

impl Fields {
    /// An object with these fields and no others.
    pub fn of(value: Value, known: &'static [&'static str]) -> Result<Fields, Error> {
        match value {
            Value::Object(map) => Ok(Fields { map, known }),
            other => Err(wrong(&other, "a map")),
        }
    }

    /// Reads an object and takes its `tag` field, which must be a string.
    pub fn tagged(value: Value, tag: &'static str) -> Result<(String, Fields), Error> {
        let mut f = Fields::of(value, &[])?;
        match f.map.remove(tag) {
            Some(Value::String(name)) => Ok((name, f)),
            Some(_) => Err(Error::custom(format!("`{tag}` must be a string"))),
            None => Err(Error::missing_field(tag)),
        }
    }

    /// The variant being read has these fields and no others.
    pub fn expect(mut self, known: &'static [&'static str]) -> Fields {
        self.known = known;
        self
    }

    /// A field that must be there.
    pub fn req<T: ReadJson>(&mut self, name: &'static str) -> Result<T, Error> {
        self.opt(name)?.ok_or_else(|| Error::missing_field(name))
    }

    /// A field that may be left out (or null).
    pub fn opt<T: ReadJson>(&mut self, name: &'static str) -> Result<Option<T>, Error> {
        match self.map.remove(name) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => T::read_json(v)
                .map(Some)
                .map_err(|e| Error::custom(format!("{name}: {e}"))),
        }
    }

    /// A field that takes `default` when left out.
    pub fn or<T: ReadJson>(&mut self, name: &'static str, default: T) -> Result<T, Error> {
        Ok(self.opt(name)?.unwrap_or(default))
    }

    /// The remaining fields, as one object of another type.
    pub fn rest<T: ReadJson>(self) -> Result<T, Error> {
        T::read_json(Value::Object(self.map))
    }

    /// The one field of an enum written as `{"variant": value}`.
    pub fn single(self) -> Result<(String, Value), Error> {
        let len = self.map.len();
        let mut fields = self.map.into_iter();
        match (fields.next(), fields.next()) {
            (Some(field), None) => Ok(field),
            _ => Err(Error::invalid_length(len, &"one field, the variant's name")),
        }
    }

    /// Fails on a field the object does not have.
    pub fn end<T>(self, value: T) -> Result<T, Error> {
        match self.map.keys().next() {
            Some(stranger) => Err(Error::unknown_field(stranger, self.known)),
            None => Ok(value),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ReadJson;
    use crate::config::{Jitter, ReadRepair};
    use crate::dist::Dist;
    use crate::kv::Level;
    use crate::msg::NodeId;
    use crate::scenario::{Action, Settings};
    use crate::workload::Workload;

    fn every_action() -> Vec<Action> {
        vec![
            Action::Read {
                client: 1,
                node: NodeId::numbered(2).unwrap(),
                key: "k".into(),
                level: Level::Strong,
            },
            Action::Write {
                client: 1,
                node: NodeId::numbered(1).unwrap(),
                key: "k".into(),
                value: "v".into(),
            },
            Action::Delete {
                client: 2,
                node: NodeId::numbered(3).unwrap(),
                key: "k".into(),
            },
            Action::Crash {
                node: NodeId::numbered(1).unwrap(),
            },
            Action::Restart {
                node: NodeId::numbered(1).unwrap(),
            },
            Action::Partition {
                groups: vec![
                    vec![NodeId::numbered(1).unwrap()],
                    vec![NodeId::numbered(2).unwrap(), NodeId::numbered(3).unwrap()],
                ],
            },
            Action::Cut {
                from: vec![NodeId::numbered(1).unwrap()],
                to: vec![NodeId::numbered(2).unwrap()],
            },
            Action::Heal,
            Action::Set(Settings {
                w: Some(2),
                jitter: Some(Jitter::Writes(Dist::Mixture {
                    parts: vec![
                        (0.9, Dist::Constant { ms: 1.0 }),
                        (
                            0.1,
                            Dist::Pareto {
                                xm: 2.0,
                                alpha: 1.5,
                            },
                        ),
                    ],
                })),
                read_repair: Some(ReadRepair::Blocking),
                ..Settings::default()
            }),
            Action::StartWorkload(Workload::default()),
            Action::StopWorkload,
        ]
    }

    #[test]
    fn every_variant_reads_back_what_serialize_wrote() {
        let dists = [
            Dist::Constant { ms: 3.0 },
            Dist::Uniform { lo: 1.0, hi: 2.0 },
            Dist::Exponential { rate: 0.5 },
            Dist::Pareto {
                xm: 1.0,
                alpha: 2.0,
            },
            Dist::Lognormal {
                mu: 0.1,
                sigma: 0.2,
            },
        ];
        for d in dists {
            let text = serde_json::to_string(&d).unwrap();
            assert_eq!(super::from_str::<Dist>(&text).unwrap(), d, "{text}");
        }
        let actions = every_action();
        assert_eq!(actions.len(), Action::NAMES.len(), "one of each");
        for a in actions {
            let text = serde_json::to_string(&a).unwrap();
            assert_eq!(super::from_str::<Action>(&text).unwrap(), a, "{text}");
            // Through a Value too, as the page reads them.
            let value = serde_json::to_value(&a).unwrap();
            assert_eq!(Action::read_json(value).unwrap(), a);
        }
    }

    #[test]
    fn a_read_without_a_level_is_eventual() {
        let a: Action = super::from_str(r#"{"do":"read","client":1,"node":1,"key":"k"}"#).unwrap();
        assert!(matches!(
            a,
            Action::Read {
                level: Level::Eventual,
                ..
            }
        ));
    }

    #[test]
    fn mistakes_are_named() {
        let err = |text: &str| super::from_str::<Action>(text).unwrap_err().to_string();
        assert!(err(r#"{"do":"explode"}"#)
            .starts_with("unknown variant `explode`, expected one of `read`"));
        assert!(err(r#"{"node":1}"#).starts_with("missing field `do`"));
        assert!(err(r#"{"do":7}"#).starts_with("`do` must be a string"));
        assert!(err(r#"{"do":"crash"}"#).starts_with("missing field `node`"));
        assert!(err(r#"{"do":"crash","node":1,"nod":2}"#)
            .starts_with("unknown field `nod`, expected `node`"));
        assert!(err(r#"{"do":"heal","node":1}"#)
            .starts_with("unknown field `node`, there are no fields"));
        assert!(err(r#"{"do":"read","client":1,"node":"two","key":"k"}"#)
            .starts_with("node: invalid type: string \"two\""));
        assert!(err(r#"{"do":"set","x":1}"#).starts_with("unknown field `x`"));
        assert!(err(r#"[1]"#).starts_with("invalid type: sequence, expected a map"));
        let dist = super::from_str::<Dist>(r#"{"kind":"uniform","lo":1}"#).unwrap_err();
        assert!(dist.to_string().starts_with("missing field `hi`"), "{dist}");
    }

    #[test]
    fn every_struct_reads_back_what_serialize_wrote() {
        use crate::config::{Config, Preset};
        use crate::scenario::Scenario;
        use crate::workload::Target;
        let jitters = [
            Jitter::Dist(Dist::Exponential { rate: 2.0 }),
            Jitter::Preset(Preset::LnkdDisk),
            Jitter::Writes(Dist::Uniform { lo: 0.0, hi: 9.0 }),
        ];
        for (i, jitter) in jitters.into_iter().enumerate() {
            let config = Config {
                n: 5,
                w: 3,
                r: 2,
                latency_ms: 12.5,
                jitter,
                drop: 0.1,
                heartbeat_ms: 50,
                election_timeout_min_ms: 200,
                election_timeout_max_ms: 400,
                write_timeout_ms: 900,
                read_timeout_ms: 800,
                read_repair: ReadRepair::Async,
                log_limit: 77,
                trace_window: 99,
                history_window: 111,
            };
            let workload = Workload {
                clients: 7,
                ops_per_sec: 3.5,
                ops: 40,
                read_fraction: 0.25,
                delete_fraction: 0.5,
                keys: 9,
                key_skew: 1.0,
                levels: vec![(Level::Causal, 1.0), (Level::Linearizable, 2.0)],
                target: [
                    Target::Node(NodeId::numbered(2).unwrap()),
                    Target::Random,
                    Target::Spread,
                ][i],
                follow_leader: false,
            };
            let mut scenario = Scenario::new(config, 42 + i as u64);
            scenario.workload = Some(workload);
            scenario.actions = every_action().into_iter().map(|a| (1.5, a)).collect();
            scenario.until_ms = Some(9000.0);
            let value = serde_json::to_value(&scenario).unwrap();
            assert_eq!(
                Scenario::read_json(value.clone()).unwrap(),
                scenario,
                "{value}"
            );
        }
    }

    #[test]
    fn struct_mistakes_are_named() {
        use crate::config::Config;
        use crate::workload::Target;
        let config = |text: &str| super::from_str::<Config>(text).unwrap_err().to_string();
        assert!(config(r#"{"wq":3}"#).starts_with("unknown field `wq`, expected one of `n`"));
        assert!(config(r#"{"n":-1}"#).starts_with("n: invalid value: integer `-1`, expected usize"));
        assert!(config(r#"{"n":2.5}"#).starts_with("n: invalid type: floating point `2.5`"));
        assert!(config(r#"{"read_repair":"sometimes"}"#)
            .starts_with("read_repair: unknown variant `sometimes`, expected one of `off`"));
        assert!(config(r#"{"jitter":{"dist":{"kind":"constant"}}}"#)
            .starts_with("jitter: dist: missing field `ms`"));
        assert!(config(r#"{"jitter":{}}"#).starts_with("jitter: invalid length 0"));
        assert!(config(r#"{"jitter":{"preset":"lan"}}"#)
            .starts_with("jitter: preset: unknown variant `lan`"));
        assert!(config("[]").starts_with("invalid type: sequence, expected a map"));
        let target = |text: &str| super::from_str::<Target>(text);
        assert_eq!(
            target(r#"{"node":3}"#).unwrap(),
            Target::Node(NodeId::numbered(3).unwrap())
        );
        assert_eq!(target(r#""random""#).unwrap(), Target::Random);
        assert!(target(r#""node""#)
            .unwrap_err()
            .to_string()
            .contains("node number"));
        assert!(target(r#"{"nodes":3}"#)
            .unwrap_err()
            .to_string()
            .contains("unknown variant"));
        let workload = super::from_str::<Workload>(r#"{"levels":[["eventual",1,2]]}"#);
        assert!(workload
            .unwrap_err()
            .to_string()
            .starts_with("levels: invalid length 3, expected a pair"));
        assert_eq!(
            super::from_str::<Workload>("{}").unwrap(),
            Workload::default()
        );
    }
}
