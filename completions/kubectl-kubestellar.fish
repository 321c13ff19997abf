# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_kubectl_kubestellar_global_optspecs
    string join \n kubeconfig= context= espw-path= v/verbose q/quiet request-timeout= kcp-generation= h/help V/version
end

function __fish_kubectl_kubestellar_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_kubectl_kubestellar_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_kubectl_kubestellar_using_subcommand
    set -l cmd (__fish_kubectl_kubestellar_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_needs_command" -l kubeconfig -d 'Kubeconfig file [default: $KUBECONFIG (a list), else ~/.kube/config]' -r -F
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_needs_command" -l context -d 'Kubeconfig context to use [default: its current-context]' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_needs_command" -l espw-path -d 'Path of the edge service provider workspace' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_needs_command" -l request-timeout -d 'Timeout of each API request, as kubectl\'s (e.g. 30s; 0 for none)' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_needs_command" -l kcp-generation -d 'Which kcp the server is, instead of asking its discovery: 0.11 (APIExport v1alpha1 only) or 0.32 (v0.28 and later: v1alpha2)' -r -f -a "0.11\t'kcp serving APIExports only as v1alpha1 (v0.11): view URLs in the export\'s status'
0.32\t'kcp serving APIExport v1alpha2 (v0.28 and later, v0.32): view URLs only in the endpoint slice kcp makes, once something binds the export'"
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_needs_command" -s v -l verbose -d 'More detail on stderr: -v the plugin\'s decisions, -vv every request too, -vvv libraries\' debug output'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_needs_command" -s q -l quiet -d 'Errors only on stderr'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_needs_command" -s V -l version -d 'Print version'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_needs_command" -f -a "mailbox" -d 'Mailbox workspaces: one per SyncTarget'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_needs_command" -f -a "init" -d 'Set up KubeStellar\'s workspaces'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_needs_command" -f -a "ensure" -d 'Make sure a KubeStellar object exists and is set up (KubeStellar v0.14\'s `ensure`)'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_needs_command" -f -a "remove" -d 'Delete KubeStellar\'s workspaces and inventory entries'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_needs_command" -f -a "prep-for-syncer" -d 'Make a SyncTarget\'s syncer identity in its mailbox, and write the YAML that installs the syncer in the edge cluster'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_needs_command" -f -a "prep-for-cluster" -d 'Ensure location, then prepare the syncer (KubeStellar v0.14\'s `prep-for-cluster`)'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_needs_command" -f -a "completion" -d 'Print a shell completion script'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_needs_command" -f -a "version" -d 'Print the plugin\'s version'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand mailbox; and not __fish_seen_subcommand_from sync list watch help" -l kubeconfig -d 'Kubeconfig file [default: $KUBECONFIG (a list), else ~/.kube/config]' -r -F
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand mailbox; and not __fish_seen_subcommand_from sync list watch help" -l context -d 'Kubeconfig context to use [default: its current-context]' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand mailbox; and not __fish_seen_subcommand_from sync list watch help" -l espw-path -d 'Path of the edge service provider workspace' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand mailbox; and not __fish_seen_subcommand_from sync list watch help" -l request-timeout -d 'Timeout of each API request, as kubectl\'s (e.g. 30s; 0 for none)' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand mailbox; and not __fish_seen_subcommand_from sync list watch help" -l kcp-generation -d 'Which kcp the server is, instead of asking its discovery: 0.11 (APIExport v1alpha1 only) or 0.32 (v0.28 and later: v1alpha2)' -r -f -a "0.11\t'kcp serving APIExports only as v1alpha1 (v0.11): view URLs in the export\'s status'
0.32\t'kcp serving APIExport v1alpha2 (v0.28 and later, v0.32): view URLs only in the endpoint slice kcp makes, once something binds the export'"
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand mailbox; and not __fish_seen_subcommand_from sync list watch help" -s v -l verbose -d 'More detail on stderr: -v the plugin\'s decisions, -vv every request too, -vvv libraries\' debug output'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand mailbox; and not __fish_seen_subcommand_from sync list watch help" -s q -l quiet -d 'Errors only on stderr'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand mailbox; and not __fish_seen_subcommand_from sync list watch help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand mailbox; and not __fish_seen_subcommand_from sync list watch help" -s V -l version -d 'Print version'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand mailbox; and not __fish_seen_subcommand_from sync list watch help" -f -a "sync" -d 'Make the mailbox workspaces match the SyncTargets, once'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand mailbox; and not __fish_seen_subcommand_from sync list watch help" -f -a "list" -d 'Show each SyncTarget\'s mailbox and its state'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand mailbox; and not __fish_seen_subcommand_from sync list watch help" -f -a "watch" -d 'Keep the mailbox workspaces in step with the SyncTargets, until interrupted'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand mailbox; and not __fish_seen_subcommand_from sync list watch help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand mailbox; and __fish_seen_subcommand_from sync" -l layout -d 'KubeStellar layout preset; the flags below override parts of it' -r -f -a "v0.14\t'KubeStellar v0.8 to v0.14: edge.kubestellar.io/v2alpha1 SyncTargets, mailboxes in root'
poc2023q1\t'The 2023q1 PoC: workload.kcp.io SyncTargets, mailboxes in the ESPW, binding edge.kcp.io'"
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand mailbox; and __fish_seen_subcommand_from sync" -l mailbox-parent -d 'Workspace path under which mailbox workspaces live [v0.14: root; poc2023q1: the ESPW]' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand mailbox; and __fish_seen_subcommand_from sync" -l inventory-export-path -d 'Workspace of the export whose view lists the SyncTargets [v0.14: the ESPW; poc2023q1: root]' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand mailbox; and __fish_seen_subcommand_from sync" -l inventory-export-name -d 'Name of that export [v0.14: edge.kubestellar.io; poc2023q1: workload.kcp.io]' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand mailbox; and __fish_seen_subcommand_from sync" -l sync-target-group -d 'API group of SyncTargets [v0.14: edge.kubestellar.io; poc2023q1: workload.kcp.io]' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand mailbox; and __fish_seen_subcommand_from sync" -l sync-target-version -d 'API version of SyncTargets [default: the preset\'s, or what the view serves]' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand mailbox; and __fish_seen_subcommand_from sync" -l binding-export-path -d 'Workspace of the export each mailbox\'s bind-edge binds [default: the ESPW]' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand mailbox; and __fish_seen_subcommand_from sync" -l binding-export-name -d 'Name of that export [v0.14: edge.kubestellar.io; poc2023q1: edge.kcp.io]' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand mailbox; and __fish_seen_subcommand_from sync" -l sync-target-name-annotation -d 'Annotation naming a mailbox\'s SyncTarget [v0.14: edge.kubestellar.io/sync-target-name]' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand mailbox; and __fish_seen_subcommand_from sync" -l endpoint-slice -d 'Read only the shards this APIExportEndpointSlice of the inventory export lists (its Partition\'s), and delete only mailboxes of inventory workspaces seen there: one controller per partition [PATH:NAME, or NAME in the export\'s workspace]' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand mailbox; and __fish_seen_subcommand_from sync" -l concurrency -d 'Changes made at once' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand mailbox; and __fish_seen_subcommand_from sync" -l timeout -d 'Bound on waiting for the export, and for new mailboxes to become Ready to bind' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand mailbox; and __fish_seen_subcommand_from sync" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand mailbox; and __fish_seen_subcommand_from sync" -l kubeconfig -d 'Kubeconfig file [default: $KUBECONFIG (a list), else ~/.kube/config]' -r -F
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand mailbox; and __fish_seen_subcommand_from sync" -l context -d 'Kubeconfig context to use [default: its current-context]' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand mailbox; and __fish_seen_subcommand_from sync" -l espw-path -d 'Path of the edge service provider workspace' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand mailbox; and __fish_seen_subcommand_from sync" -l request-timeout -d 'Timeout of each API request, as kubectl\'s (e.g. 30s; 0 for none)' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand mailbox; and __fish_seen_subcommand_from sync" -l kcp-generation -d 'Which kcp the server is, instead of asking its discovery: 0.11 (APIExport v1alpha1 only) or 0.32 (v0.28 and later: v1alpha2)' -r -f -a "0.11\t'kcp serving APIExports only as v1alpha1 (v0.11): view URLs in the export\'s status'
0.32\t'kcp serving APIExport v1alpha2 (v0.28 and later, v0.32): view URLs only in the endpoint slice kcp makes, once something binds the export'"
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand mailbox; and __fish_seen_subcommand_from sync" -l dry-run -d 'Print what would be done, and change nothing'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand mailbox; and __fish_seen_subcommand_from sync" -l no-prune -d 'Never delete a mailbox, even one whose SyncTarget is gone'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand mailbox; and __fish_seen_subcommand_from sync" -s v -l verbose -d 'More detail on stderr: -v the plugin\'s decisions, -vv every request too, -vvv libraries\' debug output'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand mailbox; and __fish_seen_subcommand_from sync" -s q -l quiet -d 'Errors only on stderr'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand mailbox; and __fish_seen_subcommand_from sync" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand mailbox; and __fish_seen_subcommand_from sync" -s V -l version -d 'Print version'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand mailbox; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format; `name` prints bare mailbox workspace names, one per line' -r -f -a "table\t''
wide\t''
json\t''
yaml\t''
name\t''"
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand mailbox; and __fish_seen_subcommand_from list" -l sync-target -d 'Only the mailbox(es) of SyncTargets with this name' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand mailbox; and __fish_seen_subcommand_from list" -l layout -d 'KubeStellar layout preset; the flags below override parts of it' -r -f -a "v0.14\t'KubeStellar v0.8 to v0.14: edge.kubestellar.io/v2alpha1 SyncTargets, mailboxes in root'
poc2023q1\t'The 2023q1 PoC: workload.kcp.io SyncTargets, mailboxes in the ESPW, binding edge.kcp.io'"
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand mailbox; and __fish_seen_subcommand_from list" -l mailbox-parent -d 'Workspace path under which mailbox workspaces live [v0.14: root; poc2023q1: the ESPW]' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand mailbox; and __fish_seen_subcommand_from list" -l inventory-export-path -d 'Workspace of the export whose view lists the SyncTargets [v0.14: the ESPW; poc2023q1: root]' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand mailbox; and __fish_seen_subcommand_from list" -l inventory-export-name -d 'Name of that export [v0.14: edge.kubestellar.io; poc2023q1: workload.kcp.io]' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand mailbox; and __fish_seen_subcommand_from list" -l sync-target-group -d 'API group of SyncTargets [v0.14: edge.kubestellar.io; poc2023q1: workload.kcp.io]' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand mailbox; and __fish_seen_subcommand_from list" -l sync-target-version -d 'API version of SyncTargets [default: the preset\'s, or what the view serves]' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand mailbox; and __fish_seen_subcommand_from list" -l binding-export-path -d 'Workspace of the export each mailbox\'s bind-edge binds [default: the ESPW]' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand mailbox; and __fish_seen_subcommand_from list" -l binding-export-name -d 'Name of that export [v0.14: edge.kubestellar.io; poc2023q1: edge.kcp.io]' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand mailbox; and __fish_seen_subcommand_from list" -l sync-target-name-annotation -d 'Annotation naming a mailbox\'s SyncTarget [v0.14: edge.kubestellar.io/sync-target-name]' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand mailbox; and __fish_seen_subcommand_from list" -l endpoint-slice -d 'Read only the shards this APIExportEndpointSlice of the inventory export lists (its Partition\'s), and delete only mailboxes of inventory workspaces seen there: one controller per partition [PATH:NAME, or NAME in the export\'s workspace]' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand mailbox; and __fish_seen_subcommand_from list" -l kubeconfig -d 'Kubeconfig file [default: $KUBECONFIG (a list), else ~/.kube/config]' -r -F
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand mailbox; and __fish_seen_subcommand_from list" -l context -d 'Kubeconfig context to use [default: its current-context]' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand mailbox; and __fish_seen_subcommand_from list" -l espw-path -d 'Path of the edge service provider workspace' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand mailbox; and __fish_seen_subcommand_from list" -l request-timeout -d 'Timeout of each API request, as kubectl\'s (e.g. 30s; 0 for none)' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand mailbox; and __fish_seen_subcommand_from list" -l kcp-generation -d 'Which kcp the server is, instead of asking its discovery: 0.11 (APIExport v1alpha1 only) or 0.32 (v0.28 and later: v1alpha2)' -r -f -a "0.11\t'kcp serving APIExports only as v1alpha1 (v0.11): view URLs in the export\'s status'
0.32\t'kcp serving APIExport v1alpha2 (v0.28 and later, v0.32): view URLs only in the endpoint slice kcp makes, once something binds the export'"
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand mailbox; and __fish_seen_subcommand_from list" -l no-headers -d 'Do not print table headers'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand mailbox; and __fish_seen_subcommand_from list" -l problems -d 'Only rows whose status is not ok'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand mailbox; and __fish_seen_subcommand_from list" -s v -l verbose -d 'More detail on stderr: -v the plugin\'s decisions, -vv every request too, -vvv libraries\' debug output'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand mailbox; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Errors only on stderr'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand mailbox; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand mailbox; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand mailbox; and __fish_seen_subcommand_from watch" -l concurrency -d 'Mailboxes reconciled at once (never two workers on one mailbox)' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand mailbox; and __fish_seen_subcommand_from watch" -l layout -d 'KubeStellar layout preset; the flags below override parts of it' -r -f -a "v0.14\t'KubeStellar v0.8 to v0.14: edge.kubestellar.io/v2alpha1 SyncTargets, mailboxes in root'
poc2023q1\t'The 2023q1 PoC: workload.kcp.io SyncTargets, mailboxes in the ESPW, binding edge.kcp.io'"
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand mailbox; and __fish_seen_subcommand_from watch" -l mailbox-parent -d 'Workspace path under which mailbox workspaces live [v0.14: root; poc2023q1: the ESPW]' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand mailbox; and __fish_seen_subcommand_from watch" -l inventory-export-path -d 'Workspace of the export whose view lists the SyncTargets [v0.14: the ESPW; poc2023q1: root]' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand mailbox; and __fish_seen_subcommand_from watch" -l inventory-export-name -d 'Name of that export [v0.14: edge.kubestellar.io; poc2023q1: workload.kcp.io]' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand mailbox; and __fish_seen_subcommand_from watch" -l sync-target-group -d 'API group of SyncTargets [v0.14: edge.kubestellar.io; poc2023q1: workload.kcp.io]' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand mailbox; and __fish_seen_subcommand_from watch" -l sync-target-version -d 'API version of SyncTargets [default: the preset\'s, or what the view serves]' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand mailbox; and __fish_seen_subcommand_from watch" -l binding-export-path -d 'Workspace of the export each mailbox\'s bind-edge binds [default: the ESPW]' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand mailbox; and __fish_seen_subcommand_from watch" -l binding-export-name -d 'Name of that export [v0.14: edge.kubestellar.io; poc2023q1: edge.kcp.io]' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand mailbox; and __fish_seen_subcommand_from watch" -l sync-target-name-annotation -d 'Annotation naming a mailbox\'s SyncTarget [v0.14: edge.kubestellar.io/sync-target-name]' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand mailbox; and __fish_seen_subcommand_from watch" -l endpoint-slice -d 'Read only the shards this APIExportEndpointSlice of the inventory export lists (its Partition\'s), and delete only mailboxes of inventory workspaces seen there: one controller per partition [PATH:NAME, or NAME in the export\'s workspace]' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand mailbox; and __fish_seen_subcommand_from watch" -l metrics-bind-address -d 'Where to serve /metrics, /healthz and /readyz; 0 turns it off' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand mailbox; and __fish_seen_subcommand_from watch" -l resync-period -d 'A full pass over every mailbox, as a safety net; 0 turns it off' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand mailbox; and __fish_seen_subcommand_from watch" -l leader-elect-lease-duration -d 'How long a leader\'s lease lasts without renewal' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand mailbox; and __fish_seen_subcommand_from watch" -l leader-elect-renew-deadline -d 'How long a leader keeps trying to renew before it stops acting' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand mailbox; and __fish_seen_subcommand_from watch" -l leader-elect-retry-period -d 'How often to try to take or renew the lease' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand mailbox; and __fish_seen_subcommand_from watch" -l leader-elect-id -d 'Name of the Lease (in the ESPW\'s `default` namespace) [default: kubestellar-mailbox-controller; with --endpoint-slice, kubestellar-mailbox-<slice name>, so that each partition\'s controllers elect their own leader]' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand mailbox; and __fish_seen_subcommand_from watch" -l log-format -d 'Log format on stderr' -r -f -a "text\t''
json\t''"
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand mailbox; and __fish_seen_subcommand_from watch" -l kubeconfig -d 'Kubeconfig file [default: $KUBECONFIG (a list), else ~/.kube/config]' -r -F
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand mailbox; and __fish_seen_subcommand_from watch" -l context -d 'Kubeconfig context to use [default: its current-context]' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand mailbox; and __fish_seen_subcommand_from watch" -l espw-path -d 'Path of the edge service provider workspace' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand mailbox; and __fish_seen_subcommand_from watch" -l request-timeout -d 'Timeout of each API request, as kubectl\'s (e.g. 30s; 0 for none)' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand mailbox; and __fish_seen_subcommand_from watch" -l kcp-generation -d 'Which kcp the server is, instead of asking its discovery: 0.11 (APIExport v1alpha1 only) or 0.32 (v0.28 and later: v1alpha2)' -r -f -a "0.11\t'kcp serving APIExports only as v1alpha1 (v0.11): view URLs in the export\'s status'
0.32\t'kcp serving APIExport v1alpha2 (v0.28 and later, v0.32): view URLs only in the endpoint slice kcp makes, once something binds the export'"
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand mailbox; and __fish_seen_subcommand_from watch" -l leader-elect -d 'Run as one of several replicas: only the holder of a Lease in the ESPW acts'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand mailbox; and __fish_seen_subcommand_from watch" -s v -l verbose -d 'More detail on stderr: -v the plugin\'s decisions, -vv every request too, -vvv libraries\' debug output'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand mailbox; and __fish_seen_subcommand_from watch" -s q -l quiet -d 'Errors only on stderr'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand mailbox; and __fish_seen_subcommand_from watch" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand mailbox; and __fish_seen_subcommand_from watch" -s V -l version -d 'Print version'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand mailbox; and __fish_seen_subcommand_from help" -f -a "sync" -d 'Make the mailbox workspaces match the SyncTargets, once'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand mailbox; and __fish_seen_subcommand_from help" -f -a "list" -d 'Show each SyncTarget\'s mailbox and its state'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand mailbox; and __fish_seen_subcommand_from help" -f -a "watch" -d 'Keep the mailbox workspaces in step with the SyncTargets, until interrupted'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand mailbox; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand init; and not __fish_seen_subcommand_from espw help" -l kubeconfig -d 'Kubeconfig file [default: $KUBECONFIG (a list), else ~/.kube/config]' -r -F
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand init; and not __fish_seen_subcommand_from espw help" -l context -d 'Kubeconfig context to use [default: its current-context]' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand init; and not __fish_seen_subcommand_from espw help" -l espw-path -d 'Path of the edge service provider workspace' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand init; and not __fish_seen_subcommand_from espw help" -l request-timeout -d 'Timeout of each API request, as kubectl\'s (e.g. 30s; 0 for none)' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand init; and not __fish_seen_subcommand_from espw help" -l kcp-generation -d 'Which kcp the server is, instead of asking its discovery: 0.11 (APIExport v1alpha1 only) or 0.32 (v0.28 and later: v1alpha2)' -r -f -a "0.11\t'kcp serving APIExports only as v1alpha1 (v0.11): view URLs in the export\'s status'
0.32\t'kcp serving APIExport v1alpha2 (v0.28 and later, v0.32): view URLs only in the endpoint slice kcp makes, once something binds the export'"
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand init; and not __fish_seen_subcommand_from espw help" -s v -l verbose -d 'More detail on stderr: -v the plugin\'s decisions, -vv every request too, -vvv libraries\' debug output'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand init; and not __fish_seen_subcommand_from espw help" -s q -l quiet -d 'Errors only on stderr'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand init; and not __fish_seen_subcommand_from espw help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand init; and not __fish_seen_subcommand_from espw help" -s V -l version -d 'Print version'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand init; and not __fish_seen_subcommand_from espw help" -f -a "espw" -d 'Ensure the edge service provider workspace and its edge.kubestellar.io API'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand init; and not __fish_seen_subcommand_from espw help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand init; and __fish_seen_subcommand_from espw" -l timeout -d 'Bound on waiting for the workspace and the export to be ready' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand init; and __fish_seen_subcommand_from espw" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''
yaml\t''"
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand init; and __fish_seen_subcommand_from espw" -l kubeconfig -d 'Kubeconfig file [default: $KUBECONFIG (a list), else ~/.kube/config]' -r -F
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand init; and __fish_seen_subcommand_from espw" -l context -d 'Kubeconfig context to use [default: its current-context]' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand init; and __fish_seen_subcommand_from espw" -l espw-path -d 'Path of the edge service provider workspace' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand init; and __fish_seen_subcommand_from espw" -l request-timeout -d 'Timeout of each API request, as kubectl\'s (e.g. 30s; 0 for none)' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand init; and __fish_seen_subcommand_from espw" -l kcp-generation -d 'Which kcp the server is, instead of asking its discovery: 0.11 (APIExport v1alpha1 only) or 0.32 (v0.28 and later: v1alpha2)' -r -f -a "0.11\t'kcp serving APIExports only as v1alpha1 (v0.11): view URLs in the export\'s status'
0.32\t'kcp serving APIExport v1alpha2 (v0.28 and later, v0.32): view URLs only in the endpoint slice kcp makes, once something binds the export'"
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand init; and __fish_seen_subcommand_from espw" -l dry-run -d 'Print what would be done, and change nothing'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand init; and __fish_seen_subcommand_from espw" -s v -l verbose -d 'More detail on stderr: -v the plugin\'s decisions, -vv every request too, -vvv libraries\' debug output'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand init; and __fish_seen_subcommand_from espw" -s q -l quiet -d 'Errors only on stderr'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand init; and __fish_seen_subcommand_from espw" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand init; and __fish_seen_subcommand_from espw" -s V -l version -d 'Print version'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand init; and __fish_seen_subcommand_from help" -f -a "espw" -d 'Ensure the edge service provider workspace and its edge.kubestellar.io API'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand init; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand ensure; and not __fish_seen_subcommand_from location wmw help" -l kubeconfig -d 'Kubeconfig file [default: $KUBECONFIG (a list), else ~/.kube/config]' -r -F
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand ensure; and not __fish_seen_subcommand_from location wmw help" -l context -d 'Kubeconfig context to use [default: its current-context]' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand ensure; and not __fish_seen_subcommand_from location wmw help" -l espw-path -d 'Path of the edge service provider workspace' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand ensure; and not __fish_seen_subcommand_from location wmw help" -l request-timeout -d 'Timeout of each API request, as kubectl\'s (e.g. 30s; 0 for none)' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand ensure; and not __fish_seen_subcommand_from location wmw help" -l kcp-generation -d 'Which kcp the server is, instead of asking its discovery: 0.11 (APIExport v1alpha1 only) or 0.32 (v0.28 and later: v1alpha2)' -r -f -a "0.11\t'kcp serving APIExports only as v1alpha1 (v0.11): view URLs in the export\'s status'
0.32\t'kcp serving APIExport v1alpha2 (v0.28 and later, v0.32): view URLs only in the endpoint slice kcp makes, once something binds the export'"
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand ensure; and not __fish_seen_subcommand_from location wmw help" -s v -l verbose -d 'More detail on stderr: -v the plugin\'s decisions, -vv every request too, -vvv libraries\' debug output'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand ensure; and not __fish_seen_subcommand_from location wmw help" -s q -l quiet -d 'Errors only on stderr'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand ensure; and not __fish_seen_subcommand_from location wmw help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand ensure; and not __fish_seen_subcommand_from location wmw help" -s V -l version -d 'Print version'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand ensure; and not __fish_seen_subcommand_from location wmw help" -f -a "location" -d 'An edge cluster\'s SyncTarget and Location in an inventory workspace, with labels'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand ensure; and not __fish_seen_subcommand_from location wmw help" -f -a "wmw" -d 'A workload management workspace in root, with its API bindings'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand ensure; and not __fish_seen_subcommand_from location wmw help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand ensure; and __fish_seen_subcommand_from location" -l imw -d 'The inventory workspace [default: the workspace the kubeconfig points into]' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand ensure; and __fish_seen_subcommand_from location" -l kubeconfig -d 'Kubeconfig file [default: $KUBECONFIG (a list), else ~/.kube/config]' -r -F
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand ensure; and __fish_seen_subcommand_from location" -l context -d 'Kubeconfig context to use [default: its current-context]' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand ensure; and __fish_seen_subcommand_from location" -l espw-path -d 'Path of the edge service provider workspace' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand ensure; and __fish_seen_subcommand_from location" -l request-timeout -d 'Timeout of each API request, as kubectl\'s (e.g. 30s; 0 for none)' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand ensure; and __fish_seen_subcommand_from location" -l kcp-generation -d 'Which kcp the server is, instead of asking its discovery: 0.11 (APIExport v1alpha1 only) or 0.32 (v0.28 and later: v1alpha2)' -r -f -a "0.11\t'kcp serving APIExports only as v1alpha1 (v0.11): view URLs in the export\'s status'
0.32\t'kcp serving APIExport v1alpha2 (v0.28 and later, v0.32): view URLs only in the endpoint slice kcp makes, once something binds the export'"
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand ensure; and __fish_seen_subcommand_from location" -s v -l verbose -d 'More detail on stderr: -v the plugin\'s decisions, -vv every request too, -vvv libraries\' debug output'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand ensure; and __fish_seen_subcommand_from location" -s q -l quiet -d 'Errors only on stderr'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand ensure; and __fish_seen_subcommand_from location" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand ensure; and __fish_seen_subcommand_from location" -s V -l version -d 'Print version'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand ensure; and __fish_seen_subcommand_from wmw" -l with-kube -d 'Bind root:compute\'s Kubernetes API exports too (false deletes those bindings)' -r -f -a "true\t''
false\t''"
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand ensure; and __fish_seen_subcommand_from wmw" -l timeout -d 'Bound on waiting for a new workspace to be Ready' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand ensure; and __fish_seen_subcommand_from wmw" -l kubeconfig -d 'Kubeconfig file [default: $KUBECONFIG (a list), else ~/.kube/config]' -r -F
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand ensure; and __fish_seen_subcommand_from wmw" -l context -d 'Kubeconfig context to use [default: its current-context]' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand ensure; and __fish_seen_subcommand_from wmw" -l espw-path -d 'Path of the edge service provider workspace' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand ensure; and __fish_seen_subcommand_from wmw" -l request-timeout -d 'Timeout of each API request, as kubectl\'s (e.g. 30s; 0 for none)' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand ensure; and __fish_seen_subcommand_from wmw" -l kcp-generation -d 'Which kcp the server is, instead of asking its discovery: 0.11 (APIExport v1alpha1 only) or 0.32 (v0.28 and later: v1alpha2)' -r -f -a "0.11\t'kcp serving APIExports only as v1alpha1 (v0.11): view URLs in the export\'s status'
0.32\t'kcp serving APIExport v1alpha2 (v0.28 and later, v0.32): view URLs only in the endpoint slice kcp makes, once something binds the export'"
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand ensure; and __fish_seen_subcommand_from wmw" -s v -l verbose -d 'More detail on stderr: -v the plugin\'s decisions, -vv every request too, -vvv libraries\' debug output'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand ensure; and __fish_seen_subcommand_from wmw" -s q -l quiet -d 'Errors only on stderr'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand ensure; and __fish_seen_subcommand_from wmw" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand ensure; and __fish_seen_subcommand_from wmw" -s V -l version -d 'Print version'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand ensure; and __fish_seen_subcommand_from help" -f -a "location" -d 'An edge cluster\'s SyncTarget and Location in an inventory workspace, with labels'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand ensure; and __fish_seen_subcommand_from help" -f -a "wmw" -d 'A workload management workspace in root, with its API bindings'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand ensure; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand remove; and not __fish_seen_subcommand_from wmw location help" -l kubeconfig -d 'Kubeconfig file [default: $KUBECONFIG (a list), else ~/.kube/config]' -r -F
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand remove; and not __fish_seen_subcommand_from wmw location help" -l context -d 'Kubeconfig context to use [default: its current-context]' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand remove; and not __fish_seen_subcommand_from wmw location help" -l espw-path -d 'Path of the edge service provider workspace' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand remove; and not __fish_seen_subcommand_from wmw location help" -l request-timeout -d 'Timeout of each API request, as kubectl\'s (e.g. 30s; 0 for none)' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand remove; and not __fish_seen_subcommand_from wmw location help" -l kcp-generation -d 'Which kcp the server is, instead of asking its discovery: 0.11 (APIExport v1alpha1 only) or 0.32 (v0.28 and later: v1alpha2)' -r -f -a "0.11\t'kcp serving APIExports only as v1alpha1 (v0.11): view URLs in the export\'s status'
0.32\t'kcp serving APIExport v1alpha2 (v0.28 and later, v0.32): view URLs only in the endpoint slice kcp makes, once something binds the export'"
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand remove; and not __fish_seen_subcommand_from wmw location help" -s v -l verbose -d 'More detail on stderr: -v the plugin\'s decisions, -vv every request too, -vvv libraries\' debug output'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand remove; and not __fish_seen_subcommand_from wmw location help" -s q -l quiet -d 'Errors only on stderr'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand remove; and not __fish_seen_subcommand_from wmw location help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand remove; and not __fish_seen_subcommand_from wmw location help" -s V -l version -d 'Print version'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand remove; and not __fish_seen_subcommand_from wmw location help" -f -a "wmw" -d 'Delete workload management workspaces'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand remove; and not __fish_seen_subcommand_from wmw location help" -f -a "location" -d 'Delete an edge cluster\'s SyncTarget and Location'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand remove; and not __fish_seen_subcommand_from wmw location help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand remove; and __fish_seen_subcommand_from wmw" -l parent -d 'Workspace path the named workspaces are in' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand remove; and __fish_seen_subcommand_from wmw" -l wait -d 'Wait until each workspace is gone' -r -f -a "true\t''
false\t''"
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand remove; and __fish_seen_subcommand_from wmw" -l timeout -d 'Bound on waiting for each workspace to be gone' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand remove; and __fish_seen_subcommand_from wmw" -l layout -d 'KubeStellar layout preset; the flags below override parts of it' -r -f -a "v0.14\t'KubeStellar v0.8 to v0.14: edge.kubestellar.io/v2alpha1 SyncTargets, mailboxes in root'
poc2023q1\t'The 2023q1 PoC: workload.kcp.io SyncTargets, mailboxes in the ESPW, binding edge.kcp.io'"
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand remove; and __fish_seen_subcommand_from wmw" -l mailbox-parent -d 'Workspace path under which mailbox workspaces live [v0.14: root; poc2023q1: the ESPW]' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand remove; and __fish_seen_subcommand_from wmw" -l inventory-export-path -d 'Workspace of the export whose view lists the SyncTargets [v0.14: the ESPW; poc2023q1: root]' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand remove; and __fish_seen_subcommand_from wmw" -l inventory-export-name -d 'Name of that export [v0.14: edge.kubestellar.io; poc2023q1: workload.kcp.io]' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand remove; and __fish_seen_subcommand_from wmw" -l sync-target-group -d 'API group of SyncTargets [v0.14: edge.kubestellar.io; poc2023q1: workload.kcp.io]' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand remove; and __fish_seen_subcommand_from wmw" -l sync-target-version -d 'API version of SyncTargets [default: the preset\'s, or what the view serves]' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand remove; and __fish_seen_subcommand_from wmw" -l binding-export-path -d 'Workspace of the export each mailbox\'s bind-edge binds [default: the ESPW]' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand remove; and __fish_seen_subcommand_from wmw" -l binding-export-name -d 'Name of that export [v0.14: edge.kubestellar.io; poc2023q1: edge.kcp.io]' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand remove; and __fish_seen_subcommand_from wmw" -l sync-target-name-annotation -d 'Annotation naming a mailbox\'s SyncTarget [v0.14: edge.kubestellar.io/sync-target-name]' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand remove; and __fish_seen_subcommand_from wmw" -l kubeconfig -d 'Kubeconfig file [default: $KUBECONFIG (a list), else ~/.kube/config]' -r -F
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand remove; and __fish_seen_subcommand_from wmw" -l context -d 'Kubeconfig context to use [default: its current-context]' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand remove; and __fish_seen_subcommand_from wmw" -l espw-path -d 'Path of the edge service provider workspace' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand remove; and __fish_seen_subcommand_from wmw" -l request-timeout -d 'Timeout of each API request, as kubectl\'s (e.g. 30s; 0 for none)' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand remove; and __fish_seen_subcommand_from wmw" -l kcp-generation -d 'Which kcp the server is, instead of asking its discovery: 0.11 (APIExport v1alpha1 only) or 0.32 (v0.28 and later: v1alpha2)' -r -f -a "0.11\t'kcp serving APIExports only as v1alpha1 (v0.11): view URLs in the export\'s status'
0.32\t'kcp serving APIExport v1alpha2 (v0.28 and later, v0.32): view URLs only in the endpoint slice kcp makes, once something binds the export'"
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand remove; and __fish_seen_subcommand_from wmw" -s i -l interactive -d 'Ask before deleting (on a terminal); without it nothing asks, as with `kubectl delete`'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand remove; and __fish_seen_subcommand_from wmw" -l force -d 'Delete even the ESPW, mailbox and inventory workspaces, and ones that provide APIExports'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand remove; and __fish_seen_subcommand_from wmw" -s v -l verbose -d 'More detail on stderr: -v the plugin\'s decisions, -vv every request too, -vvv libraries\' debug output'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand remove; and __fish_seen_subcommand_from wmw" -s q -l quiet -d 'Errors only on stderr'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand remove; and __fish_seen_subcommand_from wmw" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand remove; and __fish_seen_subcommand_from wmw" -s V -l version -d 'Print version'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand remove; and __fish_seen_subcommand_from location" -l imw -d 'The inventory workspace [default: the workspace the kubeconfig points into]' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand remove; and __fish_seen_subcommand_from location" -l kubeconfig -d 'Kubeconfig file [default: $KUBECONFIG (a list), else ~/.kube/config]' -r -F
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand remove; and __fish_seen_subcommand_from location" -l context -d 'Kubeconfig context to use [default: its current-context]' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand remove; and __fish_seen_subcommand_from location" -l espw-path -d 'Path of the edge service provider workspace' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand remove; and __fish_seen_subcommand_from location" -l request-timeout -d 'Timeout of each API request, as kubectl\'s (e.g. 30s; 0 for none)' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand remove; and __fish_seen_subcommand_from location" -l kcp-generation -d 'Which kcp the server is, instead of asking its discovery: 0.11 (APIExport v1alpha1 only) or 0.32 (v0.28 and later: v1alpha2)' -r -f -a "0.11\t'kcp serving APIExports only as v1alpha1 (v0.11): view URLs in the export\'s status'
0.32\t'kcp serving APIExport v1alpha2 (v0.28 and later, v0.32): view URLs only in the endpoint slice kcp makes, once something binds the export'"
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand remove; and __fish_seen_subcommand_from location" -s v -l verbose -d 'More detail on stderr: -v the plugin\'s decisions, -vv every request too, -vvv libraries\' debug output'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand remove; and __fish_seen_subcommand_from location" -s q -l quiet -d 'Errors only on stderr'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand remove; and __fish_seen_subcommand_from location" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand remove; and __fish_seen_subcommand_from location" -s V -l version -d 'Print version'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand remove; and __fish_seen_subcommand_from help" -f -a "wmw" -d 'Delete workload management workspaces'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand remove; and __fish_seen_subcommand_from help" -f -a "location" -d 'Delete an edge cluster\'s SyncTarget and Location'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand remove; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand prep-for-syncer" -l imw -d 'Inventory management workspace holding the SyncTarget [default: the kubeconfig\'s current workspace]' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand prep-for-syncer" -l espw -d 'Edge service provider workspace [default: --espw-path, root:espw]' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand prep-for-syncer" -l syncer-image -d 'Container image of the syncer' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand prep-for-syncer" -s o -d 'File to write the edge cluster\'s YAML to; - for stdout [default: SYNCTARGET-syncer.yaml]' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand prep-for-syncer" -l timeout -d 'Bound on waiting for the mailbox, its bind-edge and the token' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand prep-for-syncer" -l kubeconfig -d 'Kubeconfig file [default: $KUBECONFIG (a list), else ~/.kube/config]' -r -F
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand prep-for-syncer" -l context -d 'Kubeconfig context to use [default: its current-context]' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand prep-for-syncer" -l espw-path -d 'Path of the edge service provider workspace' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand prep-for-syncer" -l request-timeout -d 'Timeout of each API request, as kubectl\'s (e.g. 30s; 0 for none)' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand prep-for-syncer" -l kcp-generation -d 'Which kcp the server is, instead of asking its discovery: 0.11 (APIExport v1alpha1 only) or 0.32 (v0.28 and later: v1alpha2)' -r -f -a "0.11\t'kcp serving APIExports only as v1alpha1 (v0.11): view URLs in the export\'s status'
0.32\t'kcp serving APIExport v1alpha2 (v0.28 and later, v0.32): view URLs only in the endpoint slice kcp makes, once something binds the export'"
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand prep-for-syncer" -s s -l silent -d 'Print nothing but errors (and the YAML, with -o -)'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand prep-for-syncer" -s v -l verbose -d 'More detail on stderr: -v the plugin\'s decisions, -vv every request too, -vvv libraries\' debug output'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand prep-for-syncer" -s q -l quiet -d 'Errors only on stderr'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand prep-for-syncer" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand prep-for-syncer" -s V -l version -d 'Print version'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand prep-for-cluster" -l imw -d 'The inventory workspace [default: the workspace the kubeconfig points into]' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand prep-for-cluster" -l syncer-image -d 'The syncer\'s container image [default: KubeStellar v0.14\'s]' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand prep-for-cluster" -s o -d 'Where to write the syncer\'s YAML for the edge cluster [default: NAME-syncer.yaml]' -r -F
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand prep-for-cluster" -l timeout -d 'Bound on waiting for the mailbox, its bind-edge and the token' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand prep-for-cluster" -l kubeconfig -d 'Kubeconfig file [default: $KUBECONFIG (a list), else ~/.kube/config]' -r -F
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand prep-for-cluster" -l context -d 'Kubeconfig context to use [default: its current-context]' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand prep-for-cluster" -l espw-path -d 'Path of the edge service provider workspace' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand prep-for-cluster" -l request-timeout -d 'Timeout of each API request, as kubectl\'s (e.g. 30s; 0 for none)' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand prep-for-cluster" -l kcp-generation -d 'Which kcp the server is, instead of asking its discovery: 0.11 (APIExport v1alpha1 only) or 0.32 (v0.28 and later: v1alpha2)' -r -f -a "0.11\t'kcp serving APIExports only as v1alpha1 (v0.11): view URLs in the export\'s status'
0.32\t'kcp serving APIExport v1alpha2 (v0.28 and later, v0.32): view URLs only in the endpoint slice kcp makes, once something binds the export'"
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand prep-for-cluster" -s s -l silent -d 'Less output (KubeStellar\'s -s)'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand prep-for-cluster" -s v -l verbose -d 'More detail on stderr: -v the plugin\'s decisions, -vv every request too, -vvv libraries\' debug output'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand prep-for-cluster" -s q -l quiet -d 'Errors only on stderr'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand prep-for-cluster" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand prep-for-cluster" -s V -l version -d 'Print version'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand completion" -l kubeconfig -d 'Kubeconfig file [default: $KUBECONFIG (a list), else ~/.kube/config]' -r -F
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand completion" -l context -d 'Kubeconfig context to use [default: its current-context]' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand completion" -l espw-path -d 'Path of the edge service provider workspace' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand completion" -l request-timeout -d 'Timeout of each API request, as kubectl\'s (e.g. 30s; 0 for none)' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand completion" -l kcp-generation -d 'Which kcp the server is, instead of asking its discovery: 0.11 (APIExport v1alpha1 only) or 0.32 (v0.28 and later: v1alpha2)' -r -f -a "0.11\t'kcp serving APIExports only as v1alpha1 (v0.11): view URLs in the export\'s status'
0.32\t'kcp serving APIExport v1alpha2 (v0.28 and later, v0.32): view URLs only in the endpoint slice kcp makes, once something binds the export'"
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand completion" -s v -l verbose -d 'More detail on stderr: -v the plugin\'s decisions, -vv every request too, -vvv libraries\' debug output'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand completion" -s q -l quiet -d 'Errors only on stderr'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand completion" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand completion" -s V -l version -d 'Print version'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand version" -l kubeconfig -d 'Kubeconfig file [default: $KUBECONFIG (a list), else ~/.kube/config]' -r -F
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand version" -l context -d 'Kubeconfig context to use [default: its current-context]' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand version" -l espw-path -d 'Path of the edge service provider workspace' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand version" -l request-timeout -d 'Timeout of each API request, as kubectl\'s (e.g. 30s; 0 for none)' -r
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand version" -l kcp-generation -d 'Which kcp the server is, instead of asking its discovery: 0.11 (APIExport v1alpha1 only) or 0.32 (v0.28 and later: v1alpha2)' -r -f -a "0.11\t'kcp serving APIExports only as v1alpha1 (v0.11): view URLs in the export\'s status'
0.32\t'kcp serving APIExport v1alpha2 (v0.28 and later, v0.32): view URLs only in the endpoint slice kcp makes, once something binds the export'"
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand version" -s v -l verbose -d 'More detail on stderr: -v the plugin\'s decisions, -vv every request too, -vvv libraries\' debug output'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand version" -s q -l quiet -d 'Errors only on stderr'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand version" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand version" -s V -l version -d 'Print version'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand help; and not __fish_seen_subcommand_from mailbox init ensure remove prep-for-syncer prep-for-cluster completion version help" -f -a "mailbox" -d 'Mailbox workspaces: one per SyncTarget'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand help; and not __fish_seen_subcommand_from mailbox init ensure remove prep-for-syncer prep-for-cluster completion version help" -f -a "init" -d 'Set up KubeStellar\'s workspaces'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand help; and not __fish_seen_subcommand_from mailbox init ensure remove prep-for-syncer prep-for-cluster completion version help" -f -a "ensure" -d 'Make sure a KubeStellar object exists and is set up (KubeStellar v0.14\'s `ensure`)'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand help; and not __fish_seen_subcommand_from mailbox init ensure remove prep-for-syncer prep-for-cluster completion version help" -f -a "remove" -d 'Delete KubeStellar\'s workspaces and inventory entries'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand help; and not __fish_seen_subcommand_from mailbox init ensure remove prep-for-syncer prep-for-cluster completion version help" -f -a "prep-for-syncer" -d 'Make a SyncTarget\'s syncer identity in its mailbox, and write the YAML that installs the syncer in the edge cluster'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand help; and not __fish_seen_subcommand_from mailbox init ensure remove prep-for-syncer prep-for-cluster completion version help" -f -a "prep-for-cluster" -d 'Ensure location, then prepare the syncer (KubeStellar v0.14\'s `prep-for-cluster`)'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand help; and not __fish_seen_subcommand_from mailbox init ensure remove prep-for-syncer prep-for-cluster completion version help" -f -a "completion" -d 'Print a shell completion script'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand help; and not __fish_seen_subcommand_from mailbox init ensure remove prep-for-syncer prep-for-cluster completion version help" -f -a "version" -d 'Print the plugin\'s version'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand help; and not __fish_seen_subcommand_from mailbox init ensure remove prep-for-syncer prep-for-cluster completion version help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand help; and __fish_seen_subcommand_from mailbox" -f -a "sync" -d 'Make the mailbox workspaces match the SyncTargets, once'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand help; and __fish_seen_subcommand_from mailbox" -f -a "list" -d 'Show each SyncTarget\'s mailbox and its state'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand help; and __fish_seen_subcommand_from mailbox" -f -a "watch" -d 'Keep the mailbox workspaces in step with the SyncTargets, until interrupted'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand help; and __fish_seen_subcommand_from init" -f -a "espw" -d 'Ensure the edge service provider workspace and its edge.kubestellar.io API'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand help; and __fish_seen_subcommand_from ensure" -f -a "location" -d 'An edge cluster\'s SyncTarget and Location in an inventory workspace, with labels'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand help; and __fish_seen_subcommand_from ensure" -f -a "wmw" -d 'A workload management workspace in root, with its API bindings'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand help; and __fish_seen_subcommand_from remove" -f -a "wmw" -d 'Delete workload management workspaces'
complete -c kubectl-kubestellar -n "__fish_kubectl_kubestellar_using_subcommand help; and __fish_seen_subcommand_from remove" -f -a "location" -d 'Delete an edge cluster\'s SyncTarget and Location'
