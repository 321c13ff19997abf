//! What is known to exist: SyncTargets by view URL, candidate workspaces in the mailbox
//! parent, and `bind-edge` bindings seen through the view. Filled by one-shot lists (`sync`,
//! `list`) or kept current by watches (`watch`); read by the decision.

use crate::kcp::types::{CLUSTER_ANNOTATION, WorkspaceSummary};
use crate::mailbox::layout::BINDING_NAME;
use crate::mailbox::naming::{Name, cluster_of, has_mailbox_form, looks_like_mailbox, mailbox_name};
use crate::mailbox::plan::{Binding, Observation, SyncTargetId, WorkspaceRef};
use compact_str::CompactString;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// A SyncTarget whose mailbox name cannot be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct InvalidSyncTarget {
    pub sync_target: SyncTargetId,
    pub reason: String,
}

#[derive(Debug, Default)]
struct Endpoint {
    /// The endpoint has been listed completely at least once.
    synced: bool,
    /// The last read failed (the cache may be stale).
    failed: Option<String>,
    by_mailbox: HashMap<Name, SyncTargetId>,
    invalid: BTreeMap<(CompactString, CompactString), InvalidSyncTarget>,
}

#[derive(Debug, Default)]
pub(crate) struct Observed {
    endpoints: BTreeMap<String, Endpoint>,
    /// By view URL of the binding export: logical clusters holding a `bind-edge` bound to it;
    /// `None` when unknown. (Apart from the inventory: the exports may differ.)
    bindings: BTreeMap<String, Option<HashSet<CompactString>>>,
    workspaces: HashMap<Name, WorkspaceRef>,
    /// Mailbox logical cluster → workspace name, to route binding changes.
    by_cluster: HashMap<CompactString, Name>,
    /// What our own writes or direct reads established, until the view says otherwise.
    confirmed: HashMap<CompactString, Binding>,
    /// The mailbox parent's path.
    parent: String,
    /// Logical clusters seen through the inventory's views: bound to the export there (an
    /// IMW's binding, or a mailbox's `bind-edge`) or holding a SyncTarget. With
    /// `--endpoint-slice` these are the clusters on this partition's shards, whose mailboxes
    /// are this controller's to delete. A logical cluster never leaves its shard, so one seen
    /// is kept (a deleted IMW's mailboxes stay this partition's).
    seen: HashSet<CompactString>,
    /// Workspace paths by logical cluster, to show `root:imw1/florin` rather than an ID: the
    /// parent's children come with its listing; others are looked up once (`None`: looked
    /// up, not found). A path never changes, so nothing is forgotten.
    paths: HashMap<CompactString, Option<CompactString>>,
}

/// Everything the decision needs for one name, owned.
#[derive(Debug, Clone)]
pub(crate) struct Snapshot {
    pub sync_target: Option<SyncTargetId>,
    pub workspace: Option<WorkspaceRef>,
    pub binding: Binding,
    pub inventory_complete: bool,
    pub inventory_seen: bool,
}

impl Snapshot {
    pub(crate) fn observation(&self) -> Observation<'_> {
        Observation {
            sync_target: self.sync_target.as_ref(),
            workspace: self.workspace.as_ref(),
            binding: self.binding,
            inventory_complete: self.inventory_complete,
            inventory_seen: self.inventory_seen,
        }
    }
}

pub(crate) fn sync_target_of(meta: &ObjectMeta) -> SyncTargetId {
    SyncTargetId {
        path: None,
        cluster: meta
            .annotations
            .as_ref()
            .and_then(|a| a.get(crate::kcp::types::CLUSTER_ANNOTATION))
            .map(CompactString::from)
            .unwrap_or_default(),
        name: meta.name.as_deref().map(CompactString::from).unwrap_or_default(),
        uid: meta.uid.clone().unwrap_or_default(),
        deleting: meta.deletion_timestamp.is_some(),
    }
}

/// All that is kept of an APIBinding seen through the view: its logical cluster, and whether
/// it is a mailbox's `bind-edge`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ViewBinding {
    pub cluster: CompactString,
    /// kcp keeps a deleted binding (its finalizer) until its objects are gone: it no longer
    /// binds anything.
    pub deleting: bool,
    /// Named `bind-edge`: the binding a mailbox holds. Others (an IMW's) only tell that their
    /// logical cluster is on the view's shard.
    pub bind_edge: bool,
}

/// The binding a binding's metadata describes; `None` without its logical cluster.
pub(crate) fn view_binding_of(meta: &ObjectMeta) -> Option<ViewBinding> {
    Some(ViewBinding {
        cluster: meta.annotations.as_ref()?.get(CLUSTER_ANNOTATION)?.into(),
        deleting: meta.deletion_timestamp.is_some(),
        bind_edge: meta.name.as_deref() == Some(BINDING_NAME),
    })
}

/// The logical clusters of inventory workspaces among these bindings: a `bind-edge` lives in a
/// mailbox, not an inventory workspace (and each new mailbox's would cost a look at every
/// workspace, `see`'s scan).
fn inventory_clusters<'a>(bindings: impl IntoIterator<Item = &'a ViewBinding>) -> Vec<CompactString> {
    bindings
        .into_iter()
        .filter(|b| !b.bind_edge)
        .map(|b| b.cluster.clone())
        .collect()
}

/// All that is kept of a workspace in the mailbox parent: a mailbox candidate's state, or an
/// inventory workspace's name and logical cluster (its path).
pub(crate) fn workspace_ref(ws: &WorkspaceSummary, annotation_key: &str) -> WorkspaceRef {
    let sync_target_name = ws.annotation(annotation_key).map(CompactString::from);
    WorkspaceRef {
        name: ws.name().into(),
        uid: ws.metadata.uid.clone().unwrap_or_default(),
        phase: ws.phase().into(),
        cluster: ws.cluster().map(CompactString::from),
        deleting: ws.deleting(),
        owned: has_mailbox_form(ws.name()) && sync_target_name.is_some(),
        sync_target_name,
    }
}

impl Observed {
    /// `endpoints`: the view URLs of the inventory export; `binding_views`: those of the
    /// export `bind-edge` binds (the same URLs when it is the same export).
    /// `parent`: the mailbox parent's path.
    pub(crate) fn new(parent: &str, endpoints: &[String], binding_views: &[String]) -> Observed {
        Observed {
            parent: parent.into(),
            paths: [("root".into(), Some("root".into()))].into(),
            endpoints: endpoints
                .iter()
                .map(|u| (u.clone(), Endpoint::default()))
                .collect(),
            bindings: binding_views.iter().map(|u| (u.clone(), None)).collect(),
            ..Default::default()
        }
    }

    // --- SyncTargets -------------------------------------------------------------------

    /// Replace an endpoint's SyncTargets with a complete list; returns the mailbox names
    /// whose SyncTarget appeared, changed or disappeared.
    pub(crate) fn set_sync_targets(&mut self, url: &str, items: Vec<SyncTargetId>) -> BTreeSet<Name> {
        let clusters: Vec<CompactString> = items.iter().map(|st| st.cluster.clone()).collect();
        let mut changed = self.see(clusters);
        let before: HashMap<Name, SyncTargetId> = {
            let ep = self.endpoints.entry(url.to_string()).or_default();
            ep.invalid.clear();
            // Room for all at once: a table doubling as it fills holds both sizes a moment.
            std::mem::replace(&mut ep.by_mailbox, HashMap::with_capacity(items.len()))
        };
        for st in items {
            self.insert(url, st, &before);
        }
        let ep = self.endpoints.entry(url.to_string()).or_default();
        ep.synced = true;
        ep.failed = None;
        for (name, st) in &ep.by_mailbox {
            if before.get(name) != Some(st) {
                changed.insert(name.clone());
            }
        }
        changed.extend(before.into_keys().filter(|n| !ep.by_mailbox.contains_key(n)));
        changed
    }

    /// The shared allocation of a mailbox name, if any map already holds it (`also`: one
    /// being rebuilt).
    fn intern(&self, name: &str, also: &HashMap<Name, SyncTargetId>) -> Name {
        self.workspaces
            .get_key_value(name)
            .map(|(k, _)| k)
            .or_else(|| also.get_key_value(name).map(|(k, _)| k))
            .or_else(|| {
                self.endpoints
                    .values()
                    .find_map(|e| e.by_mailbox.get_key_value(name).map(|(k, _)| k))
            })
            .cloned()
            .unwrap_or_else(|| Name::from(name))
    }

    fn insert(&mut self, url: &str, st: SyncTargetId, before: &HashMap<Name, SyncTargetId>) -> Option<Name> {
        match mailbox_name(&st.cluster, &st.uid) {
            Ok(name) => {
                let shared = self.intern(&name, before);
                let ep = self.endpoints.entry(url.to_string()).or_default();
                ep.by_mailbox.insert(shared.clone(), st);
                Some(shared)
            }
            Err(reason) => {
                let ep = self.endpoints.entry(url.to_string()).or_default();
                ep.invalid.insert(
                    (st.cluster.clone(), st.name.clone()),
                    InvalidSyncTarget {
                        sync_target: st,
                        reason,
                    },
                );
                None
            }
        }
    }

    /// One SyncTarget added or changed (a watch event); returns its mailbox name.
    pub(crate) fn apply_sync_target(&mut self, url: &str, st: SyncTargetId) -> BTreeSet<Name> {
        let mut touched = self.see([st.cluster.clone()]);
        touched.extend(self.insert(url, st, &HashMap::new()));
        touched
    }

    /// Note logical clusters seen through the inventory's views; the mailboxes of those new
    /// to it, which a partition's controller now owns.
    fn see(&mut self, clusters: impl IntoIterator<Item = CompactString>) -> BTreeSet<Name> {
        let new: HashSet<CompactString> = clusters
            .into_iter()
            .filter(|c| !c.is_empty() && self.seen.insert(c.clone()))
            .collect();
        if new.is_empty() {
            return BTreeSet::new();
        }
        self.workspaces
            .keys()
            .filter(|n| cluster_of(n).is_some_and(|c| new.contains(c)))
            .cloned()
            .collect()
    }

    /// Whether the inventory workspace a mailbox's name gives is seen through the views.
    pub(crate) fn inventory_seen(&self, mailbox: &str) -> bool {
        cluster_of(mailbox).is_some_and(|c| self.seen.contains(c))
    }

    pub(crate) fn delete_sync_target(&mut self, url: &str, st: &SyncTargetId) -> Option<Name> {
        let ep = self.endpoints.entry(url.to_string()).or_default();
        ep.invalid.remove(&(st.cluster.clone(), st.name.clone()));
        let name = mailbox_name(&st.cluster, &st.uid).ok()?;
        let removed = ep.by_mailbox.remove_entry(name.as_str()).map(|(n, _)| n);
        Some(removed.unwrap_or_else(|| Name::from(name)))
    }

    pub(crate) fn set_endpoint_failed(&mut self, url: &str, why: &str) {
        self.endpoints.entry(url.to_string()).or_default().failed = Some(why.into());
    }

    /// Every endpoint was listed, and none is failing: only then may anything be deleted.
    pub(crate) fn inventory_complete(&self) -> bool {
        !self.endpoints.is_empty() && self.endpoints.values().all(|e| e.synced && e.failed.is_none())
    }

    pub(crate) fn invalid_sync_targets(&self) -> Vec<InvalidSyncTarget> {
        self.endpoints
            .values()
            .flat_map(|e| e.invalid.values().cloned())
            .collect()
    }

    pub(crate) fn sync_target_count(&self) -> usize {
        self.endpoints
            .values()
            .map(|e| e.by_mailbox.len() + e.invalid.len())
            .sum()
    }

    // --- Workspaces --------------------------------------------------------------------

    /// Replace the candidate workspaces with a complete list; returns changed names.
    pub(crate) fn set_workspaces(&mut self, items: Vec<WorkspaceRef>) -> BTreeSet<Name> {
        let before = std::mem::replace(&mut self.workspaces, HashMap::with_capacity(items.len()));
        self.by_cluster.clear();
        self.by_cluster.reserve(items.len());
        for ws in items {
            self.apply_workspace(ws);
        }
        let mut changed: BTreeSet<Name> = self
            .workspaces
            .iter()
            .filter(|(n, w)| before.get(*n) != Some(*w))
            .map(|(n, _)| n.clone())
            .collect();
        changed.extend(before.into_keys().filter(|n| !self.workspaces.contains_key(n)));
        changed
    }

    /// A workspace added or changed; `None` when it is no mailbox candidate.
    pub(crate) fn apply_workspace(&mut self, mut r: WorkspaceRef) -> Option<Name> {
        if !looks_like_mailbox(&r.name) {
            // Perhaps an inventory workspace: its path comes free.
            if let Some(c) = r.cluster {
                let path = format!("{}:{}", self.parent, r.name);
                self.paths.insert(c, Some(path.into()));
            }
            return None;
        }
        r.name = self.intern(&r.name, &HashMap::new());
        if let Some(c) = &r.cluster {
            self.by_cluster.insert(c.clone(), r.name.clone());
        }
        let name = r.name.clone();
        self.workspaces.insert(r.name.clone(), r);
        Some(name)
    }

    /// Room for `n` mailboxes, made once before a run that may create them all (each table
    /// doubling as creates come back would hold both sizes a moment).
    pub(crate) fn expect_mailboxes(&mut self, n: usize) {
        self.workspaces.reserve(n.saturating_sub(self.workspaces.len()));
        self.by_cluster.reserve(n.saturating_sub(self.by_cluster.len()));
        self.confirmed.reserve(n.saturating_sub(self.confirmed.len()));
    }

    /// What a create returned, unless the watch already told more: a watch event may
    /// overtake the create's response, and a stale "Scheduling" over a seen "Ready" would
    /// wait for an event that never comes.
    pub(crate) fn fill_workspace(&mut self, r: WorkspaceRef) {
        if !self.workspaces.contains_key(&r.name) {
            self.apply_workspace(r);
        }
    }

    /// What a delete was answered: the workspace (this one, by UID) is on its way out, though
    /// the watch may not have said so yet; a step that looked again before it did would delete
    /// it a second time.
    pub(crate) fn mark_deleting(&mut self, name: &str, uid: &str) {
        if let Some(w) = self.workspaces.get_mut(name)
            && w.uid == uid
        {
            w.deleting = true;
        }
    }

    pub(crate) fn delete_workspace(&mut self, name: &str) -> Option<Name> {
        let (name, r) = self.workspaces.remove_entry(name)?;
        if let Some(c) = r.cluster {
            self.by_cluster.remove(&c);
            self.confirmed.remove(&c);
        }
        Some(name)
    }

    // --- Bindings ----------------------------------------------------------------------

    /// An endpoint's complete list of bindings to the export (`None`: the view does not
    /// serve them). Returns the mailbox names affected.
    pub(crate) fn set_bindings(&mut self, url: &str, items: Option<&[ViewBinding]>) -> BTreeSet<Name> {
        let mut affected = BTreeSet::new();
        if self.endpoints.contains_key(url) {
            affected = self.see(inventory_clusters(items.into_iter().flatten()));
        }
        let bound: Option<HashSet<CompactString>> = items.map(|list| {
            list.iter()
                .filter(|b| b.bind_edge && !b.deleting)
                .map(|b| b.cluster.clone())
                .collect()
        });
        let before = std::mem::replace(self.bindings.entry(url.to_string()).or_default(), bound.clone());
        let mut touched: HashSet<CompactString> = before.unwrap_or_default();
        touched.extend(bound.unwrap_or_default());
        for c in &touched {
            self.confirmed.remove(c);
        }
        affected.extend(touched.iter().filter_map(|c| self.by_cluster.get(c).cloned()));
        affected
    }

    /// One binding seen (or gone) through the view; returns the mailboxes it concerns: a
    /// `bind-edge`'s own, and those of an inventory workspace seen for the first time.
    pub(crate) fn binding_event(
        &mut self,
        url: &str,
        binding: &ViewBinding,
        present: bool,
    ) -> BTreeSet<Name> {
        let mut affected = BTreeSet::new();
        if present && self.endpoints.contains_key(url) {
            affected = self.see(inventory_clusters([binding]));
        }
        if !binding.bind_edge {
            return affected;
        }
        let cluster = binding.cluster.clone();
        let set = self
            .bindings
            .entry(url.to_string())
            .or_default()
            .get_or_insert_with(HashSet::new);
        if present && !binding.deleting {
            set.insert(cluster.clone());
        } else {
            set.remove(&cluster);
        }
        self.confirmed.remove(&cluster);
        affected.extend(self.by_cluster.get(&cluster).cloned());
        affected
    }

    /// Record what a write or a direct read established about a mailbox's binding.
    pub(crate) fn confirm_binding(&mut self, cluster: &str, state: Binding) {
        self.confirmed.insert(cluster.into(), state);
    }

    /// Forget what was learnt out of band, so a resync looks again.
    pub(crate) fn forget_confirmations(&mut self) {
        self.confirmed.clear();
    }

    fn binding_of(&self, cluster: &str) -> Binding {
        if let Some(b) = self.confirmed.get(cluster) {
            return *b;
        }
        let mut unknown = self.bindings.is_empty();
        for bound in self.bindings.values() {
            match bound {
                Some(set) if set.contains(cluster) => return Binding::Correct,
                Some(_) => {}
                None => unknown = true,
            }
        }
        if unknown {
            Binding::Unknown
        } else {
            Binding::Absent
        }
    }

    // --- Paths -------------------------------------------------------------------------

    /// The workspace path of a logical cluster, when known.
    pub(crate) fn path_of(&self, cluster: &str) -> Option<&str> {
        self.paths.get(cluster)?.as_deref()
    }

    /// What a lookup found (`None`: nothing; it is not asked again).
    pub(crate) fn set_path(&mut self, cluster: &str, path: Option<String>) {
        let known = self.paths.entry(cluster.into()).or_default();
        if known.is_none() {
            *known = path.map(CompactString::from);
        }
    }

    /// Whether the path of `cluster` is neither known nor looked up yet.
    pub(crate) fn needs_lookup(&self, cluster: &str) -> bool {
        !cluster.is_empty() && !self.paths.contains_key(cluster)
    }

    /// The inventory workspaces whose paths are neither known nor looked up yet.
    pub(crate) fn unresolved(&self) -> BTreeSet<String> {
        self.endpoints
            .values()
            .flat_map(|e| {
                e.by_mailbox
                    .values()
                    .chain(e.invalid.values().map(|i| &i.sync_target))
            })
            .map(|st| &st.cluster)
            .filter(|c| self.needs_lookup(c))
            .map(|c| c.to_string())
            .collect()
    }

    /// The SyncTarget of a mailbox, its path filled in when known; when it is gone, as the
    /// mailbox's name and annotation give it (no UID).
    pub(crate) fn identify(&self, mailbox: &str) -> Option<SyncTargetId> {
        let st = self.sync_target(mailbox).cloned().or_else(|| {
            Some(SyncTargetId {
                path: None,
                cluster: cluster_of(mailbox)?.into(),
                name: self.workspace(mailbox)?.sync_target_name.clone()?,
                uid: String::new(),
                deleting: false,
            })
        })?;
        Some(self.with_path(st))
    }

    /// A SyncTarget with its inventory workspace's path, when known.
    pub(crate) fn with_path(&self, st: SyncTargetId) -> SyncTargetId {
        SyncTargetId {
            path: self.path_of(&st.cluster).map(CompactString::from),
            ..st
        }
    }

    /// The SyncTarget of a mailbox as logs show it (`root:imw1/florin`; `?` for what is not
    /// known).
    pub(crate) fn sync_target_label(&self, mailbox: &str) -> String {
        self.identify(mailbox).map(|st| st.label()).unwrap_or_else(|| {
            let cluster = cluster_of(mailbox).unwrap_or("?");
            format!("{}/?", self.path_of(cluster).unwrap_or(cluster))
        })
    }

    // --- Reading -----------------------------------------------------------------------

    pub(crate) fn sync_target(&self, name: &str) -> Option<&SyncTargetId> {
        self.endpoints.values().find_map(|e| e.by_mailbox.get(name))
    }

    pub(crate) fn workspace(&self, name: &str) -> Option<&WorkspaceRef> {
        self.workspaces.get(name)
    }

    pub(crate) fn snapshot(&self, name: &str) -> Snapshot {
        let workspace = self.workspaces.get(name).cloned();
        let binding = workspace
            .as_ref()
            .and_then(|w| w.cluster.as_deref())
            .map(|c| self.binding_of(c))
            .unwrap_or(Binding::Unknown);
        Snapshot {
            sync_target: self.sync_target(name).cloned(),
            workspace,
            binding,
            inventory_complete: self.inventory_complete(),
            inventory_seen: self.inventory_seen(name),
        }
    }

    /// Every mailbox name that needs a decision: wanted ones and candidate workspaces.
    pub(crate) fn names(&self) -> BTreeSet<Name> {
        let mut names: BTreeSet<Name> = self
            .endpoints
            .values()
            .flat_map(|e| e.by_mailbox.keys().cloned())
            .collect();
        names.extend(self.workspaces.keys().cloned());
        names
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const UID: &str = "f99e773f-3db2-439e-8054-827c4ac55368";

    /// A SyncTarget as its metadata reads.
    fn st_meta(cluster: &str, name: &str, uid: &str) -> SyncTargetId {
        let meta = json!({"name": name, "uid": uid, "annotations": {"kcp.io/cluster": cluster}});
        sync_target_of(&serde_json::from_value(meta).unwrap())
    }

    /// A binding as its metadata reads.
    fn binding(meta: serde_json::Value) -> ViewBinding {
        view_binding_of(&serde_json::from_value(meta).unwrap()).expect("a binding")
    }

    fn ws(name: &str, cluster: Option<&str>, annotated: bool) -> WorkspaceRef {
        workspace_ref(
            &summary(name, cluster, annotated),
            "edge.kubestellar.io/sync-target-name",
        )
    }

    fn summary(name: &str, cluster: Option<&str>, annotated: bool) -> WorkspaceSummary {
        let mut w = WorkspaceSummary::from(&crate::kcp::types::Workspace::new(name));
        w.spec.cluster = cluster.map(String::from);
        w.status = Some(crate::kcp::types::SummaryStatus {
            phase: Some("Ready".into()),
        });
        if annotated {
            w.metadata.annotations = Some(
                [(
                    "edge.kubestellar.io/sync-target-name".to_string(),
                    "guilder".to_string(),
                )]
                .into(),
            );
        }
        w
    }

    #[test]
    fn a_delete_answered_marks_that_workspace_deleting_and_no_other() {
        let mut o = Observed::new("root", &["u".into()], &[]);
        let name = "abcdefghijklmnop-mb-0b7e9f6e-5f6c-4c6a-9a52-2f1f3c0f3d11";
        o.apply_workspace(ws(name, Some("c1"), true));
        let uid = o.workspace(name).unwrap().uid.clone();
        o.mark_deleting(name, "another-uid");
        assert!(
            !o.workspace(name).unwrap().deleting,
            "a workspace made again meanwhile"
        );
        o.mark_deleting(name, &uid);
        assert!(o.workspace(name).unwrap().deleting);
    }

    /// An inventory workspace is seen through its own binding to the export; a mailbox's
    /// `bind-edge` says nothing of inventories (and costs no look at every workspace).
    #[test]
    fn only_an_inventory_s_binding_marks_its_cluster_seen() {
        let mut o = Observed::new("root", &["u".into()], &["u".into()]);
        let mailbox = "mbxcluster000001-mb-0b7e9f6e-5f6c-4c6a-9a52-2f1f3c0f3d11";
        o.apply_workspace(ws(mailbox, Some("mbcl"), true));
        let in_imw = "imwcluster000001-mb-0b7e9f6e-5f6c-4c6a-9a52-2f1f3c0f3d12";
        o.apply_workspace(ws(in_imw, Some("mbc2"), true));
        let bind_edge =
            binding(json!({"name": "bind-edge", "annotations": {"kcp.io/cluster": "mbxcluster000001"}}));
        assert!(o.binding_event("u", &bind_edge, true).is_empty());
        assert!(!o.inventory_seen(mailbox));
        let imw =
            binding(json!({"name": "bind-espw", "annotations": {"kcp.io/cluster": "imwcluster000001"}}));
        assert_eq!(o.binding_event("u", &imw, true), [Name::from(in_imw)].into());
        assert!(o.inventory_seen(in_imw));
    }

    #[test]
    fn same_name_in_two_clusters_gives_two_mailboxes() {
        let mut o = Observed::new("root", &["u".into()], &["u".into()]);
        o.set_sync_targets(
            "u",
            vec![
                st_meta("aaaa", "edge1", UID),
                st_meta("bbbb", "edge1", "00000000-3db2-439e-8054-827c4ac55368"),
            ],
        );
        assert_eq!(o.names().len(), 2);
        assert!(o.inventory_complete());
    }

    #[test]
    fn inventory_is_incomplete_until_every_endpoint_is_read_and_while_one_fails() {
        let mut o = Observed::new("root", &["a".into(), "b".into()], &[]);
        o.set_sync_targets("a", vec![]);
        assert!(!o.inventory_complete());
        o.set_sync_targets("b", vec![]);
        assert!(o.inventory_complete());
        o.set_endpoint_failed("b", "boom");
        assert!(!o.inventory_complete());
    }

    #[test]
    fn bindings_route_to_mailboxes_through_their_cluster() {
        let name = format!("aaaa-mb-{UID}");
        let mut o = Observed::new("root", &["u".into()], &["u".into()]);
        o.set_sync_targets("u", vec![st_meta("aaaa", "guilder", UID)]);
        o.set_workspaces(vec![
            ws(&name, Some("mbcluster"), true),
            ws("imw1", Some("x"), false),
        ]);
        assert_eq!(o.names().len(), 1, "imw1 is no mailbox candidate");
        assert_eq!(o.snapshot(&name).binding, Binding::Unknown);
        o.set_bindings("u", Some(&[]));
        assert_eq!(o.snapshot(&name).binding, Binding::Absent);
        let b = binding(json!({"name": "bind-edge", "annotations": {"kcp.io/cluster": "mbcluster"}}));
        assert_eq!(o.binding_event("u", &b, true), [Name::from(&*name)].into());
        assert_eq!(o.snapshot(&name).binding, Binding::Correct);
        assert!(o.snapshot(&name).workspace.unwrap().owned);
    }

    #[test]
    fn inventory_workspaces_are_seen_through_the_inventory_s_views_only() {
        let mine = format!("aaaa-mb-{UID}");
        let theirs = format!("bbbb-mb-{UID}");
        // The inventory's view `u`; `other` only serves the binding export's bindings.
        let mut o = Observed::new("root", &["u".into()], &["u".into(), "other".into()]);
        o.set_workspaces(vec![ws(&mine, Some("m1"), true), ws(&theirs, Some("m2"), true)]);
        assert!(!o.snapshot(&mine).inventory_seen);
        // An IMW's binding (not bind-edge) through the inventory's view: aaaa is seen, and
        // its mailboxes are what that changes.
        let imw = binding(json!({"name": "bind-espw", "annotations": {"kcp.io/cluster": "aaaa"}}));
        assert_eq!(o.binding_event("u", &imw, true), [Name::from(&*mine)].into());
        assert!(o.snapshot(&mine).inventory_seen);
        assert_eq!(
            o.snapshot(&mine).binding,
            Binding::Unknown,
            "an IMW's binding is no mailbox's bind-edge"
        );
        // Through a view that is not the inventory's: not seen.
        let there = binding(json!({"name": "bind-espw", "annotations": {"kcp.io/cluster": "bbbb"}}));
        o.set_bindings("other", Some(std::slice::from_ref(&there)));
        assert!(!o.snapshot(&theirs).inventory_seen);
        // A SyncTarget seen there makes it seen; once seen, it stays (the cluster stays on
        // its shard), also when its binding goes.
        assert!(
            o.apply_sync_target("u", st_meta("bbbb", "florin", UID))
                .contains(&*theirs)
        );
        assert!(o.snapshot(&theirs).inventory_seen);
        o.binding_event("u", &imw, false);
        o.set_sync_targets("u", vec![]);
        assert!(o.snapshot(&mine).inventory_seen && o.snapshot(&theirs).inventory_seen);
    }

    #[test]
    fn a_bind_edge_being_deleted_binds_nothing() {
        let name = format!("aaaa-mb-{UID}");
        let mut o = Observed::new("root", &["u".into()], &["u".into()]);
        o.set_sync_targets("u", vec![st_meta("aaaa", "guilder", UID)]);
        o.set_workspaces(vec![ws(&name, Some("mbcluster"), true)]);
        let deleting = binding(json!({
            "name": "bind-edge", "deletionTimestamp": "2026-01-01T00:00:00Z",
            "annotations": {"kcp.io/cluster": "mbcluster"}}));
        o.set_bindings("u", Some(std::slice::from_ref(&deleting)));
        assert_eq!(
            o.snapshot(&name).binding,
            Binding::Absent,
            "listed while being deleted"
        );
        o.binding_event("u", &deleting, true);
        assert_eq!(
            o.snapshot(&name).binding,
            Binding::Absent,
            "modified while being deleted"
        );
    }

    #[test]
    fn a_create_response_never_overwrites_what_the_watch_saw() {
        let name = format!("aaaa-mb-{UID}");
        let mut o = Observed::new("root", &["u".into()], &[]);
        o.apply_workspace(ws(&name, Some("mbcluster"), true)); // the watch: Ready
        let mut response = summary(&name, None, true);
        response.status = None; // the create's response: Scheduling
        let response = workspace_ref(&response, "edge.kubestellar.io/sync-target-name");
        o.fill_workspace(response.clone());
        assert!(o.workspace(&name).unwrap().ready());
        o.delete_workspace(&name);
        o.fill_workspace(response);
        assert!(
            o.workspace(&name).is_some(),
            "with nothing seen yet, the response fills the gap"
        );
    }

    #[test]
    fn inventory_paths_come_from_the_parent_s_listing_or_one_lookup() {
        let name = format!("aaaa-mb-{UID}");
        let mut o = Observed::new("root", &["u".into()], &[]);
        o.set_sync_targets(
            "u",
            vec![st_meta("aaaa", "guilder", UID), st_meta("bbbb", "florin", "1")],
        );
        assert_eq!(o.unresolved(), ["aaaa".to_string(), "bbbb".to_string()].into());
        // imw1 is a child of the parent: its listing tells its path.
        o.set_workspaces(vec![ws("imw1", Some("aaaa"), false)]);
        assert_eq!(o.sync_target_label(&name), "root:imw1/guilder");
        assert_eq!(o.unresolved(), ["bbbb".to_string()].into());
        // Elsewhere: looked up once, found or not.
        o.set_path("bbbb", None);
        assert!(o.unresolved().is_empty());
        let label = |o: &Observed, cluster: &str, name: &str| {
            let st = SyncTargetId {
                path: None,
                cluster: cluster.into(),
                name: name.into(),
                uid: String::new(),
                deleting: false,
            };
            o.with_path(st).label()
        };
        assert_eq!(label(&o, "bbbb", "florin"), "bbbb/florin");
        o.set_path("bbbb", Some("root:org:imw2".into()));
        assert_eq!(label(&o, "bbbb", "florin"), "root:org:imw2/florin");
        assert_eq!(label(&o, "root", "x"), "root/x");
        assert_eq!(label(&o, "", "x"), "x");
    }

    #[test]
    fn invalid_mailbox_names_are_kept_apart() {
        let mut o = Observed::new("root", &["u".into()], &[]);
        o.set_sync_targets("u", vec![st_meta("", "nocluster", UID)]);
        assert!(o.names().is_empty());
        assert_eq!(o.invalid_sync_targets().len(), 1);
    }
}
