//! The reconcile decision, pure: from what exists for one mailbox name to what to do and what
//! to call its state. `sync`, `watch` and `list` all decide here.

use compact_str::CompactString;
use serde::Serialize;

/// One SyncTarget, from the read to the report: where it lives, its name, and the UID its
/// mailbox is named after. `sync` and `list` both report it as it is (their JSON).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct SyncTargetId {
    /// Its inventory workspace's path, once known (the parent's children come with its
    /// listing; others are looked up).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<CompactString>,
    /// The logical cluster (ID) of the inventory workspace it lives in.
    pub cluster: CompactString,
    pub name: CompactString,
    /// Empty when only an orphan mailbox's annotation names it.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub uid: String,
    #[serde(skip)]
    pub deleting: bool,
}

impl SyncTargetId {
    /// `root:imw1/florin`: the path, or the cluster ID standing in for a path not known.
    pub(crate) fn label(&self) -> String {
        match self.path.as_deref().unwrap_or(&self.cluster) {
            "" => self.name.to_string(),
            place => format!("{place}/{}", self.name),
        }
    }
}

/// A workspace in the mailbox parent whose name has the mailbox name (or looks like one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct WorkspaceRef {
    pub name: crate::mailbox::naming::Name,
    pub uid: String,
    pub phase: CompactString,
    /// The logical cluster ID, once assigned.
    pub cluster: Option<CompactString>,
    pub deleting: bool,
    /// The value of the sync-target-name annotation, if it has one.
    pub sync_target_name: Option<CompactString>,
    /// Exact mailbox name form and the annotation: the tool may delete it.
    pub owned: bool,
}

impl WorkspaceRef {
    pub(crate) fn ready(&self) -> bool {
        self.phase == "Ready" && self.cluster.is_some()
    }
}

/// What is known of the mailbox's `bind-edge`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Binding {
    /// Not read (the view does not list bindings, or the read failed).
    Unknown,
    Absent,
    /// Present and bound to the edge export.
    Correct,
    /// A `bind-edge` that references something else (immutable: a person must fix it).
    Wrong,
}

/// Everything the decision looks at, for one mailbox name.
#[derive(Debug, Clone)]
pub(crate) struct Observation<'a> {
    pub sync_target: Option<&'a SyncTargetId>,
    pub workspace: Option<&'a WorkspaceRef>,
    pub binding: Binding,
    /// Every inventory endpoint was read completely and without error.
    pub inventory_complete: bool,
    /// The mailbox's inventory workspace (the `<cluster>` of its `<cluster>-mb-<uid>` name)
    /// is seen through the views read: bound to the export there, or holding a SyncTarget.
    pub inventory_seen: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Policy {
    /// Delete owned mailboxes whose SyncTarget is gone (`--no-prune` turns it off).
    pub prune: bool,
    /// The views are one partition's shards (`--endpoint-slice`): a mailbox whose inventory
    /// workspace is not seen there is another partition's, and never deleted here.
    pub partitioned: bool,
}

impl Policy {
    /// Pruning as asked, partitioned as the layout says.
    pub(crate) fn new(prune: bool, layout: &crate::mailbox::layout::Layout) -> Policy {
        Policy {
            prune,
            partitioned: layout.partitioned(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Action {
    Nothing,
    CreateWorkspace,
    /// It exists but is not Ready yet: nothing to do until it changes.
    WaitForReady,
    CreateBinding {
        cluster: CompactString,
    },
    /// The binding could not be read from the view: look at it directly.
    CheckBinding {
        cluster: CompactString,
    },
    /// A wanted mailbox is being deleted: create it again once it is gone.
    WaitUntilGone,
    DeleteWorkspace {
        uid: String,
    },
}

/// The state of a mailbox, as `mailbox list` shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Status {
    /// Ready and bound.
    Ok,
    /// The SyncTarget has no mailbox yet.
    Missing,
    /// The mailbox exists but is not Ready yet.
    Pending,
    /// Ready, without `bind-edge`.
    Unbound,
    /// Being deleted (it will be re-created if its SyncTarget still exists).
    Terminating,
    /// An owned mailbox whose SyncTarget is gone.
    Orphan,
    /// The mailbox name is taken by something the tool will not touch.
    Conflict,
    /// Looks like a mailbox but is not owned, and no SyncTarget wants it: left alone.
    Unowned,
    /// With `--endpoint-slice`: its SyncTarget's inventory workspace is not on this
    /// partition's shards, so it is another partition's to keep or delete: left alone.
    Elsewhere,
    /// The SyncTarget's mailbox name would not be a valid workspace name.
    Invalid,
    /// Neither the SyncTarget nor its mailbox exists any more (both went while a controller
    /// looked): nothing is left to do or to show.
    Gone,
}

impl Status {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Missing => "missing",
            Status::Pending => "pending",
            Status::Unbound => "unbound",
            Status::Terminating => "terminating",
            Status::Orphan => "orphan",
            Status::Conflict => "conflict",
            Status::Unowned => "unowned",
            Status::Elsewhere => "elsewhere",
            Status::Invalid => "invalid",
            Status::Gone => "gone",
        }
    }

    /// A state that needs a person, not just time: it makes a one-shot run fail.
    pub(crate) fn is_problem(self) -> bool {
        matches!(self, Status::Conflict | Status::Invalid)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Decision {
    pub action: Action,
    pub status: Status,
    /// Why, when it is not obvious.
    pub note: Option<String>,
}

fn decision(action: Action, status: Status) -> Decision {
    Decision {
        action,
        status,
        note: None,
    }
}

fn noted(action: Action, status: Status, note: impl Into<String>) -> Decision {
    Decision {
        action,
        status,
        note: Some(note.into()),
    }
}

pub(crate) fn decide(o: &Observation, policy: Policy, annotation_key: &str) -> Decision {
    let wanted = o.sync_target.filter(|st| !st.deleting);
    match (wanted, o.workspace) {
        (Some(_), None) => decision(Action::CreateWorkspace, Status::Missing),
        (Some(_), Some(ws)) if ws.deleting => noted(
            Action::WaitUntilGone,
            Status::Terminating,
            "being deleted; it is created again once gone",
        ),
        (Some(st), Some(ws)) => {
            if let Some(other) = ws.sync_target_name.as_deref().filter(|n| *n != st.name) {
                return noted(
                    Action::Nothing,
                    Status::Conflict,
                    format!(
                        "the workspace's {annotation_key} annotation names {other:?}, not {:?}; fix or delete it by hand",
                        st.name
                    ),
                );
            }
            let unowned_note = ws
                .sync_target_name
                .is_none()
                .then(|| format!("has no {annotation_key} annotation, so it will never be deleted"));
            let with_note = |mut d: Decision| {
                if d.note.is_none() {
                    d.note = unowned_note.clone();
                }
                d
            };
            let Some(cluster) = ws.cluster.clone().filter(|_| ws.ready()) else {
                return with_note(decision(Action::WaitForReady, Status::Pending));
            };
            with_note(match o.binding {
                Binding::Correct => decision(Action::Nothing, Status::Ok),
                Binding::Absent => decision(Action::CreateBinding { cluster }, Status::Unbound),
                Binding::Unknown => decision(Action::CheckBinding { cluster }, Status::Unbound),
                Binding::Wrong => noted(
                    Action::Nothing,
                    Status::Conflict,
                    "its bind-edge references another export; bindings cannot be changed, so delete bind-edge and sync again",
                ),
            })
        }
        // A SyncTarget being deleted whose mailbox is already gone; or nothing at all.
        (None, None) if o.sync_target.is_some() => decision(Action::Nothing, Status::Terminating),
        (None, None) => decision(Action::Nothing, Status::Gone),
        (None, Some(ws)) if ws.deleting => decision(Action::Nothing, Status::Terminating),
        (None, Some(ws)) if !ws.owned => noted(
            Action::Nothing,
            Status::Unowned,
            "looks like a mailbox but is not one this tool created; left alone",
        ),
        (None, Some(_)) if policy.partitioned && !o.inventory_seen => noted(
            Action::Nothing,
            Status::Elsewhere,
            "its inventory workspace is not on this partition's shards: another partition's controller keeps or deletes it",
        ),
        (None, Some(_)) if !o.inventory_complete => noted(
            Action::Nothing,
            Status::Orphan,
            "not deleted: the SyncTarget inventory could not be read completely",
        ),
        (None, Some(_)) if !policy.prune => noted(Action::Nothing, Status::Orphan, "not deleted: --no-prune"),
        (None, Some(ws)) => decision(Action::DeleteWorkspace { uid: ws.uid.clone() }, Status::Orphan),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "edge.kubestellar.io/sync-target-name";

    fn st(deleting: bool) -> SyncTargetId {
        SyncTargetId {
            path: None,
            cluster: "c1".into(),
            name: "guilder".into(),
            uid: "u1".into(),
            deleting,
        }
    }

    fn ws(phase: &str, deleting: bool, owned: bool, annotation: Option<&str>) -> WorkspaceRef {
        WorkspaceRef {
            name: "c1-mb-u1".into(),
            uid: "wuid".into(),
            phase: phase.into(),
            cluster: (phase == "Ready" || phase == "Initializing").then(|| "mbcluster".into()),
            deleting,
            sync_target_name: annotation.map(CompactString::from),
            owned,
        }
    }

    /// (case, SyncTarget, workspace, binding, inventory complete, prune, action, status)
    type Case<'a> = (
        &'a str,
        Option<&'a SyncTargetId>,
        Option<&'a WorkspaceRef>,
        Binding,
        bool,
        bool,
        Action,
        Status,
    );

    /// One row of the partition table: (case, SyncTarget, workspace, inventory seen,
    /// inventory complete) → (action, status), with `--endpoint-slice`.
    type PartitionCase<'a> = (
        &'a str,
        Option<&'a SyncTargetId>,
        Option<&'a WorkspaceRef>,
        bool,
        bool,
        Action,
        Status,
    );

    /// With `--endpoint-slice`, what is not seen on the partition's shards is another's: only
    /// a mailbox whose inventory workspace is seen there may be deleted.
    #[test]
    #[allow(clippy::too_many_lines)] // a table: one row per case
    fn partition_table() {
        let live = st(false);
        let dying = st(true);
        let ready = ws("Ready", false, true, Some("guilder"));
        let deleting = ws("Ready", true, true, Some("guilder"));
        let foreign = ws("Ready", false, false, None);
        let delete = Action::DeleteWorkspace { uid: "wuid".into() };
        let cases: Vec<PartitionCase> = vec![
            (
                "orphan, its inventory workspace seen here → delete",
                None,
                Some(&ready),
                true,
                true,
                delete.clone(),
                Status::Orphan,
            ),
            (
                "no SyncTarget, inventory workspace not seen here → another partition's",
                None,
                Some(&ready),
                false,
                true,
                Action::Nothing,
                Status::Elsewhere,
            ),
            (
                "another partition's, even after a partial read",
                None,
                Some(&ready),
                false,
                false,
                Action::Nothing,
                Status::Elsewhere,
            ),
            (
                "orphan seen here, partial read → keep",
                None,
                Some(&ready),
                true,
                false,
                Action::Nothing,
                Status::Orphan,
            ),
            (
                "SyncTarget deleting here → delete",
                Some(&dying),
                Some(&ready),
                true,
                true,
                delete,
                Status::Orphan,
            ),
            (
                "wanted here → created as ever",
                Some(&live),
                None,
                true,
                true,
                Action::CreateWorkspace,
                Status::Missing,
            ),
            (
                "not owned → unowned, whichever partition",
                None,
                Some(&foreign),
                false,
                true,
                Action::Nothing,
                Status::Unowned,
            ),
            (
                "another partition's being deleted → terminating, nothing to do",
                None,
                Some(&deleting),
                false,
                true,
                Action::Nothing,
                Status::Terminating,
            ),
        ];
        for (case, st, ws, seen, complete, action, status) in cases {
            let o = Observation {
                sync_target: st,
                workspace: ws,
                binding: Binding::Correct,
                inventory_complete: complete,
                inventory_seen: seen,
            };
            let partitioned = Policy {
                prune: true,
                partitioned: true,
            };
            let d = decide(&o, partitioned, KEY);
            assert_eq!((&d.action, d.status), (&action, status), "{case}");
            // Without a partition, what is seen does not matter.
            let whole = decide(
                &o,
                Policy {
                    prune: true,
                    partitioned: false,
                },
                KEY,
            );
            let seen_too = decide(
                &Observation {
                    inventory_seen: true,
                    ..o.clone()
                },
                partitioned,
                KEY,
            );
            assert_eq!(whole, seen_too, "{case}: unpartitioned");
        }
    }

    /// The decision table, case by case: (case, SyncTarget, workspace, binding, inventory
    /// complete, prune) → (action, status).
    #[test]
    #[allow(clippy::too_many_lines)] // a table: one row per case
    fn decision_table() {
        let live = st(false);
        let dying = st(true);
        let ready = ws("Ready", false, true, Some("guilder"));
        let initializing = ws("Initializing", false, true, Some("guilder"));
        let scheduling = ws("Scheduling", false, true, Some("guilder"));
        let deleting = ws("Ready", true, true, Some("guilder"));
        let foreign = ws("Ready", false, false, None);
        let unannotated = ws("Ready", false, false, None);
        let misnamed = ws("Ready", false, true, Some("someone-else"));
        let bind = Action::CreateBinding {
            cluster: "mbcluster".into(),
        };
        let check = Action::CheckBinding {
            cluster: "mbcluster".into(),
        };
        let delete = Action::DeleteWorkspace { uid: "wuid".into() };
        let cases: Vec<Case> = vec![
            (
                "wanted, absent → create",
                Some(&live),
                None,
                Binding::Unknown,
                true,
                true,
                Action::CreateWorkspace,
                Status::Missing,
            ),
            (
                "create even from a partial read",
                Some(&live),
                None,
                Binding::Unknown,
                false,
                true,
                Action::CreateWorkspace,
                Status::Missing,
            ),
            (
                "wanted, scheduling → wait",
                Some(&live),
                Some(&scheduling),
                Binding::Unknown,
                true,
                true,
                Action::WaitForReady,
                Status::Pending,
            ),
            (
                "wanted, initializing → wait",
                Some(&live),
                Some(&initializing),
                Binding::Absent,
                true,
                true,
                Action::WaitForReady,
                Status::Pending,
            ),
            (
                "wanted, ready, unbound → bind",
                Some(&live),
                Some(&ready),
                Binding::Absent,
                true,
                true,
                bind.clone(),
                Status::Unbound,
            ),
            (
                "wanted, ready, binding unknown → check",
                Some(&live),
                Some(&ready),
                Binding::Unknown,
                true,
                true,
                check,
                Status::Unbound,
            ),
            (
                "wanted, ready, bound → nothing",
                Some(&live),
                Some(&ready),
                Binding::Correct,
                true,
                true,
                Action::Nothing,
                Status::Ok,
            ),
            (
                "wanted, wrong binding → conflict",
                Some(&live),
                Some(&ready),
                Binding::Wrong,
                true,
                true,
                Action::Nothing,
                Status::Conflict,
            ),
            (
                "wanted, deleting → wait until gone",
                Some(&live),
                Some(&deleting),
                Binding::Correct,
                true,
                true,
                Action::WaitUntilGone,
                Status::Terminating,
            ),
            (
                "wanted, annotation names another → conflict",
                Some(&live),
                Some(&misnamed),
                Binding::Correct,
                true,
                true,
                Action::Nothing,
                Status::Conflict,
            ),
            (
                "wanted, no annotation → still bound",
                Some(&live),
                Some(&unannotated),
                Binding::Absent,
                true,
                true,
                bind,
                Status::Unbound,
            ),
            (
                "unwanted, owned → delete with its UID",
                None,
                Some(&ready),
                Binding::Correct,
                true,
                true,
                delete.clone(),
                Status::Orphan,
            ),
            (
                "SyncTarget deleting, owned → delete",
                Some(&dying),
                Some(&ready),
                Binding::Correct,
                true,
                true,
                delete,
                Status::Orphan,
            ),
            (
                "unwanted, owned, partial read → keep",
                None,
                Some(&ready),
                Binding::Correct,
                false,
                true,
                Action::Nothing,
                Status::Orphan,
            ),
            (
                "unwanted, owned, no prune → keep",
                None,
                Some(&ready),
                Binding::Correct,
                true,
                false,
                Action::Nothing,
                Status::Orphan,
            ),
            (
                "unwanted, not owned → never delete",
                None,
                Some(&foreign),
                Binding::Unknown,
                true,
                true,
                Action::Nothing,
                Status::Unowned,
            ),
            (
                "unwanted, already deleting → nothing",
                None,
                Some(&deleting),
                Binding::Unknown,
                true,
                true,
                Action::Nothing,
                Status::Terminating,
            ),
            (
                "SyncTarget deleting, mailbox deleting → nothing",
                Some(&dying),
                Some(&deleting),
                Binding::Unknown,
                true,
                true,
                Action::Nothing,
                Status::Terminating,
            ),
            (
                "nothing on either side → gone",
                None,
                None,
                Binding::Unknown,
                true,
                true,
                Action::Nothing,
                Status::Gone,
            ),
            (
                "SyncTarget deleting, no mailbox → terminating, nothing to do",
                Some(&dying),
                None,
                Binding::Unknown,
                true,
                true,
                Action::Nothing,
                Status::Terminating,
            ),
        ];
        for (case, st, ws, binding, complete, prune, action, status) in cases {
            let o = Observation {
                sync_target: st,
                workspace: ws,
                binding,
                inventory_complete: complete,
                inventory_seen: true,
            };
            let d = decide(
                &o,
                Policy {
                    prune,
                    partitioned: false,
                },
                KEY,
            );
            assert_eq!((&d.action, d.status), (&action, status), "{case}");
        }
    }

    #[test]
    fn no_deletion_without_ownership_whatever_else_holds() {
        // Safety: for every combination, a workspace that is not owned is never deleted;
        // nothing is deleted after an incomplete read or with pruning off; and with a
        // partition, nothing whose inventory workspace is not seen on its shards.
        let owned = [true, false];
        for &own in &owned {
            for complete in [true, false] {
                for prune in [true, false] {
                    for partitioned in [true, false] {
                        for seen in [true, false] {
                            for st in [None, Some(st(true))] {
                                let w = ws("Ready", false, own, own.then_some("guilder"));
                                let o = Observation {
                                    sync_target: st.as_ref(),
                                    workspace: Some(&w),
                                    binding: Binding::Unknown,
                                    inventory_complete: complete,
                                    inventory_seen: seen,
                                };
                                let policy = Policy { prune, partitioned };
                                let deletes =
                                    matches!(decide(&o, policy, KEY).action, Action::DeleteWorkspace { .. });
                                assert_eq!(
                                    deletes,
                                    own && complete && prune && (seen || !partitioned),
                                    "owned={own} complete={complete} prune={prune} partitioned={partitioned} seen={seen}"
                                );
                            }
                        }
                    }
                }
            }
        }
    }
}
