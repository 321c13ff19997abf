//! One module per command: each parses its flags into options and calls the operation.

pub mod completion;
pub mod init_espw;
pub mod mailbox_list;
pub mod mailbox_sync;
pub mod mailbox_watch;
pub mod remove_wmw;
pub mod version;

use crate::cli::{Cli, Command, GlobalArgs, InitCommand, MailboxCommand, RemoveCommand};
use crate::error::{Error, Result};
use crate::kcp::{ConnectOptions, Kcp, paths};
use crate::mailbox::layout::Layout;
use crate::ui::Ui;

/// What every command gets: the global flags and the terminal.
pub struct Context {
    pub global: GlobalArgs,
    pub ui: Ui,
}

impl Context {
    pub async fn connect(&self) -> Result<Kcp> {
        let timeout = self.global.request_timeout.filter(|t| !t.is_zero());
        let opts = ConnectOptions {
            kubeconfig: self.global.kubeconfig.clone(),
            context: self.global.context.clone(),
            request_timeout: timeout,
        };
        crate::kcp::connect(&opts).await
    }

    /// The v0.14 layout with the ESPW from `--espw-path` and the given mailbox parent.
    pub fn layout(&self, mailbox_parent: &str) -> Result<Layout> {
        check_path("--espw-path", &self.global.espw_path)?;
        check_path("--mailbox-parent", mailbox_parent)?;
        let mut layout = Layout::v0_14(&self.global.espw_path);
        layout.mailbox_parent = mailbox_parent.to_string();
        Ok(layout)
    }
}

pub fn check_path(flag: &str, value: &str) -> Result<()> {
    paths::check_path(value).map_err(|e| Error::usage(format!("{flag}: {e}")))
}

pub async fn dispatch(cli: Cli, ui: Ui) -> Result<()> {
    let ctx = Context {
        global: cli.global,
        ui,
    };
    match cli.command {
        Command::Mailbox(MailboxCommand::Sync(a)) => interruptible(mailbox_sync::run(&a, &ctx)).await,
        Command::Mailbox(MailboxCommand::List(a)) => interruptible(mailbox_list::run(&a, &ctx)).await,
        // The controller handles its own signals: it finishes in-flight work first.
        Command::Mailbox(MailboxCommand::Watch(a)) => mailbox_watch::run(&a, &ctx).await,
        Command::Init(InitCommand::Espw(a)) => interruptible(init_espw::run(&a, &ctx)).await,
        Command::Remove(RemoveCommand::Wmw(a)) => interruptible(remove_wmw::run(&a, &ctx)).await,
        Command::Completion(a) => completion::run(&a),
        Command::Version(a) => version::run(&a),
    }
}

/// Run until done or until SIGINT/SIGTERM (then exit 130).
async fn interruptible(work: impl std::future::Future<Output = Result<()>>) -> Result<()> {
    tokio::select! {
        r = work => r,
        _ = crate::signals::interrupted() => Err(Error::interrupted()),
    }
}
