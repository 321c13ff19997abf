//! What goes to stdout: kubectl-like tables (borderless, aligned, no wrapping), JSON and YAML.

use serde::Serialize;
use std::io::Write;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Table,
    Wide,
    Json,
    Yaml,
    Name,
}

/// A table as kubectl prints one: upper-case headers, columns three spaces apart.
pub(crate) fn table(headers: &[&str], rows: &[Vec<String>], no_headers: bool) -> String {
    use comfy_table::{CellAlignment, ContentArrangement, Table, presets};
    let mut t = Table::new();
    t.load_style(presets::NOTHING);
    t.set_content_arrangement(ContentArrangement::Disabled);
    if !no_headers {
        t.set_header(headers.iter().map(|h| h.to_string()));
    }
    for r in rows {
        t.add_row(r.clone());
    }
    for (i, col) in t.column_iter_mut().enumerate() {
        col.set_padding((0, if i + 1 == headers.len() { 0 } else { 3 }));
        col.set_cell_alignment(CellAlignment::Left);
    }
    let mut out = String::new();
    for line in t.lines() {
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// The `apiVersion` of what `-o json|yaml` prints: the plugin's own output schema (not an API
/// any server serves), versioned so that scripts can tell.
pub(crate) const API_VERSION: &str = "kubestellar.io/v1alpha1";

/// Machine output shaped like a kubectl List: `apiVersion`, `kind`, `metadata`, `items`, in
/// that order, then any fields of `extra`.
#[derive(Serialize)]
pub(crate) struct List<'a, T: Serialize, E: Serialize> {
    #[serde(rename = "apiVersion")]
    api_version: &'static str,
    kind: &'static str,
    metadata: serde_json::Map<String, serde_json::Value>,
    items: &'a [T],
    #[serde(flatten)]
    extra: E,
}

impl<'a, T: Serialize> List<'a, T, ()> {
    pub(crate) fn new(kind: &'static str, items: &'a [T]) -> Self {
        List::with(kind, items, ())
    }
}

impl<'a, T: Serialize, E: Serialize> List<'a, T, E> {
    pub(crate) fn with(kind: &'static str, items: &'a [T], extra: E) -> Self {
        List {
            api_version: API_VERSION,
            kind,
            metadata: Default::default(),
            items,
            extra,
        }
    }
}

pub(crate) fn json(value: &impl Serialize) -> String {
    let mut s =
        serde_json::to_string_pretty(value).unwrap_or_else(|e| format!("{{\"error\": {:?}}}", e.to_string()));
    s.push('\n');
    s
}

pub(crate) fn yaml(value: &impl Serialize) -> String {
    serde_saphyr::to_string(value).unwrap_or_else(|e| format!("error: {e}\n"))
}

/// Write to stdout; a closed pipe (`| head`) ends the command quietly, with exit 0.
pub(crate) fn print(text: &str) -> crate::error::Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|_| out.flush())
        .map_err(|_| crate::error::Error::closed_pipe())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_look_like_kubectl() {
        let t = table(
            &["NAME", "STATUS"],
            &[
                vec!["a".into(), "ok".into()],
                vec!["longer-name".into(), "missing".into()],
            ],
            false,
        );
        assert_eq!(
            t,
            "NAME          STATUS\na             ok\nlonger-name   missing\n"
        );
        let t = table(&["NAME", "STATUS"], &[vec!["a".into(), "ok".into()]], true);
        assert_eq!(t, "a   ok\n");
    }

    #[test]
    fn lists_read_like_kubectl_lists() {
        #[derive(Serialize)]
        struct Extra {
            summary: u8,
        }
        let yaml = yaml(&List::with("ThingList", &["a"], Extra { summary: 1 }));
        assert_eq!(
            yaml,
            "apiVersion: kubestellar.io/v1alpha1\nkind: ThingList\nmetadata: {}\nitems:\n- a\nsummary: 1\n"
        );
        let json = json(&List::new("ThingList", &["a"]));
        let keys: Vec<&str> = json
            .lines()
            .filter_map(|l| l.strip_prefix("  \"")?.split('"').next())
            .collect();
        assert_eq!(keys, ["apiVersion", "kind", "metadata", "items"]);
    }
}
