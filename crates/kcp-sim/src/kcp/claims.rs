//! Permission claims: what an APIExport's view serves of its consumers' other resources.
//!
//! As kcp v0.32's apiexport virtual workspace (`apireconciler`, `authorizer/binding.go`): a
//! claim in the export's `spec.permissionClaims` that the export does not itself export puts
//! that resource in the view (a built-in one by group and resource, with core/v1 and
//! events.k8s.io/v1 `events` both served for a claim of either; another export's by its
//! `identityHash`; kcp v0.11 served a claim of events in its own group only). Through the wildcard, only objects of consumers whose APIBinding accepts
//! the claim are seen (kcp labels them; kcp-sim takes the consumers accepting it when the
//! request comes). Through one consumer, a verb is allowed only when that consumer's binding
//! accepts the claim with it (the binding's verbs and the export's, `*` for all; v1alpha1's
//! `all: true` is `*`), else 403.

use super::*;
use std::collections::BTreeSet;

/// One claim of an export, as the view applies it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Claim {
    pub group: String,
    pub resource: String,
    pub identity: String,
    pub verbs: Vec<String>,
}

fn text(v: &Value) -> String {
    v.as_str().unwrap_or_default().to_string()
}

/// A claim's verbs: v1alpha2's `verbs`, or v1alpha1's (every verb: kcp converts a v1alpha1
/// claim to `verbs: ["*"]`).
fn verbs(claim: &Value) -> Vec<String> {
    match claim["verbs"].as_array() {
        Some(vs) if !vs.is_empty() => vs.iter().map(text).collect(),
        _ => vec!["*".into()],
    }
}

impl Claim {
    fn from_value(v: &Value) -> Claim {
        Claim {
            group: text(&v["group"]),
            resource: text(&v["resource"]),
            identity: text(&v["identityHash"]),
            verbs: verbs(v),
        }
    }

    /// Events are one resource in two groups (kcp v0.32 normalises events.k8s.io to core;
    /// v0.11 served a claim's own group only).
    fn covers(&self, group: &str, resource: &str, both_event_groups: bool) -> bool {
        let normal = |g: &str, r: &str| {
            if both_event_groups && r == "events" && g == "events.k8s.io" {
                String::new()
            } else {
                g.to_string()
            }
        };
        self.resource == resource && normal(&self.group, &self.resource) == normal(group, resource)
    }

    fn same(&self, other: &Value) -> bool {
        text(&other["group"]) == self.group
            && text(&other["resource"]) == self.resource
            && text(&other["identityHash"]) == self.identity
    }
}

pub(crate) fn export_claims(export: &Value) -> Vec<Claim> {
    export["spec"]["permissionClaims"]
        .as_array()
        .into_iter()
        .flatten()
        .map(Claim::from_value)
        .collect()
}

/// The definitions a claim serves in the view: built-in resources, or another export's
/// bound resource of that identity.
pub(crate) fn claimed_defs(
    sim: &Sim,
    state: &State,
    exported: &[Arc<ResourceDef>],
    claims: &[Claim],
) -> Vec<(Arc<ResourceDef>, Claim)> {
    let mut out: Vec<(Arc<ResourceDef>, Claim)> = Vec::new();
    let both_event_groups = crate::newest::enabled(sim);
    for c in claims {
        // The export's own resources win over a claim of them.
        if exported
            .iter()
            .any(|d| d.group == c.group && d.plural == c.resource)
        {
            continue;
        }
        let found: Vec<Arc<ResourceDef>> = if c.identity.is_empty() {
            sim.builtins
                .iter()
                .filter(|d| d.identity.is_none() && c.covers(&d.group, &d.plural, both_event_groups))
                // kcp's own APIs are claimed from kcp's schemas; kcp-sim serves the built-in
                // Kubernetes ones only.
                .filter(|d| d.group.is_empty() || !d.group.ends_with("kcp.io"))
                .cloned()
                .collect()
        } else {
            state
                .bound
                .values()
                .flatten()
                .map(|(_, d)| d)
                .filter(|d| {
                    d.group == c.group && d.plural == c.resource && d.identity.as_deref() == Some(&c.identity)
                })
                .take(1)
                .cloned()
                .collect()
        };
        for d in found {
            if !out
                .iter()
                .any(|(o, _)| o.group == d.group && o.plural == d.plural && o.version == d.version)
            {
                out.push((d, c.clone()));
            }
        }
    }
    out
}

/// The consumer's binding to the export accepts the claim for this verb (the binding's and
/// the export's verbs both allow it).
fn accepts(binding: &Value, claim: &Claim, verb: Option<&str>) -> bool {
    binding["spec"]["permissionClaims"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|b| b["state"] == "Accepted" && claim.same(b))
        .any(|b| {
            verb.is_none_or(|v| {
                // kcp intersects the two sets literally: `*` on one side and `get` on the
                // other allow nothing.
                let bound = verbs(b);
                let allowed: Vec<&String> = bound.iter().filter(|x| claim.verbs.contains(x)).collect();
                allowed.iter().any(|x| *x == "*" || *x == v)
            })
        })
}

fn bindings_to<'a>(
    state: &'a State,
    cluster: Option<&'a str>,
    label: &'a str,
) -> impl Iterator<Item = (&'a Key, &'a Arc<Value>)> + 'a {
    state
        .list(APIBINDINGS, cluster, None)
        .filter(move |(_, b)| b["metadata"]["labels"][EXPORT_LABEL] == label)
}

/// The consumers whose binding to the export accepts the claim (what the wildcard shows).
pub(crate) fn accepting_consumers(state: &State, label: &str, claim: &Claim) -> BTreeSet<String> {
    bindings_to(state, None, label)
        .filter(|(_, b)| accepts(b, claim, None))
        .map(|(k, _)| k.0.clone())
        .collect()
}

/// Whether a consumer's binding lets the export's owner do this verb on the claimed resource.
pub(crate) fn consumer_allows(state: &State, consumer: &str, label: &str, claim: &Claim, verb: &str) -> bool {
    bindings_to(state, Some(consumer), label).any(|(_, b)| accepts(b, claim, Some(verb)))
}
