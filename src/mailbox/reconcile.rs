//! One mailbox, one step: decide from what is observed, then make at most one change. The
//! same step serves `mailbox sync` and `mailbox watch`; only what drives it differs.

use crate::error::Error;
use crate::kcp::Address;
use crate::kcp::Kcp;
use crate::kcp::denied::{DOC, Denied, forbidden};
use crate::kcp::types::{ApiBinding, Workspace};
use crate::mailbox::layout::{BINDING_NAME, Layout};
use crate::mailbox::observed::{Observed, Snapshot, workspace_ref};
use crate::mailbox::plan::{Action, Binding, Decision, Policy, Status, decide};
use serde::Serialize;
use std::sync::{Arc, Mutex};

/// A change made (or, in a dry run, that would be made).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Did {
    Created,
    Bound,
    Deleted,
}

impl Did {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Did::Created => "created",
            Did::Bound => "bound",
            Did::Deleted => "deleted",
        }
    }
}

/// The outcome of one step.
#[derive(Debug, Clone)]
pub(crate) enum Step {
    /// Nothing more to do for now.
    Settled {
        status: Status,
        did: Option<Did>,
        note: Option<String>,
    },
    /// It will change by itself (a workspace becoming Ready, or going away): step again when
    /// it does.
    Waiting {
        status: Status,
        did: Option<Did>,
        note: Option<String>,
    },
    /// A dry run's plan: what a real run would do from here, to the end.
    Planned {
        status: Status,
        would: Vec<Did>,
        note: Option<String>,
    },
    /// A transient failure: try again later.
    Retry { error: Error, did: Option<Did> },
    /// Needs a person.
    Failed { status: Status, error: Error },
}

/// Everything a real run does from a decision until the mailbox settles: a workspace it
/// creates (or waits to see go, to create again) it then binds; one it waits to be Ready too.
fn planned(action: &Action) -> Vec<Did> {
    match action {
        Action::Nothing => vec![],
        Action::CreateWorkspace | Action::WaitUntilGone => vec![Did::Created, Did::Bound],
        Action::WaitForReady | Action::CreateBinding { .. } | Action::CheckBinding { .. } => {
            vec![Did::Bound]
        }
        Action::DeleteWorkspace { .. } => vec![Did::Deleted],
    }
}

/// A decision in words, for `-v`.
fn describe(d: &Decision) -> String {
    let what = match &d.action {
        Action::Nothing => "nothing to do",
        Action::CreateWorkspace => "create the workspace",
        Action::WaitForReady => "wait until it is Ready, then create bind-edge",
        Action::CreateBinding { .. } => "create bind-edge (the view lists none there)",
        Action::CheckBinding { .. } => {
            "read bind-edge, and create it if absent (the view did not list bindings)"
        }
        Action::WaitUntilGone => "wait until the old workspace is gone, then create it again",
        Action::DeleteWorkspace { .. } => "delete it (its UID as a precondition): its SyncTarget is gone",
    };
    match &d.note {
        Some(n) => format!("{what}; {n}"),
        None => what.to_string(),
    }
}

pub(crate) struct Reconciler {
    pub kcp: Kcp,
    pub layout: Layout,
    pub policy: Policy,
    pub dry_run: bool,
    pub observed: Arc<Mutex<Observed>>,
}

impl Reconciler {
    pub(crate) fn observed(&self) -> std::sync::MutexGuard<'_, Observed> {
        self.observed.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub(crate) fn decide(&self, name: &str) -> (Snapshot, Decision) {
        let snap = self.observed().snapshot(name);
        let d = decide(&snap.observation(), self.policy, &self.layout.annotation_key);
        (snap, d)
    }

    pub(crate) async fn step(&self, name: &str) -> Step {
        let (snap, d) = self.decide(name);
        // Paths were looked up when the SyncTargets were read: a label costs no request.
        let label = self.observed().sync_target_label(name);
        tracing::debug!(mailbox = name, sync_target = %label, status = %d.status.as_str(), "decided: {}", describe(&d));
        let settled = |did| Step::Settled {
            status: d.status,
            did,
            note: d.note.clone(),
        };
        match d.action {
            Action::Nothing if d.status.is_problem() => Step::Failed {
                status: d.status,
                error: Error::failed(format!("mailbox {name}: {}", d.note.clone().unwrap_or_default())),
            },
            _ if self.dry_run => Step::Planned {
                status: d.status,
                would: planned(&d.action),
                note: d.note.clone(),
            },
            Action::Nothing => settled(None),
            Action::WaitForReady | Action::WaitUntilGone => Step::Waiting {
                status: d.status,
                did: None,
                note: d.note.clone(),
            },
            Action::CreateWorkspace => self.create_workspace(name, &snap, &label).await,
            Action::CreateBinding { cluster } => self.bind(name, &cluster, false, &label).await,
            Action::CheckBinding { cluster } => self.bind(name, &cluster, true, &label).await,
            Action::DeleteWorkspace { uid } => self.delete(name, &uid, &label).await,
        }
    }

    async fn create_workspace(&self, name: &str, snap: &Snapshot, label: &str) -> Step {
        let st = snap
            .sync_target
            .as_ref()
            .expect("a create is decided only for a wanted mailbox");
        let mut ws = Workspace::new(name);
        ws.metadata.annotations = Some([(self.layout.annotation_key.clone(), st.name.to_string())].into());
        let parent = self.kcp.cluster(&self.layout.mailbox_parent);
        match parent.create::<Workspace>(&Workspace::collection(), &ws).await {
            Ok(created) => {
                let created = workspace_ref(&(&created).into(), &self.layout.annotation_key);
                self.observed().fill_workspace(created);
                tracing::info!(mailbox = name, sync_target = %label, "created mailbox workspace");
                Step::Waiting {
                    status: Status::Pending,
                    did: Some(Did::Created),
                    note: None,
                }
            }
            // Someone raced us: fine, the watch shows it.
            Err(e) if e.is_already_exists() => Step::Waiting {
                status: Status::Pending,
                did: None,
                note: None,
            },
            Err(e) if e.is_retryable() => Step::Retry {
                error: e.to_error(&format!("failed to create mailbox {name}"), &parent.url()),
                did: None,
            },
            Err(e) if e.is_forbidden() => Step::Failed {
                status: Status::Missing,
                error: forbidden(
                    &parent,
                    &e,
                    &format!("failed to create mailbox {name}"),
                    &self.layout.mailbox_parent,
                )
                .await,
            },
            Err(e) => Step::Failed {
                status: Status::Missing,
                error: e.to_error(&format!("failed to create mailbox {name}"), &parent.url()),
            },
        }
    }

    /// Make sure `bind-edge` exists; `look_first` reads it before creating (when the view
    /// could not say).
    async fn bind(&self, name: &str, cluster: &str, look_first: bool, label: &str) -> Step {
        let scope = self.kcp.cluster(cluster);
        let path = ApiBinding::object(BINDING_NAME);
        let what = format!("failed to ensure {BINDING_NAME} in mailbox {name}");
        if look_first {
            match scope.get::<ApiBinding>(&path).await {
                Ok(Some(b)) => return self.judge_existing(name, cluster, &b),
                Ok(None) => {}
                Err(e) if e.is_retryable() => {
                    return Step::Retry {
                        error: e.to_error(&what, &scope.url()),
                        did: None,
                    };
                }
                Err(e) if e.is_forbidden() => {
                    return Step::Failed {
                        status: Status::Unbound,
                        error: forbidden(&scope, &e, &what, &format!("mailbox {name}")).await,
                    };
                }
                Err(e) => {
                    return Step::Failed {
                        status: Status::Unbound,
                        error: e.to_error(&what, &scope.url()),
                    };
                }
            }
        }
        let binding = ApiBinding::new(
            BINDING_NAME,
            &self.layout.binding_export_path,
            &self.layout.binding_export_name,
        );
        match scope
            .create::<ApiBinding>(&ApiBinding::collection(), &binding)
            .await
        {
            Ok(_) => {
                self.observed().confirm_binding(cluster, Binding::Correct);
                tracing::info!(mailbox = name, sync_target = %label, "created {BINDING_NAME}");
                Step::Settled {
                    status: Status::Ok,
                    did: Some(Did::Bound),
                    note: None,
                }
            }
            Err(e) if e.is_already_exists() => match scope.get::<ApiBinding>(&path).await {
                Ok(Some(b)) => self.judge_existing(name, cluster, &b),
                Ok(None) => Step::Retry {
                    error: Error::failed(format!(
                        "{BINDING_NAME} in mailbox {name} vanished while it was being created"
                    )),
                    did: None,
                },
                Err(e) => Step::Retry {
                    error: e.to_error(&what, &scope.url()),
                    did: None,
                },
            },
            Err(e) if e.is_retryable() => Step::Retry {
                error: e.to_error(&what, &scope.url()),
                did: None,
            },
            // kcp's admission refuses a binding the user may not make (`bind` on the export).
            Err(e) if e.is_forbidden() && e.message.contains("no permission to bind") => Step::Failed {
                status: Status::Unbound,
                error: Error::failed(format!(
                    "{what}: the user may not bind APIExport {name} in {path} (verb bind on apiexports {name} there)",
                    name = self.layout.binding_export_name,
                    path = self.layout.binding_export_path
                ))
                .hint(format!("{DOC} lists the permissions mailbox sync and watch need"))
                .cause(e),
            },
            Err(e) if e.is_forbidden() && Denied::parse(&e.message).is_some() => Step::Failed {
                status: Status::Unbound,
                error: forbidden(&scope, &e, &what, &format!("mailbox {name}")).await,
            },
            Err(e) if e.is_forbidden() => Step::Failed {
                status: Status::Unbound,
                error: e.to_error(&what, &scope.url()).hint(format!(
                    "kcp refuses bindings to an export that does not exist: check APIExport {} in {}",
                    self.layout.binding_export_name, self.layout.binding_export_path
                )),
            },
            Err(e) => Step::Failed {
                status: Status::Unbound,
                error: e.to_error(&what, &scope.url()),
            },
        }
    }

    fn judge_existing(&self, name: &str, cluster: &str, b: &ApiBinding) -> Step {
        if b.metadata.deletion_timestamp.is_some() {
            // kcp finishes deleting a binding after its objects: then it can be made again.
            return Step::Retry {
                error: Error::failed(format!(
                    "{BINDING_NAME} in mailbox {name} is being deleted; it is made again once it is gone"
                )),
                did: None,
            };
        }
        let right = b.export().is_some_and(|e| {
            e.name == self.layout.binding_export_name
                && e.path.as_deref().unwrap_or_default() == self.layout.binding_export_path
        });
        if right {
            self.observed().confirm_binding(cluster, Binding::Correct);
            return Step::Settled {
                status: Status::Ok,
                did: None,
                note: None,
            };
        }
        self.observed().confirm_binding(cluster, Binding::Wrong);
        let shown = b
            .export()
            .map(|e| format!("{}:{}", e.path.as_deref().unwrap_or("(this workspace)"), e.name))
            .unwrap_or_else(|| "no export".into());
        Step::Failed {
            status: Status::Conflict,
            error: Error::failed(format!(
                "mailbox {name} has a {BINDING_NAME} that binds {shown}, not {}:{}",
                self.layout.binding_export_path, self.layout.binding_export_name
            ))
            .hint(format!(
                "bindings cannot be changed: delete {BINDING_NAME} in that workspace and sync again"
            )),
        }
    }

    async fn delete(&self, name: &str, uid: &str, label: &str) -> Step {
        let parent = self.kcp.cluster(&self.layout.mailbox_parent);
        let what = format!("failed to delete orphan mailbox {name}");
        match parent.delete(&Workspace::object(name), Some(uid)).await {
            // Someone else deleted it first: nothing for this run to count.
            Ok(false) => Step::Settled {
                status: Status::Orphan,
                did: None,
                note: None,
            },
            Ok(true) => {
                self.observed().mark_deleting(name, uid);
                tracing::info!(mailbox = name, sync_target = %label, "deleted mailbox workspace: its SyncTarget is gone");
                Step::Settled {
                    status: Status::Orphan,
                    did: Some(Did::Deleted),
                    note: None,
                }
            }
            // The UID changed: it was re-created meanwhile. Look again.
            Err(e) if e.is_conflict() => Step::Retry {
                error: e.to_error(&what, &parent.url()),
                did: None,
            },
            Err(e) if e.is_retryable() => Step::Retry {
                error: e.to_error(&what, &parent.url()),
                did: None,
            },
            Err(e) if e.is_forbidden() => Step::Failed {
                status: Status::Orphan,
                error: forbidden(&parent, &e, &what, &self.layout.mailbox_parent).await,
            },
            Err(e) => Step::Failed {
                status: Status::Orphan,
                error: e.to_error(&what, &parent.url()),
            },
        }
    }
}
