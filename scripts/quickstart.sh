#!/usr/bin/env bash
# Quick start: build the plugin and kcp-sim, start the simulator with a sample inventory
# (two inventory workspaces, three SyncTargets), then run `mailbox sync` and `mailbox list`.
# Everything happens in a temporary directory; the simulator stops when the script ends.
# (The test suite sets KUBESTELLAR_BIN_DIR to a directory holding both binaries, built by
# the tests, to skip the release build, and, in its real-kcp tier, KUBESTELLAR_QUICKSTART_KCP
# to the admin kubeconfig of a fresh real kcp to use instead of starting kcp-sim; CI runs this
# script as written.)
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
built="${KUBESTELLAR_BIN_DIR:-}"
if [ -z "$built" ]; then
    echo "Building kubectl-kubestellar and kcp-sim (release)..." >&2
    # One package at a time, as `cargo install --locked --path ...` builds them: the second
    # build after an install, or the other way round, is then a no-op.
    for package in kubectl-kubestellar kcp-sim; do
        cargo build --release --locked --quiet --manifest-path "$repo/Cargo.toml" -p "$package"
    done
    target=$(cargo metadata --format-version 1 --no-deps --manifest-path "$repo/Cargo.toml" |
        sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')
    built="$target/release"
fi

work=$(mktemp -d)
cleanup() { kill "${sim_pid:-}" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
export KUBECONFIG="$work/.kcp/admin.kubeconfig"
export KUBECACHEDIR="$work/.kube/cache"

# Only the two binaries on PATH: the build directory also holds `kubectl-kubestellar.d`,
# which kubectl would list as a broken plugin.
mkdir "$work/bin"
ln -s "$built/kubectl-kubestellar" "$built/kcp-sim" "$work/bin/"
export PATH="$work/bin:$PATH"
PATH="$work/bin" "$(command -v kubectl)" plugin list > /dev/null ||
    { echo "kubectl does not find the plugin in $work/bin without warnings (above)" >&2; exit 1; }

if [ -n "${KUBESTELLAR_QUICKSTART_KCP:-}" ]; then
    # A kcp already running (the tests' real-kcp tier): its admin kubeconfig, copied.
    mkdir -p "$work/.kcp"
    cp "$KUBESTELLAR_QUICKSTART_KCP" "$KUBECONFIG"
    server=$(kubectl config view --minify -o jsonpath='{.clusters[0].cluster.server}')
    server=${server%%/clusters/*}
    echo "kcp is serving $server"
else
    kcp-sim --listen 127.0.0.1:0 --kubeconfig "$KUBECONFIG" > "$work/kcp-sim.log" 2>&1 &
    sim_pid=$!
    for _ in $(seq 100); do grep -q '^kubeconfig written' "$work/kcp-sim.log" && break; sleep 0.1; done
    server=$(sed -n 's/^kcp-sim listening on //p' "$work/kcp-sim.log")
    [ -n "$server" ] || { echo "kcp-sim did not start:" >&2; cat "$work/kcp-sim.log" >&2; exit 1; }
    echo "kcp-sim is serving $server"
fi

# The edge service provider workspace and its API.
echo; echo '$ kubectl kubestellar init espw'
kubectl kubestellar init espw
echo

# The sample inventory: inventory workspaces bound to the edge API, and their SyncTargets.
echo "Creating the sample inventory: imw1 (guilder, edge1) and imw2 (edge1)"
for imw in imw1 imw2; do
    kubectl create -f - > /dev/null <<EOF
apiVersion: tenancy.kcp.io/v1alpha1
kind: Workspace
metadata:
  name: $imw
EOF
    kubectl wait --for=jsonpath='{.status.phase}'=Ready "workspace/$imw" --timeout=60s > /dev/null
    kubectl --server "$server/clusters/root:$imw" create -f - > /dev/null <<EOF
apiVersion: apis.kcp.io/v1alpha1
kind: APIBinding
metadata:
  name: bind-espw
spec:
  reference:
    export:
      path: root:espw
      name: edge.kubestellar.io
EOF
    kubectl --server "$server/clusters/root:$imw" wait --for=jsonpath='{.status.phase}'=Bound apibinding/bind-espw --timeout=60s > /dev/null
done
for st in imw1/guilder imw1/edge1 imw2/edge1; do
    kubectl --server "$server/clusters/root:${st%/*}" create -f - > /dev/null <<EOF
apiVersion: edge.kubestellar.io/v2alpha1
kind: SyncTarget
metadata:
  name: ${st#*/}
spec:
  cells:
    zone: ${st%/*}
EOF
done

# The main job: one mailbox workspace per SyncTarget, each bound to the edge API.
echo; echo '$ kubectl kubestellar mailbox sync'
kubectl kubestellar mailbox sync
echo; echo '$ kubectl kubestellar mailbox list'
kubectl kubestellar mailbox list
