//! JSON bodies that keep the course's field order when pretty-printed
//! (`serde_json`'s own map sorts keys, and turning on its `preserve_order`
//! would change every other crate's output in the workspace).

use serde_json::Value;

#[derive(Clone, Debug, PartialEq)]
pub enum Json {
    Value(Value),
    Object(Vec<(&'static str, Json)>),
}

impl Json {
    /// Two-space indentation, like `JSON.stringify(v, null, 2)`.
    pub fn pretty(&self) -> String {
        let mut out = String::new();
        self.write(&mut out, 0);
        out
    }

    fn write(&self, out: &mut String, indent: usize) {
        match self {
            Json::Value(v) => {
                let text = serde_json::to_string_pretty(v).unwrap_or_default();
                out.push_str(&text.replace('\n', &format!("\n{:indent$}", "")));
            }
            Json::Object(fields) if fields.is_empty() => out.push_str("{}"),
            Json::Object(fields) => {
                out.push_str("{\n");
                for (i, (name, value)) in fields.iter().enumerate() {
                    out.push_str(&format!("{:1$}\"{name}\": ", "", indent + 2));
                    value.write(out, indent + 2);
                    out.push_str(if i + 1 < fields.len() { ",\n" } else { "\n" });
                }
                out.push_str(&format!("{:indent$}}}", ""));
            }
        }
    }

    pub fn of(v: impl Into<Value>) -> Json {
        Json::Value(v.into())
    }

    /// A field of an object.
    pub fn get(&self, name: &str) -> Option<&Json> {
        match self {
            Json::Object(fields) => fields.iter().find(|(n, _)| *n == name).map(|(_, v)| v),
            Json::Value(_) => None,
        }
    }

    /// The same data as a `serde_json` value (field order lost).
    pub fn to_value(&self) -> Value {
        match self {
            Json::Value(v) => v.clone(),
            Json::Object(fields) => Value::Object(
                fields
                    .iter()
                    .map(|(n, v)| (n.to_string(), v.to_value()))
                    .collect(),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pretty_keeps_field_order_and_indents_nested_values() {
        let body = Json::Object(vec![
            ("key", Json::of("name")),
            (
                "value",
                Json::Value(serde_json::json!({"b": [1, 2], "a": null})),
            ),
            ("config", Json::Object(vec![("writeQuorum", Json::of(2))])),
            ("keys", Json::Value(Value::Array(vec![]))),
        ]);
        let expected = "{\n  \"key\": \"name\",\n  \"value\": {\n    \"a\": null,\n    \"b\": [\n      1,\n      2\n    ]\n  },\n  \"config\": {\n    \"writeQuorum\": 2\n  },\n  \"keys\": []\n}";
        assert_eq!(body.pretty(), expected);
        let parsed: Value = serde_json::from_str(&body.pretty()).unwrap();
        assert_eq!(parsed, body.to_value());
        assert_eq!(body.get("key"), Some(&Json::of("name")));
    }
}
