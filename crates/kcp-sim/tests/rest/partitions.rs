//! Shards, Partitions, and what an APIExportEndpointSlice's partition lets into its endpoints
//! (kcp v0.11's `apiexportendpointslice` reconciler); a Workspace's `spec.location.selector`.

use super::*;

const TOPOLOGY: &str = "apis/topology.kcp.io/v1alpha1/partitions";
const SHARDS: &str = "apis/core.kcp.io/v1alpha1/shards";

fn partition(name: &str, selector: Option<Value>) -> Value {
    let mut p = json!({"apiVersion": "topology.kcp.io/v1alpha1", "kind": "Partition", "metadata": {"name": name}, "spec": {}});
    if let Some(s) = selector {
        p["spec"]["selector"] = s;
    }
    p
}

fn partitioned_slice(name: &str, partition: &str) -> Value {
    let mut s = slice(name, "root:provider", "test.io");
    s["spec"]["partition"] = json!(partition);
    s
}

fn endpoints(slice: &Value) -> Vec<String> {
    slice["status"]["endpoints"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| e["url"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// The slice once its endpoints are `want` and its `PartitionValid` is `valid`.
fn wait_slice(sim: &kcp_sim::SimServer, name: &str, want: &[String], valid: &str) -> Value {
    wait_object(sim, "root:provider", AV, "apiexportendpointslices", name, |s| {
        endpoints(s) == want && condition(s, "PartitionValid")["status"] == valid
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slice_lists_only_the_shards_its_partition_selects() {
    let Some(sim) = sim_only(
        "kcp-sim's --shards 4 with regions (the real kcp is one shard)",
        SimConfig {
            shards: 4,
            shard_regions: ["east", "east", "west", "west"].map(String::from).to_vec(),
            ..fast()
        },
    ) else {
        return;
    };
    let admin = client(&sim, "root").await;
    // One Shard object in root per shard, labelled with its name and region.
    let shards = get(&admin, &at("root", SHARDS)).await.ok(200);
    assert_eq!(item_names(&shards), ["root", "shard-1", "shard-2", "shard-3"]);
    let labels: Vec<&Value> = shards["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| &s["metadata"]["labels"])
        .collect();
    assert_eq!(labels[0], &json!({"name": "root", "region": "east"}));
    assert_eq!(labels[3], &json!({"name": "shard-3", "region": "west"}));

    ready_workspace(&sim, "root", "provider");
    let urls = widget_export_views(&sim, &admin).await;
    assert_eq!(urls.len(), 4, "one view URL per shard");
    let partitions = at("root:provider", TOPOLOGY);
    let slices = at("root:provider", &format!("{APIS}/apiexportendpointslices"));

    // The selector's shape is the CRD's: a string is refused.
    post(&admin, &partitions, partition("bad", Some(json!("region=east"))))
        .await
        .fails(422, "Invalid");
    let east = json!({"matchLabels": {"region": "east"}});
    post(&admin, &partitions, partition("east", Some(east)))
        .await
        .ok(201);
    post(&admin, &slices, partitioned_slice("east", "east"))
        .await
        .ok(201);
    let sliced = wait_slice(&sim, "east", &urls[..2], "True");
    assert_eq!(condition(&sliced, "EndpointURLsReady")["status"], "True");

    // A partition that is not there: no endpoints, and the slice says why, as kcp does.
    post(&admin, &slices, partitioned_slice("west", "west"))
        .await
        .ok(201);
    let missing = wait_slice(&sim, "west", &[], "False");
    let valid = condition(&missing, "PartitionValid");
    assert_eq!(valid["reason"], "PartitionInvalidReference", "{missing}");
    assert_eq!(valid["message"], "partition.topology.kcp.io \"west\" not found");
    assert_eq!(condition(&missing, "EndpointURLsReady")["status"], "False");
    // Made later, it fills the slice.
    let west = json!({"matchExpressions": [{"key": "region", "operator": "In", "values": ["west"]}]});
    post(&admin, &partitions, partition("west", Some(west)))
        .await
        .ok(201);
    wait_slice(&sim, "west", &urls[2..], "True");

    // Without a slice's partition: every shard. A partition without a selector: none (a nil
    // selector selects nothing); an empty one: every shard.
    post(&admin, &slices, slice("all", "root:provider", "test.io"))
        .await
        .ok(201);
    wait_slice(&sim, "all", &urls, "True");
    post(&admin, &partitions, partition("none", None)).await.ok(201);
    post(&admin, &slices, partitioned_slice("none", "none"))
        .await
        .ok(201);
    wait_slice(&sim, "none", &[], "True");
    post(&admin, &partitions, partition("every", Some(json!({}))))
        .await
        .ok(201);
    post(&admin, &slices, partitioned_slice("every", "every"))
        .await
        .ok(201);
    wait_slice(&sim, "every", &urls, "True");

    // A selector apimachinery cannot read is stored (kcp v0.11 has no admission for it); the
    // slice says why it lists nothing.
    let near = json!({"matchExpressions": [{"key": "region", "operator": "Near"}]});
    post(&admin, &partitions, partition("near", Some(near)))
        .await
        .ok(201);
    post(&admin, &slices, partitioned_slice("near", "near"))
        .await
        .ok(201);
    let invalid = wait_slice(&sim, "near", &[], "False");
    assert_eq!(
        condition(&invalid, "PartitionValid")["message"],
        "\"Near\" is not a valid label selector operator"
    );

    // The slice follows its partition: a changed selector, then the partition deleted.
    let p = at("root:provider", &format!("{TOPOLOGY}/east"));
    let mut changed = get(&admin, &p).await.ok(200);
    changed["spec"]["selector"] = json!({"matchLabels": {"name": "shard-1"}});
    put(&admin, &p, changed).await.ok(200);
    wait_slice(&sim, "east", &urls[1..2], "True");
    delete(&admin, &p).await.ok(200);
    wait_slice(&sim, "east", &[], "False");

    // And its shards: a Shard relabelled moves into (or out of) the partitions that select it.
    let shard = at("root", &format!("{SHARDS}/shard-2"));
    let mut moved = get(&admin, &shard).await.ok(200);
    moved["metadata"]["labels"]["region"] = json!("east");
    put(&admin, &shard, moved).await.ok(200);
    wait_slice(&sim, "west", &urls[3..], "True");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_workspace_goes_to_a_shard_its_location_selects() {
    let Some(sim) = sim_only(
        "kcp-sim's --shards 4 with regions (the real kcp is one shard)",
        SimConfig {
            shards: 4,
            shard_regions: ["east", "east", "west", "west"].map(String::from).to_vec(),
            ..fast()
        },
    ) else {
        return;
    };
    let admin = client(&sim, "root").await;
    let workspaces = at("root", "apis/tenancy.kcp.io/v1alpha1/workspaces");
    for i in 0..6 {
        let mut ws = workspace(&format!("w{i}"));
        ws["spec"]["location"] = json!({"selector": {"matchLabels": {"region": "west"}}});
        post(&admin, &workspaces, ws).await.ok(201);
    }
    for i in 0..6 {
        let ws = wait_object(
            &sim,
            "root",
            "tenancy.kcp.io/v1alpha1",
            "workspaces",
            &format!("w{i}"),
            |w| w["status"]["phase"] == "Ready",
        );
        let cluster = ws["spec"]["cluster"].as_str().unwrap();
        assert!([2, 3].contains(&sim.shard_of(cluster)), "{ws}");
        // kcp copies the shard's region onto the workspace.
        assert_eq!(ws["metadata"]["labels"]["region"], "west", "{ws}");
    }
    // None selected: the workspace stays Scheduling, and says why.
    let mut nowhere = workspace("nowhere");
    nowhere["spec"]["location"] = json!({"selector": {"matchLabels": {"region": "north"}}});
    post(&admin, &workspaces, nowhere).await.ok(201);
    let ws = wait_object(
        &sim,
        "root",
        "tenancy.kcp.io/v1alpha1",
        "workspaces",
        "nowhere",
        |w| condition(w, "WorkspaceScheduled")["status"] == "False",
    );
    assert_eq!(ws["status"]["phase"], "Scheduling");
    let scheduled = condition(&ws, "WorkspaceScheduled");
    assert_eq!(scheduled["reason"], "Unschedulable");
    assert_eq!(
        scheduled["message"],
        "No available shards to schedule the workspace"
    );
}
