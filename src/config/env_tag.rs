//! MkDocs' `!ENV` tag (pyyaml_env_tag): `!ENV VAR` is the variable's value, or null when
//! it is not set; `!ENV [VAR1, VAR2, default]` is the first variable that is set, else the
//! last item. A value read from the environment is read as a YAML scalar, as MkDocs does
//! (`true` is a boolean, `8` a number, an empty value null).
//!
//! Only `mkdocs.yml` and the files it `INHERIT`s are read this way: they are values
//! MkDocs reads. Templates see only `DCRSITE_` variables, a separate rule.

use serde_yaml::Value;

/// `value` with every `!ENV` tag replaced by what it stands for, read by `lookup`.
pub(crate) fn resolve(value: Value, lookup: &dyn Fn(&str) -> Option<String>) -> Value {
    match value {
        Value::Tagged(t) if t.tag == "ENV" => env_value(&t.value, lookup),
        Value::Tagged(mut t) => {
            t.value = resolve(t.value, lookup);
            Value::Tagged(t)
        }
        Value::Sequence(items) => {
            Value::Sequence(items.into_iter().map(|i| resolve(i, lookup)).collect())
        }
        Value::Mapping(map) => Value::Mapping(
            map.into_iter()
                .map(|(k, v)| (k, resolve(v, lookup)))
                .collect(),
        ),
        other => other,
    }
}

/// The process environment, as `resolve` reads it.
pub(crate) fn from_process(name: &str) -> Option<String> {
    std::env::var(name).ok()
}

fn env_value(spec: &Value, lookup: &dyn Fn(&str) -> Option<String>) -> Value {
    let (names, default) = match spec {
        Value::Sequence(items) if items.len() > 1 => {
            (&items[..items.len() - 1], items[items.len() - 1].clone())
        }
        Value::Sequence(items) => (&items[..], Value::Null),
        single => (std::slice::from_ref(single), Value::Null),
    };
    names
        .iter()
        .filter_map(Value::as_str)
        .find_map(lookup)
        .map(|text| scalar(&text))
        .unwrap_or(default)
}

/// A variable's text read as a YAML scalar; as plain text when it is not one.
fn scalar(text: &str) -> Value {
    match serde_yaml::from_str::<Value>(text) {
        Ok(v @ (Value::Bool(_) | Value::Number(_) | Value::String(_))) => v,
        Ok(Value::Null) => Value::Null,
        _ => Value::String(text.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(yaml: &str) -> Value {
        let env = |name: &str| match name {
            "SET" => Some("https://example.org/".to_string()),
            "FLAG" => Some("true".to_string()),
            "EMPTY" => Some(String::new()),
            _ => None,
        };
        resolve(serde_yaml::from_str(yaml).unwrap(), &env)
    }

    #[test]
    fn variables_their_defaults_and_unset_ones() {
        let v = read("a: !ENV SET\nb: !ENV UNSET\nc: !ENV [UNSET, SET, 'x']\nd: !ENV [UNSET, fallback]\ne: !ENV [FLAG, false]\nf:\n  - !ENV [UNSET, 3]\ng: !ENV [EMPTY, z]\n");
        assert_eq!(v["a"], Value::from("https://example.org/"));
        assert_eq!(v["b"], Value::Null);
        assert_eq!(v["c"], Value::from("https://example.org/"));
        assert_eq!(v["d"], Value::from("fallback"));
        assert_eq!(v["e"], Value::Bool(true));
        assert_eq!(v["f"][0], Value::from(3));
        assert_eq!(v["g"], Value::Null, "set but empty: null, as YAML reads ``");
    }

    #[test]
    fn other_tags_are_kept() {
        let v = read("t: !Other [1, !ENV [UNSET, 2]]\n");
        let Value::Tagged(t) = &v["t"] else {
            panic!("{v:?}")
        };
        assert_eq!(
            t.value[1],
            Value::from(2),
            "!ENV inside another tag is read"
        );
    }
}
