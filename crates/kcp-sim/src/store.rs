//! The simulated etcd: objects by resource and logical cluster, a resourceVersion counter per
//! shard (each shard of kcp has its own etcd), an event history for watches per shard and
//! resource, and the logical cluster tree.

use crate::model::ResourceDef;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::Arc;
use tokio::sync::broadcast;

/// (logical cluster ID, namespace or "", name)
pub(crate) type Key = (String, String, String);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum EventKind {
    Added,
    Modified,
    Deleted,
}

#[derive(Debug)]
pub(crate) struct Event {
    /// The resourceVersion on `shard`, the shard holding the object's logical cluster.
    pub rv: u64,
    pub shard: usize,
    pub store_key: String,
    pub key: Key,
    pub kind: EventKind,
    pub object: Arc<Value>,
    /// The object before a modification, so that selector-filtered watches can turn a
    /// change out of (into) the selection into DELETED (ADDED), as the apiserver does.
    pub prev: Option<Arc<Value>>,
    pub at: std::time::Instant,
}

/// How much a resource's watch cache keeps, as the apiserver's (kcp's: one per resource,
/// across logical clusters): at least `min` events, and everything younger than `fresh`, up
/// to `max`. A watch from before what is kept gets 410 Expired.
#[derive(Debug, Clone, Copy)]
pub(crate) struct HistoryLimits {
    pub min: usize,
    pub max: usize,
    pub fresh: std::time::Duration,
}

/// One resource's kept events; watches from before `floor` are expired.
#[derive(Default)]
struct Window {
    events: VecDeque<Arc<Event>>,
    floor: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Phase {
    Initializing,
    Ready,
}

/// A logical cluster that exists (it has left `Scheduling`).
#[derive(Debug, Clone)]
pub(crate) struct Cluster {
    pub id: String,
    /// Canonical path, e.g. `root:espw`.
    pub path: String,
    pub phase: Phase,
    /// The parent's ID and the Workspace name there; `None` for root.
    pub parent: Option<(String, String)>,
    /// `root:organization`, `root:universal`, ...
    pub type_: String,
}

/// Which of `shards` shards holds a logical cluster (root is on the first): a hash of its
/// name, the same for the cluster's whole life.
pub(crate) fn shard_of(shards: usize, cluster: &str) -> usize {
    if shards <= 1 || cluster == "root" {
        return 0;
    }
    cluster
        .bytes()
        .fold(0usize, |h, b| h.wrapping_mul(31).wrapping_add(b as usize))
        % shards
}

/// One shard's etcd as far as resourceVersions go: its counter, its watch caches, its floor.
struct Shard {
    rv: u64,
    /// Each resource's kept events, by store key.
    windows: HashMap<String, Window>,
    /// Since an admin compaction, watches and `continue` tokens from a resourceVersion below
    /// this answer 410 Expired (each resource's window may reach less far back).
    floor: u64,
}

pub(crate) struct State {
    /// One per shard: a resourceVersion from one shard's counter means nothing on another's.
    shards: Vec<Shard>,
    /// Writes so far, on every shard: what waiters compare to see that something changed.
    pub changes: u64,
    collections: HashMap<String, BTreeMap<Key, Arc<Value>>>,
    limits: HistoryLimits,
    pub clusters: HashMap<String, Cluster>,
    /// (parent ID, workspace name) → child ID: the index kcp resolves paths with.
    pub children: HashMap<(String, String), String>,
    /// Resources a logical cluster serves through its Bound APIBindings, by binding name.
    pub bound: HashMap<String, Vec<(String, Arc<ResourceDef>)>>,
    tx: broadcast::Sender<Arc<Event>>,
    /// Signalled on every change, for waiters outside the runtime.
    pub changed: Arc<std::sync::Condvar>,
    /// Resource definitions of exports, by export and schema resourceVersions.
    pub defs_cache: std::sync::Mutex<HashMap<String, Vec<Arc<ResourceDef>>>>,
    /// Logical clusters whose content is being deleted → their Workspace (parent ID, name,
    /// UID): a change in one moves the deletion on.
    pub deleting: HashMap<String, (String, String, Value)>,
}

impl State {
    pub(crate) fn new(limits: HistoryLimits, shards: usize) -> State {
        let (tx, _) = broadcast::channel(1 << 16);
        State {
            shards: (0..shards.max(1))
                .map(|_| Shard {
                    rv: 1,
                    windows: HashMap::new(),
                    floor: 0,
                })
                .collect(),
            changes: 0,
            collections: HashMap::new(),
            limits,
            clusters: HashMap::new(),
            children: HashMap::new(),
            bound: HashMap::new(),
            tx,
            changed: Arc::new(std::sync::Condvar::new()),
            defs_cache: Default::default(),
            deleting: HashMap::new(),
        }
    }

    /// Which shard holds a logical cluster.
    pub(crate) fn shard_of(&self, cluster: &str) -> usize {
        shard_of(self.shards.len(), cluster)
    }

    pub(crate) fn shard_count(&self) -> usize {
        self.shards.len()
    }

    /// A shard's current resourceVersion (0 for a shard there is not).
    pub(crate) fn rv(&self, shard: usize) -> u64 {
        self.shards.get(shard).map_or(0, |s| s.rv)
    }

    /// A shard's compaction floor: resourceVersions below it are expired.
    pub(crate) fn floor(&self, shard: usize) -> u64 {
        self.shards.get(shard).map_or(0, |s| s.floor)
    }

    /// The next resourceVersion of the shard holding `cluster`.
    fn next_rv(&mut self, cluster: &str) -> (usize, u64) {
        let shard = self.shard_of(cluster);
        let s = &mut self.shards[shard];
        s.rv += 1;
        self.changes += 1;
        (shard, s.rv)
    }

    pub(crate) fn subscribe(&self) -> broadcast::Receiver<Arc<Event>> {
        self.tx.subscribe()
    }

    pub(crate) fn get(&self, store_key: &str, key: &Key) -> Option<&Arc<Value>> {
        self.collections.get(store_key)?.get(key)
    }

    /// Objects of one resource, in key order: all clusters, or one cluster (and namespace).
    pub(crate) fn list<'a>(
        &'a self,
        store_key: &str,
        cluster: Option<&'a str>,
        namespace: Option<&'a str>,
    ) -> Box<dyn Iterator<Item = (&'a Key, &'a Arc<Value>)> + 'a> {
        self.list_after(store_key, cluster, namespace, None)
    }

    /// As `list`, but only the keys after `after` (a list page's continue key): a page starts
    /// where the last ended, not at the first key (20 pages of 10,000 items were 20 full scans).
    pub(crate) fn list_after<'a>(
        &'a self,
        store_key: &str,
        cluster: Option<&'a str>,
        namespace: Option<&'a str>,
        after: Option<&Key>,
    ) -> Box<dyn Iterator<Item = (&'a Key, &'a Arc<Value>)> + 'a> {
        use std::ops::Bound::{Excluded, Included, Unbounded};
        let Some(coll) = self.collections.get(store_key) else {
            return Box::new(std::iter::empty());
        };
        let cluster_start = |c: &str| Included((c.to_string(), String::new(), String::new()));
        let from = match (cluster, after) {
            (Some(c), Some(a)) if a.0.as_str() < c => cluster_start(c),
            (_, Some(a)) => Excluded(a.clone()),
            (Some(c), None) => cluster_start(c),
            (None, None) => Unbounded,
        };
        Box::new(
            coll.range((from, Unbounded))
                .take_while(move |(k, _)| cluster.is_none_or(|c| k.0 == c))
                .filter(move |(k, _)| namespace.is_none_or(|ns| k.1 == ns)),
        )
    }

    /// Store an object (stamping its resourceVersion) and record the event.
    pub(crate) fn put(&mut self, store_key: &str, key: Key, mut object: Value) -> Arc<Value> {
        let (shard, rv) = self.next_rv(&key.0);
        object["metadata"]["resourceVersion"] = Value::String(rv.to_string());
        let object = Arc::new(object);
        let prev = self
            .collections
            .entry(store_key.to_string())
            .or_default()
            .insert(key.clone(), object.clone());
        let kind = if prev.is_some() {
            EventKind::Modified
        } else {
            EventKind::Added
        };
        self.record(shard, rv, store_key, key, kind, object.clone(), prev);
        object
    }

    /// Remove an object; the DELETED event carries the deletion's resourceVersion.
    pub(crate) fn remove(&mut self, store_key: &str, key: &Key) -> Option<Arc<Value>> {
        let prev = self.collections.get_mut(store_key)?.remove(key)?;
        let (shard, rv) = self.next_rv(&key.0);
        let mut last = (*prev).clone();
        last["metadata"]["resourceVersion"] = Value::String(rv.to_string());
        let last = Arc::new(last);
        self.record(
            shard,
            rv,
            store_key,
            key.clone(),
            EventKind::Deleted,
            last.clone(),
            Some(prev),
        );
        Some(last)
    }

    /// Everything stored in a logical cluster, by resource.
    pub(crate) fn cluster_content(&self, cluster: &str) -> Vec<(String, Key, Arc<Value>)> {
        let mut out = Vec::new();
        for (store_key, coll) in &self.collections {
            let start = (cluster.to_string(), String::new(), String::new());
            for (k, o) in coll.range(start..).take_while(|(k, _)| k.0 == cluster) {
                out.push((store_key.clone(), k.clone(), o.clone()));
            }
        }
        out.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
        out
    }

    #[allow(clippy::too_many_arguments)]
    fn record(
        &mut self,
        shard: usize,
        rv: u64,
        store_key: &str,
        key: Key,
        kind: EventKind,
        object: Arc<Value>,
        prev: Option<Arc<Value>>,
    ) {
        let event = Arc::new(Event {
            rv,
            shard,
            store_key: store_key.to_string(),
            key,
            kind,
            object,
            prev,
            at: std::time::Instant::now(),
        });
        self.keep(event.clone());
        // No receivers is fine: nobody is watching.
        let _ = self.tx.send(event);
        self.changed.notify_all();
    }

    /// Keep an event in its resource's window on its shard, and let go of what the window no
    /// longer holds.
    fn keep(&mut self, event: Arc<Event>) {
        let limits = self.limits;
        let w = self.shards[event.shard]
            .windows
            .entry(event.store_key.clone())
            .or_default();
        let now = event.at;
        w.events.push_back(event);
        while w.events.len() > limits.max
            || (w.events.len() > limits.min
                && w.events
                    .front()
                    .is_some_and(|e| now.duration_since(e.at) > limits.fresh))
        {
            if let Some(old) = w.events.pop_front() {
                w.floor = old.rv + 1;
            }
        }
    }

    /// A resource's events on a shard after `rv`, or the first resourceVersion still kept
    /// when its window no longer reaches back that far.
    pub(crate) fn events_since(
        &self,
        shard: usize,
        store_key: &str,
        rv: u64,
    ) -> Result<Vec<Arc<Event>>, u64> {
        let Some(s) = self.shards.get(shard) else {
            return Ok(Vec::new());
        };
        let window = s.windows.get(store_key);
        let floor = s.floor.max(window.map_or(0, |w| w.floor));
        if rv + 1 < floor {
            return Err(floor);
        }
        let Some(w) = window else {
            return Ok(Vec::new());
        };
        let start = w.events.partition_point(|e| e.rv <= rv);
        Ok(w.events.range(start..).cloned().collect())
    }

    /// Forget all history on every shard: any resourceVersion older than now answers 410
    /// Expired. Returns each shard's new floor.
    pub(crate) fn compact(&mut self) -> Vec<u64> {
        for s in &mut self.shards {
            s.windows.clear();
            s.floor = s.rv + 1;
        }
        self.shards.iter().map(|s| s.floor).collect()
    }

    /// Resolve `root:a:b` or an ID to an existing logical cluster.
    pub(crate) fn resolve(&self, path: &str) -> Option<&Cluster> {
        let mut segments = path.split(':');
        let first = segments.next()?;
        let mut id = self.clusters.get(first)?.id.clone();
        for segment in segments {
            id = self.children.get(&(id, segment.to_string()))?.clone();
        }
        self.clusters.get(&id)
    }

    pub(crate) fn forget_cluster(&mut self, id: &str) {
        if let Some(c) = self.clusters.remove(id)
            && let Some(parent) = c.parent
        {
            self.children.remove(&parent);
        }
        self.bound.remove(id);
    }

    pub(crate) fn object_count(&self) -> usize {
        self.collections.values().map(|c| c.len()).sum()
    }
}
