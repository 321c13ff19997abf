//! CustomResourceDefinitions in a workspace, as kcp v0.11 serves them (KubeStellar's example1
//! creates one in a workload management workspace and waits for it to be Established).

use super::*;

const CRDS: &str = "apis/apiextensions.k8s.io/v1/customresourcedefinitions";
const CRONTABS: &str = "apis/stable.example.com/v1/namespaces/default/crontabs";

fn crontab_crd() -> Value {
    json!({
        "apiVersion": "apiextensions.k8s.io/v1", "kind": "CustomResourceDefinition",
        "metadata": {"name": "crontabs.stable.example.com"},
        "spec": {
            "group": "stable.example.com",
            "scope": "Namespaced",
            "names": {"plural": "crontabs", "singular": "crontab", "kind": "CronTab", "shortNames": ["ct"], "categories": ["all"]},
            "versions": [{"name": "v1", "served": true, "storage": true, "schema": {"openAPIV3Schema": {
                "type": "object",
                "properties": {"spec": {"type": "object", "properties": {"cronSpec": {"type": "string"}, "replicas": {"type": "integer"}}}},
            }}}],
        },
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crd_is_established_and_serves_its_resource_in_its_workspace_only() {
    let server = Server::start(fast());
    let (ws, other) = (server.under("crds"), server.under("other"));
    ready_workspace(&server, server.home(), "crds");
    ready_workspace(&server, server.home(), "other");
    wait_object(&server, &ws, "v1", "namespaces", "default", |_| true);
    let admin = client(&server, "root").await;

    post(&admin, &at(&ws, CRDS), crontab_crd()).await.ok(201);
    let crd = wait_object(
        &server,
        &ws,
        "apiextensions.k8s.io/v1",
        "customresourcedefinitions",
        "crontabs.stable.example.com",
        |c| condition(c, "Established")["status"] == "True",
    );
    assert_eq!(condition(&crd, "NamesAccepted")["status"], "True");
    assert_eq!(crd["status"]["acceptedNames"]["kind"], "CronTab");
    assert_eq!(crd["status"]["acceptedNames"]["listKind"], "CronTabList");
    assert_eq!(crd["status"]["storedVersions"], json!(["v1"]));

    served(&admin, &at(&ws, CRONTABS)).await.ok(200);
    let made = post(
        &admin,
        &at(&ws, CRONTABS),
        json!({"apiVersion": "stable.example.com/v1", "kind": "CronTab", "metadata": {"name": "my-new-cron-object"},
               "spec": {"cronSpec": "* * * * */5", "replicas": 1}}),
    )
    .await
    .ok(201);
    assert_eq!(made["spec"]["cronSpec"], "* * * * */5");
    // Only the workspace holding the CRD serves its resource.
    not_served(&server, &get(&admin, &at(&other, CRONTABS)).await);

    // Deleting the CRD takes its objects and its resource away.
    delete(&admin, &at(&ws, &format!("{CRDS}/crontabs.stable.example.com")))
        .await
        .ok(200);
    let after = gone(&admin, &at(&ws, &format!("{CRONTABS}/my-new-cron-object"))).await;
    assert_eq!(after.status, 404, "{}", after.body);
}
