//! PATCH bodies: JSON merge patch (RFC 7386), JSON patch (RFC 6902), and the merge used for
//! server-side apply (maps merged, lists and scalars replaced; no field ownership).

use serde_json::Value;

pub(crate) fn merge_patch(target: &mut Value, patch: &Value) {
    let Value::Object(patch_map) = patch else {
        *target = patch.clone();
        return;
    };
    if !target.is_object() {
        *target = Value::Object(Default::default());
    }
    let map = target.as_object_mut().expect("made an object");
    for (k, v) in patch_map {
        if v.is_null() {
            map.remove(k);
        } else {
            merge_patch(map.entry(k.clone()).or_insert(Value::Null), v);
        }
    }
}

/// Server-side apply, simplified: the applied configuration wins field by field.
pub(crate) fn apply_merge(target: &mut Value, applied: &Value) {
    match (target, applied) {
        (Value::Object(t), Value::Object(a)) => {
            for (k, v) in a {
                match t.get_mut(k) {
                    Some(existing) => apply_merge(existing, v),
                    None => {
                        t.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        (t, a) => *t = a.clone(),
    }
}

fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

fn split_pointer(pointer: &str) -> Result<Vec<String>, String> {
    if pointer.is_empty() {
        return Ok(vec![]);
    }
    let rest = pointer
        .strip_prefix('/')
        .ok_or_else(|| format!("invalid JSON pointer {pointer:?}"))?;
    Ok(rest.split('/').map(unescape).collect())
}

fn parent_and_key<'a>(doc: &'a mut Value, pointer: &str) -> Result<(&'a mut Value, String), String> {
    let mut parts = split_pointer(pointer)?;
    let last = parts.pop().ok_or("cannot address the document root")?;
    let mut cur = doc;
    for p in parts {
        cur = match cur {
            Value::Object(m) => m
                .get_mut(&p)
                .ok_or_else(|| format!("path {pointer} does not exist"))?,
            Value::Array(a) => {
                let i: usize = p.parse().map_err(|_| format!("invalid index {p:?}"))?;
                a.get_mut(i).ok_or_else(|| format!("index {i} out of range"))?
            }
            _ => return Err(format!("path {pointer} does not exist")),
        };
    }
    Ok((cur, last))
}

fn add(doc: &mut Value, path: &str, value: Value) -> Result<(), String> {
    let (parent, key) = parent_and_key(doc, path)?;
    match parent {
        Value::Object(m) => {
            m.insert(key, value);
            Ok(())
        }
        Value::Array(a) => {
            if key == "-" {
                a.push(value);
                return Ok(());
            }
            let i: usize = key.parse().map_err(|_| format!("invalid index {key:?}"))?;
            if i > a.len() {
                return Err(format!("index {i} out of range"));
            }
            a.insert(i, value);
            Ok(())
        }
        _ => Err(format!("cannot add at {path}")),
    }
}

fn remove(doc: &mut Value, path: &str) -> Result<Value, String> {
    let (parent, key) = parent_and_key(doc, path)?;
    match parent {
        Value::Object(m) => m
            .remove(&key)
            .ok_or_else(|| format!("path {path} does not exist")),
        Value::Array(a) => {
            let i: usize = key.parse().map_err(|_| format!("invalid index {key:?}"))?;
            if i >= a.len() {
                return Err(format!("index {i} out of range"));
            }
            Ok(a.remove(i))
        }
        _ => Err(format!("path {path} does not exist")),
    }
}

fn get<'a>(doc: &'a Value, path: &str) -> Result<&'a Value, String> {
    doc.pointer(path)
        .ok_or_else(|| format!("path {path} does not exist"))
}

pub(crate) fn json_patch(doc: &mut Value, ops: &Value) -> Result<(), String> {
    let ops = ops
        .as_array()
        .ok_or("a JSON patch must be an array of operations")?;
    for op in ops {
        let path = op["path"].as_str().ok_or("operation without path")?;
        match op["op"].as_str() {
            Some("add") => add(doc, path, op.get("value").cloned().ok_or("add without value")?)?,
            Some("remove") => {
                remove(doc, path)?;
            }
            Some("replace") => {
                remove(doc, path)?;
                add(
                    doc,
                    path,
                    op.get("value").cloned().ok_or("replace without value")?,
                )?;
            }
            Some("move") => {
                let from = op["from"].as_str().ok_or("move without from")?;
                let v = remove(doc, from)?;
                add(doc, path, v)?;
            }
            Some("copy") => {
                let from = op["from"].as_str().ok_or("copy without from")?;
                let v = get(doc, from)?.clone();
                add(doc, path, v)?;
            }
            Some("test") => {
                if get(doc, path)? != &op["value"] {
                    return Err(format!("testing value {path} failed"));
                }
            }
            other => return Err(format!("unknown operation {other:?}")),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn merge_patch_removes_nulls_and_merges_maps() {
        let mut doc = json!({"a": {"b": 1, "c": 2}, "d": [1]});
        merge_patch(&mut doc, &json!({"a": {"b": null, "e": 3}, "d": [2]}));
        assert_eq!(doc, json!({"a": {"c": 2, "e": 3}, "d": [2]}));
    }

    #[test]
    fn json_patch_applies_in_order_and_tests() {
        let mut doc = json!({"metadata": {"finalizers": ["a", "b"]}});
        json_patch(
            &mut doc,
            &json!([
                {"op": "test", "path": "/metadata/finalizers/0", "value": "a"},
                {"op": "remove", "path": "/metadata/finalizers/0"},
                {"op": "add", "path": "/metadata/labels", "value": {"x": "y"}},
            ]),
        )
        .unwrap();
        assert_eq!(
            doc,
            json!({"metadata": {"finalizers": ["b"], "labels": {"x": "y"}}})
        );
        assert!(
            json_patch(
                &mut doc,
                &json!([{"op": "test", "path": "/metadata/labels/x", "value": "z"}])
            )
            .is_err()
        );
    }
}
