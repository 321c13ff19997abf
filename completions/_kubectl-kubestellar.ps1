
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'kubectl-kubestellar' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'kubectl-kubestellar'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'kubectl-kubestellar' {
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Kubeconfig file [default: $KUBECONFIG (a list), else ~/.kube/config]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig context to use [default: its current-context]')
            [CompletionResult]::new('--espw-path', '--espw-path', [CompletionResultType]::ParameterName, 'Path of the edge service provider workspace')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Timeout of each API request, as kubectl''s (e.g. 30s; 0 for none)')
            [CompletionResult]::new('--kcp-generation', '--kcp-generation', [CompletionResultType]::ParameterName, 'Which kcp the server is, instead of asking its discovery: 0.11 (APIExport v1alpha1 only) or 0.32 (v0.28 and later: v1alpha2)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr: -v the plugin''s decisions, -vv every request too, -vvv libraries'' debug output')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr: -v the plugin''s decisions, -vv every request too, -vvv libraries'' debug output')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Errors only on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Errors only on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('mailbox', 'mailbox', [CompletionResultType]::ParameterValue, 'Mailbox workspaces: one per SyncTarget')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Set up KubeStellar''s workspaces')
            [CompletionResult]::new('ensure', 'ensure', [CompletionResultType]::ParameterValue, 'Make sure a KubeStellar object exists and is set up (KubeStellar v0.14''s `ensure`)')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Delete KubeStellar''s workspaces and inventory entries')
            [CompletionResult]::new('prep-for-syncer', 'prep-for-syncer', [CompletionResultType]::ParameterValue, 'Make a SyncTarget''s syncer identity in its mailbox, and write the YAML that installs the syncer in the edge cluster')
            [CompletionResult]::new('prep-for-cluster', 'prep-for-cluster', [CompletionResultType]::ParameterValue, 'Ensure location, then prepare the syncer (KubeStellar v0.14''s `prep-for-cluster`)')
            [CompletionResult]::new('completion', 'completion', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('version', 'version', [CompletionResultType]::ParameterValue, 'Print the plugin''s version')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kubectl-kubestellar;mailbox' {
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Kubeconfig file [default: $KUBECONFIG (a list), else ~/.kube/config]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig context to use [default: its current-context]')
            [CompletionResult]::new('--espw-path', '--espw-path', [CompletionResultType]::ParameterName, 'Path of the edge service provider workspace')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Timeout of each API request, as kubectl''s (e.g. 30s; 0 for none)')
            [CompletionResult]::new('--kcp-generation', '--kcp-generation', [CompletionResultType]::ParameterName, 'Which kcp the server is, instead of asking its discovery: 0.11 (APIExport v1alpha1 only) or 0.32 (v0.28 and later: v1alpha2)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr: -v the plugin''s decisions, -vv every request too, -vvv libraries'' debug output')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr: -v the plugin''s decisions, -vv every request too, -vvv libraries'' debug output')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Errors only on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Errors only on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('sync', 'sync', [CompletionResultType]::ParameterValue, 'Make the mailbox workspaces match the SyncTargets, once')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Show each SyncTarget''s mailbox and its state')
            [CompletionResult]::new('watch', 'watch', [CompletionResultType]::ParameterValue, 'Keep the mailbox workspaces in step with the SyncTargets, until interrupted')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kubectl-kubestellar;mailbox;sync' {
            [CompletionResult]::new('--layout', '--layout', [CompletionResultType]::ParameterName, 'KubeStellar layout preset; the flags below override parts of it')
            [CompletionResult]::new('--mailbox-parent', '--mailbox-parent', [CompletionResultType]::ParameterName, 'Workspace path under which mailbox workspaces live [v0.14: root; poc2023q1: the ESPW]')
            [CompletionResult]::new('--inventory-export-path', '--inventory-export-path', [CompletionResultType]::ParameterName, 'Workspace of the export whose view lists the SyncTargets [v0.14: the ESPW; poc2023q1: root]')
            [CompletionResult]::new('--inventory-export-name', '--inventory-export-name', [CompletionResultType]::ParameterName, 'Name of that export [v0.14: edge.kubestellar.io; poc2023q1: workload.kcp.io]')
            [CompletionResult]::new('--sync-target-group', '--sync-target-group', [CompletionResultType]::ParameterName, 'API group of SyncTargets [v0.14: edge.kubestellar.io; poc2023q1: workload.kcp.io]')
            [CompletionResult]::new('--sync-target-version', '--sync-target-version', [CompletionResultType]::ParameterName, 'API version of SyncTargets [default: the preset''s, or what the view serves]')
            [CompletionResult]::new('--binding-export-path', '--binding-export-path', [CompletionResultType]::ParameterName, 'Workspace of the export each mailbox''s bind-edge binds [default: the ESPW]')
            [CompletionResult]::new('--binding-export-name', '--binding-export-name', [CompletionResultType]::ParameterName, 'Name of that export [v0.14: edge.kubestellar.io; poc2023q1: edge.kcp.io]')
            [CompletionResult]::new('--sync-target-name-annotation', '--sync-target-name-annotation', [CompletionResultType]::ParameterName, 'Annotation naming a mailbox''s SyncTarget [v0.14: edge.kubestellar.io/sync-target-name]')
            [CompletionResult]::new('--endpoint-slice', '--endpoint-slice', [CompletionResultType]::ParameterName, 'Read only the shards this APIExportEndpointSlice of the inventory export lists (its Partition''s), and delete only mailboxes of inventory workspaces seen there: one controller per partition [PATH:NAME, or NAME in the export''s workspace]')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Changes made at once')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Bound on waiting for the export, and for new mailboxes to become Ready to bind')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Kubeconfig file [default: $KUBECONFIG (a list), else ~/.kube/config]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig context to use [default: its current-context]')
            [CompletionResult]::new('--espw-path', '--espw-path', [CompletionResultType]::ParameterName, 'Path of the edge service provider workspace')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Timeout of each API request, as kubectl''s (e.g. 30s; 0 for none)')
            [CompletionResult]::new('--kcp-generation', '--kcp-generation', [CompletionResultType]::ParameterName, 'Which kcp the server is, instead of asking its discovery: 0.11 (APIExport v1alpha1 only) or 0.32 (v0.28 and later: v1alpha2)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print what would be done, and change nothing')
            [CompletionResult]::new('--no-prune', '--no-prune', [CompletionResultType]::ParameterName, 'Never delete a mailbox, even one whose SyncTarget is gone')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr: -v the plugin''s decisions, -vv every request too, -vvv libraries'' debug output')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr: -v the plugin''s decisions, -vv every request too, -vvv libraries'' debug output')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Errors only on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Errors only on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-kubestellar;mailbox;list' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format; `name` prints bare mailbox workspace names, one per line')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format; `name` prints bare mailbox workspace names, one per line')
            [CompletionResult]::new('--sync-target', '--sync-target', [CompletionResultType]::ParameterName, 'Only the mailbox(es) of SyncTargets with this name')
            [CompletionResult]::new('--layout', '--layout', [CompletionResultType]::ParameterName, 'KubeStellar layout preset; the flags below override parts of it')
            [CompletionResult]::new('--mailbox-parent', '--mailbox-parent', [CompletionResultType]::ParameterName, 'Workspace path under which mailbox workspaces live [v0.14: root; poc2023q1: the ESPW]')
            [CompletionResult]::new('--inventory-export-path', '--inventory-export-path', [CompletionResultType]::ParameterName, 'Workspace of the export whose view lists the SyncTargets [v0.14: the ESPW; poc2023q1: root]')
            [CompletionResult]::new('--inventory-export-name', '--inventory-export-name', [CompletionResultType]::ParameterName, 'Name of that export [v0.14: edge.kubestellar.io; poc2023q1: workload.kcp.io]')
            [CompletionResult]::new('--sync-target-group', '--sync-target-group', [CompletionResultType]::ParameterName, 'API group of SyncTargets [v0.14: edge.kubestellar.io; poc2023q1: workload.kcp.io]')
            [CompletionResult]::new('--sync-target-version', '--sync-target-version', [CompletionResultType]::ParameterName, 'API version of SyncTargets [default: the preset''s, or what the view serves]')
            [CompletionResult]::new('--binding-export-path', '--binding-export-path', [CompletionResultType]::ParameterName, 'Workspace of the export each mailbox''s bind-edge binds [default: the ESPW]')
            [CompletionResult]::new('--binding-export-name', '--binding-export-name', [CompletionResultType]::ParameterName, 'Name of that export [v0.14: edge.kubestellar.io; poc2023q1: edge.kcp.io]')
            [CompletionResult]::new('--sync-target-name-annotation', '--sync-target-name-annotation', [CompletionResultType]::ParameterName, 'Annotation naming a mailbox''s SyncTarget [v0.14: edge.kubestellar.io/sync-target-name]')
            [CompletionResult]::new('--endpoint-slice', '--endpoint-slice', [CompletionResultType]::ParameterName, 'Read only the shards this APIExportEndpointSlice of the inventory export lists (its Partition''s), and delete only mailboxes of inventory workspaces seen there: one controller per partition [PATH:NAME, or NAME in the export''s workspace]')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Kubeconfig file [default: $KUBECONFIG (a list), else ~/.kube/config]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig context to use [default: its current-context]')
            [CompletionResult]::new('--espw-path', '--espw-path', [CompletionResultType]::ParameterName, 'Path of the edge service provider workspace')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Timeout of each API request, as kubectl''s (e.g. 30s; 0 for none)')
            [CompletionResult]::new('--kcp-generation', '--kcp-generation', [CompletionResultType]::ParameterName, 'Which kcp the server is, instead of asking its discovery: 0.11 (APIExport v1alpha1 only) or 0.32 (v0.28 and later: v1alpha2)')
            [CompletionResult]::new('--no-headers', '--no-headers', [CompletionResultType]::ParameterName, 'Do not print table headers')
            [CompletionResult]::new('--problems', '--problems', [CompletionResultType]::ParameterName, 'Only rows whose status is not ok')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr: -v the plugin''s decisions, -vv every request too, -vvv libraries'' debug output')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr: -v the plugin''s decisions, -vv every request too, -vvv libraries'' debug output')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Errors only on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Errors only on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-kubestellar;mailbox;watch' {
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Mailboxes reconciled at once (never two workers on one mailbox)')
            [CompletionResult]::new('--layout', '--layout', [CompletionResultType]::ParameterName, 'KubeStellar layout preset; the flags below override parts of it')
            [CompletionResult]::new('--mailbox-parent', '--mailbox-parent', [CompletionResultType]::ParameterName, 'Workspace path under which mailbox workspaces live [v0.14: root; poc2023q1: the ESPW]')
            [CompletionResult]::new('--inventory-export-path', '--inventory-export-path', [CompletionResultType]::ParameterName, 'Workspace of the export whose view lists the SyncTargets [v0.14: the ESPW; poc2023q1: root]')
            [CompletionResult]::new('--inventory-export-name', '--inventory-export-name', [CompletionResultType]::ParameterName, 'Name of that export [v0.14: edge.kubestellar.io; poc2023q1: workload.kcp.io]')
            [CompletionResult]::new('--sync-target-group', '--sync-target-group', [CompletionResultType]::ParameterName, 'API group of SyncTargets [v0.14: edge.kubestellar.io; poc2023q1: workload.kcp.io]')
            [CompletionResult]::new('--sync-target-version', '--sync-target-version', [CompletionResultType]::ParameterName, 'API version of SyncTargets [default: the preset''s, or what the view serves]')
            [CompletionResult]::new('--binding-export-path', '--binding-export-path', [CompletionResultType]::ParameterName, 'Workspace of the export each mailbox''s bind-edge binds [default: the ESPW]')
            [CompletionResult]::new('--binding-export-name', '--binding-export-name', [CompletionResultType]::ParameterName, 'Name of that export [v0.14: edge.kubestellar.io; poc2023q1: edge.kcp.io]')
            [CompletionResult]::new('--sync-target-name-annotation', '--sync-target-name-annotation', [CompletionResultType]::ParameterName, 'Annotation naming a mailbox''s SyncTarget [v0.14: edge.kubestellar.io/sync-target-name]')
            [CompletionResult]::new('--endpoint-slice', '--endpoint-slice', [CompletionResultType]::ParameterName, 'Read only the shards this APIExportEndpointSlice of the inventory export lists (its Partition''s), and delete only mailboxes of inventory workspaces seen there: one controller per partition [PATH:NAME, or NAME in the export''s workspace]')
            [CompletionResult]::new('--metrics-bind-address', '--metrics-bind-address', [CompletionResultType]::ParameterName, 'Where to serve /metrics, /healthz and /readyz; 0 turns it off')
            [CompletionResult]::new('--resync-period', '--resync-period', [CompletionResultType]::ParameterName, 'A full pass over every mailbox, as a safety net; 0 turns it off')
            [CompletionResult]::new('--leader-elect-lease-duration', '--leader-elect-lease-duration', [CompletionResultType]::ParameterName, 'How long a leader''s lease lasts without renewal')
            [CompletionResult]::new('--leader-elect-renew-deadline', '--leader-elect-renew-deadline', [CompletionResultType]::ParameterName, 'How long a leader keeps trying to renew before it stops acting')
            [CompletionResult]::new('--leader-elect-retry-period', '--leader-elect-retry-period', [CompletionResultType]::ParameterName, 'How often to try to take or renew the lease')
            [CompletionResult]::new('--leader-elect-id', '--leader-elect-id', [CompletionResultType]::ParameterName, 'Name of the Lease (in the ESPW''s `default` namespace) [default: kubestellar-mailbox-controller; with --endpoint-slice, kubestellar-mailbox-<slice name>, so that each partition''s controllers elect their own leader]')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log format on stderr')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Kubeconfig file [default: $KUBECONFIG (a list), else ~/.kube/config]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig context to use [default: its current-context]')
            [CompletionResult]::new('--espw-path', '--espw-path', [CompletionResultType]::ParameterName, 'Path of the edge service provider workspace')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Timeout of each API request, as kubectl''s (e.g. 30s; 0 for none)')
            [CompletionResult]::new('--kcp-generation', '--kcp-generation', [CompletionResultType]::ParameterName, 'Which kcp the server is, instead of asking its discovery: 0.11 (APIExport v1alpha1 only) or 0.32 (v0.28 and later: v1alpha2)')
            [CompletionResult]::new('--leader-elect', '--leader-elect', [CompletionResultType]::ParameterName, 'Run as one of several replicas: only the holder of a Lease in the ESPW acts')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr: -v the plugin''s decisions, -vv every request too, -vvv libraries'' debug output')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr: -v the plugin''s decisions, -vv every request too, -vvv libraries'' debug output')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Errors only on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Errors only on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-kubestellar;mailbox;help' {
            [CompletionResult]::new('sync', 'sync', [CompletionResultType]::ParameterValue, 'Make the mailbox workspaces match the SyncTargets, once')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Show each SyncTarget''s mailbox and its state')
            [CompletionResult]::new('watch', 'watch', [CompletionResultType]::ParameterValue, 'Keep the mailbox workspaces in step with the SyncTargets, until interrupted')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kubectl-kubestellar;mailbox;help;sync' {
            break
        }
        'kubectl-kubestellar;mailbox;help;list' {
            break
        }
        'kubectl-kubestellar;mailbox;help;watch' {
            break
        }
        'kubectl-kubestellar;mailbox;help;help' {
            break
        }
        'kubectl-kubestellar;init' {
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Kubeconfig file [default: $KUBECONFIG (a list), else ~/.kube/config]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig context to use [default: its current-context]')
            [CompletionResult]::new('--espw-path', '--espw-path', [CompletionResultType]::ParameterName, 'Path of the edge service provider workspace')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Timeout of each API request, as kubectl''s (e.g. 30s; 0 for none)')
            [CompletionResult]::new('--kcp-generation', '--kcp-generation', [CompletionResultType]::ParameterName, 'Which kcp the server is, instead of asking its discovery: 0.11 (APIExport v1alpha1 only) or 0.32 (v0.28 and later: v1alpha2)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr: -v the plugin''s decisions, -vv every request too, -vvv libraries'' debug output')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr: -v the plugin''s decisions, -vv every request too, -vvv libraries'' debug output')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Errors only on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Errors only on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('espw', 'espw', [CompletionResultType]::ParameterValue, 'Ensure the edge service provider workspace and its edge.kubestellar.io API')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kubectl-kubestellar;init;espw' {
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Bound on waiting for the workspace and the export to be ready')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Kubeconfig file [default: $KUBECONFIG (a list), else ~/.kube/config]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig context to use [default: its current-context]')
            [CompletionResult]::new('--espw-path', '--espw-path', [CompletionResultType]::ParameterName, 'Path of the edge service provider workspace')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Timeout of each API request, as kubectl''s (e.g. 30s; 0 for none)')
            [CompletionResult]::new('--kcp-generation', '--kcp-generation', [CompletionResultType]::ParameterName, 'Which kcp the server is, instead of asking its discovery: 0.11 (APIExport v1alpha1 only) or 0.32 (v0.28 and later: v1alpha2)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print what would be done, and change nothing')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr: -v the plugin''s decisions, -vv every request too, -vvv libraries'' debug output')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr: -v the plugin''s decisions, -vv every request too, -vvv libraries'' debug output')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Errors only on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Errors only on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-kubestellar;init;help' {
            [CompletionResult]::new('espw', 'espw', [CompletionResultType]::ParameterValue, 'Ensure the edge service provider workspace and its edge.kubestellar.io API')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kubectl-kubestellar;init;help;espw' {
            break
        }
        'kubectl-kubestellar;init;help;help' {
            break
        }
        'kubectl-kubestellar;ensure' {
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Kubeconfig file [default: $KUBECONFIG (a list), else ~/.kube/config]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig context to use [default: its current-context]')
            [CompletionResult]::new('--espw-path', '--espw-path', [CompletionResultType]::ParameterName, 'Path of the edge service provider workspace')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Timeout of each API request, as kubectl''s (e.g. 30s; 0 for none)')
            [CompletionResult]::new('--kcp-generation', '--kcp-generation', [CompletionResultType]::ParameterName, 'Which kcp the server is, instead of asking its discovery: 0.11 (APIExport v1alpha1 only) or 0.32 (v0.28 and later: v1alpha2)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr: -v the plugin''s decisions, -vv every request too, -vvv libraries'' debug output')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr: -v the plugin''s decisions, -vv every request too, -vvv libraries'' debug output')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Errors only on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Errors only on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('location', 'location', [CompletionResultType]::ParameterValue, 'An edge cluster''s SyncTarget and Location in an inventory workspace, with labels')
            [CompletionResult]::new('wmw', 'wmw', [CompletionResultType]::ParameterValue, 'A workload management workspace in root, with its API bindings')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kubectl-kubestellar;ensure;location' {
            [CompletionResult]::new('--imw', '--imw', [CompletionResultType]::ParameterName, 'The inventory workspace [default: the workspace the kubeconfig points into]')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Kubeconfig file [default: $KUBECONFIG (a list), else ~/.kube/config]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig context to use [default: its current-context]')
            [CompletionResult]::new('--espw-path', '--espw-path', [CompletionResultType]::ParameterName, 'Path of the edge service provider workspace')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Timeout of each API request, as kubectl''s (e.g. 30s; 0 for none)')
            [CompletionResult]::new('--kcp-generation', '--kcp-generation', [CompletionResultType]::ParameterName, 'Which kcp the server is, instead of asking its discovery: 0.11 (APIExport v1alpha1 only) or 0.32 (v0.28 and later: v1alpha2)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr: -v the plugin''s decisions, -vv every request too, -vvv libraries'' debug output')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr: -v the plugin''s decisions, -vv every request too, -vvv libraries'' debug output')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Errors only on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Errors only on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-kubestellar;ensure;wmw' {
            [CompletionResult]::new('--with-kube', '--with-kube', [CompletionResultType]::ParameterName, 'Bind root:compute''s Kubernetes API exports too (false deletes those bindings)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Bound on waiting for a new workspace to be Ready')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Kubeconfig file [default: $KUBECONFIG (a list), else ~/.kube/config]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig context to use [default: its current-context]')
            [CompletionResult]::new('--espw-path', '--espw-path', [CompletionResultType]::ParameterName, 'Path of the edge service provider workspace')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Timeout of each API request, as kubectl''s (e.g. 30s; 0 for none)')
            [CompletionResult]::new('--kcp-generation', '--kcp-generation', [CompletionResultType]::ParameterName, 'Which kcp the server is, instead of asking its discovery: 0.11 (APIExport v1alpha1 only) or 0.32 (v0.28 and later: v1alpha2)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr: -v the plugin''s decisions, -vv every request too, -vvv libraries'' debug output')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr: -v the plugin''s decisions, -vv every request too, -vvv libraries'' debug output')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Errors only on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Errors only on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-kubestellar;ensure;help' {
            [CompletionResult]::new('location', 'location', [CompletionResultType]::ParameterValue, 'An edge cluster''s SyncTarget and Location in an inventory workspace, with labels')
            [CompletionResult]::new('wmw', 'wmw', [CompletionResultType]::ParameterValue, 'A workload management workspace in root, with its API bindings')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kubectl-kubestellar;ensure;help;location' {
            break
        }
        'kubectl-kubestellar;ensure;help;wmw' {
            break
        }
        'kubectl-kubestellar;ensure;help;help' {
            break
        }
        'kubectl-kubestellar;remove' {
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Kubeconfig file [default: $KUBECONFIG (a list), else ~/.kube/config]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig context to use [default: its current-context]')
            [CompletionResult]::new('--espw-path', '--espw-path', [CompletionResultType]::ParameterName, 'Path of the edge service provider workspace')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Timeout of each API request, as kubectl''s (e.g. 30s; 0 for none)')
            [CompletionResult]::new('--kcp-generation', '--kcp-generation', [CompletionResultType]::ParameterName, 'Which kcp the server is, instead of asking its discovery: 0.11 (APIExport v1alpha1 only) or 0.32 (v0.28 and later: v1alpha2)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr: -v the plugin''s decisions, -vv every request too, -vvv libraries'' debug output')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr: -v the plugin''s decisions, -vv every request too, -vvv libraries'' debug output')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Errors only on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Errors only on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('wmw', 'wmw', [CompletionResultType]::ParameterValue, 'Delete workload management workspaces')
            [CompletionResult]::new('location', 'location', [CompletionResultType]::ParameterValue, 'Delete an edge cluster''s SyncTarget and Location')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kubectl-kubestellar;remove;wmw' {
            [CompletionResult]::new('--parent', '--parent', [CompletionResultType]::ParameterName, 'Workspace path the named workspaces are in')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Wait until each workspace is gone')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Bound on waiting for each workspace to be gone')
            [CompletionResult]::new('--layout', '--layout', [CompletionResultType]::ParameterName, 'KubeStellar layout preset; the flags below override parts of it')
            [CompletionResult]::new('--mailbox-parent', '--mailbox-parent', [CompletionResultType]::ParameterName, 'Workspace path under which mailbox workspaces live [v0.14: root; poc2023q1: the ESPW]')
            [CompletionResult]::new('--inventory-export-path', '--inventory-export-path', [CompletionResultType]::ParameterName, 'Workspace of the export whose view lists the SyncTargets [v0.14: the ESPW; poc2023q1: root]')
            [CompletionResult]::new('--inventory-export-name', '--inventory-export-name', [CompletionResultType]::ParameterName, 'Name of that export [v0.14: edge.kubestellar.io; poc2023q1: workload.kcp.io]')
            [CompletionResult]::new('--sync-target-group', '--sync-target-group', [CompletionResultType]::ParameterName, 'API group of SyncTargets [v0.14: edge.kubestellar.io; poc2023q1: workload.kcp.io]')
            [CompletionResult]::new('--sync-target-version', '--sync-target-version', [CompletionResultType]::ParameterName, 'API version of SyncTargets [default: the preset''s, or what the view serves]')
            [CompletionResult]::new('--binding-export-path', '--binding-export-path', [CompletionResultType]::ParameterName, 'Workspace of the export each mailbox''s bind-edge binds [default: the ESPW]')
            [CompletionResult]::new('--binding-export-name', '--binding-export-name', [CompletionResultType]::ParameterName, 'Name of that export [v0.14: edge.kubestellar.io; poc2023q1: edge.kcp.io]')
            [CompletionResult]::new('--sync-target-name-annotation', '--sync-target-name-annotation', [CompletionResultType]::ParameterName, 'Annotation naming a mailbox''s SyncTarget [v0.14: edge.kubestellar.io/sync-target-name]')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Kubeconfig file [default: $KUBECONFIG (a list), else ~/.kube/config]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig context to use [default: its current-context]')
            [CompletionResult]::new('--espw-path', '--espw-path', [CompletionResultType]::ParameterName, 'Path of the edge service provider workspace')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Timeout of each API request, as kubectl''s (e.g. 30s; 0 for none)')
            [CompletionResult]::new('--kcp-generation', '--kcp-generation', [CompletionResultType]::ParameterName, 'Which kcp the server is, instead of asking its discovery: 0.11 (APIExport v1alpha1 only) or 0.32 (v0.28 and later: v1alpha2)')
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'Ask before deleting (on a terminal); without it nothing asks, as with `kubectl delete`')
            [CompletionResult]::new('--interactive', '--interactive', [CompletionResultType]::ParameterName, 'Ask before deleting (on a terminal); without it nothing asks, as with `kubectl delete`')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Delete even the ESPW, mailbox and inventory workspaces, and ones that provide APIExports')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr: -v the plugin''s decisions, -vv every request too, -vvv libraries'' debug output')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr: -v the plugin''s decisions, -vv every request too, -vvv libraries'' debug output')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Errors only on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Errors only on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-kubestellar;remove;location' {
            [CompletionResult]::new('--imw', '--imw', [CompletionResultType]::ParameterName, 'The inventory workspace [default: the workspace the kubeconfig points into]')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Kubeconfig file [default: $KUBECONFIG (a list), else ~/.kube/config]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig context to use [default: its current-context]')
            [CompletionResult]::new('--espw-path', '--espw-path', [CompletionResultType]::ParameterName, 'Path of the edge service provider workspace')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Timeout of each API request, as kubectl''s (e.g. 30s; 0 for none)')
            [CompletionResult]::new('--kcp-generation', '--kcp-generation', [CompletionResultType]::ParameterName, 'Which kcp the server is, instead of asking its discovery: 0.11 (APIExport v1alpha1 only) or 0.32 (v0.28 and later: v1alpha2)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr: -v the plugin''s decisions, -vv every request too, -vvv libraries'' debug output')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr: -v the plugin''s decisions, -vv every request too, -vvv libraries'' debug output')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Errors only on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Errors only on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-kubestellar;remove;help' {
            [CompletionResult]::new('wmw', 'wmw', [CompletionResultType]::ParameterValue, 'Delete workload management workspaces')
            [CompletionResult]::new('location', 'location', [CompletionResultType]::ParameterValue, 'Delete an edge cluster''s SyncTarget and Location')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kubectl-kubestellar;remove;help;wmw' {
            break
        }
        'kubectl-kubestellar;remove;help;location' {
            break
        }
        'kubectl-kubestellar;remove;help;help' {
            break
        }
        'kubectl-kubestellar;prep-for-syncer' {
            [CompletionResult]::new('--imw', '--imw', [CompletionResultType]::ParameterName, 'Inventory management workspace holding the SyncTarget [default: the kubeconfig''s current workspace]')
            [CompletionResult]::new('--espw', '--espw', [CompletionResultType]::ParameterName, 'Edge service provider workspace [default: --espw-path, root:espw]')
            [CompletionResult]::new('--syncer-image', '--syncer-image', [CompletionResultType]::ParameterName, 'Container image of the syncer')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'File to write the edge cluster''s YAML to; - for stdout [default: SYNCTARGET-syncer.yaml]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Bound on waiting for the mailbox, its bind-edge and the token')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Kubeconfig file [default: $KUBECONFIG (a list), else ~/.kube/config]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig context to use [default: its current-context]')
            [CompletionResult]::new('--espw-path', '--espw-path', [CompletionResultType]::ParameterName, 'Path of the edge service provider workspace')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Timeout of each API request, as kubectl''s (e.g. 30s; 0 for none)')
            [CompletionResult]::new('--kcp-generation', '--kcp-generation', [CompletionResultType]::ParameterName, 'Which kcp the server is, instead of asking its discovery: 0.11 (APIExport v1alpha1 only) or 0.32 (v0.28 and later: v1alpha2)')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Print nothing but errors (and the YAML, with -o -)')
            [CompletionResult]::new('--silent', '--silent', [CompletionResultType]::ParameterName, 'Print nothing but errors (and the YAML, with -o -)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr: -v the plugin''s decisions, -vv every request too, -vvv libraries'' debug output')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr: -v the plugin''s decisions, -vv every request too, -vvv libraries'' debug output')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Errors only on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Errors only on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-kubestellar;prep-for-cluster' {
            [CompletionResult]::new('--imw', '--imw', [CompletionResultType]::ParameterName, 'The inventory workspace [default: the workspace the kubeconfig points into]')
            [CompletionResult]::new('--syncer-image', '--syncer-image', [CompletionResultType]::ParameterName, 'The syncer''s container image [default: KubeStellar v0.14''s]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Where to write the syncer''s YAML for the edge cluster [default: NAME-syncer.yaml]')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Bound on waiting for the mailbox, its bind-edge and the token')
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Kubeconfig file [default: $KUBECONFIG (a list), else ~/.kube/config]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig context to use [default: its current-context]')
            [CompletionResult]::new('--espw-path', '--espw-path', [CompletionResultType]::ParameterName, 'Path of the edge service provider workspace')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Timeout of each API request, as kubectl''s (e.g. 30s; 0 for none)')
            [CompletionResult]::new('--kcp-generation', '--kcp-generation', [CompletionResultType]::ParameterName, 'Which kcp the server is, instead of asking its discovery: 0.11 (APIExport v1alpha1 only) or 0.32 (v0.28 and later: v1alpha2)')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Less output (KubeStellar''s -s)')
            [CompletionResult]::new('--silent', '--silent', [CompletionResultType]::ParameterName, 'Less output (KubeStellar''s -s)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr: -v the plugin''s decisions, -vv every request too, -vvv libraries'' debug output')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr: -v the plugin''s decisions, -vv every request too, -vvv libraries'' debug output')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Errors only on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Errors only on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-kubestellar;completion' {
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Kubeconfig file [default: $KUBECONFIG (a list), else ~/.kube/config]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig context to use [default: its current-context]')
            [CompletionResult]::new('--espw-path', '--espw-path', [CompletionResultType]::ParameterName, 'Path of the edge service provider workspace')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Timeout of each API request, as kubectl''s (e.g. 30s; 0 for none)')
            [CompletionResult]::new('--kcp-generation', '--kcp-generation', [CompletionResultType]::ParameterName, 'Which kcp the server is, instead of asking its discovery: 0.11 (APIExport v1alpha1 only) or 0.32 (v0.28 and later: v1alpha2)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr: -v the plugin''s decisions, -vv every request too, -vvv libraries'' debug output')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr: -v the plugin''s decisions, -vv every request too, -vvv libraries'' debug output')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Errors only on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Errors only on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-kubestellar;version' {
            [CompletionResult]::new('--kubeconfig', '--kubeconfig', [CompletionResultType]::ParameterName, 'Kubeconfig file [default: $KUBECONFIG (a list), else ~/.kube/config]')
            [CompletionResult]::new('--context', '--context', [CompletionResultType]::ParameterName, 'Kubeconfig context to use [default: its current-context]')
            [CompletionResult]::new('--espw-path', '--espw-path', [CompletionResultType]::ParameterName, 'Path of the edge service provider workspace')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Timeout of each API request, as kubectl''s (e.g. 30s; 0 for none)')
            [CompletionResult]::new('--kcp-generation', '--kcp-generation', [CompletionResultType]::ParameterName, 'Which kcp the server is, instead of asking its discovery: 0.11 (APIExport v1alpha1 only) or 0.32 (v0.28 and later: v1alpha2)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'More detail on stderr: -v the plugin''s decisions, -vv every request too, -vvv libraries'' debug output')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'More detail on stderr: -v the plugin''s decisions, -vv every request too, -vvv libraries'' debug output')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Errors only on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Errors only on stderr')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'kubectl-kubestellar;help' {
            [CompletionResult]::new('mailbox', 'mailbox', [CompletionResultType]::ParameterValue, 'Mailbox workspaces: one per SyncTarget')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Set up KubeStellar''s workspaces')
            [CompletionResult]::new('ensure', 'ensure', [CompletionResultType]::ParameterValue, 'Make sure a KubeStellar object exists and is set up (KubeStellar v0.14''s `ensure`)')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Delete KubeStellar''s workspaces and inventory entries')
            [CompletionResult]::new('prep-for-syncer', 'prep-for-syncer', [CompletionResultType]::ParameterValue, 'Make a SyncTarget''s syncer identity in its mailbox, and write the YAML that installs the syncer in the edge cluster')
            [CompletionResult]::new('prep-for-cluster', 'prep-for-cluster', [CompletionResultType]::ParameterValue, 'Ensure location, then prepare the syncer (KubeStellar v0.14''s `prep-for-cluster`)')
            [CompletionResult]::new('completion', 'completion', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('version', 'version', [CompletionResultType]::ParameterValue, 'Print the plugin''s version')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'kubectl-kubestellar;help;mailbox' {
            [CompletionResult]::new('sync', 'sync', [CompletionResultType]::ParameterValue, 'Make the mailbox workspaces match the SyncTargets, once')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Show each SyncTarget''s mailbox and its state')
            [CompletionResult]::new('watch', 'watch', [CompletionResultType]::ParameterValue, 'Keep the mailbox workspaces in step with the SyncTargets, until interrupted')
            break
        }
        'kubectl-kubestellar;help;mailbox;sync' {
            break
        }
        'kubectl-kubestellar;help;mailbox;list' {
            break
        }
        'kubectl-kubestellar;help;mailbox;watch' {
            break
        }
        'kubectl-kubestellar;help;init' {
            [CompletionResult]::new('espw', 'espw', [CompletionResultType]::ParameterValue, 'Ensure the edge service provider workspace and its edge.kubestellar.io API')
            break
        }
        'kubectl-kubestellar;help;init;espw' {
            break
        }
        'kubectl-kubestellar;help;ensure' {
            [CompletionResult]::new('location', 'location', [CompletionResultType]::ParameterValue, 'An edge cluster''s SyncTarget and Location in an inventory workspace, with labels')
            [CompletionResult]::new('wmw', 'wmw', [CompletionResultType]::ParameterValue, 'A workload management workspace in root, with its API bindings')
            break
        }
        'kubectl-kubestellar;help;ensure;location' {
            break
        }
        'kubectl-kubestellar;help;ensure;wmw' {
            break
        }
        'kubectl-kubestellar;help;remove' {
            [CompletionResult]::new('wmw', 'wmw', [CompletionResultType]::ParameterValue, 'Delete workload management workspaces')
            [CompletionResult]::new('location', 'location', [CompletionResultType]::ParameterValue, 'Delete an edge cluster''s SyncTarget and Location')
            break
        }
        'kubectl-kubestellar;help;remove;wmw' {
            break
        }
        'kubectl-kubestellar;help;remove;location' {
            break
        }
        'kubectl-kubestellar;help;prep-for-syncer' {
            break
        }
        'kubectl-kubestellar;help;prep-for-cluster' {
            break
        }
        'kubectl-kubestellar;help;completion' {
            break
        }
        'kubectl-kubestellar;help;version' {
            break
        }
        'kubectl-kubestellar;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
