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
pub(crate) fn table<T>(
    headers: &[&str],
    items: &[T],
    cells: impl Fn(&T) -> Vec<String>,
    no_headers: bool,
) -> String {
    table_in_chunks(headers, items, cells, no_headers, TABLE_CHUNK)
}

/// Rows laid out at a time: comfy-table holds about 1.4 KiB per row of a mailbox table, so a
/// table of 100,000 is laid out a chunk at a time, every chunk with the widths of all rows.
/// An item's cells are made when needed, twice (for the widths, then the chunk), rather than
/// kept for all rows at once.
const TABLE_CHUNK: usize = 2000;

fn table_in_chunks<T>(
    headers: &[&str],
    items: &[T],
    cells: impl Fn(&T) -> Vec<String>,
    no_headers: bool,
    chunk: usize,
) -> String {
    use comfy_table::{CellAlignment, ColumnConstraint, ContentArrangement, Table, Width, presets};
    let width = |s: &str| s.lines().map(|l| l.chars().count()).max().unwrap_or(0);
    let mut widths: Vec<usize> = headers
        .iter()
        .map(|h| if no_headers { 0 } else { width(h) })
        .collect();
    for item in items {
        for (w, c) in widths.iter_mut().zip(cells(item)) {
            *w = (*w).max(width(&c));
        }
    }
    let mut out = String::new();
    let empty: &[T] = &[];
    let chunks: Vec<&[T]> = if items.is_empty() {
        vec![empty]
    } else {
        items.chunks(chunk.max(1)).collect()
    };
    for (i, part) in chunks.into_iter().enumerate() {
        let mut t = Table::new();
        t.load_style(presets::NOTHING);
        t.set_content_arrangement(ContentArrangement::Disabled);
        if i == 0 && !no_headers {
            t.set_header(headers.iter().map(|h| h.to_string()));
        }
        for item in part {
            t.add_row(cells(item));
        }
        for (n, col) in t.column_iter_mut().enumerate() {
            let pad = if n + 1 == headers.len() { 0 } else { 3 };
            col.set_padding((0, pad));
            col.set_cell_alignment(CellAlignment::Left);
            let w = widths.get(n).copied().unwrap_or(0) + usize::from(pad);
            col.set_constraint(ColumnConstraint::LowerBoundary(Width::Fixed(
                u16::try_from(w).unwrap_or(u16::MAX),
            )));
        }
        for line in t.lines() {
            out.push_str(line.trim_end());
            out.push('\n');
        }
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
            &[["a", "ok"], ["longer-name", "missing"]],
            |r| r.map(String::from).to_vec(),
            false,
        );
        assert_eq!(
            t,
            "NAME          STATUS\na             ok\nlonger-name   missing\n"
        );
        let t = table(
            &["NAME", "STATUS"],
            &[["a", "ok"]],
            |r| r.map(String::from).to_vec(),
            true,
        );
        assert_eq!(t, "a   ok\n");
        let none: &[[&str; 2]] = &[];
        assert_eq!(
            table(&["NAME", "STATUS"], none, |r| r.map(String::from).to_vec(), false),
            "NAME   STATUS\n"
        );
    }

    #[test]
    fn a_table_laid_out_in_chunks_is_the_table_laid_out_at_once() {
        let rows: Vec<Vec<String>> = ["a", "longer-name", "b", "mid", "the-longest-name-of-all"]
            .iter()
            .enumerate()
            .map(|(i, n)| vec![n.to_string(), "x".repeat(i * 3), "last".into()])
            .collect();
        for no_headers in [false, true] {
            let whole = table_in_chunks(
                &["NAME", "MIDDLE", "END"],
                &rows,
                Vec::clone,
                no_headers,
                usize::MAX,
            );
            for chunk in 1..=4 {
                assert_eq!(
                    table_in_chunks(&["NAME", "MIDDLE", "END"], &rows, Vec::clone, no_headers, chunk),
                    whole,
                    "chunks of {chunk}"
                );
            }
        }
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
