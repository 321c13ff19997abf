fn main() {
    std::process::exit(kubectl_kubestellar::run(std::env::args_os()));
}
