//! Kubernetes' protobuf encoding (`application/vnd.kubernetes.protobuf`) of the built-in kinds
//! kcp-sim serves, decoded into their JSON form.
//!
//! kubectl sends built-in kinds as protobuf (`kubectl create configmap`, `create secret`,
//! `create serviceaccount`, `create clusterrole`, ...), and kcp, a Kubernetes apiserver, decodes
//! them. The wire format is the `k8s\0` magic and a `runtime.Unknown` envelope (its `typeMeta`
//! names apiVersion and kind, `raw` holds the object's message); the messages are the ones in
//! k8s.io/api's `generated.proto` (field numbers copied from there). Only decoding is needed:
//! kubectl also accepts JSON answers.

use base64::Engine;
use serde_json::{Map, Value, json};

const MAGIC: &[u8] = b"k8s\0";

/// How one field is read.
#[derive(Clone, Copy)]
enum F {
    Str,
    /// `bytes`: base64 in JSON.
    Bytes,
    Bool,
    Int,
    /// `metav1.Time`/`MicroTime`: `{seconds, nanos}`, RFC 3339 in JSON.
    Time,
    Msg(&'static [Field]),
    MapStr,
    MapBytes,
    /// `repeated` of the inner form.
    Rep(&'static F),
}

type Field = (u64, &'static str, F);

const TYPE_META: &[Field] = &[(1, "apiVersion", F::Str), (2, "kind", F::Str)];
const UNKNOWN: &[Field] = &[(1, "typeMeta", F::Msg(TYPE_META)), (2, "raw", F::Bytes)];

const OWNER_REF: &[Field] = &[
    (1, "kind", F::Str),
    (3, "name", F::Str),
    (4, "uid", F::Str),
    (5, "apiVersion", F::Str),
    (6, "controller", F::Bool),
    (7, "blockOwnerDeletion", F::Bool),
];
const OBJECT_META: &[Field] = &[
    (1, "name", F::Str),
    (2, "generateName", F::Str),
    (3, "namespace", F::Str),
    (5, "uid", F::Str),
    (6, "resourceVersion", F::Str),
    (7, "generation", F::Int),
    (8, "creationTimestamp", F::Time),
    (9, "deletionTimestamp", F::Time),
    (10, "deletionGracePeriodSeconds", F::Int),
    (11, "labels", F::MapStr),
    (12, "annotations", F::MapStr),
    (13, "ownerReferences", F::Rep(&F::Msg(OWNER_REF))),
    (14, "finalizers", F::Rep(&F::Str)),
];
const METADATA: Field = (1, "metadata", F::Msg(OBJECT_META));

const CONFIG_MAP: &[Field] = &[
    METADATA,
    (2, "data", F::MapStr),
    (3, "binaryData", F::MapBytes),
    (4, "immutable", F::Bool),
];
const SECRET: &[Field] = &[
    METADATA,
    (2, "data", F::MapBytes),
    (3, "type", F::Str),
    (4, "stringData", F::MapStr),
    (5, "immutable", F::Bool),
];
const OBJECT_REF: &[Field] = &[
    (1, "kind", F::Str),
    (2, "namespace", F::Str),
    (3, "name", F::Str),
    (4, "uid", F::Str),
    (5, "apiVersion", F::Str),
    (6, "resourceVersion", F::Str),
    (7, "fieldPath", F::Str),
];
const LOCAL_REF: &[Field] = &[(1, "name", F::Str)];
const SERVICE_ACCOUNT: &[Field] = &[
    METADATA,
    (2, "secrets", F::Rep(&F::Msg(OBJECT_REF))),
    (3, "imagePullSecrets", F::Rep(&F::Msg(LOCAL_REF))),
    (4, "automountServiceAccountToken", F::Bool),
];
const NAMESPACE_CONDITION: &[Field] = &[
    (1, "type", F::Str),
    (2, "status", F::Str),
    (4, "lastTransitionTime", F::Time),
    (5, "reason", F::Str),
    (6, "message", F::Str),
];
const NAMESPACE: &[Field] = &[
    METADATA,
    (2, "spec", F::Msg(&[(1, "finalizers", F::Rep(&F::Str))])),
    (
        3,
        "status",
        F::Msg(&[
            (1, "phase", F::Str),
            (2, "conditions", F::Rep(&F::Msg(NAMESPACE_CONDITION))),
        ]),
    ),
];
const POLICY_RULE: &[Field] = &[
    (1, "verbs", F::Rep(&F::Str)),
    (2, "apiGroups", F::Rep(&F::Str)),
    (3, "resources", F::Rep(&F::Str)),
    (4, "resourceNames", F::Rep(&F::Str)),
    (5, "nonResourceURLs", F::Rep(&F::Str)),
];
const LABEL_SELECTOR: &[Field] = &[
    (1, "matchLabels", F::MapStr),
    (
        2,
        "matchExpressions",
        F::Rep(&F::Msg(&[
            (1, "key", F::Str),
            (2, "operator", F::Str),
            (3, "values", F::Rep(&F::Str)),
        ])),
    ),
];
const ROLE: &[Field] = &[METADATA, (2, "rules", F::Rep(&F::Msg(POLICY_RULE)))];
const CLUSTER_ROLE: &[Field] = &[
    METADATA,
    (2, "rules", F::Rep(&F::Msg(POLICY_RULE))),
    (
        3,
        "aggregationRule",
        F::Msg(&[(1, "clusterRoleSelectors", F::Rep(&F::Msg(LABEL_SELECTOR)))]),
    ),
];
const SUBJECT: &[Field] = &[
    (1, "kind", F::Str),
    (2, "apiGroup", F::Str),
    (3, "name", F::Str),
    (4, "namespace", F::Str),
];
const ROLE_REF: &[Field] = &[(1, "apiGroup", F::Str), (2, "kind", F::Str), (3, "name", F::Str)];
const BINDING: &[Field] = &[
    METADATA,
    (2, "subjects", F::Rep(&F::Msg(SUBJECT))),
    (3, "roleRef", F::Msg(ROLE_REF)),
];
const LEASE: &[Field] = &[
    METADATA,
    (
        2,
        "spec",
        F::Msg(&[
            (1, "holderIdentity", F::Str),
            (2, "leaseDurationSeconds", F::Int),
            (3, "acquireTime", F::Time),
            (4, "renewTime", F::Time),
            (5, "leaseTransitions", F::Int),
            (6, "strategy", F::Str),
            (7, "preferredHolder", F::Str),
        ]),
    ),
];

/// The message of a built-in kind, by apiVersion and kind.
fn message_of(api_version: &str, kind: &str) -> Option<&'static [Field]> {
    Some(match (api_version, kind) {
        ("v1", "ConfigMap") => CONFIG_MAP,
        ("v1", "Secret") => SECRET,
        ("v1", "ServiceAccount") => SERVICE_ACCOUNT,
        ("v1", "Namespace") => NAMESPACE,
        ("rbac.authorization.k8s.io/v1", "Role") => ROLE,
        ("rbac.authorization.k8s.io/v1", "ClusterRole") => CLUSTER_ROLE,
        ("rbac.authorization.k8s.io/v1", "RoleBinding" | "ClusterRoleBinding") => BINDING,
        ("coordination.k8s.io/v1", "Lease") => LEASE,
        _ => return None,
    })
}

/// Whether kcp-sim decodes protobuf for this kind (kcp does for its built-in kinds; custom
/// resources are JSON or YAML only, as for any apiserver).
pub(crate) fn supports(api_version: &str, kind: &str) -> bool {
    message_of(api_version, kind).is_some()
}

/// Why a body was not decoded.
#[derive(Debug)]
pub(crate) enum Error {
    /// Not protobuf, or not the message it says it is.
    Malformed(String),
    /// A kind without a protobuf form here (custom resources have none).
    NotBuiltIn,
}

/// Decode a protobuf request body into the object's JSON form.
pub(crate) fn decode(body: &[u8]) -> Result<Value, Error> {
    let (api_version, kind, raw) = envelope(body).map_err(Error::Malformed)?;
    let fields = message_of(&api_version, &kind).ok_or(Error::NotBuiltIn)?;
    let mut object = message(&raw, fields).map_err(Error::Malformed)?;
    object["apiVersion"] = json!(api_version);
    object["kind"] = json!(kind);
    Ok(object)
}

/// The `runtime.Unknown` envelope: apiVersion, kind and the object's message.
fn envelope(body: &[u8]) -> Result<(String, String, Vec<u8>), String> {
    let rest = body
        .strip_prefix(MAGIC)
        .ok_or("the body does not start with the protobuf magic number")?;
    let envelope = message(rest, UNKNOWN)?;
    let api_version = envelope["typeMeta"]["apiVersion"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let kind = envelope["typeMeta"]["kind"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let raw = envelope["raw"]
        .as_str()
        .map(|s| base64::engine::general_purpose::STANDARD.decode(s))
        .transpose()
        .map_err(|e| e.to_string())?
        .unwrap_or_default();
    Ok((api_version, kind, raw))
}

struct Reader<'a> {
    buf: &'a [u8],
}

impl<'a> Reader<'a> {
    fn varint(&mut self) -> Result<u64, String> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let (&b, rest) = self.buf.split_first().ok_or("truncated varint")?;
            self.buf = rest;
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err("varint too long".into())
    }

    fn bytes(&mut self) -> Result<&'a [u8], String> {
        let n = usize::try_from(self.varint()?).map_err(|e| e.to_string())?;
        if n > self.buf.len() {
            return Err("truncated field".into());
        }
        let (b, rest) = self.buf.split_at(n);
        self.buf = rest;
        Ok(b)
    }

    /// Skip a field of a number this decoder does not know.
    fn skip(&mut self, wire: u64) -> Result<(), String> {
        match wire {
            0 => self.varint().map(drop),
            1 => self.advance(8),
            2 => self.bytes().map(drop),
            5 => self.advance(4),
            _ => Err(format!("unsupported wire type {wire}")),
        }
    }

    fn advance(&mut self, n: usize) -> Result<(), String> {
        self.buf = self.buf.get(n..).ok_or("truncated field")?;
        Ok(())
    }
}

fn message(buf: &[u8], fields: &[Field]) -> Result<Value, String> {
    let mut out = Map::new();
    let mut r = Reader { buf };
    while !r.buf.is_empty() {
        let tag = r.varint()?;
        let (number, wire) = (tag >> 3, tag & 7);
        let Some((_, name, form)) = fields.iter().find(|(n, _, _)| *n == number) else {
            r.skip(wire)?;
            continue;
        };
        match form {
            F::Rep(inner) => {
                let v = scalar(&mut r, wire, inner)?;
                let list = out.entry(*name).or_insert_with(|| json!([]));
                if let Some(a) = list.as_array_mut() {
                    a.push(v);
                }
            }
            F::MapStr | F::MapBytes => {
                let entry_form = if matches!(form, F::MapStr) {
                    F::Str
                } else {
                    F::Bytes
                };
                let entry: &[Field] = &[(1, "key", F::Str), (2, "value", entry_form)];
                let e = message(r.bytes()?, entry)?;
                let key = e["key"].as_str().unwrap_or_default().to_string();
                let value = e.get("value").cloned().unwrap_or(json!(""));
                let map = out.entry(*name).or_insert_with(|| json!({}));
                map[key] = value;
            }
            _ => {
                let v = scalar(&mut r, wire, form)?;
                // Go's generated code writes every non-pointer field, empty or not; JSON
                // omits the empty ones (`omitempty`), and so does the apiserver's answer.
                let empty = v.as_str() == Some("") || v.is_null() || v.as_i64() == Some(0);
                if !empty {
                    out.insert((*name).to_string(), v);
                }
            }
        }
    }
    Ok(Value::Object(out))
}

fn scalar(r: &mut Reader<'_>, wire: u64, form: &F) -> Result<Value, String> {
    let want_len = !matches!(form, F::Bool | F::Int);
    if want_len != (wire == 2) {
        return Err(format!("wire type {wire} where another was expected"));
    }
    Ok(match form {
        F::Str => json!(String::from_utf8(r.bytes()?.to_vec()).map_err(|e| e.to_string())?),
        F::Bytes => json!(base64::engine::general_purpose::STANDARD.encode(r.bytes()?)),
        F::Bool => json!(r.varint()? != 0),
        // int64/int32 as varints (two's complement for negatives).
        F::Int => json!(r.varint()?.cast_signed()),
        F::Time => {
            let t = message(r.bytes()?, &[(1, "s", F::Int), (2, "n", F::Int)])?;
            match t["s"].as_i64() {
                // A zero Time is Go's `null`.
                None | Some(0) => Value::Null,
                Some(s) => json!(
                    jiff::Timestamp::from_second(s)
                        .map_err(|e| e.to_string())?
                        .to_string()
                ),
            }
        }
        F::Msg(fields) => message(r.bytes()?, fields)?,
        F::Rep(_) | F::MapStr | F::MapBytes => unreachable!("handled by the caller"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What kubectl v1.32 sent for `kubectl create configmap x --from-literal=a=b` (captured).
    const CREATE_CONFIGMAP: &[u8] = b"k8s\x00\n\x0f\n\x02v1\x12\tConfigMap\x12\x1b\n\x11\n\x01x\x12\x00\x1a\x00\"\x00*\x002\x008\x00B\x00\x12\x06\n\x01a\x12\x01b\x1a\x00\"\x00";

    #[test]
    fn kubectl_create_configmap_decodes() {
        let v = decode(CREATE_CONFIGMAP).unwrap();
        assert_eq!(
            v,
            json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}, "data": {"a": "b"}})
        );
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        assert!(matches!(decode(b"nope"), Err(Error::Malformed(_))));
        assert!(matches!(decode(b"k8s\x00\n\xff"), Err(Error::Malformed(_))));
        let widget = b"k8s\x00\n\x12\n\ntest.io/v1\x12\x04Widg";
        assert!(matches!(decode(widget), Err(Error::NotBuiltIn)));
    }
}
