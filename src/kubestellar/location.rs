//! `ensure location` and `remove location`: a SyncTarget and a Location of one name in an
//! inventory workspace, as KubeStellar v0.14's `kubectl-kubestellar-ensure-location` and
//! `-remove-location` make and delete them. The SyncTarget carries the given labels and
//! `id=<name>`; the Location the given labels, selecting its SyncTarget by `id`. The IMW is
//! bound to the edge export first when it is not, and a Location named `default` (which kcp's
//! TMC used to make) is deleted, as the script does.

use super::{Done, Verb, binds, ensure_binding, wait_bound};
use crate::edge_api;
use crate::edge_api::{Location, SyncTarget};
use crate::error::{Error, Result};
use crate::kcp::Address;
use crate::kcp::types::ApiBinding;
use crate::kcp::{Kcp, ListQuery, Scope};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::time::Duration;

const ST: &str = "synctarget.edge.kubestellar.io";
const LOC: &str = "location.edge.kubestellar.io";
/// The binding `kubectl kcp bind apiexport root:espw:edge.kubestellar.io` makes: named after
/// the export.
const BINDING: &str = "edge.kubestellar.io";
/// How long `kubectl kcp bind` waits for its binding to be Bound.
const BIND_TIMEOUT: Duration = Duration::from_secs(30);

#[derive(Debug, Clone)]
pub(crate) struct LocationOptions {
    /// The inventory workspace, an absolute path.
    pub imw: String,
    pub espw: String,
    pub name: String,
    /// In the order given; a key given twice keeps its last value.
    pub labels: Vec<(String, String)>,
}

/// The object name and `key=value` labels as KubeStellar's script checks them, with its rules
/// (and its messages' substance).
pub(crate) fn parse_args(args: &[String]) -> Result<(String, Vec<(String, String)>)> {
    let Some((name, labels)) = args.split_first() else {
        return Err(Error::usage("no object name given")
            .hint("name the SyncTarget and Location, then their labels: ensure location florin env=prod"));
    };
    check_name(name)?;
    if name == "default" {
        return Err(
            Error::usage("'default' is not an acceptable name for a SyncTarget and Location")
                .hint("choose another name"),
        );
    }
    if labels.is_empty() {
        return Err(Error::usage("no label given: at least one key=value is needed")
            .hint(format!("e.g. ensure location {name} env=prod")));
    }
    let key_re = regex::Regex::new(r"^[a-zA-Z0-9][a-zA-Z0-9_./-]*$").expect("literal regex");
    let value_re =
        regex::Regex::new(r"^[a-zA-Z0-9]([a-zA-Z0-9_.-]{0,61}[a-zA-Z0-9])?$").expect("literal regex");
    let mut out = Vec::new();
    for l in labels {
        let Some((key, value)) = l.split_once('=').filter(|(_, v)| !v.contains('=')) else {
            return Err(Error::usage(format!("{l:?} is not a label: write key=value")));
        };
        if !key_re.is_match(key) {
            return Err(Error::usage(format!(
                "label key {key:?} is not valid: it must match ^[a-zA-Z0-9][a-zA-Z0-9_./-]*$ and Kubernetes' rules"
            )));
        }
        if !value_re.is_match(value) {
            return Err(Error::usage(format!(
                "label value {value:?} is not valid: it must match ^[a-zA-Z0-9]([a-zA-Z0-9_.-]{{0,61}}[a-zA-Z0-9])?$"
            )));
        }
        if key == "id" {
            return Err(Error::usage(
                "the label 'id' may not be given: it is set to the object name",
            ));
        }
        out.push((key.to_string(), value.to_string()));
    }
    Ok((name.clone(), out))
}

/// A SyncTarget and Location name: a DNS subdomain, as the script checks it.
pub(crate) fn check_name(name: &str) -> Result<()> {
    let re = regex::Regex::new(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
        .expect("literal regex");
    if re.is_match(name) && name.len() <= 253 {
        Ok(())
    } else {
        Err(Error::usage(format!(
            "{name:?} is not a valid object name: use lowercase DNS labels joined by '.'"
        )))
    }
}

/// Make the pair, and everything around it, as the script does.
pub(crate) async fn ensure_location(kcp: &Kcp, opts: &LocationOptions) -> Result<Vec<Done>> {
    let imw = kcp.cluster(&opts.imw);
    let mut done = Vec::new();
    done.push(ensure_edge_binding(kcp, &imw, opts).await?);
    let labels: BTreeMap<String, String> = opts.labels.iter().cloned().collect();

    let mut st_labels = labels.clone();
    st_labels.insert("id".into(), opts.name.clone());
    let st = SyncTarget::manifest(json!({"metadata": {"name": opts.name, "labels": st_labels}}));
    done.push(ensure_labelled(&imw, &SyncTarget::collection(), ST, &opts.name, st, &labels).await?);

    let loc = Location::manifest(json!({
        "metadata": {"name": opts.name, "labels": labels},
        "spec": {
            "resource": {"group": edge_api::GROUP, "version": edge_api::VERSION, "resource": "synctargets"},
            "instanceSelector": {"matchLabels": {"id": opts.name}},
        },
    }));
    let loc_done = ensure_labelled(&imw, &Location::collection(), LOC, &opts.name, loc, &labels).await?;
    // The script deletes `default` after making its pair.
    let default = delete_if_present(&imw, &Location::collection(), LOC, "default").await?;
    done.push(loc_done);
    done.extend(default);
    Ok(done)
}

/// The IMW's binding to the edge export: any binding to it will do (the script looks for
/// one named after the export, which is what it makes); made and waited for when missing.
async fn ensure_edge_binding(kcp: &Kcp, imw: &Scope, opts: &LocationOptions) -> Result<Done> {
    let bindings = imw
        .list::<ApiBinding>(&ApiBinding::collection(), &ListQuery::default())
        .await
        .map_err(|e| {
            let forbidden = e.is_forbidden();
            let e = e.to_error(
                "failed to list the APIBindings of the inventory workspace",
                &imw.url(),
            );
            match forbidden {
                true => e.hint(format!(
                    "is there a workspace {}? make it first, or give another --imw",
                    opts.imw
                )),
                false => e,
            }
        })?;
    if let Some(b) = bindings
        .items
        .iter()
        .find(|b| binds(b, &opts.espw, edge_api::EXPORT_NAME))
    {
        return Ok(Done::new(
            "apibinding.apis.kcp.io",
            b.metadata.name.as_deref().unwrap_or(BINDING),
            Verb::Unchanged,
        ));
    }
    let created = ensure_binding(imw, BINDING, &opts.espw, edge_api::EXPORT_NAME).await?;
    wait_bound(kcp, imw, BINDING, BIND_TIMEOUT).await?;
    let action = if created { Verb::Created } else { Verb::Unchanged };
    Ok(Done::new("apibinding.apis.kcp.io", BINDING, action))
}

/// `object` created when missing; an existing one gets the labels whose values differ.
async fn ensure_labelled(
    imw: &Scope,
    collection: &str,
    resource: &'static str,
    name: &str,
    object: Value,
    labels: &BTreeMap<String, String>,
) -> Result<Done> {
    let rel = format!("{collection}/{name}");
    let existing: Option<Value> = imw
        .get(&rel)
        .await
        .map_err(|e| e.to_error(&format!("failed to read {resource} {name}"), &imw.url()))?;
    let Some(existing) = existing else {
        match imw.create::<Value>(collection, &object).await {
            Ok(_) => return Ok(Done::new(resource, name, Verb::Created)),
            Err(e) if e.is_already_exists() => {
                // Made meanwhile: fall through to labelling what is there.
                return Box::pin(ensure_labelled(imw, collection, resource, name, object, labels)).await;
            }
            Err(e) => return Err(e.to_error(&format!("failed to create {resource} {name}"), &imw.url())),
        }
    };
    let differing: serde_json::Map<String, Value> = labels
        .iter()
        .filter(|(k, v)| existing["metadata"]["labels"][k.as_str()].as_str() != Some(v.as_str()))
        .map(|(k, v)| (k.clone(), json!(v)))
        .collect();
    if differing.is_empty() {
        return Ok(Done::new(resource, name, Verb::Unchanged));
    }
    imw.merge_patch::<Value>(&rel, &json!({"metadata": {"labels": differing}}))
        .await
        .map_err(|e| e.to_error(&format!("failed to label {resource} {name}"), &imw.url()))?;
    Ok(Done::new(resource, name, Verb::Labeled))
}

async fn delete_if_present(
    imw: &Scope,
    collection: &str,
    resource: &'static str,
    name: &str,
) -> Result<Option<Done>> {
    let deleted = imw
        .delete(&format!("{collection}/{name}"), None)
        .await
        .map_err(|e| e.to_error(&format!("failed to delete {resource} {name}"), &imw.url()))?;
    Ok(deleted.then(|| Done::new(resource, name, Verb::Deleted)))
}

/// `remove location`: the pair deleted; what is missing is not an error (a second run does
/// nothing, as the script).
pub(crate) async fn remove_location(kcp: &Kcp, imw: &str, name: &str) -> Result<Vec<Done>> {
    let scope = kcp.cluster(imw);
    let mut done = Vec::new();
    // Where the edge API is not bound, both answer 404: nothing to delete.
    for (collection, resource) in [(SyncTarget::collection(), ST), (Location::collection(), LOC)] {
        done.extend(delete_if_present(&scope, &collection, resource, name).await?);
    }
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> Vec<String> {
        a.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn names_and_labels_are_checked_as_the_script_does() {
        let (name, labels) = parse_args(&args(&["guilder", "env=prod", "extended=yes"])).unwrap();
        assert_eq!(name, "guilder");
        assert_eq!(
            labels,
            vec![("env".into(), "prod".into()), ("extended".into(), "yes".into())]
        );
        for bad in [
            &["default", "a=b"][..],
            &["florin"],
            &["florin", "id=x"],
            &["florin", "a=b=c"],
            &["florin", "noequals"],
            &["Florin", "a=b"],
            &["florin", "a=-b"],
        ] {
            assert!(parse_args(&args(bad)).is_err(), "{bad:?}");
        }
    }
}
