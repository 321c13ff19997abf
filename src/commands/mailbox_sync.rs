//! `kubectl kubestellar mailbox sync`: one reconcile pass, then a report.

use crate::commands::Context;
use crate::error::{Error, Result};
use crate::mailbox::reconcile::Did;
use crate::mailbox::sync::{MailboxResult, Outcome, Summary, SyncOptions, SyncReport, sync};
use crate::output::{self, List, print};
use std::time::Duration;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Print what would be done, and change nothing
    #[arg(long)]
    pub dry_run: bool,
    #[command(flatten)]
    pub layout: crate::commands::LayoutArgs,
    #[command(flatten)]
    pub slice: crate::commands::SliceArgs,
    /// Changes made at once
    #[arg(long, value_name = "N", default_value_t = 8, value_parser = clap::value_parser!(u16).range(1..=512))]
    pub concurrency: u16,
    /// Never delete a mailbox, even one whose SyncTarget is gone
    #[arg(long)]
    pub no_prune: bool,
    /// Bound on waiting for the export, and for new mailboxes to become Ready to bind
    #[arg(long, value_name = "DURATION", default_value = "2m", value_parser = crate::duration::parse)]
    pub timeout: Duration,
    /// Output format
    #[arg(short, long, value_enum, default_value = "table")]
    pub output: SyncFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SyncFormat {
    Table,
    Json,
    Yaml,
}

pub(crate) async fn run(args: &Args, ctx: &Context) -> Result<()> {
    let layout = ctx.sliced_layout(&args.layout, &args.slice)?;
    let kcp = ctx.connect().await?;
    let opts = SyncOptions {
        layout,
        dry_run: args.dry_run,
        prune: !args.no_prune,
        concurrency: args.concurrency as usize,
        timeout: args.timeout,
    };
    let progress = ctx.ui.progress("syncing mailboxes");
    let report = sync(&kcp, &opts, &progress).await?;
    progress.finish();
    print(&match args.output {
        SyncFormat::Table => render(&report, ctx.ui.verbose > 0),
        SyncFormat::Json => output::json(&machine(&report)),
        SyncFormat::Yaml => output::yaml(&machine(&report)),
    })?;
    if report.failed() {
        let n = report.summary.failed;
        let what = if n == 0 {
            "the SyncTarget inventory could not be read completely".to_string()
        } else {
            format!("{n} mailbox(es) could not be reconciled")
        };
        return Err(Error::failed(format!("{what} (listed above)"))
            .hint("fix what is listed and run mailbox sync again; it only does what is still missing"));
    }
    Ok(())
}

/// The report for scripts: a List of the mailboxes, then what the summary line says.
fn machine(report: &SyncReport) -> List<'_, MailboxResult, ReportFields<'_>> {
    List::with(
        "MailboxSyncReport",
        &report.mailboxes,
        ReportFields {
            dry_run: report.dry_run,
            summary: &report.summary,
            errors: &report.errors,
        },
    )
}

#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
struct ReportFields<'a> {
    dry_run: bool,
    summary: &'a Summary,
    errors: &'a [String],
}

fn actions(r: &MailboxResult, dry_run: bool) -> String {
    let list: Vec<&str> = r.actions.iter().map(|d| d.as_str()).collect();
    match (list.is_empty(), dry_run) {
        (true, _) => "-".into(),
        (false, false) => list.join(","),
        (false, true) => {
            let verbs: Vec<&str> = r
                .actions
                .iter()
                .map(|d| match d {
                    Did::Created => "create",
                    Did::Bound => "bind",
                    Did::Deleted => "delete",
                })
                .collect();
            format!("would {}", verbs.join(","))
        }
    }
}

/// The table of what changed (every mailbox with `-v`), the failures, and a summary line.
pub(crate) fn render(report: &SyncReport, all: bool) -> String {
    let shown: Vec<&MailboxResult> = report
        .mailboxes
        .iter()
        .filter(|m| all || m.outcome != Outcome::Unchanged)
        .collect();
    let cells = |m: &&MailboxResult| {
        let st = m
            .sync_target
            .as_ref()
            .map(|s| s.label())
            .unwrap_or_else(|| "-".into());
        let mailbox = if m.mailbox.is_empty() {
            "-".to_string()
        } else {
            m.mailbox.to_string()
        };
        vec![
            mailbox,
            st,
            actions(m, report.dry_run),
            m.status.as_str().to_string(),
        ]
    };
    let mut out = String::new();
    if !shown.is_empty() {
        out.push_str(&output::table(
            &["MAILBOX", "SYNCTARGET", "ACTIONS", "STATUS"],
            &shown,
            cells,
            false,
        ));
    }
    let failures: Vec<&MailboxResult> = report
        .mailboxes
        .iter()
        .filter(|m| m.outcome == Outcome::Failed)
        .collect();
    if !failures.is_empty() || !report.errors.is_empty() {
        out.push_str("\nFailed:\n");
        for e in &report.errors {
            out.push_str(&format!("  {e}\n"));
        }
        for m in failures {
            out.push_str(&format!("  {}\n", m.error.as_deref().unwrap_or("failed")));
        }
    }
    let s = &report.summary;
    let line = if report.dry_run {
        format!(
            "Dry run: would create {}, bind {}, delete {}; {} unchanged. Nothing was changed.",
            s.created, s.bound, s.deleted, s.unchanged
        )
    } else if s.created + s.bound + s.deleted + s.failed == 0 && report.errors.is_empty() {
        format!("No changes: {} mailbox(es) already in step.", s.unchanged)
    } else {
        format!(
            "{} created, {} bound, {} deleted, {} unchanged, {} failed.",
            s.created, s.bound, s.deleted, s.unchanged, s.failed
        )
    };
    if !out.is_empty() {
        out.push('\n');
    }
    out.push_str(&line);
    out.push('\n');
    out
}
