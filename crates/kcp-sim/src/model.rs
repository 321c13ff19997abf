//! What a resource is (group, names, scope, schema, printer columns) and the built-in ones
//! every logical cluster serves.

use serde_json::{Value, json};
use std::sync::Arc;

/// A served resource: enough to route, validate, print and store it.
#[derive(Debug, Clone)]
pub(crate) struct ResourceDef {
    pub group: String,
    pub version: String,
    pub plural: String,
    pub singular: String,
    pub kind: String,
    pub list_kind: String,
    pub namespaced: bool,
    pub short_names: Vec<String>,
    pub categories: Vec<String>,
    /// The openAPIV3Schema; `None` accepts anything.
    pub schema: Option<Value>,
    pub status_subresource: bool,
    pub printer_columns: Vec<PrinterColumn>,
    /// For resources that come from an APIExport: the export's identity hash. kcp keys their
    /// storage as `<resource>:<identity>`, so two exports of one group/resource never mix.
    pub identity: Option<String>,
}

#[derive(Debug, Clone)]
pub(crate) struct PrinterColumn {
    pub name: String,
    pub type_: String,
    pub json_path: String,
    pub priority: i64,
    pub description: String,
}

impl ResourceDef {
    /// `workspaces.tenancy.kcp.io`, as in error messages.
    pub(crate) fn group_resource(&self) -> String {
        if self.group.is_empty() {
            self.plural.clone()
        } else {
            format!("{}.{}", self.plural, self.group)
        }
    }

    pub(crate) fn api_version(&self) -> String {
        if self.group.is_empty() {
            self.version.clone()
        } else {
            format!("{}/{}", self.group, self.version)
        }
    }

    /// The storage key: group/resource, plus the export identity for exported resources.
    pub(crate) fn store_key(&self) -> String {
        match &self.identity {
            Some(id) => format!("{}/{}:{}", self.group, self.plural, id),
            None => format!("{}/{}", self.group, self.plural),
        }
    }

    /// Build a definition from the shape shared by CRDs and APIResourceSchemas: `spec.group`,
    /// `spec.names`, `spec.scope` and one entry of `spec.versions`, whose schema sits at
    /// `schema.openAPIV3Schema` (CRD) or `schema` (APIResourceSchema).
    pub(crate) fn from_spec(spec: &Value, version: &Value) -> Option<ResourceDef> {
        let names = &spec["names"];
        let strings = |v: &Value| -> Vec<String> {
            v.as_array()
                .map(|a| a.iter().filter_map(|s| s.as_str().map(String::from)).collect())
                .unwrap_or_default()
        };
        let schema = version["schema"]
            .get("openAPIV3Schema")
            .or_else(|| version.get("schema"))
            .cloned();
        let printer_columns = version["additionalPrinterColumns"]
            .as_array()
            .map(|cols| {
                cols.iter()
                    .map(|c| PrinterColumn {
                        name: c["name"].as_str().unwrap_or_default().to_string(),
                        type_: c["type"].as_str().unwrap_or("string").to_string(),
                        json_path: c["jsonPath"].as_str().unwrap_or_default().to_string(),
                        priority: c["priority"].as_i64().unwrap_or(0),
                        description: c["description"].as_str().unwrap_or_default().to_string(),
                    })
                    .collect()
            })
            .unwrap_or_default();
        Some(ResourceDef {
            group: spec["group"].as_str()?.to_string(),
            version: version["name"].as_str()?.to_string(),
            plural: names["plural"].as_str()?.to_string(),
            singular: names["singular"].as_str().unwrap_or_default().to_string(),
            kind: names["kind"].as_str()?.to_string(),
            list_kind: names["listKind"]
                .as_str()
                .map(String::from)
                .unwrap_or_else(|| format!("{}List", names["kind"].as_str().unwrap_or_default())),
            namespaced: spec["scope"].as_str() == Some("Namespaced"),
            short_names: strings(&names["shortNames"]),
            categories: strings(&names["categories"]),
            schema: schema.filter(|s| !s.is_null()),
            status_subresource: version["subresources"].get("status").is_some(),
            printer_columns,
            identity: None,
        })
    }

    /// The columns of `kubectl get`: NAME, the printer columns, and AGE when they have none.
    pub(crate) fn table_columns(&self) -> Vec<PrinterColumn> {
        let mut cols = self.printer_columns.clone();
        if cols.is_empty() {
            cols.push(column("Age", "date", ".metadata.creationTimestamp"));
        }
        cols
    }
}

fn column(name: &str, type_: &str, path: &str) -> PrinterColumn {
    PrinterColumn {
        name: name.into(),
        type_: type_.into(),
        json_path: path.into(),
        priority: 0,
        description: String::new(),
    }
}

/// kcp v0.11's own CRDs, as kcp generated them (data, kept verbatim in `crds/`).
const KCP_CRDS: &[&str] = &[
    include_str!("../crds/tenancy.kcp.io_workspaces.yaml"),
    include_str!("../crds/apis.kcp.io_apiexports.yaml"),
    include_str!("../crds/apis.kcp.io_apibindings.yaml"),
    include_str!("../crds/apis.kcp.io_apiresourceschemas.yaml"),
    include_str!("../crds/apis.kcp.io_apiexportendpointslices.yaml"),
    include_str!("../crds/core.kcp.io_logicalclusters.yaml"),
    // Shards (in root) and the Partitions that select them, served everywhere by kcp-sim
    // (kcp binds them from root's `shards.core.kcp.io` and `topology.kcp.io` exports).
    include_str!("../crds/core.kcp.io_shards.yaml"),
    include_str!("../crds/topology.kcp.io_partitions.yaml"),
];

/// Every resource a logical cluster serves before any binding.
pub(crate) fn builtin_resources() -> Vec<Arc<ResourceDef>> {
    let mut defs: Vec<Arc<ResourceDef>> = KCP_CRDS
        .iter()
        .map(|text| {
            let crd: Value = serde_saphyr::from_str(text).expect("embedded CRD parses");
            let spec = &crd["spec"];
            let version = &spec["versions"][0];
            Arc::new(ResourceDef::from_spec(spec, version).expect("embedded CRD is complete"))
        })
        .collect();
    defs.extend(core_resources().into_iter().map(Arc::new));
    defs
}

/// The few Kubernetes resources kubectl and leader election need, with their own printers.
fn core_resources() -> Vec<ResourceDef> {
    let meta = |group: &str, version: &str, kind: &str, plural: &str, namespaced: bool| ResourceDef {
        group: group.into(),
        version: version.into(),
        plural: plural.into(),
        singular: kind.to_lowercase(),
        kind: kind.into(),
        list_kind: format!("{kind}List"),
        namespaced,
        short_names: vec![],
        categories: vec![],
        schema: None,
        status_subresource: false,
        printer_columns: vec![],
        identity: None,
    };
    let string = json!({"type": "string"});
    let mut namespaces = meta("", "v1", "Namespace", "namespaces", false);
    namespaces.short_names = vec!["ns".into()];
    namespaces.status_subresource = true;
    namespaces.schema = Some(object(json!({
        "spec": {"type": "object", "properties": {"finalizers": {"type": "array", "items": string}}},
        "status": {"type": "object", "properties": {
            "phase": string,
            // NamespaceStatus has conditions too (kcp v0.11.0 keeps them).
            "conditions": {"type": "array", "items": {"type": "object", "properties": {
                "type": string, "status": string, "reason": string, "message": string,
                "lastTransitionTime": {"type": "string", "format": "date-time"},
            }}},
        }},
    })));
    namespaces.printer_columns = vec![
        column("Status", "string", ".status.phase"),
        column("Age", "date", ".metadata.creationTimestamp"),
    ];
    let mut configmaps = meta("", "v1", "ConfigMap", "configmaps", true);
    configmaps.short_names = vec!["cm".into()];
    configmaps.schema = Some(object(json!({
        "data": {"type": "object", "additionalProperties": string},
        "binaryData": {"type": "object", "additionalProperties": string},
        "immutable": {"type": "boolean"},
    })));
    let mut leases = meta("coordination.k8s.io", "v1", "Lease", "leases", true);
    leases.schema = Some(object(json!({
        "spec": {"type": "object", "properties": {
            "holderIdentity": string,
            "leaseDurationSeconds": {"type": "integer"},
            "acquireTime": {"type": "string", "format": "date-time"},
            "renewTime": {"type": "string", "format": "date-time"},
            "leaseTransitions": {"type": "integer"},
            "strategy": string,
            "preferredHolder": string,
        }},
    })));
    leases.printer_columns = vec![
        column("Holder", "string", ".spec.holderIdentity"),
        column("Age", "date", ".metadata.creationTimestamp"),
    ];
    let mut out = vec![namespaces, configmaps, leases, crds(meta)];
    out.extend(identity_resources());
    out.extend(events(meta));
    out
}

/// CustomResourceDefinitions, which kcp v0.11 serves in every logical cluster; what one
/// defines is served there once kcp-sim's apiextensions controller (`kcp/crds.rs`) accepts it.
fn crds(meta: impl Fn(&str, &str, &str, &str, bool) -> ResourceDef) -> ResourceDef {
    let mut crds = meta(
        "apiextensions.k8s.io",
        "v1",
        "CustomResourceDefinition",
        "customresourcedefinitions",
        false,
    );
    crds.short_names = vec!["crd".into(), "crds".into()];
    crds.categories = vec!["api-extensions".into()];
    crds.status_subresource = true;
    let any_object = json!({"type": "object", "x-kubernetes-preserve-unknown-fields": true});
    crds.schema = Some(object(json!({"spec": any_object, "status": any_object})));
    crds
}

/// ServiceAccounts, Secrets and RBAC, which kcp v0.11 serves in every logical cluster (its
/// authorizers read each workspace's own RBAC; its token controller fills service-account
/// tokens).
fn identity_resources() -> Vec<ResourceDef> {
    let def = |group: &str, kind: &str, plural: &str, namespaced: bool, short: &[&str], fields: Value| {
        ResourceDef {
            group: group.into(),
            version: "v1".into(),
            plural: plural.into(),
            singular: kind.to_lowercase(),
            kind: kind.into(),
            list_kind: format!("{kind}List"),
            namespaced,
            short_names: short.iter().map(|s| s.to_string()).collect(),
            categories: vec![],
            schema: Some(object(fields)),
            status_subresource: false,
            printer_columns: vec![],
            identity: None,
        }
    };
    let string = json!({"type": "string"});
    let strings = json!({"type": "array", "items": string});
    let bytes_map = json!({"type": "object", "additionalProperties": string});
    let any_object = json!({"type": "object", "x-kubernetes-preserve-unknown-fields": true});
    let references = json!({"type": "array", "items": any_object});
    let rules = json!({"type": "array", "items": {"type": "object", "properties": {
        "verbs": strings, "apiGroups": strings, "resources": strings,
        "resourceNames": strings, "nonResourceURLs": strings,
    }}});
    let subjects = json!({"type": "array", "items": {"type": "object", "properties": {
        "kind": string, "apiGroup": string, "name": string, "namespace": string,
    }}});
    let role_ref =
        json!({"type": "object", "properties": {"apiGroup": string, "kind": string, "name": string}});
    let rbac = "rbac.authorization.k8s.io";
    let mut secrets = def(
        "",
        "Secret",
        "secrets",
        true,
        &[],
        json!({
            "data": bytes_map, "stringData": bytes_map, "type": string, "immutable": {"type": "boolean"},
        }),
    );
    secrets.printer_columns = vec![
        column("Type", "string", ".type"),
        column("Age", "date", ".metadata.creationTimestamp"),
    ];
    vec![
        def(
            "",
            "ServiceAccount",
            "serviceaccounts",
            true,
            &["sa"],
            json!({
                "secrets": references, "imagePullSecrets": references,
                "automountServiceAccountToken": {"type": "boolean"},
            }),
        ),
        secrets,
        def(
            rbac,
            "ClusterRole",
            "clusterroles",
            false,
            &[],
            json!({
                "rules": rules, "aggregationRule": any_object,
            }),
        ),
        def(
            rbac,
            "ClusterRoleBinding",
            "clusterrolebindings",
            false,
            &[],
            json!({
                "subjects": subjects, "roleRef": role_ref,
            }),
        ),
        def(rbac, "Role", "roles", true, &[], json!({"rules": rules})),
        def(
            rbac,
            "RoleBinding",
            "rolebindings",
            true,
            &[],
            json!({
                "subjects": subjects, "roleRef": role_ref,
            }),
        ),
    ]
}

fn object(properties: Value) -> Value {
    let mut props = properties;
    props["apiVersion"] = json!({"type": "string"});
    props["kind"] = json!({"type": "string"});
    props["metadata"] = json!({"type": "object"});
    json!({"type": "object", "properties": props})
}

/// A fresh logical cluster ID: 16 lowercase base36 characters, as kcp makes them.
pub(crate) fn new_cluster_id() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut rng = rand::rng();
    // kcp IDs start with a letter often enough; a leading digit is legal, keep it random.
    (0..16)
        .map(|_| ALPHABET[rng.random_range(0..36)] as char)
        .collect()
}

pub(crate) fn new_uid() -> String {
    use rand::Rng;
    let mut b: [u8; 16] = rand::rng().random();
    b[6] = (b[6] & 0x0f) | 0x40; // version 4
    b[8] = (b[8] & 0x3f) | 0x80; // RFC 4122 variant
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

/// `generateName` suffixes use the apiserver's alphabet (no vowels, no confusable digits).
pub(crate) fn name_suffix() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
    let mut rng = rand::rng();
    (0..5)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
        .collect()
}

/// RFC 3339 with seconds, as Kubernetes writes timestamps.
pub(crate) fn now_rfc3339() -> String {
    let now = jiff::Timestamp::now();
    jiff::Timestamp::from_second(now.as_second())
        .expect("in range")
        .to_string()
}

/// Events, in core/v1 and events.k8s.io/v1, as every kcp workspace serves them (an export's
/// view serves them to a claim of events; controller-runtime's recorders write them). Their
/// content is taken as it comes; kcp-sim keeps the two groups apart (Kubernetes stores one
/// Event and converts).
fn events(meta: impl Fn(&str, &str, &str, &str, bool) -> ResourceDef) -> Vec<ResourceDef> {
    ["", "events.k8s.io"]
        .into_iter()
        .map(|group| {
            let mut def = meta(group, "v1", "Event", "events", true);
            if group.is_empty() {
                def.short_names = vec!["ev".into()];
            }
            let mut schema = object(json!({}));
            schema["x-kubernetes-preserve-unknown-fields"] = json!(true);
            def.schema = Some(schema);
            def
        })
        .collect()
}
