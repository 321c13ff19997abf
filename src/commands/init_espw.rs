//! `kubectl kubestellar init espw`: the edge service provider workspace and its API.

use crate::commands::Context;
use crate::error::{Error, Result};

#[derive(clap::Args, Debug)]
pub struct Args {}

pub async fn run(_: &Args, _: &Context) -> Result<()> {
    Err(Error::failed("init espw is not implemented yet"))
}
