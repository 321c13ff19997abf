//! The Kubernetes protobuf encoding of a request body, for the one kind a client of kcp-sim
//! has been seen to send in it: events.k8s.io/v1 Events (controller-runtime's clients, and so
//! multicluster-provider's event recorder, write built-in types as protobuf). The envelope is
//! `k8s\0` and a `runtime.Unknown` (`typeMeta`, `raw`); the fields are those of k8s.io/api
//! v0.36's `generated.proto`. Anything else stays 415, as kcp-sim answers every protobuf body.

use serde_json::{Map, Value, json};

#[derive(Clone, Copy)]
enum Kind {
    Str,
    Int,
    Bool,
    Time,
    MicroTime,
    Msg(&'static [Field]),
    Strings,
    Msgs(&'static [Field]),
    StrMap,
}

type Field = (u64, &'static str, Kind);

const OBJECT_REFERENCE: &[Field] = &[
    (1, "kind", Kind::Str),
    (2, "namespace", Kind::Str),
    (3, "name", Kind::Str),
    (4, "uid", Kind::Str),
    (5, "apiVersion", Kind::Str),
    (6, "resourceVersion", Kind::Str),
    (7, "fieldPath", Kind::Str),
];

const OWNER_REFERENCE: &[Field] = &[
    (1, "kind", Kind::Str),
    (3, "name", Kind::Str),
    (4, "uid", Kind::Str),
    (5, "apiVersion", Kind::Str),
    (6, "controller", Kind::Bool),
    (7, "blockOwnerDeletion", Kind::Bool),
];

const OBJECT_META: &[Field] = &[
    (1, "name", Kind::Str),
    (2, "generateName", Kind::Str),
    (3, "namespace", Kind::Str),
    (5, "uid", Kind::Str),
    (6, "resourceVersion", Kind::Str),
    (7, "generation", Kind::Int),
    (8, "creationTimestamp", Kind::Time),
    (11, "labels", Kind::StrMap),
    (12, "annotations", Kind::StrMap),
    (13, "ownerReferences", Kind::Msgs(OWNER_REFERENCE)),
    (14, "finalizers", Kind::Strings),
];

const EVENT_SERIES: &[Field] = &[(1, "count", Kind::Int), (2, "lastObservedTime", Kind::MicroTime)];

const EVENT_SOURCE: &[Field] = &[(1, "component", Kind::Str), (2, "host", Kind::Str)];

/// events.k8s.io/v1 Event.
const EVENT: &[Field] = &[
    (1, "metadata", Kind::Msg(OBJECT_META)),
    (2, "eventTime", Kind::MicroTime),
    (3, "series", Kind::Msg(EVENT_SERIES)),
    (4, "reportingController", Kind::Str),
    (5, "reportingInstance", Kind::Str),
    (6, "action", Kind::Str),
    (7, "reason", Kind::Str),
    (8, "regarding", Kind::Msg(OBJECT_REFERENCE)),
    (9, "related", Kind::Msg(OBJECT_REFERENCE)),
    (10, "note", Kind::Str),
    (11, "type", Kind::Str),
    (12, "deprecatedSource", Kind::Msg(EVENT_SOURCE)),
    (13, "deprecatedFirstTimestamp", Kind::Time),
    (14, "deprecatedLastTimestamp", Kind::Time),
    (15, "deprecatedCount", Kind::Int),
];

const TYPE_META: &[Field] = &[(1, "apiVersion", Kind::Str), (2, "kind", Kind::Str)];

/// A protobuf body as the JSON object it stands for, if it is a kind kcp-sim reads.
pub(crate) fn decode(body: &[u8]) -> Option<Value> {
    let envelope = body.strip_prefix(b"k8s\0")?;
    // The envelope's `raw` is bytes: read it as such, not as a string.
    let mut raw: Option<&[u8]> = None;
    let mut type_meta = Value::Null;
    for (field, wire) in fields(envelope)? {
        match (field, wire) {
            (1, Wire::Bytes(b)) => type_meta = message(b, TYPE_META)?,
            (2, Wire::Bytes(b)) => raw = Some(b),
            _ => {}
        }
    }
    let (api_version, kind) = (type_meta["apiVersion"].as_str()?, type_meta["kind"].as_str()?);
    let schema = match (api_version, kind) {
        ("events.k8s.io/v1", "Event") => EVENT,
        _ => return None,
    };
    let mut object = message(raw?, schema)?;
    object["apiVersion"] = json!(api_version);
    object["kind"] = json!(kind);
    Some(object)
}

enum Wire<'a> {
    Varint(u64),
    Bytes(&'a [u8]),
    Fixed,
}

fn varint(buf: &[u8], at: &mut usize) -> Option<u64> {
    let mut value = 0u64;
    for shift in (0..64).step_by(7) {
        let byte = *buf.get(*at)?;
        *at += 1;
        value |= u64::from(byte & 0x7f) << shift;
        if byte & 0x80 == 0 {
            return Some(value);
        }
    }
    None
}

/// `(field number, value)` for each field of a message.
fn fields(buf: &[u8]) -> Option<Vec<(u64, Wire<'_>)>> {
    let mut out = Vec::new();
    let mut at = 0;
    while at < buf.len() {
        let key = varint(buf, &mut at)?;
        let wire = match key & 7 {
            0 => Wire::Varint(varint(buf, &mut at)?),
            2 => {
                let len = usize::try_from(varint(buf, &mut at)?).ok()?;
                let bytes = buf.get(at..at.checked_add(len)?)?;
                at += len;
                Wire::Bytes(bytes)
            }
            1 => {
                at += 8;
                Wire::Fixed
            }
            5 => {
                at += 4;
                Wire::Fixed
            }
            _ => return None,
        };
        out.push((key >> 3, wire));
    }
    (at == buf.len()).then_some(out)
}

fn timestamp(buf: &[u8], micro: bool) -> Option<Value> {
    let (mut seconds, mut nanos) = (0i64, 0i64);
    for (field, wire) in fields(buf)? {
        if let Wire::Varint(v) = wire {
            match field {
                1 => seconds = v as i64,
                2 => nanos = v as i64,
                _ => {}
            }
        }
    }
    let at = jiff::Timestamp::from_second(seconds).ok()?;
    let whole = at.strftime("%Y-%m-%dT%H:%M:%S").to_string();
    Some(json!(if micro {
        format!("{whole}.{:06}Z", nanos / 1000)
    } else {
        format!("{whole}Z")
    }))
}

fn text(b: &[u8]) -> Option<Value> {
    Some(json!(std::str::from_utf8(b).ok()?))
}

fn message(buf: &[u8], schema: &[Field]) -> Option<Value> {
    let mut out = Map::new();
    for (number, wire) in fields(buf)? {
        let Some((_, name, kind)) = schema.iter().find(|(n, _, _)| *n == number) else {
            continue;
        };
        let name = (*name).to_string();
        match (*kind, wire) {
            (Kind::Str, Wire::Bytes(b)) => {
                out.insert(name, text(b)?);
            }
            (Kind::Int, Wire::Varint(v)) => {
                // int32 negatives come as 64-bit two's complement.
                out.insert(name, json!(v as i64));
            }
            (Kind::Bool, Wire::Varint(v)) => {
                out.insert(name, json!(v != 0));
            }
            (Kind::Time, Wire::Bytes(b)) => {
                out.insert(name, timestamp(b, false)?);
            }
            (Kind::MicroTime, Wire::Bytes(b)) => {
                out.insert(name, timestamp(b, true)?);
            }
            (Kind::Msg(inner), Wire::Bytes(b)) => {
                out.insert(name, message(b, inner)?);
            }
            (Kind::Strings, Wire::Bytes(b)) => {
                let list = out.entry(name).or_insert_with(|| json!([]));
                list.as_array_mut()?.push(text(b)?);
            }
            (Kind::Msgs(inner), Wire::Bytes(b)) => {
                let item = message(b, inner)?;
                let list = out.entry(name).or_insert_with(|| json!([]));
                list.as_array_mut()?.push(item);
            }
            (Kind::StrMap, Wire::Bytes(b)) => {
                let entry = message(b, &[(1, "k", Kind::Str), (2, "v", Kind::Str)])?;
                let map = out.entry(name).or_insert_with(|| json!({}));
                let key = entry["k"].as_str().unwrap_or_default().to_string();
                map.as_object_mut()?
                    .insert(key, entry.get("v").cloned().unwrap_or(json!("")));
            }
            _ => return None,
        }
    }
    Some(Value::Object(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(number: u64, bytes: &[u8]) -> Vec<u8> {
        let mut out = vec![(number << 3 | 2) as u8, bytes.len() as u8];
        out.extend_from_slice(bytes);
        out
    }

    #[test]
    fn an_event_decodes() {
        let meta = [field(1, b"x.1"), field(3, b"default")].concat();
        let time = [vec![8], vec![0x80, 0xde, 0x8d, 0xcb, 0x06], vec![16, 0xe8, 0x07]].concat();
        let event = [
            field(1, &meta),
            field(2, &time),
            field(7, b"normal"),
            vec![15 << 3, 2],
        ]
        .concat();
        let type_meta = [field(1, b"events.k8s.io/v1"), field(2, b"Event")].concat();
        let body = [b"k8s\0".to_vec(), field(1, &type_meta), field(2, &event)].concat();
        let decoded = decode(&body).expect("an Event");
        assert_eq!(decoded["metadata"]["name"], "x.1");
        assert_eq!(decoded["reason"], "normal");
        assert_eq!(decoded["deprecatedCount"], 2);
        assert_eq!(decoded["kind"], "Event");
        assert!(
            decoded["eventTime"].as_str().unwrap().ends_with(".000001Z"),
            "{decoded}"
        );
        let other = [field(1, b"v1"), field(2, b"Pod")].concat();
        assert!(decode(&[b"k8s\0".to_vec(), field(1, &other)].concat()).is_none());
    }
}
