//go:build tools

// Blank imports of the commands this module builds, so that `go mod tidy` keeps them.
package tools

import (
	_ "github.com/kcp-dev/kcp/cmd/kcp"
	_ "github.com/kcp-dev/kcp/cmd/kubectl-kcp"
	_ "github.com/kcp-dev/kcp/cmd/kubectl-workspace"
)
