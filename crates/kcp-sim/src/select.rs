//! Label and field selectors, with the syntax and the errors of the apiserver.

use serde_json::Value;

#[derive(Debug, Clone, PartialEq)]
enum Req {
    Eq(String, String),
    NotEq(String, String),
    In(String, Vec<String>),
    NotIn(String, Vec<String>),
    Exists(String),
    NotExists(String),
}

/// A parsed `labelSelector`; empty matches everything.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct LabelSelector(Vec<Req>);

/// Split on commas that are not inside parentheses.
fn split_top(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut depth = 0;
    let mut cur = String::new();
    for c in s.chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                out.push(std::mem::take(&mut cur));
                continue;
            }
            _ => {}
        }
        cur.push(c);
    }
    out.push(cur);
    out
}

fn set_values(s: &str) -> Result<Vec<String>, String> {
    let inner = s
        .trim()
        .strip_prefix('(')
        .and_then(|r| r.strip_suffix(')'))
        .ok_or_else(|| {
            format!("unable to parse requirement: expected a set of values in parentheses, got {s:?}")
        })?;
    Ok(inner
        .split(',')
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
        .collect())
}

fn regex(cell: &'static std::sync::OnceLock<regex::Regex>, re: &str) -> &'static regex::Regex {
    cell.get_or_init(|| regex::Regex::new(re).expect("literal regex"))
}

/// Why a label (or annotation) key is not a qualified name, as apimachinery says it.
pub(crate) fn label_key_error(key: &str) -> Option<String> {
    static NAME: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    static PREFIX: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    let (prefix, name) = match key.rsplit_once('/') {
        Some((p, n)) => (Some(p), n),
        None => (None, key),
    };
    if let Some(p) = prefix {
        let re = regex(
            &PREFIX,
            r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$",
        );
        if p.is_empty() || p.len() > 253 || !re.is_match(p) {
            return Some("prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character".into());
        }
    }
    if name.is_empty() || name.len() > 63 {
        return Some("name part must be non-empty and no more than 63 characters".into());
    }
    if !regex(&NAME, r"^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$").is_match(name) {
        return Some("name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')".into());
    }
    None
}

/// Why a label value is not valid, as apimachinery says it.
pub(crate) fn label_value_error(value: &str) -> Option<String> {
    static VALUE: std::sync::OnceLock<regex::Regex> = std::sync::OnceLock::new();
    if value.len() > 63 {
        return Some("must be no more than 63 characters".into());
    }
    if !regex(&VALUE, r"^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$").is_match(value) {
        return Some("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')".into());
    }
    None
}

impl LabelSelector {
    pub(crate) fn parse(s: &str) -> Result<LabelSelector, String> {
        let mut reqs = Vec::new();
        for part in split_top(s).iter().map(|p| p.trim()).filter(|p| !p.is_empty()) {
            let req = if let Some(key) = part.strip_prefix('!') {
                Req::NotExists(key.trim().to_string())
            } else if let Some((k, v)) = part.split_once("!=") {
                Req::NotEq(k.trim().into(), v.trim().into())
            } else if let Some((k, v)) = part.split_once("==") {
                Req::Eq(k.trim().into(), v.trim().into())
            } else if let Some((k, v)) = part.split_once('=') {
                Req::Eq(k.trim().into(), v.trim().into())
            } else if let Some((k, v)) = part.split_once(" notin ") {
                Req::NotIn(k.trim().into(), set_values(v)?)
            } else if let Some((k, v)) = part.split_once(" in ") {
                Req::In(k.trim().into(), set_values(v)?)
            } else if part.contains(' ') || part.contains('(') {
                return Err(format!("unable to parse requirement: {part:?}"));
            } else {
                Req::Exists(part.to_string())
            };
            let key = match &req {
                Req::Eq(k, _)
                | Req::NotEq(k, _)
                | Req::In(k, _)
                | Req::NotIn(k, _)
                | Req::Exists(k)
                | Req::NotExists(k) => k,
            };
            if key.is_empty() {
                return Err(format!("unable to parse requirement: {part:?}: key is empty"));
            }
            if let Some(e) = label_key_error(key) {
                return Err(format!(
                    "unable to parse requirement: key: Invalid value: {key:?}: {e}"
                ));
            }
            let values: &[String] = match &req {
                Req::Eq(_, v) | Req::NotEq(_, v) => std::slice::from_ref(v),
                Req::In(_, vs) | Req::NotIn(_, vs) => vs,
                Req::Exists(_) | Req::NotExists(_) => &[],
            };
            for (i, v) in values.iter().enumerate() {
                if let Some(e) = label_value_error(v) {
                    return Err(format!(
                        "unable to parse requirement: values[{i}][{key}]: Invalid value: {v:?}: {e}"
                    ));
                }
            }
            reqs.push(req);
        }
        Ok(LabelSelector(reqs))
    }

    /// A `metav1.LabelSelector` object (`matchLabels`, `matchExpressions`), as apimachinery's
    /// `LabelSelectorAsSelector` reads it: `None` for a missing selector (it selects nothing),
    /// everything for an empty one, and its error for an invalid one.
    pub(crate) fn from_object(v: &Value) -> Result<Option<LabelSelector>, String> {
        if v.is_null() {
            return Ok(None);
        }
        let mut reqs = Vec::new();
        let check = |key: &str, values: &[String]| -> Result<(), String> {
            if let Some(e) = label_key_error(key) {
                return Err(format!("key: Invalid value: {key:?}: {e}"));
            }
            for v in values {
                if let Some(e) = label_value_error(v) {
                    return Err(format!("values[0][{key}]: Invalid value: {v:?}: {e}"));
                }
            }
            Ok(())
        };
        for (k, val) in v["matchLabels"].as_object().into_iter().flatten() {
            let val = val.as_str().unwrap_or_default().to_string();
            check(k, std::slice::from_ref(&val))?;
            reqs.push(Req::Eq(k.clone(), val));
        }
        for e in v["matchExpressions"].as_array().into_iter().flatten() {
            let key = e["key"].as_str().unwrap_or_default().to_string();
            let values: Vec<String> = e["values"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|x| x.as_str().map(String::from))
                .collect();
            let op = e["operator"].as_str().unwrap_or_default();
            let req = match op {
                "In" | "NotIn" if values.is_empty() => {
                    return Err(
                        "values: Invalid value: []string{}: for 'in', 'notin' operators, values set can't be empty"
                            .into(),
                    );
                }
                "Exists" | "DoesNotExist" if !values.is_empty() => {
                    return Err(format!(
                        "values: Invalid value: {values:?}: values set must be empty for exists and does not exist"
                    ));
                }
                "In" => Req::In(key.clone(), values.clone()),
                "NotIn" => Req::NotIn(key.clone(), values.clone()),
                "Exists" => Req::Exists(key.clone()),
                "DoesNotExist" => Req::NotExists(key.clone()),
                other => return Err(format!("{other:?} is not a valid label selector operator")),
            };
            check(&key, &values)?;
            reqs.push(req);
        }
        Ok(Some(LabelSelector(reqs)))
    }

    pub(crate) fn eq(key: &str, value: &str) -> LabelSelector {
        LabelSelector(vec![Req::Eq(key.into(), value.into())])
    }

    pub(crate) fn and(mut self, other: LabelSelector) -> LabelSelector {
        self.0.extend(other.0);
        self
    }

    pub(crate) fn matches(&self, object: &Value) -> bool {
        let labels = &object["metadata"]["labels"];
        let get = |k: &str| labels.get(k).and_then(|v| v.as_str());
        self.0.iter().all(|r| match r {
            Req::Eq(k, v) => get(k) == Some(v.as_str()),
            Req::NotEq(k, v) => get(k) != Some(v.as_str()),
            Req::In(k, vs) => get(k).is_some_and(|x| vs.iter().any(|v| v == x)),
            Req::NotIn(k, vs) => get(k).is_none_or(|x| !vs.iter().any(|v| v == x)),
            Req::Exists(k) => get(k).is_some(),
            Req::NotExists(k) => get(k).is_none(),
        })
    }
}

/// A parsed `fieldSelector`: only the fields every resource supports.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct FieldSelector(Vec<(String, bool, String)>);

impl FieldSelector {
    pub(crate) fn parse(s: &str) -> Result<FieldSelector, String> {
        let mut reqs = Vec::new();
        for part in s.split(',').map(|p| p.trim()).filter(|p| !p.is_empty()) {
            let (field, negate, value) = if let Some((f, v)) = part.split_once("!=") {
                (f, true, v)
            } else if let Some((f, v)) = part.split_once("==") {
                (f, false, v)
            } else if let Some((f, v)) = part.split_once('=') {
                (f, false, v)
            } else {
                return Err(format!("invalid selector: '{part}'; can't understand '{part}'"));
            };
            let field = field.trim();
            if !matches!(field, "metadata.name" | "metadata.namespace") {
                return Err(format!("field label not supported: {field}"));
            }
            reqs.push((field.to_string(), negate, value.trim().to_string()));
        }
        Ok(FieldSelector(reqs))
    }

    pub(crate) fn matches(&self, object: &Value) -> bool {
        self.0.iter().all(|(field, negate, want)| {
            let got = match field.as_str() {
                "metadata.name" => object["metadata"]["name"].as_str().unwrap_or(""),
                _ => object["metadata"]["namespace"].as_str().unwrap_or(""),
            };
            (got == want) != *negate
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn label_selector_forms() {
        let obj = json!({"metadata": {"labels": {"app": "x", "tier": "db"}}});
        for (sel, want) in [
            ("", true),
            ("app=x", true),
            ("app==x,tier=db", true),
            ("app!=x", false),
            ("tier in (db, web)", true),
            ("tier notin (db)", false),
            ("app", true),
            ("!app", false),
            ("missing", false),
        ] {
            assert_eq!(LabelSelector::parse(sel).unwrap().matches(&obj), want, "{sel}");
        }
        assert!(LabelSelector::parse("a b").is_err());
        assert!(LabelSelector::parse("tier === x").is_err());
        assert!(LabelSelector::parse("tier in (a b)").is_err());
        assert!(LabelSelector::parse("-bad=x").is_err());
        assert!(LabelSelector::parse("example.com/tier=x,a.b/c in (d, e_f)").is_ok());
        let obj = json!({"metadata": {"labels": {"region": "east", "name": "root"}}});
        let sel = |v: Value| LabelSelector::from_object(&v);
        assert_eq!(sel(Value::Null), Ok(None), "no selector selects nothing");
        assert!(
            sel(json!({})).unwrap().unwrap().matches(&obj),
            "an empty one, everything"
        );
        assert!(
            sel(json!({"matchLabels": {"region": "east"}}))
                .unwrap()
                .unwrap()
                .matches(&obj)
        );
        let west = json!({"matchExpressions": [{"key": "region", "operator": "In", "values": ["west"]}]});
        assert!(!sel(west).unwrap().unwrap().matches(&obj));
        let bad_op = json!({"matchExpressions": [{"key": "region", "operator": "Near"}]});
        assert_eq!(
            sel(bad_op).unwrap_err(),
            "\"Near\" is not a valid label selector operator"
        );
        assert!(sel(json!({"matchExpressions": [{"key": "region", "operator": "In"}]})).is_err());
        assert!(sel(json!({"matchLabels": {"-bad": "x"}})).is_err());
    }

    #[test]
    fn field_selector_supports_name_only() {
        let obj = json!({"metadata": {"name": "espw"}});
        assert!(FieldSelector::parse("metadata.name=espw").unwrap().matches(&obj));
        assert!(!FieldSelector::parse("metadata.name!=espw").unwrap().matches(&obj));
        assert!(FieldSelector::parse("spec.x=y").is_err());
    }
}
