//! `kubectl kubestellar mailbox list`: each SyncTarget's mailbox and its state.

use crate::commands::Context;
use crate::duration;
use crate::error::Result;
use crate::mailbox::list::{ListOptions, Row, list};
use crate::output::{self, Format, List, print};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Output format; `name` prints bare mailbox workspace names, one per line
    #[arg(short, long, value_enum, default_value = "table")]
    pub output: Format,
    /// Do not print table headers
    #[arg(long)]
    pub no_headers: bool,
    /// Only the mailbox(es) of SyncTargets with this name
    #[arg(long, value_name = "NAME")]
    pub sync_target: Option<String>,
    /// Only rows whose status is not ok
    #[arg(long)]
    pub problems: bool,
    #[command(flatten)]
    pub layout: crate::commands::LayoutArgs,
    #[command(flatten)]
    pub slice: crate::commands::SliceArgs,
}

pub(crate) async fn run(args: &Args, ctx: &Context) -> Result<()> {
    let layout = ctx.sliced_layout(&args.layout, &args.slice)?;
    if ctx.ui.verbose > 0 {
        ctx.ui.note(&format!(
            "layout: {}",
            serde_json::to_string(&layout).unwrap_or_default()
        ));
    }
    let kcp = ctx.connect().await?;
    let opts = ListOptions {
        layout,
        sync_target: args.sync_target.clone(),
        problems: args.problems,
        resolve_paths: args.output != Format::Name,
    };
    let rows = list(&kcp, &opts, &ctx.ui).await?;
    let text = match args.output {
        Format::Json => output::json(&List::new("MailboxList", &rows)),
        Format::Yaml => output::yaml(&List::new("MailboxList", &rows)),
        Format::Name => rows
            .iter()
            .filter(|r| !r.mailbox.is_empty())
            .map(|r| format!("{}\n", r.mailbox))
            .collect::<String>(),
        Format::Table | Format::Wide if rows.is_empty() => {
            ctx.ui.note("No mailboxes found.");
            return Ok(());
        }
        Format::Table => table(&rows, false, args.no_headers),
        Format::Wide => table(&rows, true, args.no_headers),
    };
    print(&text)
}

fn dash(s: &str) -> String {
    if s.is_empty() { "-".into() } else { s.to_string() }
}

pub(crate) fn table(rows: &[Row], wide: bool, no_headers: bool) -> String {
    let now = jiff::Timestamp::now().as_second();
    let mut headers = vec!["SYNCTARGET", "MAILBOX", "PHASE", "BINDING", "STATUS", "AGE"];
    if wide {
        headers.extend([
            "SYNCTARGET-CLUSTER",
            "SYNCTARGET-UID",
            "MAILBOX-CLUSTER",
            "MAILBOX-URL",
        ]);
    }
    let cells = |r: &Row| {
        let st = r
            .sync_target
            .as_ref()
            .map(|s| s.label())
            .unwrap_or_else(|| "-".into());
        let age = r
            .created
            .as_deref()
            .and_then(|c| c.parse::<jiff::Timestamp>().ok())
            .map(|t| duration::human(now - t.as_second()));
        let mut row = vec![
            st,
            dash(&r.mailbox),
            dash(&r.phase),
            dash(r.binding),
            r.status.as_str().into(),
            age.unwrap_or_else(|| "-".into()),
        ];
        if wide {
            let st = r.sync_target.as_ref();
            row.push(st.map(|s| dash(&s.cluster)).unwrap_or_else(|| "-".into()));
            row.push(st.map(|s| dash(&s.uid)).unwrap_or_else(|| "-".into()));
            row.push(dash(r.mailbox_cluster.as_deref().unwrap_or_default()));
            row.push(r.mailbox_url.clone().unwrap_or_else(|| "-".into()));
        }
        row
    };
    output::table(&headers, rows, cells, no_headers)
}
