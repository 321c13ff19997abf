//! A controller of its own identity (issue #21): `mailbox watch` as a token user (kcp's
//! `--token-auth-file`) holding exactly the permissions of `deploy/least-privilege/` converges
//! on kcp v0.11; without each one it says in one sentence which permission is missing, and
//! deletes nothing. Real kcp only (kcp-sim does not model kcp's RBAC): one kcp start serves
//! every check, each taking one permission away and giving it back.

use crate::common::{self, Env, WAIT, kcp::TokenUser, mailbox, wait_for};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

const USER: &str = "mailbox-controller";
const GROUP: &str = "kubestellar:mailbox-controllers";
const DOC: &str = "docs/least-privilege.md";

fn manifest(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("deploy/least-privilege")
        .join(name)
}

/// The mailbox workspaces in root, but those being deleted (kcp takes a moment): name → UID.
fn mailbox_uids(env: &Env) -> BTreeMap<String, String> {
    env.workspaces("root")
        .iter()
        .filter(|w| w["metadata"]["name"].as_str().is_some_and(|n| n.contains("-mb-")))
        .filter(|w| w["metadata"].get("deletionTimestamp").is_none())
        .map(|w| {
            (
                w["metadata"]["name"].as_str().unwrap().to_string(),
                w["metadata"]["uid"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// One permission: where its role is, which rule and which verb.
struct Permission {
    workspace: String,
    /// `clusterroles/<name>` or `roles/<name>` in namespace default.
    role: &'static str,
    namespaced: bool,
    /// The rule's resource (or non-resource URL) and a verb it holds.
    resource: &'static str,
    verb: &'static str,
}

impl Permission {
    fn get(&self, env: &Env) -> Value {
        let mut args = vec!["get", self.role, "-o", "json"];
        if self.namespaced {
            args.extend(["-n", "default"]);
        }
        let run = env.kubectl_in(&self.workspace, &args).ok();
        let mut role = run.json();
        let meta = role["metadata"].as_object_mut().unwrap();
        for k in ["resourceVersion", "managedFields", "uid", "creationTimestamp"] {
            meta.remove(k);
        }
        role
    }

    /// Take the verb away (the rule goes when it has no verb left); the role as it was.
    fn revoke(&self, env: &Env) -> Value {
        let original = self.get(env);
        let mut role = original.clone();
        let rules = role["rules"].as_array_mut().unwrap();
        let mut found = false;
        for rule in rules.iter_mut() {
            let names = |k: &str| {
                rule[k]
                    .as_array()
                    .is_some_and(|a| a.iter().any(|r| r == self.resource))
            };
            if (names("resources") || names("nonResourceURLs"))
                && rule["verbs"]
                    .as_array()
                    .is_some_and(|v| v.iter().any(|v| v == self.verb))
            {
                rule["verbs"].as_array_mut().unwrap().retain(|v| v != self.verb);
                found = true;
            }
        }
        assert!(
            found,
            "no rule of {} gives {} on {}",
            self.role, self.verb, self.resource
        );
        rules.retain(|r| r["verbs"].as_array().is_some_and(|v| !v.is_empty()));
        env.kubectl_stdin(&self.workspace, &["replace"], &role).ok();
        self.until_authorizer_says(env, false);
        original
    }

    fn restore(&self, env: &Env, original: &Value) {
        env.kubectl_stdin(&self.workspace, &["replace"], original).ok();
        self.until_authorizer_says(env, true);
    }

    /// kcp's authorizer reads RBAC from informers: wait until it answers a SubjectAccessReview
    /// for the controller's user as the role now says (what the plugin will be told next).
    fn until_authorizer_says(&self, env: &Env, allowed: bool) {
        let (kind, attributes) = match self.resource {
            "/" => ("nonResourceAttributes", json!({"path": "/", "verb": self.verb})),
            resource => {
                let (resource, subresource) = resource.split_once('/').unwrap_or((resource, ""));
                let (group, namespace) = match resource {
                    "leases" => ("coordination.k8s.io", "default"),
                    "workspaces" => ("tenancy.kcp.io", ""),
                    _ => ("apis.kcp.io", ""),
                };
                let attributes = json!({
                    "verb": self.verb, "group": group, "resource": resource,
                    "subresource": subresource, "namespace": namespace,
                    // The export's rules name it.
                    "name": if resource == "apiexports" { "edge.kubestellar.io" } else { "" },
                });
                ("resourceAttributes", attributes)
            }
        };
        let review = json!({
            "apiVersion": "authorization.k8s.io/v1",
            "kind": "SubjectAccessReview",
            "spec": {"user": USER, "groups": [GROUP, "system:authenticated"], kind: attributes},
        });
        let mut answer = Value::Null;
        let mut says = || {
            let run = env
                .kubectl_stdin(&self.workspace, &["create", "-o", "json"], &review)
                .ok();
            answer = run.json()["status"].clone();
            answer["allowed"].as_bool() == Some(true)
        };
        assert!(
            wait_for(env.kcp(), Duration::from_secs(30), |_| says() == allowed),
            "kcp's authorizer did not come to allow={allowed} {} on {} in {}: {answer}",
            self.verb,
            self.resource,
            self.workspace
        );
    }
}

fn apply_file(env: &Env, path: &str, file: &Path) {
    env.kubectl_in(path, &["apply", "-f", file.to_str().unwrap()])
        .ok();
}

/// The controller's user: its kubeconfig, and the plugin run as it.
struct AsUser<'a> {
    env: &'a Env,
    kubeconfig: PathBuf,
}

impl AsUser<'_> {
    fn plugin(&self, args: &[&str]) -> common::Run {
        let mut all = vec!["kubestellar"];
        all.extend_from_slice(args);
        common::Run::from(
            self.env
                .command("kubectl")
                .env("KUBECONFIG", &self.kubeconfig)
                .args(&all)
                .output()
                .expect("run kubectl"),
        )
    }
}

/// A check: one permission taken away.
struct Case {
    permission: Permission,
    /// What makes the permission needed now (a SyncTarget without a mailbox, an orphan).
    prepare: fn(&Env),
    leader_elect: bool,
    /// The sentence the controller says.
    says: &'static str,
}

fn espw(resource: &'static str, verb: &'static str) -> Permission {
    Permission {
        workspace: "root:espw".into(),
        role: "clusterroles/kubestellar:mailbox-controller",
        namespaced: false,
        resource,
        verb,
    }
}

fn parent(verb: &'static str) -> Permission {
    Permission {
        workspace: "root".into(),
        role: "clusterroles/kubestellar:mailbox-controller",
        namespaced: false,
        resource: "workspaces",
        verb,
    }
}

fn lease(verb: &'static str) -> Permission {
    Permission {
        workspace: "root:espw".into(),
        role: "roles/kubestellar:mailbox-controller-lease",
        namespaced: true,
        resource: "leases",
        verb,
    }
}

fn nothing(_: &Env) {}

/// A SyncTarget without a mailbox yet.
fn new_sync_target(env: &Env) {
    let n = env.workspaces("root").len();
    env.sync_target("imw1", &format!("new{n}"));
}

/// A mailbox without a SyncTarget.
fn orphan(env: &Env) {
    env.delete_sync_target("imw1", "edge2");
}

const VIEW: &str = "the user \"mailbox-controller\" may not read the export's view; it needs list and watch on apiexports/content edge.kubestellar.io in root:espw";

fn cases() -> Vec<Case> {
    let case = |permission, prepare: fn(&Env), says| Case {
        permission,
        prepare,
        leader_elect: false,
        says,
    };
    let with_lease = |verb, says| Case {
        permission: lease(verb),
        prepare: nothing,
        leader_elect: true,
        says,
    };
    vec![
        case(
            espw("/", "access"),
            nothing,
            "the user \"mailbox-controller\" may not access root:espw (verb access on the non-resource URL / there)",
        ),
        case(
            espw("apiexports", "get"),
            nothing,
            "the user \"mailbox-controller\" may not get apiexports edge.kubestellar.io in root:espw",
        ),
        case(espw("apiexports/content", "list"), nothing, VIEW),
        case(espw("apiexports/content", "watch"), nothing, VIEW),
        case(
            espw("apiexports", "bind"),
            new_sync_target,
            "the user may not bind APIExport edge.kubestellar.io in root:espw (verb bind on apiexports edge.kubestellar.io there)",
        ),
        case(
            parent("create"),
            new_sync_target,
            "the user \"mailbox-controller\" may not create workspaces in root",
        ),
        case(
            parent("delete"),
            orphan,
            // kcp names the mailbox: `may not delete workspaces <mailbox> in root`.
            "the user \"mailbox-controller\" may not delete workspaces ",
        ),
        with_lease(
            "get",
            "the user \"mailbox-controller\" may not get leases kubestellar-mailbox-controller in namespace default in root:espw",
        ),
        with_lease(
            "create",
            "the user \"mailbox-controller\" may not create leases in namespace default in root:espw",
        ),
        with_lease(
            "update",
            "the user \"mailbox-controller\" may not update leases kubestellar-mailbox-controller in namespace default in root:espw",
        ),
    ]
}

/// Take the case's permission away, run `mailbox watch` until it says which is missing, check
/// that nothing was deleted, give the permission back and sync.
fn check(user: &AsUser<'_>, case: &Case) {
    let env = user.env;
    let p = &case.permission;
    let label = format!("without {} on {} in {}", p.verb, p.resource, p.workspace);
    (case.prepare)(env);
    if case.leader_elect {
        // No Lease to start with: the last controller was killed holding it.
        env.kubectl_in(
            "root:espw",
            &[
                "delete",
                "lease",
                "-n",
                "default",
                "kubestellar-mailbox-controller",
                "--ignore-not-found",
            ],
        )
        .ok();
    }
    let before = mailbox_uids(env);
    let original = p.revoke(env);
    let extra: &[&str] = if case.leader_elect {
        &["--leader-elect"]
    } else {
        &[]
    };
    let mut c = env.start_watch_with_kubeconfig(&user.kubeconfig, extra);
    let line = c.wait_log(case.says, Duration::from_secs(40));
    let log = c.log();
    c.signal("KILL");
    let _ = c.wait_exit(WAIT);
    let line = line.unwrap_or_else(|| panic!("{label}: the controller did not say {:?}:\n{log}", case.says));
    assert!(line.contains(DOC), "{label}: {line}");
    assert!(line.contains(&format!(" in {}", p.workspace)), "{label}: {line}");
    assert!(
        !log.contains("deleted mailbox"),
        "{label}: it deleted a mailbox:\n{log}"
    );
    let after = mailbox_uids(env);
    for (name, uid) in &before {
        assert_eq!(
            after.get(name),
            Some(uid),
            "{label}: mailbox {name} deleted or replaced:\n{log}"
        );
    }
    p.restore(env, &original);
    // Given back, it does what was refused.
    user.plugin(&["mailbox", "sync"]).ok();
}

/// A mailbox another user made: the controller is not its admin, and says so; with
/// deploy/least-privilege/mailbox.yaml applied in it, it binds it.
fn a_mailbox_made_by_another_user(user: &AsUser<'_>, cluster: &str) {
    let env = user.env;
    let (_, uid) = env.sync_target("imw1", "by-admin");
    let theirs = mailbox(cluster, &uid);
    env.kcp()
        .create_workspace("root", &theirs)
        .expect("the admin makes a mailbox");
    let run = user.plugin(&["mailbox", "sync"]).code(1);
    let says = format!(
        "failed to ensure bind-edge in mailbox {theirs}: the user \"mailbox-controller\" may not access mailbox {theirs} (verb access on the non-resource URL / there); {DOC}"
    );
    assert!(run.stdout.contains(&says), "{}\n{}", run.stdout, run.stderr);
    let path = format!("root:{theirs}");
    apply_file(env, &path, &manifest("mailbox.yaml"));
    let apibindings = Permission {
        workspace: path,
        role: "clusterroles/kubestellar:mailbox-controller",
        namespaced: false,
        resource: "apibindings",
        verb: "create",
    };
    let original = apibindings.revoke(env);
    let run = user.plugin(&["mailbox", "sync"]).code(1);
    let says =
        format!("the user \"mailbox-controller\" may not create apibindings in mailbox {theirs}; {DOC}");
    assert!(run.stdout.contains(&says), "{}\n{}", run.stdout, run.stderr);
    apibindings.restore(env, &original);
    user.plugin(&["mailbox", "sync"]).ok();
    assert!(env.bound(&theirs));
}

#[test]
fn the_controller_as_a_user_with_the_least_permissions_converges_and_names_each_missing_one() {
    let token = format!("least-privilege-{}", std::process::id());
    let users = [TokenUser {
        name: USER.into(),
        token: token.clone(),
        groups: vec![GROUP.into()],
    }];
    let Some(env) = Env::real_with_users(&users) else {
        return common::skip("real kcp only: kcp-sim does not model kcp's RBAC");
    };
    if env.newest() {
        return common::skip("the manifests are kcp v0.11's");
    }
    env.edge_api();
    let cluster = env.imw("imw1");
    let (_, uid1) = env.sync_target("imw1", "edge1");
    let (_, uid2) = env.sync_target("imw1", "edge2");
    apply_file(&env, "root:espw", &manifest("espw.yaml"));
    apply_file(&env, "root", &manifest("mailbox-parent.yaml"));
    for granted in [espw("apiexports/content", "list"), parent("create")] {
        granted.until_authorizer_says(&env, true);
    }
    let kubeconfig = env.dir.path().join("controller.kubeconfig");
    env.real_ref()
        .expect("real kcp")
        .write_kubeconfig_with_token(&token, &kubeconfig);
    let user = AsUser {
        env: &env,
        kubeconfig,
    };

    // With exactly those permissions, the controller converges (leader election included).
    let wanted = [mailbox(&cluster, &uid1), mailbox(&cluster, &uid2)];
    {
        let mut c = env.start_watch_with_kubeconfig(&user.kubeconfig, &["--leader-elect"]);
        let converged = wait_for(env.kcp(), Duration::from_secs(90), |_| {
            wanted.iter().all(|mb| env.bound(mb))
        });
        assert!(converged, "not converged:\n{}", c.log());
        assert!(c.alive(), "{}", c.log());
        assert!(!c.log().contains("ERROR"), "{}", c.log());
    }
    // Without each, one sentence names it, and nothing is deleted.
    for case in cases() {
        check(&user, &case);
    }
    // The orphan went once delete was given back.
    assert!(!mailbox_uids(&env).contains_key(&mailbox(&cluster, &uid2)));
    a_mailbox_made_by_another_user(&user, &cluster);
}
