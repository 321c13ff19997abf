//! The `edge.kubestellar.io` API (v2alpha1): defined once in Rust, schemas generated from it.
