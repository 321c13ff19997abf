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
    }

    #[test]
    fn field_selector_supports_name_only() {
        let obj = json!({"metadata": {"name": "espw"}});
        assert!(FieldSelector::parse("metadata.name=espw").unwrap().matches(&obj));
        assert!(!FieldSelector::parse("metadata.name!=espw").unwrap().matches(&obj));
        assert!(FieldSelector::parse("spec.x=y").is_err());
    }
}
