#!/usr/bin/env bash
# Builds kcp's multicluster-provider v0.8.0 `examples/apiexport`, unchanged, from the archive in
# ../shared/peers (or $KUBESTELLAR_PEERS), once, and prints on its last line the absolute path
# of the directory holding the binary `apiexport`.
#
#   scripts/multicluster-provider.sh
#
# The Go module proxy refuses multicluster-provider and multicluster-runtime, so the archive is
# unpacked at run time beside a small wrapper module kept in
# crates/kcp-sim/tests/multicluster-provider/ (a go.mod whose replaces name the unpacked
# directories, and its go.sum); everything else comes from the proxy. Nothing of the archive is
# in this repository. The binary is cached in
# ${XDG_CACHE_HOME:-~/.cache}/kubectl-kubestellar/multicluster-provider-<key>, keyed by the
# archive's and the wrapper's content; a cold build takes a few minutes on 2 cores.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
wrapper="$repo/crates/kcp-sim/tests/multicluster-provider"
peers=${KUBESTELLAR_PEERS:-$(cd "$repo/.." && pwd)/shared/peers}
archive="$peers/multicluster-provider-v0.8.0.tar.gz"

fail() { echo "error: $*" >&2; exit 1; }

[ -f "$archive" ] ||
    fail "no $archive; set KUBESTELLAR_PEERS to the directory holding multicluster-provider-v0.8.0.tar.gz."
command -v go >/dev/null ||
    fail "building multicluster-provider needs Go (1.26 or later) on PATH."

key=$(cat "$archive" "$wrapper/go.mod" "$wrapper/go.sum" | sha256sum | cut -c1-16)
out="${XDG_CACHE_HOME:-$HOME/.cache}/kubectl-kubestellar/multicluster-provider-$key"
if [ -x "$out/bin/apiexport" ]; then
    echo "$out/bin"
    exit 0
fi

echo "Building multicluster-provider v0.8.0 examples/apiexport into $out (cold: a few minutes)..." >&2
rm -rf "$out.tmp" && mkdir -p "$out.tmp"
tar -xzf "$archive" -C "$out.tmp"
cp "$wrapper/go.mod" "$wrapper/go.sum" "$out.tmp/"
log="$out.tmp/build.log"
if ! (cd "$out.tmp" && CGO_ENABLED=0 GOFLAGS=-mod=readonly go build -trimpath -o "$out.tmp/bin/" \
        github.com/kcp-dev/multicluster-provider/examples/apiexport) > "$log" 2>&1; then
    tail -n 20 "$log" >&2
    fail "go build of multicluster-provider's examples/apiexport failed; the last lines of $log are above."
fi
rm -rf "$out" && mv "$out.tmp" "$out"
echo "$out/bin"
