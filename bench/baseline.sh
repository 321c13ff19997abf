#!/usr/bin/env bash
# The one-shot mailbox repair a user can do today with kubectl alone: the baseline that
# `kubectl kubestellar mailbox sync` is measured against (the bench harness runs it against
# kcp-sim; nothing in it is specific to the simulator).
#
# For every SyncTarget in the given inventory workspaces: compute its mailbox name
# `<kcp.io/cluster>-mb-<uid>` with jsonpath, create the mailbox workspace (annotated with the
# SyncTarget's name) if it is missing, wait until every mailbox is Ready, then create its
# APIBinding `bind-edge` to the ESPW's edge export if that is missing. Like the plugin it never
# deletes anything here, and, like a careful script, it looks before it creates, so a second
# run changes nothing.
#
# Usage: baseline.sh SERVER IMW_PATH...
#   SERVER     the kcp base URL, without /clusters (e.g. https://127.0.0.1:6443)
#   IMW_PATH   inventory workspace paths (root:imw1 root:imw2 ...)
# Environment: KUBECONFIG (credentials and CA); KUBECTL (default kubectl); ESPW_PATH (default
# root:espw); KUBECACHEDIR (default: a fresh temporary directory, so that no run profits from
# an earlier run's discovery cache).
#
# Every workspace is addressed as `--server SERVER/clusters/PATH`: no `kubectl ws`, and the
# kubeconfig is never changed. The last line printed is `kubectl calls: N`.
set -euo pipefail

server=${1:?usage: baseline.sh SERVER IMW_PATH...}
shift
kubectl=${KUBECTL:-kubectl}
espw=${ESPW_PATH:-root:espw}
export KUBECACHEDIR=${KUBECACHEDIR:-$(mktemp -d)}
# Calls are tallied in a file: most run inside $(...), whose variables do not come back.
tally=$(mktemp)
trap 'rm -f "$tally"' EXIT

# kubectl against the workspace at PATH.
kc() {
    local path=$1
    shift
    printf . >>"$tally"
    "$kubectl" --server "$server/clusters/$path" "$@"
}

# 1. The inventory: one "<mailbox> <SyncTarget name>" line per SyncTarget.
mailboxes=()
targets=()
for imw in "$@"; do
    listing=$(kc "$imw" get synctargets.edge.kubestellar.io \
        -o jsonpath='{range .items[*]}{.metadata.annotations.kcp\.io/cluster}-mb-{.metadata.uid}{" "}{.metadata.name}{"\n"}{end}')
    while read -r mailbox target; do
        [[ -n $mailbox ]] || continue
        mailboxes+=("$mailbox")
        targets+=("$target")
    done <<<"$listing"
done

# 2. Each missing mailbox workspace.
created=0
for i in "${!mailboxes[@]}"; do
    mailbox=${mailboxes[$i]}
    if [[ -z $(kc root get workspaces.tenancy.kcp.io "$mailbox" --ignore-not-found -o name) ]]; then
        kc root create -f - >/dev/null <<EOF
{"apiVersion": "tenancy.kcp.io/v1alpha1", "kind": "Workspace",
 "metadata": {"name": "$mailbox", "annotations": {"edge.kubestellar.io/sync-target-name": "${targets[$i]}"}}}
EOF
        created=$((created + 1))
    fi
done

# 3. Every mailbox Ready: one `kubectl wait` per 200 names rather than one per mailbox.
for ((i = 0; i < ${#mailboxes[@]}; i += 200)); do
    chunk=("${mailboxes[@]:i:200}")
    kc root wait --for=jsonpath='{.status.phase}'=Ready --timeout=5m "${chunk[@]/#/workspaces.tenancy.kcp.io/}" >/dev/null
done

# 4. Each missing bind-edge, in the mailbox's own workspace.
bound=0
for mailbox in "${mailboxes[@]}"; do
    if [[ -z $(kc "root:$mailbox" get apibindings.apis.kcp.io bind-edge --ignore-not-found -o name) ]]; then
        kc "root:$mailbox" create -f - >/dev/null <<EOF
{"apiVersion": "apis.kcp.io/v1alpha1", "kind": "APIBinding", "metadata": {"name": "bind-edge"},
 "spec": {"reference": {"export": {"path": "$espw", "name": "edge.kubestellar.io"}}}}
EOF
        bound=$((bound + 1))
    fi
done

echo "${#mailboxes[@]} mailboxes: $created created, $bound bound"
echo "kubectl calls: $(wc -c <"$tally")"
