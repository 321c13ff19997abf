//! `init espw`, the operation: the edge service provider workspace, its APIResourceSchemas
//! and the `edge.kubestellar.io` APIExport, created or brought up to date, idempotently (what
//! the ESPW holds besides these is left alone); and, as KubeStellar's `kubestellar init`, the
//! Kubernetes API exports in `root:compute` that `ensure wmw` binds.

use super::{Item, Made};
use crate::edge_api;
use crate::error::{Error, Result};
use crate::feedback::Feedback;
use crate::kcp::Address;
use crate::kcp::types::{ApiExport, ApiResourceSchema};
use crate::kcp::{ExportRef, Generation, IfAbsent, Kcp, ListQuery, Scope, paths, wait_for_view};
use serde_json::{Value, json};
use std::time::Duration;
use tokio::time::Instant;

pub(crate) const MANAGED_BY: (&str, &str) = ("app.kubernetes.io/managed-by", "kubectl-kubestellar");

#[derive(Debug, Clone)]
pub(crate) struct InitOptions {
    pub espw_path: String,
    pub dry_run: bool,
    pub timeout: Duration,
}

fn item(kind: &'static str, name: &str, change: Made, note: Option<String>) -> Item {
    Item {
        kind,
        name: name.into(),
        change,
        note,
    }
}

/// What `init espw` did, and where the export's view is served.
#[derive(Debug, Clone)]
pub(crate) struct InitReport {
    pub items: Vec<Item>,
    /// The view URLs once ready; empty when nothing binds the export yet (kcp v0.28 and later
    /// publish a view only then), or in a dry run.
    pub view_urls: Vec<String>,
}

pub(crate) async fn init_espw(kcp: &Kcp, opts: &InitOptions, feedback: &dyn Feedback) -> Result<InitReport> {
    paths::check_path(&opts.espw_path).map_err(|e| Error::usage(format!("--espw-path: {e}")))?;
    let (parent, name) = paths::split_parent(&opts.espw_path).ok_or_else(|| {
        Error::usage(format!(
            "--espw-path {}: the ESPW must be a child workspace, e.g. root:espw",
            opts.espw_path
        ))
    })?;
    let deadline = Instant::now() + opts.timeout;
    let workspace = match super::ensure_workspace(kcp, parent, name, deadline, opts.dry_run).await? {
        true => Made::Created,
        false => Made::Unchanged,
    };
    let mut items = vec![item("Workspace", &opts.espw_path, workspace, None)];
    if opts.dry_run && workspace == Made::Created {
        items.extend(all_created());
        items.extend(crate::workspace::compute::ensure_compute_exports(kcp, true, deadline).await?);
        return Ok(InitReport {
            items,
            view_urls: vec![],
        });
    }

    let espw = kcp.cluster(&opts.espw_path);
    // The export in the version the server stores it in (v1alpha2 on kcp v0.28 and later).
    let generation = kcp.generation().await;
    let current: Option<ApiExport> = espw
        .get(&export_path(generation))
        .await
        .map_err(|e| e.to_error("failed to read the APIExport", &espw.url()))?;
    let schemas = ensure_schemas(&espw, opts, current.as_ref()).await?;
    let names: Vec<String> = schemas.iter().map(|s| s.name.clone()).collect();
    items.extend(schemas);
    items.push(ensure_export(&espw, opts, generation, current, &names).await?);
    // What KubeStellar's init adds to root:compute, for `ensure wmw --with-kube true`.
    items.extend(crate::workspace::compute::ensure_compute_exports(kcp, opts.dry_run, deadline).await?);
    let mut view_urls = vec![];
    if !opts.dry_run {
        // Newer kcp has no view before something binds the export: ready is its endpoint
        // slice existing, empty.
        let export = ExportRef {
            path: &opts.espw_path,
            name: edge_api::EXPORT_NAME,
        };
        view_urls = wait_for_view(kcp, export.into(), Some(deadline), IfAbsent::Fail, |m| {
            feedback.note(m)
        })
        .await?;
    }
    Ok(InitReport { items, view_urls })
}

/// What a dry run reports for a workspace that is not there yet: all of its content created.
fn all_created() -> Vec<Item> {
    let schemas = edge_api::resource_schemas();
    let names = schemas
        .iter()
        .map(|s| s["metadata"]["name"].as_str().unwrap_or_default());
    let mut items: Vec<Item> = names
        .map(|n| item("APIResourceSchema", n, Made::Created, None))
        .collect();
    items.push(item("APIExport", edge_api::EXPORT_NAME, Made::Created, None));
    items
}

/// `apiexports/<name>` in the version `generation` stores exports in.
fn export_path(generation: Generation) -> String {
    format!("{}/{}", generation.apiexports(), edge_api::EXPORT_NAME)
}

/// Every schema the export is to list, each kept or created; one item each, named as the
/// export is to list it.
async fn ensure_schemas(espw: &Scope, opts: &InitOptions, current: Option<&ApiExport>) -> Result<Vec<Item>> {
    let present: Vec<Value> = espw
        .list::<Value>(&ApiResourceSchema::collection(), &ListQuery::default())
        .await
        .map_err(|e| e.to_error("failed to list APIResourceSchemas", &espw.url()))?
        .items;
    let listed = current.map(ApiExport::schema_names).unwrap_or_default();
    let mut items = Vec::new();
    for schema in edge_api::resource_schemas() {
        items.push(ensure_schema(espw, opts, schema, &listed, &present).await?);
    }
    Ok(items)
}

/// One schema. One the export lists for the same resource and equal in content is kept,
/// whatever its name (KubeStellar's own, say): a new schema would move every binding for
/// nothing. Otherwise ours, content-addressed, so an existing one with our name is ours.
async fn ensure_schema(
    espw: &Scope,
    opts: &InitOptions,
    mut schema: Value,
    listed: &[String],
    present: &[Value],
) -> Result<Item> {
    let schema_name = schema["metadata"]["name"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let (_, resource) = schema_name.split_once('.').unwrap_or_default();
    let find = |name: &str| present.iter().find(|p| p["metadata"]["name"] == name);
    let theirs = listed
        .iter()
        .find(|l| l.split_once('.').is_some_and(|(_, r)| r == resource))
        .and_then(|l| Some((l, find(l)?)));
    let mut note = None;
    if let Some((listed_name, listed_schema)) = theirs {
        let diffs = edge_api::schema_differences(resource, &schema, listed_schema);
        if diffs.is_empty() {
            return Ok(item("APIResourceSchema", listed_name, Made::Unchanged, None));
        }
        let more = match diffs.len() {
            1 => String::new(),
            n => format!(" (and {} more)", n - 1),
        };
        note = Some(format!("replaces {listed_name}: {}{more}", diffs[0]));
    }
    match find(&schema_name) {
        // Exact, but for what kcp defaults in a stored schema (`nameValidation`, v0.28+).
        Some(p)
            if edge_api::without_server_defaults(&p["spec"])
                == edge_api::without_server_defaults(&schema["spec"]) =>
        {
            Ok(item("APIResourceSchema", &schema_name, Made::Unchanged, note))
        }
        Some(_) => Err(Error::failed(format!(
            "APIResourceSchema {schema_name} in {} exists with a different definition",
            opts.espw_path
        ))
        .hint("schemas are immutable and this name is reserved for this definition: delete that schema, then run init espw again")),
        None if opts.dry_run => Ok(item("APIResourceSchema", &schema_name, Made::Created, note)),
        None => {
            schema["metadata"]["labels"] = json!({MANAGED_BY.0: MANAGED_BY.1});
            espw.create::<Value>(&ApiResourceSchema::collection(), &schema)
                .await
                .map_err(|e| {
                    e.to_error(
                        &format!("failed to create APIResourceSchema {schema_name}"),
                        &espw.url(),
                    )
                })?;
            Ok(item("APIResourceSchema", &schema_name, Made::Created, note))
        }
    }
}

/// The export, listing exactly the schemas `names`: created, or its list brought up to date.
async fn ensure_export(
    espw: &Scope,
    opts: &InitOptions,
    generation: Generation,
    current: Option<ApiExport>,
    names: &[String],
) -> Result<Item> {
    let mut wanted = names.to_vec();
    wanted.sort();
    let Some(export) = current else {
        if !opts.dry_run {
            let mut export = match generation {
                Generation::V0_11 => edge_api::api_export(names),
                Generation::V0_32 => edge_api::api_export_v1alpha2(names),
            };
            export["metadata"]["labels"] = json!({MANAGED_BY.0: MANAGED_BY.1});
            espw.create::<Value>(&generation.apiexports(), &export)
                .await
                .map_err(|e| e.to_error("failed to create the APIExport", &espw.url()))?;
        }
        return Ok(item("APIExport", edge_api::EXPORT_NAME, Made::Created, None));
    };
    let mut have = export.schema_names();
    have.sort();
    if have == wanted {
        return Ok(item("APIExport", edge_api::EXPORT_NAME, Made::Unchanged, None));
    }
    let field = match generation {
        Generation::V0_11 => "latestResourceSchemas",
        Generation::V0_32 => "the schemas of resources",
    };
    let note = Some(format!("{field} was {}", have.join(", ")));
    if !opts.dry_run {
        let mut updated = export.clone();
        match generation {
            Generation::V0_11 => updated.spec.latest_resource_schemas = wanted.clone(),
            Generation::V0_32 => {
                updated.spec.resources = edge_api::exported_resources(&wanted)
                    .into_iter()
                    .map(serde_json::from_value)
                    .collect::<std::result::Result<_, _>>()
                    .expect("generated resources deserialize");
            }
        }
        espw.update::<ApiExport>(&export_path(generation), &updated)
            .await
            .map_err(|e| e.to_error("failed to update the APIExport", &espw.url()))?;
    }
    Ok(item("APIExport", edge_api::EXPORT_NAME, Made::Updated, note))
}
