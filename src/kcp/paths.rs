//! Workspace names and logical cluster paths, validated as kcp validates them, so that bad
//! input is refused before any request.

use std::sync::OnceLock;

fn segment_re() -> &'static regex::Regex {
    static RE: OnceLock<regex::Regex> = OnceLock::new();
    RE.get_or_init(|| regex::Regex::new(r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$").expect("literal regex"))
}

/// A Workspace name: `^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`.
pub(crate) fn check_workspace_name(name: &str) -> Result<(), String> {
    if segment_re().is_match(name) {
        Ok(())
    } else if name.len() > 63 {
        Err(format!(
            "{name:?} is not a valid workspace name: it is {} characters long, at most 63 are allowed",
            name.len()
        ))
    } else {
        Err(format!(
            "{name:?} is not a valid workspace name: use lowercase letters, digits and '-', starting and ending with a letter or digit"
        ))
    }
}

/// A logical cluster path such as `root:espw`.
pub(crate) fn check_path(path: &str) -> Result<(), String> {
    if !path.is_empty() && path.split(':').all(|s| segment_re().is_match(s)) {
        Ok(())
    } else {
        Err(format!(
            "{path:?} is not a valid workspace path: use names joined by ':', e.g. root:espw"
        ))
    }
}

/// `root:espw` → (`root`, `espw`); `None` for a single segment.
pub(crate) fn split_parent(path: &str) -> Option<(&str, &str)> {
    path.rsplit_once(':')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_paths() {
        assert!(check_workspace_name("wmw1").is_ok());
        assert!(check_workspace_name("a").is_ok());
        for bad in ["", "-a", "a-", "A", "a_b", "a.b", &"x".repeat(64)] {
            assert!(check_workspace_name(bad).is_err(), "{bad}");
        }
        assert!(check_path("root:espw").is_ok());
        assert!(check_path("root::x").is_err());
        assert!(check_path("root:Espw").is_err());
        assert_eq!(split_parent("root:espw:x"), Some(("root:espw", "x")));
        assert_eq!(split_parent("root"), None);
    }
}
