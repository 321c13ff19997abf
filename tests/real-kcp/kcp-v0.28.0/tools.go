//go:build tools

// Blank imports of the commands this module builds, so that `go mod tidy` keeps them.
// kcp v0.28's kubectl plugins live in the nested module github.com/kcp-dev/kcp/cli,
// which the Go module proxy does not serve (404), so only the server is built.
package tools

import (
	_ "github.com/kcp-dev/kcp/cmd/kcp"
)
