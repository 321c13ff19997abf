//! `kubectl kubestellar prep-for-cluster [--imw PATH] NAME KEY=VALUE...`: KubeStellar v0.14's
//! `ensure location` then `prep-for-syncer`, with the flags of both.

use crate::commands::Context;
use crate::commands::prep_for_syncer::write;
use crate::error::Result;
use crate::kubestellar::location::ensure_location;
use crate::syncer::{DEFAULT_SYNCER_IMAGE, PrepOptions, prep_for_syncer};
use std::path::PathBuf;
use std::time::Duration;

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub location: crate::commands::ensure_location::Args,
    /// The syncer's container image [default: KubeStellar v0.14's]
    #[arg(long, value_name = "REF")]
    pub syncer_image: Option<String>,
    /// Where to write the syncer's YAML for the edge cluster [default: NAME-syncer.yaml]
    #[arg(short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Less output (KubeStellar's -s)
    #[arg(short = 's', long)]
    pub silent: bool,
    /// Bound on waiting for the mailbox, its bind-edge and the token
    #[arg(long, value_name = "DURATION", default_value = "2m", value_parser = crate::duration::parse)]
    pub timeout: Duration,
}

pub(crate) async fn run(args: &Args, ctx: &Context) -> Result<()> {
    let kcp = ctx.connect().await?;
    let opts = args.location.options(ctx, &kcp)?;
    let done = ensure_location(&kcp, &opts).await?;
    if !args.silent {
        crate::commands::print_done(&done)?;
    }
    // The syncer's half: its identity in the mailbox and its YAML, as `prep-for-syncer`.
    let prep = PrepOptions {
        sync_target: opts.name.clone(),
        imw: opts.imw.clone(),
        espw: ctx.global.espw_path.clone(),
        mailbox_parent: "root".into(),
        syncer_image: args
            .syncer_image
            .clone()
            .unwrap_or_else(|| DEFAULT_SYNCER_IMAGE.to_string()),
        kubeconfig: ctx.global.kubeconfig.clone(),
        timeout: args.timeout,
    };
    let file = match &args.output {
        Some(f) => f.to_string_lossy().into_owned(),
        None => format!("{}-syncer.yaml", opts.name),
    };
    let quiet_ui = crate::ui::Ui {
        quiet: true,
        ..ctx.ui.clone()
    };
    let feedback = if args.silent { &quiet_ui } else { &ctx.ui };
    let prepared = prep_for_syncer(&kcp, &prep, feedback).await?;
    write(&prepared, &file, args.silent, ctx)
}
