//! `tix duty`: which clone imports mail, ticks and sends automatic mail;
//! taking and handing over that duty through the remote.

use clap::{Args, Subcommand};

use crate::ui::output::{self, for_stdout, print};
use tix_core::domain::duration::Duration;
use tix_core::error::{Error, ErrorKind, Result};
use tix_core::ops;
use tix_core::store::{DutyState, DutyStatus, Store, SyncOptions};

use super::prelude::{Ctx, TextFormat, TextOutput};

#[derive(Args, Debug)]
pub struct DutyArgs {
    #[command(subcommand)]
    pub command: Option<DutyCommand>,
    #[command(flatten)]
    pub output: TextOutput,
}

#[derive(Subcommand, Debug)]
pub enum DutyCommand {
    /// Take duty for this clone (or renew it), through the remote
    Take(DutyTakeArgs),
    /// Hand duty back: no clone runs import or tick until one takes it
    Release(DutyReleaseArgs),
}

#[derive(Args, Debug)]
pub struct DutyTakeArgs {
    /// How long the lease lasts unless renewed (the clone on duty renews
    /// it as it works), e.g. 30m, 1h, 1d
    #[arg(long, value_name = "DURATION", default_value = ops::duty::DEFAULT_LEASE)]
    pub lease: String,
    /// Take duty although another clone's lease has not run out
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub output: TextOutput,
}

#[derive(Args, Debug)]
pub struct DutyReleaseArgs {
    /// Release duty although another clone holds it
    #[arg(long)]
    pub force: bool,
    #[command(flatten)]
    pub output: TextOutput,
}

pub fn cmd_duty(ctx: &Ctx, args: DutyArgs) -> Result<()> {
    let store = ctx.store()?;
    let now = ops::now()?;
    let (status, format) = match args.command {
        None => (store.duty_status(now)?, args.output.format),
        Some(DutyCommand::Take(take)) => {
            let lease = Duration::parse_positive(&take.lease)
                .map_err(|e| Error::new(ErrorKind::Usage, format!("--lease: {e}")))?;
            let actor = ctx.actor(&store)?;
            let status = store.duty_take(
                &sync_options(&store, ctx)?,
                &actor.handle,
                &take.lease,
                lease.seconds(),
                now,
                take.force,
            )?;
            (status, take.output.format)
        }
        Some(DutyCommand::Release(release)) => {
            let actor = ctx.actor(&store)?;
            let status = store.duty_release(
                &sync_options(&store, ctx)?,
                &actor.handle,
                now,
                release.force,
            )?;
            (status, release.output.format)
        }
    };
    match format {
        TextFormat::Json => print(&output::json(&status)?),
        TextFormat::Text => print(&format!("{}\n", for_stdout(&render(&status)))),
    }
}

fn sync_options(store: &Store, ctx: &Ctx) -> Result<SyncOptions> {
    let actor = ctx.actor(store)?;
    Ok(SyncOptions {
        remote: None,
        dry_run: false,
        author: actor.author(),
        me: Some(actor.handle),
    })
}

fn render(s: &DutyStatus) -> String {
    let here = format!("this clone is {}", s.clone);
    match s.state {
        DutyState::NoRemote => {
            format!("No git remote: this clone is on duty by itself ({here}).")
        }
        DutyState::NotInUse => format!(
            "Duty is not in use: no clone has taken it, so every clone imports and ticks ({here})."
        ),
        DutyState::Mine => format!("On duty here: {} ({here}).", s.describe()),
        DutyState::Theirs => format!("Not on duty here: {} ({here}).", s.describe()),
        DutyState::Free => format!(
            "Nobody is on duty: {}; import and tick are refused until a clone runs `tix duty take` ({here}).",
            s.describe()
        ),
    }
}
