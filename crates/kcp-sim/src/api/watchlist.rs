//! Where a watch starts, as each simulated kcp generation's apiserver decides it, WatchList
//! (`sendInitialEvents`) included.
//!
//! - kcp v0.11 is Kubernetes 1.24: `sendInitialEvents` is an unknown query parameter (ignored),
//!   and `ValidateListOptions` forbids `resourceVersionMatch` on any watch (422). client-go
//!   v0.35+ informers, whose WatchList request carries `resourceVersionMatch=NotOlderThan`,
//!   read that error and fall back to list and watch.
//! - kcp v0.32 is Kubernetes 1.36 with the `WatchList` gate on (kcp's `pkg/features` keeps
//!   Kubernetes' default, beta and on since 1.34), and its views forward the options to the
//!   shard: `sendInitialEvents=true` (with `resourceVersionMatch=NotOlderThan`) streams every
//!   object as ADDED, then, with `allowWatchBookmarks`, a BOOKMARK annotated
//!   `k8s.io/initial-events-end: "true"`; `sendInitialEvents=false` starts from now (or from the
//!   resourceVersion given). The 1.36 rules are `validateWatchOptions` in
//!   k8s.io/apimachinery's `meta/internalversion/validation`.

use super::*;

/// How a watch starts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Start {
    /// ADDED for every object that exists (a watch without a resourceVersion, or WatchList's
    /// initial events).
    Listed,
    /// The events after this resourceVersion.
    After(u64),
    /// Only what changes from now on.
    Now,
}

pub(super) struct WatchStart {
    pub(super) start: Start,
    /// WatchList: the BOOKMARK that ends the initial events.
    pub(super) end_bookmark: bool,
    /// WatchList from a resourceVersion: the state sent must be at least that new (the
    /// apiserver waits for it as for a list).
    pub(super) waits: bool,
}

/// The annotation on the BOOKMARK that ends WatchList's initial events.
pub(super) const INITIAL_EVENTS_END: &str = "k8s.io/initial-events-end";

fn invalid(errors: &[(&str, String)]) -> ApiError {
    let texts: Vec<String> = errors.iter().map(|(_, m)| m.clone()).collect();
    let joined = match texts.as_slice() {
        [one] => one.clone(),
        many => format!("[{}]", many.join(", ")),
    };
    let causes: Vec<Value> = errors
        .iter()
        .map(|(field, m)| {
            let reason = if m.contains("Unsupported value") {
                "FieldValueNotSupported"
            } else {
                "FieldValueForbidden"
            };
            json!({"reason": reason, "message": m, "field": field})
        })
        .collect();
    ApiError::new(
        422,
        "Invalid",
        format!("ListOptions.meta.k8s.io \"\" is invalid: {joined}"),
    )
    .with_details(json!({"group": "meta.k8s.io", "kind": "ListOptions", "causes": causes}))
}

fn forbidden(field: &'static str, why: &str) -> (&'static str, String) {
    (field, format!("{field}: Forbidden: {why}"))
}

/// A list's `sendInitialEvents`: forbidden on Kubernetes 1.27+, unknown (ignored) on 1.24.
pub(super) fn check_list(sim: &Sim, req: &Request) -> ApiResult<()> {
    if crate::newest::enabled(sim) && req.query.contains_key("sendInitialEvents") {
        return Err(invalid(&[forbidden(
            "sendInitialEvents",
            "sendInitialEvents is forbidden for list",
        )]));
    }
    Ok(())
}

/// Checks a watch's options (422 as the apiserver) and says where it starts.
#[allow(clippy::too_many_lines)] // one request's whole path through the API server, step by step as kube's
pub(super) fn watch_start(sim: &Sim, req: &Request) -> ApiResult<WatchStart> {
    let q = &req.query;
    let rv = q.get("resourceVersion").map(String::as_str).unwrap_or("");
    let rvm = q.get("resourceVersionMatch").map(String::as_str).unwrap_or("");
    let from = match rv {
        "" | "0" => None,
        rv => Some(
            rv.parse::<u64>()
                .map_err(|_| ApiError::bad_request(format!("invalid resource version {rv:?}")))?,
        ),
    };
    let legacy = WatchStart {
        start: from.map_or(Start::Listed, Start::After),
        end_bookmark: false,
        waits: false,
    };
    let continued = q.get("continue").is_some_and(|c| !c.is_empty());
    let not_supported = |allowed: &str| {
        (
            "resourceVersionMatch",
            format!("resourceVersionMatch: Unsupported value: {rvm:?}: supported values: {allowed}"),
        )
    };
    let mut errors = Vec::new();
    if !crate::newest::enabled(sim) {
        // Kubernetes 1.24's ValidateListOptions, the same for lists and watches.
        if rvm.is_empty() {
            return Ok(legacy);
        }
        errors.push(forbidden(
            "resourceVersionMatch",
            "resourceVersionMatch is forbidden for watch",
        ));
        if rv.is_empty() {
            errors.push(forbidden(
                "resourceVersionMatch",
                "resourceVersionMatch is forbidden unless resourceVersion is provided",
            ));
        }
        if continued {
            errors.push(forbidden(
                "resourceVersionMatch",
                "resourceVersionMatch is forbidden when continue is provided",
            ));
        }
        if rvm != "Exact" && rvm != "NotOlderThan" {
            errors.push(not_supported("\"Exact\", \"NotOlderThan\", \"\""));
        }
        if rvm == "Exact" && rv == "0" {
            errors.push(forbidden(
                "resourceVersionMatch",
                "resourceVersionMatch \"exact\" is forbidden for resourceVersion \"0\"",
            ));
        }
        return Err(invalid(&errors));
    }
    let send = match q.get("sendInitialEvents").map(String::as_str) {
        None => None,
        Some("true" | "1") => Some(true),
        Some("false" | "0" | "") => Some(false),
        Some(other) => {
            return Err(ApiError::bad_request(format!(
                "invalid boolean value for sendInitialEvents: {other:?}"
            )));
        }
    };
    if send.is_some() && rvm != "NotOlderThan" {
        errors.push(forbidden(
            "resourceVersionMatch",
            "sendInitialEvents requires setting resourceVersionMatch to NotOlderThan",
        ));
    }
    if !rvm.is_empty() {
        if send.is_none() {
            errors.push(forbidden(
                "resourceVersionMatch",
                "resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided",
            ));
        }
        if rvm != "NotOlderThan" {
            errors.push(not_supported("\"NotOlderThan\""));
        }
        if continued {
            errors.push(forbidden(
                "resourceVersionMatch",
                "resourceVersionMatch is forbidden when continue is provided",
            ));
        }
    }
    if !errors.is_empty() {
        return Err(invalid(&errors));
    }
    Ok(match send {
        None => legacy,
        // The cacher marks the end of the initial events only for a client that takes bookmarks.
        Some(true) => WatchStart {
            start: Start::Listed,
            end_bookmark: is_true(q.get("allowWatchBookmarks")),
            waits: from.is_some(),
        },
        Some(false) => WatchStart {
            start: from.map_or(Start::Now, Start::After),
            end_bookmark: false,
            waits: false,
        },
    })
}

/// The BOOKMARK that ends WatchList's initial events: an empty object of the resource's kind
/// at the resourceVersion the initial events show.
pub(super) fn end_bookmark(def: &ResourceDef, rv: u64) -> Bytes {
    let mut line = serde_json::to_vec(&json!({"type": "BOOKMARK", "object": {
        "kind": def.kind, "apiVersion": def.api_version(),
        "metadata": {"resourceVersion": rv.to_string(), "annotations": {INITIAL_EVENTS_END: "true"}},
    }}))
    .unwrap_or_default();
    line.push(b'\n');
    Bytes::from(line)
}
