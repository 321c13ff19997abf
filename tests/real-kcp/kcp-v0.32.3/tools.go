//go:build tools

// Blank imports of the commands this module builds, so that `go mod tidy` keeps them.
// kcp v0.32's kubectl plugins live in its staging module github.com/kcp-dev/cli, which the
// Go module proxy does not serve: go.mod replaces it by the directory scripts/real-kcp.sh
// unpacks from the archive build.conf names.
package tools

import (
	_ "github.com/kcp-dev/cli/cmd/kubectl-kcp"
	_ "github.com/kcp-dev/cli/cmd/kubectl-ws"
	_ "github.com/kcp-dev/kcp/cmd/kcp"
)
