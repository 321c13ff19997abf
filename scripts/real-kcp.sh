#!/usr/bin/env bash
# Builds a real kcp (`kcp`, `kubectl-kcp`, `kubectl-ws`) from the Go module proxy, once per
# version, and prints on its last line the absolute path of the directory holding them.
# (A wrapper whose build.conf says `binaries: kcp` builds the server only: kcp v0.28's
# kubectl plugins are in a nested module the proxy does not serve. One whose build.conf says
# `staging: <archive>` takes the modules the proxy refuses from that archive: kcp v0.32.3.)
#
#   scripts/real-kcp.sh [VERSION]      (default v0.11.0, what KubeStellar v0.14 ran on)
#
# The build goes through a small wrapper module kept in tests/real-kcp/kcp-VERSION/ (a go.mod
# with kcp's replaces, a go.sum, a file of blank imports): none of kcp's source is in this
# repository. Binaries are cached in ${XDG_CACHE_HOME:-~/.cache}/kubectl-kubestellar/kcp-VERSION;
# a cold build takes 10-20 minutes on 2 cores, later calls return at once.
set -euo pipefail

version=${1:-v0.11.0}
repo=$(cd "$(dirname "$0")/.." && pwd)
wrapper="$repo/tests/real-kcp/kcp-$version"
out="${XDG_CACHE_HOME:-$HOME/.cache}/kubectl-kubestellar/kcp-$version"

fail() { echo "error: $*" >&2; exit 1; }

[ -f "$wrapper/go.mod" ] ||
    fail "no wrapper module for kcp $version in tests/real-kcp/kcp-$version; the versions this repository can build: $(cd "$repo/tests/real-kcp" && ls -d kcp-v* | sed 's/^kcp-//' | tr '\n' ' ')"
command -v go >/dev/null ||
    fail "building a real kcp needs Go (1.19 or later) on PATH; install Go, or run the suite against kcp-sim only."

# The cache is keyed by the wrapper's content (a fresh clone's files are all new).
key=$(cat "$wrapper/go.mod" "$wrapper/go.sum" "$wrapper/build.conf" "$wrapper/tools.go" | sha256sum | cut -d' ' -f1)
binaries=$(sed -n 's/^binaries: //p' "$wrapper/build.conf")
binaries=${binaries:-kcp kubectl-kcp kubectl-ws}
cached=yes
for b in $binaries; do [ -x "$out/$b" ] || cached=no; done
if [ $cached = yes ] && [ "$(cat "$out/.key" 2>/dev/null)" = "$key" ]; then
    echo "$out"
    exit 0
fi

# kcp's Makefile stamps the version with these; without them `kcp --version` says v0.0.0.
kube=$(sed -n 's/^kube-version: //p' "$wrapper/build.conf")
major=${kube%%.*}; minor=${kube#*.}; minor=${minor%%.*}
git_version="v$kube+kcp-$version"
ldflags="-s -w"
for pkg in k8s.io/client-go/pkg/version k8s.io/component-base/version; do
    ldflags+=" -X $pkg.gitVersion=$git_version -X $pkg.gitMajor=$major -X $pkg.gitMinor=$minor"
    ldflags+=" -X $pkg.gitTreeState=clean -X $pkg.gitCommit=$(sed -n 's/^commit: //p' "$wrapper/build.conf")"
done
packages=$(sed -n 's/^packages: //p' "$wrapper/build.conf")

# Modules of kcp's the proxy refuses (kcp v0.32's staging `virtual-workspace-framework` and
# `cli`) come from an archive of kcp's own source, named relative to this repository by
# build.conf's `staging:` line ($KUBESTELLAR_KCP_STAGING overrides it) and checked against its
# `staging-sha256:`; the wrapper's go.mod replaces them by directories under ./staging/, which
# is unpacked afresh here (gitignored; the archive itself is only read).
staging=$(sed -n 's/^staging: //p' "$wrapper/build.conf")
if [ -n "$staging" ]; then
    archive=${KUBESTELLAR_KCP_STAGING:-$repo/$staging}
    [ -f "$archive" ] ||
        fail "kcp $version needs its staging modules from $archive (not found); set KUBESTELLAR_KCP_STAGING to a copy of that archive."
    want=$(sed -n 's/^staging-sha256: //p' "$wrapper/build.conf")
    got=$(sha256sum "$archive" | cut -d' ' -f1)
    [ -z "$want" ] || [ "$got" = "$want" ] ||
        fail "$archive has sha256 $got, not the $want that tests/real-kcp/kcp-$version/build.conf names."
    rm -rf "$wrapper/staging" && mkdir -p "$wrapper/staging"
    tar -xzf "$archive" -C "$wrapper/staging"
fi

echo "Building kcp $version from the Go module proxy into $out (cold: 10-40 min on 2 cores)..." >&2
mkdir -p "$out.tmp"
log="$out.tmp/build.log"
if ! (cd "$wrapper" && CGO_ENABLED=0 GOFLAGS=-mod=readonly go build -trimpath -ldflags "$ldflags" -o "$out.tmp/" $packages) > "$log" 2>&1; then
    tail -n 20 "$log" >&2
    if grep -q -e '403 Forbidden' -e '404 Not Found' -e 'not available' "$log"; then
        fail "the Go module proxy refused a module kcp $version needs ($(grep -o -m1 'reading https://[^ ]*' "$log" | sed 's/reading //')); see $log."
    fi
    fail "go build of kcp $version failed; the last lines of $log are above."
fi
if [ -e "$out.tmp/kubectl-workspace" ]; then mv "$out.tmp/kubectl-workspace" "$out.tmp/kubectl-ws"; fi
echo "$key" > "$out.tmp/.key"
rm -rf "$out" && mv "$out.tmp" "$out"
"$out/kcp" --version >&2 || true
echo "$out"
