//! Reading internally tagged JSON objects (`{"do": "write", "key": …}`,
//! `{"kind": "uniform", "lo": …}`) field by field.
//!
//! serde's derive for an internally tagged enum first copies the whole
//! object into a private buffer of its own and decodes each variant from
//! that: on the page this was about 50 kB of wasm for [`Action`] and
//! [`Dist`] alone. Taking the object as a `serde_json` map, which the page
//! decodes anyway, and each field straight from it costs a small fraction.
//! The types still derive `Serialize`, and a test round-trips every variant
//! through both, so the two directions keep one format.
//!
//! [`Action`]: crate::scenario::Action
//! [`Dist`]: crate::dist::Dist

use serde::de::{DeserializeOwned, Error as _};
use serde::{Deserialize, Deserializer};
use serde_json::{Error, Map, Value};

/// An object's fields once its tag is taken out.
pub struct Fields {
    map: Map<String, Value>,
    /// Every field name the variant reads, for the unknown-field message.
    known: &'static [&'static str],
}

impl Fields {
    /// Reads an object and takes its `tag` field, which must be a string.
    pub fn read<'de, D: Deserializer<'de>>(
        d: D,
        tag: &'static str,
    ) -> Result<(String, Fields), D::Error> {
        let mut map = Map::deserialize(d)?;
        let name = match map.remove(tag) {
            Some(Value::String(name)) => name,
            Some(_) => return Err(D::Error::custom(format!("`{tag}` must be a string"))),
            None => return Err(D::Error::missing_field(tag)),
        };
        Ok((name, Fields { map, known: &[] }))
    }

    /// The variant being read has these fields and no others.
    pub fn expect(mut self, known: &'static [&'static str]) -> Fields {
        self.known = known;
        self
    }

    /// A field that must be there.
    pub fn req<T: DeserializeOwned>(&mut self, name: &'static str) -> Result<T, Error> {
        self.opt(name)?.ok_or_else(|| Error::missing_field(name))
    }

    /// A field that may be left out (or null).
    pub fn opt<T: DeserializeOwned>(&mut self, name: &'static str) -> Result<Option<T>, Error> {
        match self.map.remove(name) {
            None | Some(Value::Null) => Ok(None),
            Some(v) => T::deserialize(v)
                .map(Some)
                .map_err(|e| Error::custom(format!("{name}: {e}"))),
        }
    }

    /// The remaining fields as one struct (which rejects strangers itself).
    pub fn rest<T: DeserializeOwned>(self) -> Result<T, Error> {
        T::deserialize(Value::Object(self.map))
    }

    /// Fails on a field the variant does not have.
    pub fn end<T>(self, value: T) -> Result<T, Error> {
        match self.map.keys().next() {
            Some(stranger) => Err(Error::unknown_field(stranger, self.known)),
            None => Ok(value),
        }
    }
}

/// The error for a tag that names no variant.
pub fn unknown(name: &str, variants: &'static [&'static str]) -> Error {
    Error::unknown_variant(name, variants)
}

#[cfg(test)]
mod tests {
    use crate::config::{Jitter, ReadRepair};
    use crate::dist::Dist;
    use crate::kv::Level;
    use crate::scenario::{Action, Settings};
    use crate::workload::Workload;

    fn every_action() -> Vec<Action> {
        vec![
            Action::Read {
                client: 1,
                node: 2,
                key: "k".into(),
                level: Level::Strong,
            },
            Action::Write {
                client: 1,
                node: 1,
                key: "k".into(),
                value: "v".into(),
            },
            Action::Delete {
                client: 2,
                node: 3,
                key: "k".into(),
            },
            Action::Crash { node: 1 },
            Action::Restart { node: 1 },
            Action::Partition {
                groups: vec![vec![1], vec![2, 3]],
            },
            Action::Cut {
                from: vec![1],
                to: vec![2],
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
            assert_eq!(serde_json::from_str::<Dist>(&text).unwrap(), d, "{text}");
        }
        let actions = every_action();
        assert_eq!(actions.len(), Action::NAMES.len(), "one of each");
        for a in actions {
            let text = serde_json::to_string(&a).unwrap();
            assert_eq!(serde_json::from_str::<Action>(&text).unwrap(), a, "{text}");
            // Through a Value too, as the page reads them.
            let value = serde_json::to_value(&a).unwrap();
            assert_eq!(serde_json::from_value::<Action>(value).unwrap(), a);
        }
    }

    #[test]
    fn a_read_without_a_level_is_eventual() {
        let a: Action =
            serde_json::from_str(r#"{"do":"read","client":1,"node":1,"key":"k"}"#).unwrap();
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
        let err = |text: &str| {
            serde_json::from_str::<Action>(text)
                .unwrap_err()
                .to_string()
        };
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
        let dist = serde_json::from_str::<Dist>(r#"{"kind":"uniform","lo":1}"#).unwrap_err();
        assert!(dist.to_string().starts_with("missing field `hi`"), "{dist}");
    }
}
