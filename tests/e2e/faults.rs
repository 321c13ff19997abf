//! Under injected server errors `mailbox sync` retries and converges, or fails with a clear
//! list; it never deletes what it should not.

use crate::common;

use crate::common::{Env, mailbox, wait_for};
use kcp_sim::Faults;
use serde_json::json;
use std::collections::BTreeMap;

fn uids(env: &Env) -> BTreeMap<String, String> {
    env.workspaces("root")
        .iter()
        .filter(|w| w["metadata"]["name"].as_str().unwrap().contains("-mb-"))
        .map(|w| {
            (
                w["metadata"]["name"].as_str().unwrap().to_string(),
                w["metadata"]["uid"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn sync_converges_under_5xx_and_429_and_never_deletes_what_it_should_not() {
    let env = Env::sim_only("fault injection is kcp-sim's");
    env.edge_api();
    env.imw("imw1");
    env.imw("imw2");
    let mut live = Vec::new();
    for i in 0..12 {
        let imw = if i % 2 == 0 { "imw1" } else { "imw2" };
        let (c, u) = env.sync_target(imw, &format!("edge-{i}"));
        live.push((imw, format!("edge-{i}"), mailbox(&c, &u)));
    }
    env.plugin(&["mailbox", "sync"]).ok();
    // Two SyncTargets go, six come; decoys that look like mailboxes but are not ours appear.
    for (imw, name, _) in live.drain(10..) {
        env.delete_sync_target(imw, &name);
    }
    for i in 12..18 {
        let (c, u) = env.sync_target("imw1", &format!("edge-{i}"));
        live.push(("imw1", format!("edge-{i}"), mailbox(&c, &u)));
    }
    env.kcp().create_workspace("root", "decoy-mb-notes").unwrap();
    let unowned = "abcdefghij012345-mb-00000000-0000-4000-8000-000000000000";
    env.kcp().create("root", json!({"apiVersion": "tenancy.kcp.io/v1alpha1", "kind": "Workspace", "metadata": {"name": unowned}})).unwrap();
    let keep: BTreeMap<String, String> = uids(&env)
        .into_iter()
        .filter(|(n, _)| live.iter().any(|(_, _, m)| m == n))
        .collect();

    env.sim().set_faults(Faults {
        error_rate: 0.3,
        ..Faults::default()
    });
    let mut runs = 0;
    loop {
        runs += 1;
        let out = env.plugin(&["mailbox", "sync"]);
        assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
        let now = uids(&env);
        for (name, uid) in &keep {
            assert_eq!(
                now.get(name),
                Some(uid),
                "mailbox {name} of a live SyncTarget was deleted or replaced"
            );
        }
        assert!(now.contains_key(unowned), "an unowned look-alike was deleted");
        assert!(
            env.kcp()
                .get("root", "tenancy.kcp.io/v1alpha1", "workspaces", "decoy-mb-notes")
                .is_some(),
            "the decoy was deleted"
        );
        match out.code {
            0 => break,
            1 => assert!(
                out.stdout.contains("Failed:") || out.stderr.starts_with("error: "),
                "a failure says what failed:\n{}\n{}",
                out.stdout,
                out.stderr
            ),
            other => panic!("exit {other}: {}", out.stderr),
        }
        assert!(
            runs < 8,
            "sync did not converge under a 30% error rate in {runs} runs"
        );
    }
    env.sim().set_faults(Faults::default());
    let want: Vec<String> = {
        let mut w: Vec<String> = live
            .iter()
            .map(|(_, _, m)| m.clone())
            .chain([unowned.to_string(), "decoy-mb-notes".to_string()])
            .collect();
        w.sort();
        w
    };
    let settled = wait_for(env.kcp(), common::WAIT, |s| {
        common::mailbox_like(s, "root") == want
    });
    assert!(
        settled,
        "after the faults: one mailbox per SyncTarget, orphans gone, decoys kept: {:?}",
        env.mailbox_names()
    );
    for (_, _, m) in &live {
        assert!(env.bound(m), "{m} has no bind-edge");
    }
}

#[test]
fn when_every_request_fails_nothing_changes_and_the_error_is_one_sentence() {
    let env = Env::sim_only("fault injection is kcp-sim's");
    env.edge_api();
    env.imw("imw1");
    env.sync_target("imw1", "guilder");
    let before = env.workspaces("root");
    env.sim().set_faults(Faults {
        error_rate: 1.0,
        ..Faults::default()
    });
    let out = env.plugin(&["mailbox", "sync"]).code(1);
    let line = out.one_error_line();
    assert!(
        line.contains("the server is in trouble") || line.contains("retry"),
        "{line}"
    );
    env.sim().set_faults(Faults::default());
    assert_eq!(env.workspaces("root"), before);
}
