//! kubectl's completion helper for the plugin: kubectl runs it to complete
//! `kubectl kubestellar ...<TAB>` (see `kubectl_kubestellar::complete`).

fn main() {
    std::process::exit(kubectl_kubestellar::complete(std::env::args_os()));
}
