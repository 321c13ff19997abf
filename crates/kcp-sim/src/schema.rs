//! Structural-schema handling as the apiserver does it for CRDs: defaulting, pruning of unknown
//! fields (an error under `fieldValidation=Strict`), validation, and the CEL rules kcp's CRDs
//! use (a small subset of CEL: enough for their immutability and consistency rules).

use serde_json::Value;

pub(crate) type FieldErrors = Vec<(String, String)>;

fn child(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// Fill in `default`s for absent properties, recursively.
pub(crate) fn apply_defaults(value: &mut Value, schema: &Value) {
    match value {
        Value::Object(map) => {
            if let Some(props) = schema["properties"].as_object() {
                for (key, sub) in props {
                    if !map.contains_key(key)
                        && let Some(d) = sub.get("default")
                    {
                        map.insert(key.clone(), d.clone());
                    }
                    if let Some(v) = map.get_mut(key) {
                        apply_defaults(v, sub);
                    }
                }
            }
            if let Some(extra) = schema.get("additionalProperties").filter(|s| s.is_object()) {
                for v in map.values_mut() {
                    apply_defaults(v, extra);
                }
            }
        }
        Value::Array(items) => {
            if let Some(item_schema) = schema.get("items") {
                for v in items {
                    apply_defaults(v, item_schema);
                }
            }
        }
        _ => {}
    }
}

/// Remove fields the schema does not know; their paths go to `unknown`.
pub(crate) fn prune(value: &mut Value, schema: &Value, path: &str, unknown: &mut Vec<String>) {
    if schema["x-kubernetes-preserve-unknown-fields"] == Value::Bool(true)
        && schema.get("properties").is_none()
        && schema.get("items").is_none()
    {
        return;
    }
    match value {
        Value::Object(map) => {
            let props = schema["properties"].as_object();
            let extra = schema.get("additionalProperties");
            let preserve = schema["x-kubernetes-preserve-unknown-fields"] == Value::Bool(true);
            let keys: Vec<String> = map.keys().cloned().collect();
            for key in keys {
                let sub = props
                    .and_then(|p| p.get(&key))
                    .or(extra.filter(|e| e.is_object()));
                match sub {
                    Some(sub) => prune(
                        map.get_mut(&key).expect("key listed"),
                        sub,
                        &child(path, &key),
                        unknown,
                    ),
                    None if preserve || extra == Some(&Value::Bool(true)) => {}
                    None => {
                        map.remove(&key);
                        unknown.push(child(path, &key));
                    }
                }
            }
        }
        Value::Array(items) => {
            if let Some(item_schema) = schema.get("items") {
                for (i, v) in items.iter_mut().enumerate() {
                    prune(v, item_schema, &format!("{path}[{i}]"), unknown);
                }
            }
        }
        _ => {}
    }
}

/// Prune and validate a whole object against its openAPIV3Schema. `metadata` is not pruned
/// (the apiserver keeps ObjectMeta as it is), only checked against `metadata.name` rules.
pub(crate) fn prune_object(object: &mut Value, schema: &Value, unknown: &mut Vec<String>) {
    let Some(map) = object.as_object_mut() else { return };
    let props = schema["properties"].as_object();
    let keys: Vec<String> = map.keys().cloned().collect();
    for key in keys {
        if matches!(key.as_str(), "apiVersion" | "kind" | "metadata") {
            continue;
        }
        match props.and_then(|p| p.get(&key)) {
            Some(sub) => prune(map.get_mut(&key).expect("key listed"), sub, &key, unknown),
            None if schema["x-kubernetes-preserve-unknown-fields"] == Value::Bool(true) => {}
            None => {
                map.remove(&key);
                unknown.push(key);
            }
        }
    }
}

pub(crate) fn validate_object(object: &Value, schema: &Value, old: Option<&Value>, errors: &mut FieldErrors) {
    let Some(props) = schema["properties"].as_object() else {
        return;
    };
    for (key, sub) in props {
        if key == "metadata" {
            if let Some(name_schema) = sub["properties"].get("name")
                && let Some(name) = object["metadata"]["name"].as_str()
            {
                validate(
                    &Value::String(name.into()),
                    name_schema,
                    "metadata.name",
                    None,
                    errors,
                );
            }
            continue;
        }
        if let Some(v) = object.get(key) {
            validate(v, sub, key, old.and_then(|o| o.get(key)), errors);
        }
    }
    if let Some(required) = schema["required"].as_array() {
        for r in required.iter().filter_map(|r| r.as_str()) {
            if object.get(r).is_none_or(|v| v.is_null()) {
                errors.push((r.to_string(), "Required value".into()));
            }
        }
    }
    run_rules(object, schema, "", old, errors);
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn short(v: &Value) -> String {
    match v {
        Value::String(s) => format!("{s:?}"),
        Value::Object(_) => "\"object\"".into(),
        Value::Array(_) => "\"array\"".into(),
        other => other.to_string(),
    }
}

#[allow(clippy::too_many_lines)] // one request's whole path through the API server, step by step as kube's
pub(crate) fn validate(
    value: &Value,
    schema: &Value,
    path: &str,
    old: Option<&Value>,
    errors: &mut FieldErrors,
) {
    if value.is_null() && schema["nullable"] == Value::Bool(true) {
        return;
    }
    let int_or_string = schema["x-kubernetes-int-or-string"] == Value::Bool(true);
    if int_or_string {
        if !matches!(type_name(value), "integer" | "string") {
            errors.push((
                path.into(),
                format!(
                    "Invalid value: {}: {path} in body must be of type integer,string: {}",
                    short(value),
                    type_name(value)
                ),
            ));
            return;
        }
    } else if let Some(want) = schema["type"].as_str() {
        let got = type_name(value);
        let ok = got == want || (want == "number" && got == "integer");
        if !ok {
            errors.push((
                path.into(),
                format!("Invalid value: \"{got}\": {path} in body must be of type {want}: \"{got}\""),
            ));
            return;
        }
    }
    if let Some(allowed) = schema["enum"].as_array()
        && !allowed.contains(value)
    {
        let list: Vec<String> = allowed.iter().map(|a| a.to_string()).collect();
        errors.push((
            path.into(),
            format!(
                "Unsupported value: {}: supported values: {}",
                short(value),
                list.join(", ")
            ),
        ));
    }
    match value {
        Value::String(s) => {
            if let Some(p) = schema["pattern"].as_str()
                && let Some(re) = pattern(p)
                && !re.is_match(s)
            {
                errors.push((
                    path.into(),
                    format!("Invalid value: {s:?}: {path} in body should match '{p}'"),
                ));
            }
            let chars = s.chars().count() as u64;
            if let Some(min) = schema["minLength"].as_u64()
                && chars < min
            {
                errors.push((
                    path.into(),
                    format!("Invalid value: {s:?}: {path} in body should be at least {min} chars long"),
                ));
            }
            if let Some(max) = schema["maxLength"].as_u64()
                && chars > max
            {
                errors.push((path.into(), format!("Too long: may not be longer than {max}")));
            }
            if schema["format"] == "date-time" && !int_or_string && s.parse::<jiff::Timestamp>().is_err() {
                errors.push((
                    path.into(),
                    format!("Invalid value: {s:?}: {path} in body must be of type date-time: {s:?}"),
                ));
            }
        }
        Value::Array(items) => {
            if let Some(min) = schema["minItems"].as_u64()
                && (items.len() as u64) < min
            {
                errors.push((
                    path.into(),
                    format!(
                        "Invalid value: {}: {path} in body should have at least {min} items",
                        items.len()
                    ),
                ));
            }
            if let Some(max) = schema["maxItems"].as_u64()
                && (items.len() as u64) > max
            {
                errors.push((
                    path.into(),
                    format!("Too many: {}: must have at most {max} items", items.len()),
                ));
            }
            if let Some(item_schema) = schema.get("items") {
                for (i, v) in items.iter().enumerate() {
                    validate(v, item_schema, &format!("{path}[{i}]"), None, errors);
                }
            }
        }
        Value::Object(map) => {
            let props = schema["properties"].as_object();
            for (key, v) in map {
                let sub = props
                    .and_then(|p| p.get(key))
                    .or(schema.get("additionalProperties").filter(|s| s.is_object()));
                if let Some(sub) = sub {
                    validate(v, sub, &child(path, key), old.and_then(|o| o.get(key)), errors);
                }
            }
            if let Some(required) = schema["required"].as_array() {
                for r in required.iter().filter_map(|r| r.as_str()) {
                    if map.get(r).is_none_or(|v| v.is_null()) {
                        errors.push((child(path, r), "Required value".into()));
                    }
                }
            }
            one_of_required(map, schema, path, errors);
        }
        _ => {}
    }
    run_rules(value, schema, path, old, errors);
}

/// `oneOf` branches that only list `required` fields (as kcp's APIBinding reference does):
/// exactly one must hold.
fn one_of_required(
    map: &serde_json::Map<String, Value>,
    schema: &Value,
    path: &str,
    errors: &mut FieldErrors,
) {
    let Some(branches) = schema["oneOf"].as_array() else {
        return;
    };
    let holds = |b: &Value| {
        b["required"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|r| r.as_str())
            .all(|r| map.get(r).is_some_and(|v| !v.is_null()))
    };
    let valid = branches.iter().filter(|b| holds(b)).count();
    if valid != 1 {
        let found = if valid == 0 { "none" } else { "more than one" };
        errors.push((
            path.into(),
            format!(
                "Invalid value: \"object\": {path} in body must validate one and only one schema (oneOf). Found {found} valid"
            ),
        ));
    }
}

/// A schema's `pattern`, compiled once and kept for the process: schemas (and so patterns)
/// are few, objects validated against them are many.
fn pattern(p: &str) -> Option<&'static regex::Regex> {
    type Cache = std::collections::HashMap<String, Option<&'static regex::Regex>>;
    static CACHE: std::sync::OnceLock<std::sync::Mutex<Cache>> = std::sync::OnceLock::new();
    let mut cache = CACHE
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    *cache
        .entry(p.to_string())
        .or_insert_with(|| regex::Regex::new(p).ok().map(|re| &*Box::leak(Box::new(re))))
}

fn run_rules(value: &Value, schema: &Value, path: &str, old: Option<&Value>, errors: &mut FieldErrors) {
    let Some(rules) = schema["x-kubernetes-validations"].as_array() else {
        return;
    };
    for rule in rules {
        let (Some(text), message) = (rule["rule"].as_str(), rule["message"].as_str()) else {
            continue;
        };
        let transition = text.contains("oldSelf");
        if transition && old.is_none() {
            continue;
        }
        // A rule this subset cannot read is skipped rather than guessed at.
        if let Some(false) = cel::eval(text, value, old) {
            let field = if path.is_empty() {
                "<root>".to_string()
            } else {
                path.to_string()
            };
            let msg = message
                .map(String::from)
                .unwrap_or_else(|| format!("failed rule: {text}"));
            errors.push((field, format!("Invalid value: {}: {msg}", short(value))));
        }
    }
}

/// The CEL subset of kcp's CRD rules: `||`, `&&`, `!`, comparisons, `has()`, `size()`,
/// field selection on `self`/`oldSelf`, and string, number and boolean literals.
mod cel {
    use serde_json::Value;

    #[derive(Debug, Clone, PartialEq)]
    enum Tok {
        Ident(String),
        Str(String),
        Num(f64),
        Op(&'static str),
    }

    fn lex(s: &str) -> Option<Vec<Tok>> {
        let b = s.as_bytes();
        let mut i = 0;
        let mut out = Vec::new();
        while i < b.len() {
            let c = b[i] as char;
            if c.is_whitespace() {
                i += 1;
            } else if c.is_ascii_alphabetic() || c == '_' {
                let start = i;
                while i < b.len() && ((b[i] as char).is_ascii_alphanumeric() || b[i] == b'_') {
                    i += 1;
                }
                out.push(Tok::Ident(s[start..i].to_string()));
            } else if c.is_ascii_digit() {
                let start = i;
                while i < b.len() && ((b[i] as char).is_ascii_digit() || b[i] == b'.') {
                    i += 1;
                }
                out.push(Tok::Num(s[start..i].parse().ok()?));
            } else if c == '"' || c == '\'' {
                let start = i + 1;
                i += 1;
                while i < b.len() && b[i] as char != c {
                    i += 1;
                }
                out.push(Tok::Str(s.get(start..i)?.to_string()));
                i += 1;
            } else {
                let two = s.get(i..i + 2).unwrap_or("");
                let op = ["||", "&&", "==", "!=", ">=", "<="]
                    .into_iter()
                    .find(|o| *o == two);
                if let Some(op) = op {
                    out.push(Tok::Op(op));
                    i += 2;
                } else {
                    let op = ["!", "(", ")", ".", ">", "<"]
                        .into_iter()
                        .find(|o| o.as_bytes()[0] == b[i])?;
                    out.push(Tok::Op(op));
                    i += 1;
                }
            }
        }
        Some(out)
    }

    #[derive(Debug, Clone, PartialEq)]
    enum Expr {
        Or(Box<Expr>, Box<Expr>),
        And(Box<Expr>, Box<Expr>),
        Not(Box<Expr>),
        Cmp(&'static str, Box<Expr>, Box<Expr>),
        Has(Vec<String>),
        Size(Box<Expr>),
        Select(Vec<String>),
        Lit(Value),
    }

    struct Parser {
        toks: Vec<Tok>,
        pos: usize,
    }

    impl Parser {
        fn peek(&self) -> Option<&Tok> {
            self.toks.get(self.pos)
        }
        fn eat(&mut self, op: &str) -> bool {
            if matches!(self.peek(), Some(Tok::Op(o)) if *o == op) {
                self.pos += 1;
                true
            } else {
                false
            }
        }
        fn or(&mut self) -> Option<Expr> {
            let mut left = self.and()?;
            while self.eat("||") {
                left = Expr::Or(Box::new(left), Box::new(self.and()?));
            }
            Some(left)
        }
        fn and(&mut self) -> Option<Expr> {
            let mut left = self.unary()?;
            while self.eat("&&") {
                left = Expr::And(Box::new(left), Box::new(self.unary()?));
            }
            Some(left)
        }
        fn unary(&mut self) -> Option<Expr> {
            if self.eat("!") {
                return Some(Expr::Not(Box::new(self.unary()?)));
            }
            let left = self.primary()?;
            for op in ["==", "!=", ">=", "<=", ">", "<"] {
                if self.eat(op) {
                    return Some(Expr::Cmp(op, Box::new(left), Box::new(self.primary()?)));
                }
            }
            Some(left)
        }
        fn primary(&mut self) -> Option<Expr> {
            if self.eat("(") {
                let e = self.or()?;
                return self.eat(")").then_some(e);
            }
            let tok = self.peek()?.clone();
            self.pos += 1;
            match tok {
                Tok::Str(s) => Some(Expr::Lit(Value::String(s))),
                Tok::Num(n) => Some(Expr::Lit(serde_json::json!(n))),
                Tok::Ident(id) if id == "true" || id == "false" => Some(Expr::Lit(Value::Bool(id == "true"))),
                Tok::Ident(id) if id == "has" || id == "size" => {
                    if !self.eat("(") {
                        return None;
                    }
                    let inner = if id == "has" {
                        Expr::Has(self.path()?)
                    } else {
                        Expr::Size(Box::new(self.or()?))
                    };
                    self.eat(")").then_some(inner)
                }
                Tok::Ident(id) => {
                    self.pos -= 1;
                    let _ = id;
                    Some(Expr::Select(self.path()?))
                }
                Tok::Op(_) => None,
            }
        }
        /// `self.a.b` → ["self", "a", "b"]; CEL escapes keyword names (`__namespace__`).
        fn path(&mut self) -> Option<Vec<String>> {
            let Tok::Ident(root) = self.peek()?.clone() else {
                return None;
            };
            if root != "self" && root != "oldSelf" {
                return None;
            }
            self.pos += 1;
            let mut out = vec![root];
            while self.eat(".") {
                let Tok::Ident(field) = self.peek()?.clone() else {
                    return None;
                };
                self.pos += 1;
                let field = field
                    .strip_prefix("__")
                    .and_then(|f| f.strip_suffix("__"))
                    .map(String::from)
                    .unwrap_or(field);
                out.push(field);
            }
            // A call such as `self.x.matches(...)` is outside the subset.
            (!matches!(self.peek(), Some(Tok::Op("(")))).then_some(out)
        }
    }

    fn lookup<'a>(path: &[String], this: &'a Value, old: Option<&'a Value>) -> Option<&'a Value> {
        let mut cur = if path[0] == "self" { Some(this) } else { old };
        for p in &path[1..] {
            cur = cur?.get(p);
        }
        cur
    }

    /// Evaluate with CEL's short-circuiting; `None` is an evaluation error.
    fn eval_expr(e: &Expr, this: &Value, old: Option<&Value>) -> Option<Value> {
        let boolean = |e: &Expr| eval_expr(e, this, old).and_then(|v| v.as_bool());
        Some(match e {
            Expr::Or(a, b) => Value::Bool(boolean(a)? || boolean(b)?),
            Expr::And(a, b) => Value::Bool(boolean(a)? && boolean(b)?),
            Expr::Not(a) => Value::Bool(!boolean(a)?),
            Expr::Has(p) => Value::Bool(lookup(p, this, old).is_some()),
            Expr::Select(p) => lookup(p, this, old)?.clone(),
            Expr::Lit(v) => v.clone(),
            Expr::Size(a) => serde_json::json!(match eval_expr(a, this, old)? {
                Value::Array(x) => x.len(),
                Value::Object(x) => x.len(),
                Value::String(x) => x.chars().count(),
                _ => return None,
            } as f64),
            Expr::Cmp(op, a, b) => {
                let (a, b) = (eval_expr(a, this, old)?, eval_expr(b, this, old)?);
                let equal = a == b || (a.as_f64().is_some() && a.as_f64() == b.as_f64());
                Value::Bool(match *op {
                    "==" => equal,
                    "!=" => !equal,
                    ">" => a.as_f64()? > b.as_f64()?,
                    "<" => a.as_f64()? < b.as_f64()?,
                    ">=" => a.as_f64()? >= b.as_f64()?,
                    _ => a.as_f64()? <= b.as_f64()?,
                })
            }
        })
    }

    /// `Some(result)` when the rule could be evaluated, `None` when it is outside the subset.
    pub(super) fn eval(rule: &str, this: &Value, old: Option<&Value>) -> Option<bool> {
        let mut p = Parser {
            toks: lex(rule)?,
            pos: 0,
        };
        let e = p.or()?;
        if p.pos != p.toks.len() {
            return None;
        }
        eval_expr(&e, this, old)?.as_bool()
    }

    #[cfg(test)]
    mod tests {
        use super::eval;
        use serde_json::json;

        #[test]
        fn kcp_rules_evaluate() {
            let a = json!({"name": "x", "path": "root"});
            let b = json!({"name": "y", "path": "root"});
            assert_eq!(eval("self == oldSelf", &a, Some(&a)), Some(true));
            assert_eq!(eval("self == oldSelf", &a, Some(&b)), Some(false));
            assert_eq!(eval("self.name == oldSelf.name", &a, Some(&b)), Some(false));
            assert_eq!(
                eval(
                    "has(oldSelf.path) == has(self.path)",
                    &a,
                    Some(&json!({"name":"x"}))
                ),
                Some(false)
            );
            assert_eq!(
                eval(
                    "!has(oldSelf.URL) || has(self.URL)",
                    &json!({}),
                    Some(&json!({"URL":"u"}))
                ),
                Some(false)
            );
            let claim = json!({"all": true});
            assert_eq!(
                eval(
                    "(has(self.all) && self.all) != (has(self.resourceSelector) && size(self.resourceSelector) > 0)",
                    &claim,
                    None
                ),
                Some(true)
            );
            assert_eq!(
                eval(
                    "has(self.__namespace__) || has(self.name)",
                    &json!({"namespace": "a"}),
                    None
                ),
                Some(true)
            );
            assert_eq!(eval("self.unknownFunction()", &a, None), None);
        }
    }
}

/// Strict decoding's message for unknown fields.
pub(crate) fn unknown_fields_message(unknown: &[String]) -> String {
    let list: Vec<String> = unknown.iter().map(|u| format!("unknown field \"{u}\"")).collect();
    format!("strict decoding error: {}", list.join(", "))
}
