// Builds kcp's multicluster-provider v0.8.0 `examples/apiexport`, unchanged, from the archive
// scripts/multicluster-provider.sh unpacks beside this file (the Go module proxy refuses
// multicluster-provider and multicluster-runtime; it serves everything else).
module kcp-sim.test/multicluster-provider-example

go 1.26.3

require (
	github.com/kcp-dev/multicluster-provider v0.8.0
	sigs.k8s.io/multicluster-runtime v0.24.1
)

replace (
	github.com/kcp-dev/multicluster-provider => ./multicluster-provider-v0.8.0
	github.com/kcp-dev/multicluster-provider/client => ./multicluster-provider-v0.8.0/client
	sigs.k8s.io/multicluster-runtime => ./multicluster-runtime-v0.24.1
)
