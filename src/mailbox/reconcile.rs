//! One mailbox, one step: decide from what is observed, then make at most one change. The
//! same step serves `mailbox sync` and `mailbox watch`; only what drives it differs.

use crate::error::Error;
use crate::kcp::Kcp;
use crate::kcp::types::{APIBINDINGS, ApiBinding, WORKSPACES, Workspace};
use crate::mailbox::layout::{BINDING_NAME, Layout};
use crate::mailbox::observed::{Observed, Snapshot};
use crate::mailbox::plan::{Action, Binding, Decision, Policy, Status, decide};
use serde::Serialize;
use std::sync::{Arc, Mutex};

/// A change made (or, in a dry run, that would be made).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Did {
    Created,
    Bound,
    Deleted,
}

impl Did {
    pub fn as_str(self) -> &'static str {
        match self {
            Did::Created => "created",
            Did::Bound => "bound",
            Did::Deleted => "deleted",
        }
    }
}

/// The outcome of one step.
#[derive(Debug, Clone)]
pub enum Step {
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
    /// A transient failure: try again later.
    Retry { error: Error, did: Option<Did> },
    /// Needs a person.
    Failed { status: Status, error: Error },
}

pub struct Reconciler {
    pub kcp: Kcp,
    pub layout: Layout,
    pub policy: Policy,
    pub dry_run: bool,
    pub observed: Arc<Mutex<Observed>>,
}

impl Reconciler {
    pub fn observed(&self) -> std::sync::MutexGuard<'_, Observed> {
        self.observed.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// `cluster/name` of the SyncTarget a mailbox is for (from the name and the annotation
    /// when the SyncTarget is gone), for log lines.
    fn sync_target_of(&self, name: &str) -> String {
        let o = self.observed();
        match o.sync_target(name) {
            Some(st) => format!("{}/{}", st.cluster, st.name),
            None => format!(
                "{}/{}",
                crate::mailbox::naming::cluster_of(name).unwrap_or("?"),
                o.workspace(name)
                    .and_then(|w| w.sync_target_name.clone())
                    .unwrap_or_else(|| "?".into())
            ),
        }
    }

    pub fn decide(&self, name: &str) -> (Snapshot, Decision) {
        let snap = self.observed().snapshot(name);
        let d = decide(&snap.observation(), self.policy, &self.layout.annotation_key);
        (snap, d)
    }

    pub async fn step(&self, name: &str) -> Step {
        let (snap, d) = self.decide(name);
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
            Action::Nothing => settled(None),
            Action::WaitForReady | Action::WaitUntilGone => Step::Waiting {
                status: d.status,
                did: None,
                note: d.note.clone(),
            },
            _ if self.dry_run => {
                let did = match d.action {
                    Action::CreateWorkspace => Some(Did::Created),
                    Action::CreateBinding { .. } | Action::CheckBinding { .. } => Some(Did::Bound),
                    Action::DeleteWorkspace { .. } => Some(Did::Deleted),
                    _ => None,
                };
                settled(did)
            }
            Action::CreateWorkspace => self.create_workspace(name, &snap).await,
            Action::CreateBinding { cluster } => self.bind(name, &cluster, false).await,
            Action::CheckBinding { cluster } => self.bind(name, &cluster, true).await,
            Action::DeleteWorkspace { uid } => self.delete(name, &uid).await,
        }
    }

    async fn create_workspace(&self, name: &str, snap: &Snapshot) -> Step {
        let st = snap
            .sync_target
            .as_ref()
            .expect("a create is decided only for a wanted mailbox");
        let mut ws = Workspace::new(name);
        ws.metadata.annotations = Some([(self.layout.annotation_key.clone(), st.name.clone())].into());
        let parent = self.kcp.cluster(&self.layout.mailbox_parent);
        match parent.create::<Workspace>(WORKSPACES, &ws).await {
            Ok(created) => {
                self.observed().fill_workspace(&(&created).into());
                tracing::info!(mailbox = name, sync_target = %format!("{}/{}", st.cluster, st.name), "created mailbox workspace");
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
            Err(e) => Step::Failed {
                status: Status::Missing,
                error: e.to_error(&format!("failed to create mailbox {name}"), &parent.url()),
            },
        }
    }

    /// Make sure `bind-edge` exists; `look_first` reads it before creating (when the view
    /// could not say).
    async fn bind(&self, name: &str, cluster: &str, look_first: bool) -> Step {
        let scope = self.kcp.cluster(cluster);
        let path = format!("{APIBINDINGS}/{BINDING_NAME}");
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
        match scope.create::<ApiBinding>(APIBINDINGS, &binding).await {
            Ok(_) => {
                self.observed().confirm_binding(cluster, Binding::Correct);
                tracing::info!(mailbox = name, sync_target = %self.sync_target_of(name), "created {BINDING_NAME}");
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

    async fn delete(&self, name: &str, uid: &str) -> Step {
        let parent = self.kcp.cluster(&self.layout.mailbox_parent);
        let what = format!("failed to delete orphan mailbox {name}");
        match parent.delete(&format!("{WORKSPACES}/{name}"), Some(uid)).await {
            Ok(_) => {
                tracing::info!(mailbox = name, sync_target = %self.sync_target_of(name), "deleted mailbox workspace: its SyncTarget is gone");
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
            Err(e) => Step::Failed {
                status: Status::Orphan,
                error: e.to_error(&what, &parent.url()),
            },
        }
    }
}
