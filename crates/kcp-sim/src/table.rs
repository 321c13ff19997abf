//! Server-side printing: the `Table` kubectl asks for, with printer columns evaluated by a
//! small JSONPath and ages formatted as the apiserver formats them.

use crate::model::ResourceDef;
use serde_json::{Value, json};

/// Evaluate a printer-column JSONPath: `.a.b`, `.a['x\.y']`, `.list[?(@.type=="Ready")].status`.
pub(crate) fn jsonpath(object: &Value, path: &str) -> Vec<Value> {
    let mut current = vec![object.clone()];
    let mut rest = path.trim().trim_start_matches('{').trim_end_matches('}').trim();
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix("..") {
            rest = r; // recursive descent is not used by these columns
            continue;
        }
        if let Some(r) = rest.strip_prefix('.') {
            let end = r.find(['.', '[']).unwrap_or(r.len());
            let key = &r[..end];
            current = current.iter().filter_map(|v| v.get(key).cloned()).collect();
            rest = &r[end..];
        } else if let Some(r) = rest.strip_prefix("[?(") {
            let Some(end) = r.find(")]") else { return vec![] };
            let cond = &r[..end];
            rest = &r[end + 2..];
            let Some((lhs, rhs)) = cond.split_once("==") else {
                return vec![];
            };
            let field = lhs.trim().trim_start_matches("@.");
            let want = rhs.trim().trim_matches('"').trim_matches('\'');
            current = current
                .iter()
                .flat_map(|v| v.as_array().cloned().unwrap_or_default())
                .filter(|item| item.get(field).and_then(|f| f.as_str()) == Some(want))
                .collect();
        } else if let Some(r) = rest.strip_prefix('[') {
            let Some(end) = r.find(']') else { return vec![] };
            let inner = r[..end].trim();
            rest = &r[end + 1..];
            if inner == "*" {
                current = current
                    .iter()
                    .flat_map(|v| v.as_array().cloned().unwrap_or_default())
                    .collect();
            } else if let Ok(i) = inner.parse::<usize>() {
                current = current.iter().filter_map(|v| v.get(i).cloned()).collect();
            } else {
                let key = inner.trim_matches('\'').trim_matches('"').replace("\\.", ".");
                current = current.iter().filter_map(|v| v.get(&key).cloned()).collect();
            }
        } else {
            return vec![];
        }
    }
    current
}

/// The apiserver's `duration.HumanDuration`.
pub(crate) fn human_duration(seconds: i64) -> String {
    if seconds < -1 {
        return "<invalid>".into();
    }
    if seconds < 0 {
        return "0s".into();
    }
    if seconds < 120 {
        return format!("{seconds}s");
    }
    let minutes = seconds / 60;
    if minutes < 10 {
        let s = seconds % 60;
        return if s == 0 {
            format!("{minutes}m")
        } else {
            format!("{minutes}m{s}s")
        };
    }
    if minutes < 180 {
        return format!("{minutes}m");
    }
    let hours = seconds / 3600;
    if hours < 8 {
        let m = minutes % 60;
        return if m == 0 {
            format!("{hours}h")
        } else {
            format!("{hours}h{m}m")
        };
    }
    if hours < 48 {
        return format!("{hours}h");
    }
    if hours < 24 * 8 {
        let h = hours % 24;
        return if h == 0 {
            format!("{}d", hours / 24)
        } else {
            format!("{}d{h}h", hours / 24)
        };
    }
    if hours < 24 * 365 * 2 {
        return format!("{}d", hours / 24);
    }
    if hours < 24 * 365 * 8 {
        let d = (hours / 24) % 365;
        return if d == 0 {
            format!("{}y", hours / 24 / 365)
        } else {
            format!("{}y{d}d", hours / 24 / 365)
        };
    }
    format!("{}y", hours / 24 / 365)
}

fn age(timestamp: &str) -> Value {
    match timestamp.parse::<jiff::Timestamp>() {
        Ok(t) => Value::String(human_duration(jiff::Timestamp::now().as_second() - t.as_second())),
        Err(_) => Value::String("<unknown>".into()),
    }
}

fn cell(values: Vec<Value>, type_: &str) -> Value {
    if values.is_empty() {
        return Value::Null;
    }
    if type_ == "date" {
        return values[0].as_str().map(age).unwrap_or(Value::Null);
    }
    let parts: Vec<String> = values
        .iter()
        .map(|v| match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        })
        .collect();
    Value::String(parts.join(","))
}

fn row(def: &ResourceDef, object: &Value) -> Value {
    let mut cells = vec![object["metadata"]["name"].clone()];
    for col in def.table_columns() {
        cells.push(cell(jsonpath(object, &col.json_path), &col.type_));
    }
    json!({
        "cells": cells,
        "object": {"kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1", "metadata": object["metadata"]},
    })
}

pub(crate) fn table<'a>(def: &ResourceDef, objects: impl Iterator<Item = &'a Value>, meta: Value) -> Value {
    let mut columns = vec![
        json!({"name": "Name", "type": "string", "format": "name", "description": "Name must be unique within a namespace.", "priority": 0}),
    ];
    for col in def.table_columns() {
        let (type_, format) = if col.type_ == "date" {
            ("string", "")
        } else {
            (col.type_.as_str(), "")
        };
        columns.push(json!({"name": col.name, "type": type_, "format": format, "description": col.description, "priority": col.priority}));
    }
    let rows: Vec<Value> = objects.map(|o| row(def, o)).collect();
    json!({"kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": meta, "columnDefinitions": columns, "rows": rows})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jsonpath_forms_used_by_printer_columns() {
        let obj = json!({
            "metadata": {"labels": {"tenancy.kcp.io/phase": "Ready"}},
            "spec": {"type": {"name": "universal"}},
            "status": {"conditions": [{"type": "Ready", "status": "True"}, {"type": "Other", "status": "False"}]},
        });
        assert_eq!(jsonpath(&obj, ".spec.type.name"), vec![json!("universal")]);
        assert_eq!(
            jsonpath(&obj, ".metadata.labels['tenancy\\.kcp\\.io/phase']"),
            vec![json!("Ready")]
        );
        assert_eq!(
            jsonpath(&obj, ".status.conditions[?(@.type==\"Ready\")].status"),
            vec![json!("True")]
        );
        assert!(jsonpath(&obj, ".spec.missing").is_empty());
    }

    #[test]
    fn human_durations_match_the_apiserver() {
        for (secs, want) in [
            (5, "5s"),
            (119, "119s"),
            (125, "2m5s"),
            (600, "10m"),
            (3 * 3600 + 60, "3h1m"),
            (9 * 3600, "9h"),
            (50 * 3600, "2d2h"),
            (400 * 86400, "400d"),
        ] {
            assert_eq!(human_duration(secs), want);
        }
    }
}
