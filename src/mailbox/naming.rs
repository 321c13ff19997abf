//! The mailbox name contract shared with KubeStellar's other components:
//! `<logical cluster of the SyncTarget>-mb-<SyncTarget UID>`.

use std::sync::OnceLock;

pub(crate) const SEPARATOR: &str = "-mb-";

/// The mailbox workspace name of a SyncTarget, or why there cannot be one.
/// A mailbox name as the observed state keeps it: one allocation, shared by every map that
/// holds the name (the SyncTargets by mailbox, the workspaces, the by-cluster index).
pub(crate) type Name = std::sync::Arc<str>;

pub(crate) fn mailbox_name(cluster: &str, uid: &str) -> Result<String, String> {
    if cluster.is_empty() {
        return Err("it has no kcp.io/cluster annotation".into());
    }
    if uid.is_empty() {
        return Err("it has no UID".into());
    }
    let name = format!("{cluster}{SEPARATOR}{uid}");
    crate::kcp::paths::check_workspace_name(&name).map(|_| name.clone()).map_err(|_| {
        if name.len() > 63 {
            format!("its mailbox name {name:?} would be {} characters long, and workspace names are at most 63", name.len())
        } else {
            format!("its mailbox name {name:?} would not be a valid workspace name")
        }
    })
}

/// Any name with the separator: what the Go controller treated as a mailbox. Such
/// workspaces are considered (and reported), but only owned ones are ever deleted.
pub(crate) fn looks_like_mailbox(name: &str) -> bool {
    name.contains(SEPARATOR)
}

/// The exact form: a logical cluster ID (lowercase base36), the separator, a lowercase UUID.
pub(crate) fn has_mailbox_form(name: &str) -> bool {
    static RE: OnceLock<regex::Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        regex::Regex::new(r"^[a-z0-9]+-mb-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
            .expect("literal regex")
    });
    name.len() <= 63 && re.is_match(name)
}

/// The SyncTarget's logical cluster, read back from a mailbox name of the exact form.
pub(crate) fn cluster_of(name: &str) -> Option<&str> {
    has_mailbox_form(name)
        .then(|| name.split(SEPARATOR).next())
        .flatten()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_example() {
        let name = mailbox_name("niqdko2g2pwoadfb", "f99e773f-3db2-439e-8054-827c4ac55368").unwrap();
        assert_eq!(name, "niqdko2g2pwoadfb-mb-f99e773f-3db2-439e-8054-827c4ac55368");
        assert_eq!(name.len(), 56);
        assert!(has_mailbox_form(&name));
        assert_eq!(cluster_of(&name), Some("niqdko2g2pwoadfb"));
        assert_eq!(cluster_of("decoy-mb-notes"), None);
    }

    #[test]
    fn bad_inputs_are_explained_not_crashed_on() {
        assert!(mailbox_name("", "u").unwrap_err().contains("kcp.io/cluster"));
        assert!(mailbox_name("c", "").unwrap_err().contains("UID"));
        assert!(
            mailbox_name(&"a".repeat(30), "f99e773f-3db2-439e-8054-827c4ac55368")
                .unwrap_err()
                .contains("63")
        );
        assert!(mailbox_name("Upper", "x").is_err());
    }

    #[test]
    fn only_the_exact_form_counts_as_owned_shape() {
        assert!(looks_like_mailbox("team-mb-notes"));
        assert!(!has_mailbox_form("team-mb-notes"));
        assert!(!has_mailbox_form(
            "niqdko2g2pwoadfb-mb-F99E773F-3DB2-439E-8054-827C4AC55368"
        ));
        assert!(!has_mailbox_form("x-y-mb-f99e773f-3db2-439e-8054-827c4ac55368"));
        assert!(!has_mailbox_form("wmw1"));
    }
}
