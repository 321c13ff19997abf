//! `kubectl kubestellar remove wmw`: delete workload management workspaces.

use crate::commands::Context;
use crate::error::{Error, Result};

#[derive(clap::Args, Debug)]
pub struct Args {}

pub async fn run(_: &Args, _: &Context) -> Result<()> {
    Err(Error::failed("remove wmw is not implemented yet"))
}
