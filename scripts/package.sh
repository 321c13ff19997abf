#!/usr/bin/env bash
# Make one release archive: scripts/package.sh TAG OS ARCH BINARY [OUT_DIR]
# e.g. scripts/package.sh v0.1.0 linux amd64 target/x86_64-unknown-linux-musl/release/kubectl-kubestellar
# The completer, kubectl_complete-kubestellar, is taken from BINARY's directory (cargo builds
# both there).
# The layout is documented in docs/distribution.md; .krew.yaml points at these archives.
set -euo pipefail
[ $# -ge 4 ] || { echo "usage: $0 TAG OS ARCH BINARY [OUT_DIR]" >&2; exit 2; }
tag=$1 os=$2 arch=$3 binary=$4 out=${5:-dist}
repo=$(cd "$(dirname "$0")/.." && pwd)
case "$tag" in v[0-9]*.[0-9]*.[0-9]*) ;; *) echo "$0: TAG must look like v1.2.3, not $tag" >&2; exit 2 ;; esac
case "$os/$arch" in linux/amd64|linux/arm64|darwin/amd64|darwin/arm64|windows/amd64) ;;
    *) echo "$0: $os/$arch is not a release platform (see docs/distribution.md)" >&2; exit 2 ;; esac
[ -f "$binary" ] || { echo "$0: no binary at $binary" >&2; exit 2; }

ext=
[ "$os" = windows ] && ext=.exe
completer="$(dirname "$binary")/kubectl_complete-kubestellar$ext"
[ -f "$completer" ] || { echo "$0: no completer at $completer (build both binaries)" >&2; exit 2; }
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
cp "$binary" "$stage/kubectl-kubestellar$ext"
cp "$completer" "$stage/kubectl_complete-kubestellar$ext"
cp "$repo/README.md" "$stage/"
cp -r "$repo/completions" "$repo/man" "$stage/"
mkdir -p "$out"
name="kubectl-kubestellar_${tag}_${os}_${arch}"
if [ "$os" = windows ]; then
    (cd "$stage" && zip -qr - .) > "$out/$name.zip"
    archive="$out/$name.zip"
else
    tar -C "$stage" -czf "$out/$name.tar.gz" .
    archive="$out/$name.tar.gz"
fi
sha256sum "$archive" | tee "$archive.sha256"
