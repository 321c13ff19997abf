
use builtin;
use str;

set edit:completion:arg-completer[kubectl-kubestellar] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'kubectl-kubestellar'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'kubectl-kubestellar'= {
            cand --kubeconfig 'Kubeconfig file [default: $KUBECONFIG (a list), else ~/.kube/config]'
            cand --context 'Kubeconfig context to use [default: its current-context]'
            cand --espw-path 'Path of the edge service provider workspace'
            cand --request-timeout 'Timeout of each API request, as kubectl''s (e.g. 30s; 0 for none)'
            cand --kcp-generation 'Which kcp the server is, instead of asking its discovery: 0.11 (APIExport v1alpha1 only) or 0.32 (v0.28 and later: v1alpha2)'
            cand -v 'More detail on stderr: -v the plugin''s decisions, -vv every request too, -vvv libraries'' debug output'
            cand --verbose 'More detail on stderr: -v the plugin''s decisions, -vv every request too, -vvv libraries'' debug output'
            cand -q 'Errors only on stderr'
            cand --quiet 'Errors only on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand mailbox 'Mailbox workspaces: one per SyncTarget'
            cand init 'Set up KubeStellar''s workspaces'
            cand ensure 'Make sure a KubeStellar object exists and is set up (KubeStellar v0.14''s `ensure`)'
            cand remove 'Delete KubeStellar''s workspaces and inventory entries'
            cand prep-for-syncer 'Make a SyncTarget''s syncer identity in its mailbox, and write the YAML that installs the syncer in the edge cluster'
            cand prep-for-cluster 'Ensure location, then prepare the syncer (KubeStellar v0.14''s `prep-for-cluster`)'
            cand completion 'Print a shell completion script'
            cand version 'Print the plugin''s version'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'kubectl-kubestellar;mailbox'= {
            cand --kubeconfig 'Kubeconfig file [default: $KUBECONFIG (a list), else ~/.kube/config]'
            cand --context 'Kubeconfig context to use [default: its current-context]'
            cand --espw-path 'Path of the edge service provider workspace'
            cand --request-timeout 'Timeout of each API request, as kubectl''s (e.g. 30s; 0 for none)'
            cand --kcp-generation 'Which kcp the server is, instead of asking its discovery: 0.11 (APIExport v1alpha1 only) or 0.32 (v0.28 and later: v1alpha2)'
            cand -v 'More detail on stderr: -v the plugin''s decisions, -vv every request too, -vvv libraries'' debug output'
            cand --verbose 'More detail on stderr: -v the plugin''s decisions, -vv every request too, -vvv libraries'' debug output'
            cand -q 'Errors only on stderr'
            cand --quiet 'Errors only on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand sync 'Make the mailbox workspaces match the SyncTargets, once'
            cand list 'Show each SyncTarget''s mailbox and its state'
            cand watch 'Keep the mailbox workspaces in step with the SyncTargets, until interrupted'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'kubectl-kubestellar;mailbox;sync'= {
            cand --layout 'KubeStellar layout preset; the flags below override parts of it'
            cand --mailbox-parent 'Workspace path under which mailbox workspaces live [v0.14: root; poc2023q1: the ESPW]'
            cand --inventory-export-path 'Workspace of the export whose view lists the SyncTargets [v0.14: the ESPW; poc2023q1: root]'
            cand --inventory-export-name 'Name of that export [v0.14: edge.kubestellar.io; poc2023q1: workload.kcp.io]'
            cand --sync-target-group 'API group of SyncTargets [v0.14: edge.kubestellar.io; poc2023q1: workload.kcp.io]'
            cand --sync-target-version 'API version of SyncTargets [default: the preset''s, or what the view serves]'
            cand --binding-export-path 'Workspace of the export each mailbox''s bind-edge binds [default: the ESPW]'
            cand --binding-export-name 'Name of that export [v0.14: edge.kubestellar.io; poc2023q1: edge.kcp.io]'
            cand --sync-target-name-annotation 'Annotation naming a mailbox''s SyncTarget [v0.14: edge.kubestellar.io/sync-target-name]'
            cand --endpoint-slice 'Read only the shards this APIExportEndpointSlice of the inventory export lists (its Partition''s), and delete only mailboxes of inventory workspaces seen there: one controller per partition [PATH:NAME, or NAME in the export''s workspace]'
            cand --concurrency 'Changes made at once'
            cand --timeout 'Bound on waiting for the export, and for new mailboxes to become Ready to bind'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --kubeconfig 'Kubeconfig file [default: $KUBECONFIG (a list), else ~/.kube/config]'
            cand --context 'Kubeconfig context to use [default: its current-context]'
            cand --espw-path 'Path of the edge service provider workspace'
            cand --request-timeout 'Timeout of each API request, as kubectl''s (e.g. 30s; 0 for none)'
            cand --kcp-generation 'Which kcp the server is, instead of asking its discovery: 0.11 (APIExport v1alpha1 only) or 0.32 (v0.28 and later: v1alpha2)'
            cand --dry-run 'Print what would be done, and change nothing'
            cand --no-prune 'Never delete a mailbox, even one whose SyncTarget is gone'
            cand -v 'More detail on stderr: -v the plugin''s decisions, -vv every request too, -vvv libraries'' debug output'
            cand --verbose 'More detail on stderr: -v the plugin''s decisions, -vv every request too, -vvv libraries'' debug output'
            cand -q 'Errors only on stderr'
            cand --quiet 'Errors only on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'kubectl-kubestellar;mailbox;list'= {
            cand -o 'Output format; `name` prints bare mailbox workspace names, one per line'
            cand --output 'Output format; `name` prints bare mailbox workspace names, one per line'
            cand --sync-target 'Only the mailbox(es) of SyncTargets with this name'
            cand --layout 'KubeStellar layout preset; the flags below override parts of it'
            cand --mailbox-parent 'Workspace path under which mailbox workspaces live [v0.14: root; poc2023q1: the ESPW]'
            cand --inventory-export-path 'Workspace of the export whose view lists the SyncTargets [v0.14: the ESPW; poc2023q1: root]'
            cand --inventory-export-name 'Name of that export [v0.14: edge.kubestellar.io; poc2023q1: workload.kcp.io]'
            cand --sync-target-group 'API group of SyncTargets [v0.14: edge.kubestellar.io; poc2023q1: workload.kcp.io]'
            cand --sync-target-version 'API version of SyncTargets [default: the preset''s, or what the view serves]'
            cand --binding-export-path 'Workspace of the export each mailbox''s bind-edge binds [default: the ESPW]'
            cand --binding-export-name 'Name of that export [v0.14: edge.kubestellar.io; poc2023q1: edge.kcp.io]'
            cand --sync-target-name-annotation 'Annotation naming a mailbox''s SyncTarget [v0.14: edge.kubestellar.io/sync-target-name]'
            cand --endpoint-slice 'Read only the shards this APIExportEndpointSlice of the inventory export lists (its Partition''s), and delete only mailboxes of inventory workspaces seen there: one controller per partition [PATH:NAME, or NAME in the export''s workspace]'
            cand --kubeconfig 'Kubeconfig file [default: $KUBECONFIG (a list), else ~/.kube/config]'
            cand --context 'Kubeconfig context to use [default: its current-context]'
            cand --espw-path 'Path of the edge service provider workspace'
            cand --request-timeout 'Timeout of each API request, as kubectl''s (e.g. 30s; 0 for none)'
            cand --kcp-generation 'Which kcp the server is, instead of asking its discovery: 0.11 (APIExport v1alpha1 only) or 0.32 (v0.28 and later: v1alpha2)'
            cand --no-headers 'Do not print table headers'
            cand --problems 'Only rows whose status is not ok'
            cand -v 'More detail on stderr: -v the plugin''s decisions, -vv every request too, -vvv libraries'' debug output'
            cand --verbose 'More detail on stderr: -v the plugin''s decisions, -vv every request too, -vvv libraries'' debug output'
            cand -q 'Errors only on stderr'
            cand --quiet 'Errors only on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'kubectl-kubestellar;mailbox;watch'= {
            cand --concurrency 'Mailboxes reconciled at once (never two workers on one mailbox)'
            cand --layout 'KubeStellar layout preset; the flags below override parts of it'
            cand --mailbox-parent 'Workspace path under which mailbox workspaces live [v0.14: root; poc2023q1: the ESPW]'
            cand --inventory-export-path 'Workspace of the export whose view lists the SyncTargets [v0.14: the ESPW; poc2023q1: root]'
            cand --inventory-export-name 'Name of that export [v0.14: edge.kubestellar.io; poc2023q1: workload.kcp.io]'
            cand --sync-target-group 'API group of SyncTargets [v0.14: edge.kubestellar.io; poc2023q1: workload.kcp.io]'
            cand --sync-target-version 'API version of SyncTargets [default: the preset''s, or what the view serves]'
            cand --binding-export-path 'Workspace of the export each mailbox''s bind-edge binds [default: the ESPW]'
            cand --binding-export-name 'Name of that export [v0.14: edge.kubestellar.io; poc2023q1: edge.kcp.io]'
            cand --sync-target-name-annotation 'Annotation naming a mailbox''s SyncTarget [v0.14: edge.kubestellar.io/sync-target-name]'
            cand --endpoint-slice 'Read only the shards this APIExportEndpointSlice of the inventory export lists (its Partition''s), and delete only mailboxes of inventory workspaces seen there: one controller per partition [PATH:NAME, or NAME in the export''s workspace]'
            cand --metrics-bind-address 'Where to serve /metrics, /healthz and /readyz; 0 turns it off'
            cand --resync-period 'A full pass over every mailbox, as a safety net; 0 turns it off'
            cand --leader-elect-lease-duration 'How long a leader''s lease lasts without renewal'
            cand --leader-elect-renew-deadline 'How long a leader keeps trying to renew before it stops acting'
            cand --leader-elect-retry-period 'How often to try to take or renew the lease'
            cand --leader-elect-id 'Name of the Lease (in the ESPW''s `default` namespace) [default: kubestellar-mailbox-controller; with --endpoint-slice, kubestellar-mailbox-<slice name>, so that each partition''s controllers elect their own leader]'
            cand --log-format 'Log format on stderr'
            cand --kubeconfig 'Kubeconfig file [default: $KUBECONFIG (a list), else ~/.kube/config]'
            cand --context 'Kubeconfig context to use [default: its current-context]'
            cand --espw-path 'Path of the edge service provider workspace'
            cand --request-timeout 'Timeout of each API request, as kubectl''s (e.g. 30s; 0 for none)'
            cand --kcp-generation 'Which kcp the server is, instead of asking its discovery: 0.11 (APIExport v1alpha1 only) or 0.32 (v0.28 and later: v1alpha2)'
            cand --leader-elect 'Run as one of several replicas: only the holder of a Lease in the ESPW acts'
            cand -v 'More detail on stderr: -v the plugin''s decisions, -vv every request too, -vvv libraries'' debug output'
            cand --verbose 'More detail on stderr: -v the plugin''s decisions, -vv every request too, -vvv libraries'' debug output'
            cand -q 'Errors only on stderr'
            cand --quiet 'Errors only on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'kubectl-kubestellar;mailbox;help'= {
            cand sync 'Make the mailbox workspaces match the SyncTargets, once'
            cand list 'Show each SyncTarget''s mailbox and its state'
            cand watch 'Keep the mailbox workspaces in step with the SyncTargets, until interrupted'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'kubectl-kubestellar;mailbox;help;sync'= {
        }
        &'kubectl-kubestellar;mailbox;help;list'= {
        }
        &'kubectl-kubestellar;mailbox;help;watch'= {
        }
        &'kubectl-kubestellar;mailbox;help;help'= {
        }
        &'kubectl-kubestellar;init'= {
            cand --kubeconfig 'Kubeconfig file [default: $KUBECONFIG (a list), else ~/.kube/config]'
            cand --context 'Kubeconfig context to use [default: its current-context]'
            cand --espw-path 'Path of the edge service provider workspace'
            cand --request-timeout 'Timeout of each API request, as kubectl''s (e.g. 30s; 0 for none)'
            cand --kcp-generation 'Which kcp the server is, instead of asking its discovery: 0.11 (APIExport v1alpha1 only) or 0.32 (v0.28 and later: v1alpha2)'
            cand -v 'More detail on stderr: -v the plugin''s decisions, -vv every request too, -vvv libraries'' debug output'
            cand --verbose 'More detail on stderr: -v the plugin''s decisions, -vv every request too, -vvv libraries'' debug output'
            cand -q 'Errors only on stderr'
            cand --quiet 'Errors only on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand espw 'Ensure the edge service provider workspace and its edge.kubestellar.io API'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'kubectl-kubestellar;init;espw'= {
            cand --timeout 'Bound on waiting for the workspace and the export to be ready'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --kubeconfig 'Kubeconfig file [default: $KUBECONFIG (a list), else ~/.kube/config]'
            cand --context 'Kubeconfig context to use [default: its current-context]'
            cand --espw-path 'Path of the edge service provider workspace'
            cand --request-timeout 'Timeout of each API request, as kubectl''s (e.g. 30s; 0 for none)'
            cand --kcp-generation 'Which kcp the server is, instead of asking its discovery: 0.11 (APIExport v1alpha1 only) or 0.32 (v0.28 and later: v1alpha2)'
            cand --dry-run 'Print what would be done, and change nothing'
            cand -v 'More detail on stderr: -v the plugin''s decisions, -vv every request too, -vvv libraries'' debug output'
            cand --verbose 'More detail on stderr: -v the plugin''s decisions, -vv every request too, -vvv libraries'' debug output'
            cand -q 'Errors only on stderr'
            cand --quiet 'Errors only on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'kubectl-kubestellar;init;help'= {
            cand espw 'Ensure the edge service provider workspace and its edge.kubestellar.io API'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'kubectl-kubestellar;init;help;espw'= {
        }
        &'kubectl-kubestellar;init;help;help'= {
        }
        &'kubectl-kubestellar;ensure'= {
            cand --kubeconfig 'Kubeconfig file [default: $KUBECONFIG (a list), else ~/.kube/config]'
            cand --context 'Kubeconfig context to use [default: its current-context]'
            cand --espw-path 'Path of the edge service provider workspace'
            cand --request-timeout 'Timeout of each API request, as kubectl''s (e.g. 30s; 0 for none)'
            cand --kcp-generation 'Which kcp the server is, instead of asking its discovery: 0.11 (APIExport v1alpha1 only) or 0.32 (v0.28 and later: v1alpha2)'
            cand -v 'More detail on stderr: -v the plugin''s decisions, -vv every request too, -vvv libraries'' debug output'
            cand --verbose 'More detail on stderr: -v the plugin''s decisions, -vv every request too, -vvv libraries'' debug output'
            cand -q 'Errors only on stderr'
            cand --quiet 'Errors only on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand location 'An edge cluster''s SyncTarget and Location in an inventory workspace, with labels'
            cand wmw 'A workload management workspace in root, with its API bindings'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'kubectl-kubestellar;ensure;location'= {
            cand --imw 'The inventory workspace [default: the workspace the kubeconfig points into]'
            cand --kubeconfig 'Kubeconfig file [default: $KUBECONFIG (a list), else ~/.kube/config]'
            cand --context 'Kubeconfig context to use [default: its current-context]'
            cand --espw-path 'Path of the edge service provider workspace'
            cand --request-timeout 'Timeout of each API request, as kubectl''s (e.g. 30s; 0 for none)'
            cand --kcp-generation 'Which kcp the server is, instead of asking its discovery: 0.11 (APIExport v1alpha1 only) or 0.32 (v0.28 and later: v1alpha2)'
            cand -v 'More detail on stderr: -v the plugin''s decisions, -vv every request too, -vvv libraries'' debug output'
            cand --verbose 'More detail on stderr: -v the plugin''s decisions, -vv every request too, -vvv libraries'' debug output'
            cand -q 'Errors only on stderr'
            cand --quiet 'Errors only on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'kubectl-kubestellar;ensure;wmw'= {
            cand --with-kube 'Bind root:compute''s Kubernetes API exports too (false deletes those bindings)'
            cand --timeout 'Bound on waiting for a new workspace to be Ready'
            cand --kubeconfig 'Kubeconfig file [default: $KUBECONFIG (a list), else ~/.kube/config]'
            cand --context 'Kubeconfig context to use [default: its current-context]'
            cand --espw-path 'Path of the edge service provider workspace'
            cand --request-timeout 'Timeout of each API request, as kubectl''s (e.g. 30s; 0 for none)'
            cand --kcp-generation 'Which kcp the server is, instead of asking its discovery: 0.11 (APIExport v1alpha1 only) or 0.32 (v0.28 and later: v1alpha2)'
            cand -v 'More detail on stderr: -v the plugin''s decisions, -vv every request too, -vvv libraries'' debug output'
            cand --verbose 'More detail on stderr: -v the plugin''s decisions, -vv every request too, -vvv libraries'' debug output'
            cand -q 'Errors only on stderr'
            cand --quiet 'Errors only on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'kubectl-kubestellar;ensure;help'= {
            cand location 'An edge cluster''s SyncTarget and Location in an inventory workspace, with labels'
            cand wmw 'A workload management workspace in root, with its API bindings'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'kubectl-kubestellar;ensure;help;location'= {
        }
        &'kubectl-kubestellar;ensure;help;wmw'= {
        }
        &'kubectl-kubestellar;ensure;help;help'= {
        }
        &'kubectl-kubestellar;remove'= {
            cand --kubeconfig 'Kubeconfig file [default: $KUBECONFIG (a list), else ~/.kube/config]'
            cand --context 'Kubeconfig context to use [default: its current-context]'
            cand --espw-path 'Path of the edge service provider workspace'
            cand --request-timeout 'Timeout of each API request, as kubectl''s (e.g. 30s; 0 for none)'
            cand --kcp-generation 'Which kcp the server is, instead of asking its discovery: 0.11 (APIExport v1alpha1 only) or 0.32 (v0.28 and later: v1alpha2)'
            cand -v 'More detail on stderr: -v the plugin''s decisions, -vv every request too, -vvv libraries'' debug output'
            cand --verbose 'More detail on stderr: -v the plugin''s decisions, -vv every request too, -vvv libraries'' debug output'
            cand -q 'Errors only on stderr'
            cand --quiet 'Errors only on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand wmw 'Delete workload management workspaces'
            cand location 'Delete an edge cluster''s SyncTarget and Location'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'kubectl-kubestellar;remove;wmw'= {
            cand --parent 'Workspace path the named workspaces are in'
            cand --wait 'Wait until each workspace is gone'
            cand --timeout 'Bound on waiting for each workspace to be gone'
            cand --layout 'KubeStellar layout preset; the flags below override parts of it'
            cand --mailbox-parent 'Workspace path under which mailbox workspaces live [v0.14: root; poc2023q1: the ESPW]'
            cand --inventory-export-path 'Workspace of the export whose view lists the SyncTargets [v0.14: the ESPW; poc2023q1: root]'
            cand --inventory-export-name 'Name of that export [v0.14: edge.kubestellar.io; poc2023q1: workload.kcp.io]'
            cand --sync-target-group 'API group of SyncTargets [v0.14: edge.kubestellar.io; poc2023q1: workload.kcp.io]'
            cand --sync-target-version 'API version of SyncTargets [default: the preset''s, or what the view serves]'
            cand --binding-export-path 'Workspace of the export each mailbox''s bind-edge binds [default: the ESPW]'
            cand --binding-export-name 'Name of that export [v0.14: edge.kubestellar.io; poc2023q1: edge.kcp.io]'
            cand --sync-target-name-annotation 'Annotation naming a mailbox''s SyncTarget [v0.14: edge.kubestellar.io/sync-target-name]'
            cand --kubeconfig 'Kubeconfig file [default: $KUBECONFIG (a list), else ~/.kube/config]'
            cand --context 'Kubeconfig context to use [default: its current-context]'
            cand --espw-path 'Path of the edge service provider workspace'
            cand --request-timeout 'Timeout of each API request, as kubectl''s (e.g. 30s; 0 for none)'
            cand --kcp-generation 'Which kcp the server is, instead of asking its discovery: 0.11 (APIExport v1alpha1 only) or 0.32 (v0.28 and later: v1alpha2)'
            cand -i 'Ask before deleting (on a terminal); without it nothing asks, as with `kubectl delete`'
            cand --interactive 'Ask before deleting (on a terminal); without it nothing asks, as with `kubectl delete`'
            cand --force 'Delete even the ESPW, mailbox and inventory workspaces, and ones that provide APIExports'
            cand -v 'More detail on stderr: -v the plugin''s decisions, -vv every request too, -vvv libraries'' debug output'
            cand --verbose 'More detail on stderr: -v the plugin''s decisions, -vv every request too, -vvv libraries'' debug output'
            cand -q 'Errors only on stderr'
            cand --quiet 'Errors only on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'kubectl-kubestellar;remove;location'= {
            cand --imw 'The inventory workspace [default: the workspace the kubeconfig points into]'
            cand --kubeconfig 'Kubeconfig file [default: $KUBECONFIG (a list), else ~/.kube/config]'
            cand --context 'Kubeconfig context to use [default: its current-context]'
            cand --espw-path 'Path of the edge service provider workspace'
            cand --request-timeout 'Timeout of each API request, as kubectl''s (e.g. 30s; 0 for none)'
            cand --kcp-generation 'Which kcp the server is, instead of asking its discovery: 0.11 (APIExport v1alpha1 only) or 0.32 (v0.28 and later: v1alpha2)'
            cand -v 'More detail on stderr: -v the plugin''s decisions, -vv every request too, -vvv libraries'' debug output'
            cand --verbose 'More detail on stderr: -v the plugin''s decisions, -vv every request too, -vvv libraries'' debug output'
            cand -q 'Errors only on stderr'
            cand --quiet 'Errors only on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'kubectl-kubestellar;remove;help'= {
            cand wmw 'Delete workload management workspaces'
            cand location 'Delete an edge cluster''s SyncTarget and Location'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'kubectl-kubestellar;remove;help;wmw'= {
        }
        &'kubectl-kubestellar;remove;help;location'= {
        }
        &'kubectl-kubestellar;remove;help;help'= {
        }
        &'kubectl-kubestellar;prep-for-syncer'= {
            cand --imw 'Inventory management workspace holding the SyncTarget [default: the kubeconfig''s current workspace]'
            cand --espw 'Edge service provider workspace [default: --espw-path, root:espw]'
            cand --syncer-image 'Container image of the syncer'
            cand -o 'File to write the edge cluster''s YAML to; - for stdout [default: SYNCTARGET-syncer.yaml]'
            cand --timeout 'Bound on waiting for the mailbox, its bind-edge and the token'
            cand --kubeconfig 'Kubeconfig file [default: $KUBECONFIG (a list), else ~/.kube/config]'
            cand --context 'Kubeconfig context to use [default: its current-context]'
            cand --espw-path 'Path of the edge service provider workspace'
            cand --request-timeout 'Timeout of each API request, as kubectl''s (e.g. 30s; 0 for none)'
            cand --kcp-generation 'Which kcp the server is, instead of asking its discovery: 0.11 (APIExport v1alpha1 only) or 0.32 (v0.28 and later: v1alpha2)'
            cand -s 'Print nothing but errors (and the YAML, with -o -)'
            cand --silent 'Print nothing but errors (and the YAML, with -o -)'
            cand -v 'More detail on stderr: -v the plugin''s decisions, -vv every request too, -vvv libraries'' debug output'
            cand --verbose 'More detail on stderr: -v the plugin''s decisions, -vv every request too, -vvv libraries'' debug output'
            cand -q 'Errors only on stderr'
            cand --quiet 'Errors only on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'kubectl-kubestellar;prep-for-cluster'= {
            cand --imw 'The inventory workspace [default: the workspace the kubeconfig points into]'
            cand --syncer-image 'The syncer''s container image [default: KubeStellar v0.14''s]'
            cand -o 'Where to write the syncer''s YAML for the edge cluster [default: NAME-syncer.yaml]'
            cand --timeout 'Bound on waiting for the mailbox, its bind-edge and the token'
            cand --kubeconfig 'Kubeconfig file [default: $KUBECONFIG (a list), else ~/.kube/config]'
            cand --context 'Kubeconfig context to use [default: its current-context]'
            cand --espw-path 'Path of the edge service provider workspace'
            cand --request-timeout 'Timeout of each API request, as kubectl''s (e.g. 30s; 0 for none)'
            cand --kcp-generation 'Which kcp the server is, instead of asking its discovery: 0.11 (APIExport v1alpha1 only) or 0.32 (v0.28 and later: v1alpha2)'
            cand -s 'Less output (KubeStellar''s -s)'
            cand --silent 'Less output (KubeStellar''s -s)'
            cand -v 'More detail on stderr: -v the plugin''s decisions, -vv every request too, -vvv libraries'' debug output'
            cand --verbose 'More detail on stderr: -v the plugin''s decisions, -vv every request too, -vvv libraries'' debug output'
            cand -q 'Errors only on stderr'
            cand --quiet 'Errors only on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'kubectl-kubestellar;completion'= {
            cand --kubeconfig 'Kubeconfig file [default: $KUBECONFIG (a list), else ~/.kube/config]'
            cand --context 'Kubeconfig context to use [default: its current-context]'
            cand --espw-path 'Path of the edge service provider workspace'
            cand --request-timeout 'Timeout of each API request, as kubectl''s (e.g. 30s; 0 for none)'
            cand --kcp-generation 'Which kcp the server is, instead of asking its discovery: 0.11 (APIExport v1alpha1 only) or 0.32 (v0.28 and later: v1alpha2)'
            cand -v 'More detail on stderr: -v the plugin''s decisions, -vv every request too, -vvv libraries'' debug output'
            cand --verbose 'More detail on stderr: -v the plugin''s decisions, -vv every request too, -vvv libraries'' debug output'
            cand -q 'Errors only on stderr'
            cand --quiet 'Errors only on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'kubectl-kubestellar;version'= {
            cand --kubeconfig 'Kubeconfig file [default: $KUBECONFIG (a list), else ~/.kube/config]'
            cand --context 'Kubeconfig context to use [default: its current-context]'
            cand --espw-path 'Path of the edge service provider workspace'
            cand --request-timeout 'Timeout of each API request, as kubectl''s (e.g. 30s; 0 for none)'
            cand --kcp-generation 'Which kcp the server is, instead of asking its discovery: 0.11 (APIExport v1alpha1 only) or 0.32 (v0.28 and later: v1alpha2)'
            cand -v 'More detail on stderr: -v the plugin''s decisions, -vv every request too, -vvv libraries'' debug output'
            cand --verbose 'More detail on stderr: -v the plugin''s decisions, -vv every request too, -vvv libraries'' debug output'
            cand -q 'Errors only on stderr'
            cand --quiet 'Errors only on stderr'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'kubectl-kubestellar;help'= {
            cand mailbox 'Mailbox workspaces: one per SyncTarget'
            cand init 'Set up KubeStellar''s workspaces'
            cand ensure 'Make sure a KubeStellar object exists and is set up (KubeStellar v0.14''s `ensure`)'
            cand remove 'Delete KubeStellar''s workspaces and inventory entries'
            cand prep-for-syncer 'Make a SyncTarget''s syncer identity in its mailbox, and write the YAML that installs the syncer in the edge cluster'
            cand prep-for-cluster 'Ensure location, then prepare the syncer (KubeStellar v0.14''s `prep-for-cluster`)'
            cand completion 'Print a shell completion script'
            cand version 'Print the plugin''s version'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'kubectl-kubestellar;help;mailbox'= {
            cand sync 'Make the mailbox workspaces match the SyncTargets, once'
            cand list 'Show each SyncTarget''s mailbox and its state'
            cand watch 'Keep the mailbox workspaces in step with the SyncTargets, until interrupted'
        }
        &'kubectl-kubestellar;help;mailbox;sync'= {
        }
        &'kubectl-kubestellar;help;mailbox;list'= {
        }
        &'kubectl-kubestellar;help;mailbox;watch'= {
        }
        &'kubectl-kubestellar;help;init'= {
            cand espw 'Ensure the edge service provider workspace and its edge.kubestellar.io API'
        }
        &'kubectl-kubestellar;help;init;espw'= {
        }
        &'kubectl-kubestellar;help;ensure'= {
            cand location 'An edge cluster''s SyncTarget and Location in an inventory workspace, with labels'
            cand wmw 'A workload management workspace in root, with its API bindings'
        }
        &'kubectl-kubestellar;help;ensure;location'= {
        }
        &'kubectl-kubestellar;help;ensure;wmw'= {
        }
        &'kubectl-kubestellar;help;remove'= {
            cand wmw 'Delete workload management workspaces'
            cand location 'Delete an edge cluster''s SyncTarget and Location'
        }
        &'kubectl-kubestellar;help;remove;wmw'= {
        }
        &'kubectl-kubestellar;help;remove;location'= {
        }
        &'kubectl-kubestellar;help;prep-for-syncer'= {
        }
        &'kubectl-kubestellar;help;prep-for-cluster'= {
        }
        &'kubectl-kubestellar;help;completion'= {
        }
        &'kubectl-kubestellar;help;version'= {
        }
        &'kubectl-kubestellar;help;help'= {
        }
    ]
    $completions[$command]
}
