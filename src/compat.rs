//! Flags of KubeStellar's Go mailbox controller and of its `kubectl kubestellar` scripts that
//! users paste from old docs: translated when they map onto ours, refused with what to use
//! instead when they cannot.

use crate::error::{Error, Result};
use std::ffi::OsString;

/// Client flags of the Go controller (one kubeconfig per workspace role, and klog's logging).
const REFUSED: &[(&str, &str)] = &[
    (
        "--root-",
        "use --kubeconfig and --context: this tool reaches every workspace from one context",
    ),
    (
        "--mbws-",
        "use --kubeconfig and --context: this tool reaches every workspace from one context",
    ),
    (
        "--espw-kubeconfig",
        "use --kubeconfig and --context, and --espw-path for where the ESPW is",
    ),
    (
        "--espw-context",
        "use --kubeconfig and --context, and --espw-path for where the ESPW is",
    ),
    (
        "--espw-user",
        "use --kubeconfig and --context, and --espw-path for where the ESPW is",
    ),
    (
        "--espw-cluster",
        "use --kubeconfig and --context, and --espw-path for where the ESPW is",
    ),
    (
        "--inventory-kubeconfig",
        "use --kubeconfig and --context; --inventory-export-path says where the SyncTargets' export is",
    ),
    (
        "--inventory-context",
        "use --kubeconfig and --context; --inventory-export-path says where the SyncTargets' export is",
    ),
    ("--inventory-user", "use --kubeconfig and --context"),
    ("--inventory-cluster", "use --kubeconfig and --context"),
    (
        "--workload-",
        "use --kubeconfig and --context: this tool reaches every workspace from one context",
    ),
    ("--logtostderr", "logs always go to stderr"),
    ("--alsologtostderr", "logs always go to stderr"),
    ("--log_dir", "logs go to stderr: redirect it (2>file)"),
    ("--log_file", "logs go to stderr: redirect it (2>file)"),
    ("--vmodule", "use -v, -vv, or RUST_LOG"),
];

/// Rewrite or refuse old flags before the command line is parsed.
pub(crate) fn translate(args: Vec<OsString>) -> Result<Vec<OsString>> {
    let mut out = Vec::with_capacity(args.len());
    for (i, arg) in args.into_iter().enumerate() {
        let Some(s) = arg.to_str().filter(|_| i > 0) else {
            out.push(arg);
            continue;
        };
        if s == "--" {
            out.push(arg);
            continue;
        }
        // klog's `-v=2` (the Go controller was run with it): as many -v, at most two.
        if let Some(level) = s.strip_prefix("-v=").or_else(|| s.strip_prefix("--v=")) {
            let n: u8 = level
                .parse()
                .map_err(|_| Error::usage(format!("{s}: the level must be a number")))?;
            out.extend(std::iter::repeat_n(OsString::from("-v"), n.min(2) as usize));
            continue;
        }
        // The scripts' `-X` (bash's xtrace, which shows every kubectl they run): the request
        // trace, which shows every request the plugin makes.
        if s == "-X" {
            out.extend([OsString::from("-v"), OsString::from("-v")]);
            continue;
        }
        // The scripts' `--espw PATH` (prep-for-cluster, prep-for-syncer).
        if s == "--espw" {
            out.push(OsString::from("--espw-path"));
            continue;
        }
        if let Some(v) = s.strip_prefix("--espw=") {
            out.push(OsString::from(format!("--espw-path={v}")));
            continue;
        }
        let flag = s.split('=').next().unwrap_or(s);
        if let Some((_, what)) = REFUSED.iter().find(|(prefix, _)| flag.starts_with(prefix)) {
            return Err(Error::usage(format!(
                "{flag} is a flag of KubeStellar's Go mailbox controller that this tool does not take"
            ))
            .hint(*what));
        }
        out.push(arg);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(args: &[&str]) -> Result<Vec<String>> {
        translate(args.iter().map(OsString::from).collect())
            .map(|v| v.into_iter().map(|a| a.into_string().unwrap()).collect())
    }

    #[test]
    fn klog_verbosity_becomes_repeated_v() {
        assert_eq!(
            t(&["k", "mailbox", "watch", "-v=2"]).unwrap(),
            ["k", "mailbox", "watch", "-v", "-v"]
        );
        assert_eq!(t(&["k", "--v=0"]).unwrap(), ["k"]);
    }

    #[test]
    fn the_scripts_trace_and_espw_flags_become_ours() {
        assert_eq!(
            t(&["k", "ensure", "wmw", "-X", "w"]).unwrap(),
            ["k", "ensure", "wmw", "-v", "-v", "w"]
        );
        assert_eq!(
            t(&["k", "prep-for-cluster", "--espw", "root:e", "--espw=root:f"]).unwrap(),
            [
                "k",
                "prep-for-cluster",
                "--espw-path",
                "root:e",
                "--espw-path=root:f"
            ]
        );
    }

    #[test]
    fn per_workspace_client_flags_are_refused_with_the_replacement() {
        let e = t(&["k", "mailbox", "watch", "--root-kubeconfig", "x"]).unwrap_err();
        assert!(e.message.contains("--root-kubeconfig") && e.hint.unwrap().contains("--kubeconfig"));
        assert!(t(&["k", "--mbws-context=base"]).is_err());
        // Our own flags that share a prefix pass.
        assert!(t(&["k", "--inventory-export-path", "root"]).is_ok());
        assert!(t(&["k", "--espw-path", "root:espw"]).is_ok());
    }
}
