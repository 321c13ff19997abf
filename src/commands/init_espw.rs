//! `kubectl kubestellar init espw`: the edge service provider workspace and its API.

use crate::commands::Context;
use crate::error::Result;
use crate::output::{self, print};
use crate::workspace::espw::{InitOptions, init_espw};
use crate::workspace::{Item, Made};
use std::time::Duration;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Print what would be done, and change nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Bound on waiting for the workspace and the export to be ready
    #[arg(long, value_name = "DURATION", default_value = "2m", value_parser = crate::duration::parse)]
    pub timeout: Duration,
    /// Output format
    #[arg(short, long, value_enum, default_value = "table")]
    pub output: crate::commands::mailbox_sync::SyncFormat,
}

pub(crate) async fn run(args: &Args, ctx: &Context) -> Result<()> {
    crate::commands::check_path("--espw-path", &ctx.global.espw_path)?;
    let kcp = ctx.connect().await?;
    let opts = InitOptions {
        espw_path: ctx.global.espw_path.clone(),
        dry_run: args.dry_run,
        timeout: args.timeout,
    };
    let spinner = ctx.ui.spinner(&format!("setting up {}", opts.espw_path));
    let report = init_espw(&kcp, &opts, &spinner).await?;
    let items = report.items;
    spinner.finish();
    use crate::commands::mailbox_sync::SyncFormat;
    let text = match args.output {
        SyncFormat::Json => output::json(&serde_json::json!({"dryRun": args.dry_run, "items": items})),
        SyncFormat::Yaml => output::yaml(&serde_json::json!({"dryRun": args.dry_run, "items": items})),
        SyncFormat::Table => {
            // root:compute's forty-odd objects are one line (`-o yaml` lists them).
            let compute = crate::workspace::compute::COMPUTE;
            let (kube, items): (Vec<_>, Vec<_>) = items
                .iter()
                .partition(|i| i.name.starts_with(&format!("{compute}:")));
            let cells = |i: &&Item| {
                let change = match (i.change, args.dry_run) {
                    (Made::Created, true) => "would create",
                    (Made::Updated, true) => "would update",
                    (Made::Created, false) => "created",
                    (Made::Updated, false) => "updated",
                    (Made::Unchanged, _) => "unchanged",
                };
                vec![i.kind.to_string(), i.name.clone(), change.to_string()]
            };
            let mut text = output::table(&["KIND", "NAME", "RESULT"], &items, cells, false);
            // Why something changes in an existing ESPW, before the user lets it happen.
            let notes: Vec<String> = items
                .iter()
                .filter_map(|i| Some(format!("{} {}: {}\n", i.kind, i.name, i.note.as_ref()?)))
                .collect();
            if !notes.is_empty() {
                text.push('\n');
                text.push_str(&notes.concat());
            }
            if !kube.is_empty() {
                let new = kube.iter().filter(|i| i.change != Made::Unchanged).count();
                let verb = if args.dry_run { "to make" } else { "made now" };
                text.push_str(&format!(
                    "\n{compute} holds KubeStellar's Kubernetes API exports, which ensure wmw --with-kube binds: {} objects, {new} {verb}.\n",
                    kube.len()
                ));
            }
            let changed = items
                .iter()
                .chain(&kube)
                .filter(|i| i.change != Made::Unchanged)
                .count();
            text.push_str(&match (changed, args.dry_run) {
                (0, _) => format!("\n{} is set up; nothing to change.\n", opts.espw_path),
                (_, true) => "\nDry run: nothing was changed.\n".to_string(),
                (_, false) if report.view_urls.is_empty() => format!(
                    "\n{} is set up; the edge.kubestellar.io API is ready, and its view appears when the first workspace binds it.\n",
                    opts.espw_path
                ),
                (_, false) => format!(
                    "\n{} is set up; the edge.kubestellar.io export is ready.\n",
                    opts.espw_path
                ),
            });
            text
        }
    };
    print(&text)
}
