//! `kubectl kubestellar mailbox watch`: the reconcile loop as a foreground controller.

use crate::commands::Context;
use crate::error::{Error, Result};

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Log format on stderr
    #[arg(long, value_enum, default_value = "text")]
    pub log_format: crate::logging::LogFormat,
}

pub async fn run(_: &Args, _: &Context) -> Result<()> {
    Err(Error::failed("mailbox watch is not implemented yet"))
}
