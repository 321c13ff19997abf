#!/usr/bin/env bash
# Builds KubeStellar v0.14.0's Go `mailbox-controller` and `kubectl-kubestellar-syncer_gen`
# (syncer-gen) from its source, once per source content, and prints on its last line the
# absolute path of the directory holding them. The tests that use KubeStellar's Go programs as
# oracles find them through that directory (KUBESTELLAR_GO_PEER).
#
#   scripts/go-mailbox-controller.sh [SOURCE]
#
# SOURCE is a KubeStellar v0.14.0 checkout (a directory) or source archive (.tar.gz); the default
# is ../shared/peers/kubestellar-v0.14.0.tar.gz beside this repository. None of KubeStellar's
# source is in this repository: the source is unpacked (or copied) into a temporary directory,
# because a Go build may rewrite go.sum, and every module it needs comes from the Go module proxy.
# Binaries are cached in ${XDG_CACHE_HOME:-~/.cache}/kubectl-kubestellar/go-peer/<sha256 of the
# source>/bin; a cold build takes a few minutes on 2 cores, later calls return at once.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
source=${1:-$repo/../shared/peers/kubestellar-v0.14.0.tar.gz}
binaries="mailbox-controller kubectl-kubestellar-syncer_gen"
# Part of the cache key: a change of how it is built is a new build.
build='CGO_ENABLED=0 GOFLAGS=-mod=mod go build -trimpath ./cmd/mailbox-controller ./cmd/kubectl-kubestellar-syncer_gen'

fail() { echo "error: $*" >&2; exit 1; }

[ -e "$source" ] ||
    fail "no KubeStellar source at $source; give a KubeStellar v0.14.0 checkout or .tar.gz as the first argument (it is tag v0.14.0 of github.com/kubestellar/kubestellar)."

# The key is the content: the archive's bytes, or a checkout's files (git's tracked files when it
# is a git work tree, else every file outside .git), names included.
if [ -d "$source" ]; then
    source=$(cd "$source" && pwd)
    if git -C "$source" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
        list() { git -C "$source" ls-files -z; }
    else
        list() { (cd "$source" && find . -path ./.git -prune -o -type f -print0 | sed -z 's|^\./||' | sort -z); }
    fi
    content=$(list | (cd "$source" && xargs -0 -r sha256sum) | sha256sum | cut -d' ' -f1)
elif [ -f "$source" ]; then
    content=$(sha256sum < "$source" | cut -d' ' -f1)
else
    fail "$source is neither a directory nor a file; give a KubeStellar v0.14.0 checkout or .tar.gz."
fi
key=$(printf '%s\n%s\n' "$content" "$build" | sha256sum | cut -d' ' -f1)
out="${XDG_CACHE_HOME:-$HOME/.cache}/kubectl-kubestellar/go-peer/$key"

cached=yes
for b in $binaries; do [ -x "$out/bin/$b" ] || cached=no; done
if [ $cached = yes ]; then
    echo "$out/bin"
    exit 0
fi

command -v go >/dev/null ||
    fail "building KubeStellar's Go programs needs Go (1.19 or later) on PATH; install Go, or leave KUBESTELLAR_GO_PEER unset to skip the peer tests."

tmp=$(mktemp -d)
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
mkdir "$tmp/src"
if [ -d "$source" ]; then
    list | tar -C "$source" --null -T - -cf - | tar -C "$tmp/src" -xf - ||
        fail "could not copy the checkout $source into $tmp."
else
    tar -xzf "$source" -C "$tmp/src" 2>/dev/null ||
        fail "$source is not a readable .tar.gz; give a KubeStellar v0.14.0 checkout or its source archive."
fi
# An archive holds one top directory (kubestellar-v0.14.0/ or GitHub's kubestellar-0.14.0/).
mod=$(find "$tmp/src" -maxdepth 2 -name go.mod | awk '{ print length, $0 }' | sort -n | head -n 1 | cut -d' ' -f2-)
[ -n "$mod" ] && grep -q '^module github.com/kubestellar/kubestellar$' "$mod" ||
    fail "$source does not hold KubeStellar's source (no go.mod of module github.com/kubestellar/kubestellar at its top); give a KubeStellar v0.14.0 checkout or .tar.gz."
src=$(dirname "$mod")
for d in cmd/mailbox-controller cmd/kubectl-kubestellar-syncer_gen; do
    [ -d "$src/$d" ] ||
        fail "$source has no $d (KubeStellar v0.14.0 has it; later releases dropped the kcp-era controllers); give a v0.14.0 checkout or .tar.gz."
done

echo "Building KubeStellar's mailbox-controller and syncer-gen from $source into $out/bin (cold: a few minutes on 2 cores)..." >&2
mkdir -p "$out"
log="$out/build.log"
if ! (cd "$src" && CGO_ENABLED=0 GOFLAGS=-mod=mod go build -trimpath -o "$tmp/bin/" \
    ./cmd/mailbox-controller ./cmd/kubectl-kubestellar-syncer_gen) > "$log" 2>&1; then
    tail -n 20 "$log" >&2
    if grep -q -e '403 Forbidden' -e '404 Not Found' -e 'not available' "$log"; then
        fail "the Go module proxy refused a module KubeStellar needs ($(grep -o -m1 'reading https://[^ ]*' "$log" | sed 's/reading //')); see $log."
    fi
    fail "go build of KubeStellar's mailbox-controller failed; the last lines of $log are above."
fi
# Moved into place whole, so a build stopped half-way is never a cache hit.
rm -rf "$out/bin" "$out/bin.tmp" && cp -r "$tmp/bin" "$out/bin.tmp" && mv "$out/bin.tmp" "$out/bin"
echo "$out/bin"
