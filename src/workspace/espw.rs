//! `init espw`, the operation: the edge service provider workspace, its APIResourceSchemas
//! and the `edge.kubestellar.io` APIExport, created or brought up to date, idempotently. What
//! the ESPW holds besides these is left alone.

use crate::edge_api;
use crate::error::{Error, Result};
use crate::feedback::Feedback;
use crate::kcp::types::{APIRESOURCESCHEMAS, ApiExport, WORKSPACES, Workspace};
use crate::kcp::{ExportRef, Generation, IfAbsent, Kcp, ListQuery, paths, wait_for_view};
use serde::Serialize;
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

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Change {
    Created,
    Updated,
    Unchanged,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Item {
    pub kind: &'static str,
    pub name: String,
    pub change: Change,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

fn item(kind: &'static str, name: &str, change: Change, note: Option<String>) -> Item {
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

#[allow(clippy::too_many_lines)] // over the house limit: schemas and export are to be split apart
pub(crate) async fn init_espw(kcp: &Kcp, opts: &InitOptions, feedback: &dyn Feedback) -> Result<InitReport> {
    paths::check_path(&opts.espw_path).map_err(|e| Error::usage(format!("--espw-path: {e}")))?;
    let (parent, name) = paths::split_parent(&opts.espw_path).ok_or_else(|| {
        Error::usage(format!(
            "--espw-path {}: the ESPW must be a child workspace, e.g. root:espw",
            opts.espw_path
        ))
    })?;
    let deadline = Instant::now() + opts.timeout;
    let mut items = Vec::new();

    // The workspace.
    let parent_scope = kcp.cluster(parent);
    let existing: Option<Workspace> =
        parent_scope
            .get(&format!("{WORKSPACES}/{name}"))
            .await
            .map_err(|e| {
                e.to_error(
                    &format!("failed to read workspace {name} in {parent}"),
                    &parent_scope.url(),
                )
            })?;
    match &existing {
        Some(ws) if ws.deleting() => {
            return Err(
                Error::failed(format!("workspace {} is being deleted", opts.espw_path))
                    .hint("wait until it is gone, then run init espw again"),
            );
        }
        Some(_) => items.push(item("Workspace", &opts.espw_path, Change::Unchanged, None)),
        None if opts.dry_run => {
            items.push(item("Workspace", &opts.espw_path, Change::Created, None));
            let schemas = edge_api::resource_schemas();
            for s in &schemas {
                items.push(item(
                    "APIResourceSchema",
                    s["metadata"]["name"].as_str().unwrap_or_default(),
                    Change::Created,
                    None,
                ));
            }
            items.push(item("APIExport", edge_api::EXPORT_NAME, Change::Created, None));
            return Ok(InitReport {
                items,
                view_urls: vec![],
            });
        }
        None => {
            parent_scope
                .create::<Workspace>(WORKSPACES, &Workspace::new(name))
                .await
                .map_err(|e| {
                    e.to_error(
                        &format!("failed to create workspace {name} in {parent}"),
                        &parent_scope.url(),
                    )
                })?;
            items.push(item("Workspace", &opts.espw_path, Change::Created, None));
        }
    }
    if !existing.as_ref().is_some_and(|w| w.ready()) {
        super::wait_for(
            kcp,
            parent,
            name,
            deadline,
            "become Ready",
            |w: Option<&Workspace>| w.is_some_and(|w| w.ready()),
        )
        .await?;
    }

    // The export as it is, and the schemas it lists.
    let espw = kcp.cluster(&opts.espw_path);
    // The export in the version the server stores it in (v1alpha2 on kcp v0.28 and later).
    let generation = kcp.generation().await;
    let export_path = format!("{}/{}", generation.apiexports(), edge_api::EXPORT_NAME);
    let current: Option<ApiExport> = espw
        .get(&export_path)
        .await
        .map_err(|e| e.to_error("failed to read the APIExport", &espw.url()))?;
    let present: Vec<Value> = espw
        .list::<Value>(APIRESOURCESCHEMAS, &ListQuery::default())
        .await
        .map_err(|e| e.to_error("failed to list APIResourceSchemas", &espw.url()))?
        .items;
    let listed = current.as_ref().map(ApiExport::schema_names).unwrap_or_default();

    // The schemas. One the export lists for the same resource and equal in content is kept,
    // whatever its name (KubeStellar's own, say): a new schema would move every binding for
    // nothing. Otherwise ours, content-addressed, so an existing one with our name is ours.
    let mut names = Vec::new();
    for mut schema in edge_api::resource_schemas() {
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
                items.push(item("APIResourceSchema", listed_name, Change::Unchanged, None));
                names.push(listed_name.clone());
                continue;
            }
            let more = match diffs.len() {
                1 => String::new(),
                n => format!(" (and {} more)", n - 1),
            };
            note = Some(format!("replaces {listed_name}: {}{more}", diffs[0]));
        }
        names.push(schema_name.clone());
        match find(&schema_name) {
            // Exact, but for what kcp defaults in a stored schema (`nameValidation`, v0.28+).
            Some(p)
                if edge_api::without_server_defaults(&p["spec"])
                    == edge_api::without_server_defaults(&schema["spec"]) =>
            {
                items.push(item("APIResourceSchema", &schema_name, Change::Unchanged, note))
            }
            Some(_) => {
                return Err(Error::failed(format!(
                    "APIResourceSchema {schema_name} in {} exists with a different definition",
                    opts.espw_path
                ))
                .hint("schemas are immutable and this name is reserved for this definition: delete that schema, then run init espw again"));
            }
            None if opts.dry_run => {
                items.push(item("APIResourceSchema", &schema_name, Change::Created, note))
            }
            None => {
                schema["metadata"]["labels"] = json!({MANAGED_BY.0: MANAGED_BY.1});
                espw.create::<Value>(APIRESOURCESCHEMAS, &schema)
                    .await
                    .map_err(|e| {
                        e.to_error(
                            &format!("failed to create APIResourceSchema {schema_name}"),
                            &espw.url(),
                        )
                    })?;
                items.push(item("APIResourceSchema", &schema_name, Change::Created, note));
            }
        }
    }

    // The export, listing exactly those schemas.
    let mut wanted = names.clone();
    wanted.sort();
    match current {
        None if opts.dry_run => items.push(item("APIExport", edge_api::EXPORT_NAME, Change::Created, None)),
        None => {
            let mut export = match generation {
                Generation::V0_11 => edge_api::api_export(&names),
                Generation::V0_32 => edge_api::api_export_v1alpha2(&names),
            };
            export["metadata"]["labels"] = json!({MANAGED_BY.0: MANAGED_BY.1});
            espw.create::<Value>(&generation.apiexports(), &export)
                .await
                .map_err(|e| e.to_error("failed to create the APIExport", &espw.url()))?;
            items.push(item("APIExport", edge_api::EXPORT_NAME, Change::Created, None));
        }
        Some(export) => {
            let mut have = export.schema_names();
            have.sort();
            if have == wanted {
                items.push(item("APIExport", edge_api::EXPORT_NAME, Change::Unchanged, None));
            } else {
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
                    espw.update::<ApiExport>(&export_path, &updated)
                        .await
                        .map_err(|e| e.to_error("failed to update the APIExport", &espw.url()))?;
                }
                items.push(item("APIExport", edge_api::EXPORT_NAME, Change::Updated, note));
            }
        }
    }
    let mut view_urls = vec![];
    if !opts.dry_run {
        // Newer kcp has no view before something binds the export: ready is its endpoint
        // slice existing, empty.
        let export = ExportRef {
            path: &opts.espw_path,
            name: edge_api::EXPORT_NAME,
        };
        view_urls = wait_for_view(kcp, export, Some(deadline), IfAbsent::Fail, |m| feedback.note(m)).await?;
    }
    Ok(InitReport { items, view_urls })
}
