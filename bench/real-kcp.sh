#!/usr/bin/env bash
# Measures the plugin against a real kcp (built by scripts/real-kcp.sh): `mailbox sync` from
# nothing with N SyncTargets, a no-op sync, `mailbox list`, as wall time, the plugin's peak
# RSS and CPU (GNU time) and kcp's CPU over the same interval (/proc). One kcp per N, on
# loopback, in a temporary directory.
#
#   bench/real-kcp.sh [N ...]        (default: 100 1000)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
kcp_bin=$("$repo/scripts/real-kcp.sh" | tail -n 1)
cargo build --release --quiet --manifest-path "$repo/Cargo.toml" --bin kubectl-kubestellar
plugin="${CARGO_TARGET_DIR:-$repo/target}/release/kubectl-kubestellar"
command -v /usr/bin/time >/dev/null || { apt-get update -qq && apt-get install -y -qq time; }

kcp_cpu() { awk '{print ($14 + $15) / 100}' "/proc/$1/stat"; }   # utime + stime, seconds

measure() { # label, then the plugin's arguments
    local label=$1; shift
    local before after
    before=$(kcp_cpu "$kcp_pid")
    /usr/bin/time -f '%e %M %U %S' -o "$work/time" "$plugin" "$@" > "$work/out" 2>&1 ||
        { cat "$work/out" >&2; exit 1; }
    after=$(kcp_cpu "$kcp_pid")
    read -r wall rss user sys < "$work/time"
    printf '| %s | %s | %.1f s | %d MiB | %.2f s | %.2f s |\n' "$N" "$label" "$wall" $((rss / 1024)) \
        "$(echo "$user + $sys" | bc)" "$(echo "$after - $before" | bc)"
}

echo "| N | command | wall | plugin peak RSS | plugin CPU | kcp CPU |"
echo "|---|---|---|---|---|---|"
for N in "${@:-100 1000}"; do
    work=$(mktemp -d)
    "$kcp_bin/kcp" start --root-directory "$work/.kcp" --bind-address 127.0.0.1 \
        --external-hostname 127.0.0.1 --secure-port 17443 --embedded-etcd-client-port 17379 \
        --embedded-etcd-peer-port 17380 > "$work/kcp.log" 2>&1 &
    kcp_pid=$!
    trap 'kill $kcp_pid 2>/dev/null; wait $kcp_pid 2>/dev/null; rm -rf "$work"' EXIT
    export KUBECONFIG="$work/.kcp/admin.kubeconfig"
    timeout 180 sh -c 'until kubectl get --raw /readyz > /dev/null 2>&1; do sleep 1; done'
    "$plugin" init espw > /dev/null
    kubectl create -f - > /dev/null <<YAML
apiVersion: tenancy.kcp.io/v1alpha1
kind: Workspace
metadata: {name: imw1}
YAML
    kubectl wait --for=jsonpath='{.status.phase}'=Ready workspace/imw1 --timeout=120s > /dev/null
    server=$(kubectl config view --minify -o jsonpath='{.clusters[0].cluster.server}')
    kubectl --server "$server:imw1" create -f - > /dev/null <<YAML
apiVersion: apis.kcp.io/v1alpha1
kind: APIBinding
metadata: {name: bind-espw}
spec: {reference: {export: {path: "root:espw", name: edge.kubestellar.io}}}
YAML
    kubectl --server "$server:imw1" wait --for=jsonpath='{.status.phase}'=Bound apibinding/bind-espw --timeout=120s > /dev/null
    for i in $(seq "$N"); do
        printf -- '---\napiVersion: edge.kubestellar.io/v2alpha1\nkind: SyncTarget\nmetadata: {name: st%05d}\n' "$i"
    done > "$work/sts.yaml"
    kubectl --server "$server:imw1" create -f "$work/sts.yaml" > /dev/null
    measure "sync from nothing" mailbox sync --timeout 30m --concurrency 8
    measure "no-op sync" mailbox sync
    measure "list" mailbox list
    kill "$kcp_pid"; wait "$kcp_pid" 2>/dev/null || true; rm -rf "$work"; trap - EXIT
done
