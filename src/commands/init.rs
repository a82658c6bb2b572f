use clap::Args;

use crate::ui::output::print;
use tix_core::domain::config::{
    check_identity_part, check_person_name, handle_from_email, is_valid_handle,
};
use tix_core::domain::{Agent, Config, Role};
use tix_core::error::{Error, ErrorKind, Result};
use tix_core::store::{Author, Store};

use super::prelude::Ctx;

#[derive(Args, Debug)]
pub struct InitArgs {
    /// The team's name
    #[arg(long)]
    pub name: Option<String>,
    /// Handle of the first (admin) agent; default: from git user.email
    #[arg(long)]
    pub handle: Option<String>,
}

pub fn cmd_init(ctx: &Ctx, args: InitArgs) -> Result<()> {
    let (name, email) = git_identity(ctx);
    let name = name.filter(|n| !n.trim().is_empty());
    let email = email.ok_or_else(|| {
        Error::new(ErrorKind::Denied, "cannot register the first agent: git user.email is not set")
            .with_hint("run `git config --global user.email you@example.com` (and user.name), then `tix init` again")
    })?;
    // git's identity becomes the first agent and signs the first commit;
    // one that would corrupt both is refused before anything is created.
    let bad_identity = |key: &str, e: String| {
        Error::invalid(format!("git {key}: {e}")).with_hint(format!(
            "set a one-line value with `git config --global {key} \"...\"` (or in this repository), then `tix init` again"
        ))
    };
    if let Some(n) = &name {
        check_person_name(n).map_err(|e| bad_identity("user.name", e))?;
    }
    check_identity_part(&email).map_err(|e| bad_identity("user.email", e))?;
    let handle = args.handle.unwrap_or_else(|| handle_from_email(&email));
    if !is_valid_handle(&handle) {
        return Err(Error::invalid(format!(
            "--handle `{handle}`: expected letters, digits, `.`, `_` or `-`"
        )));
    }
    let agent = Agent {
        handle: handle.clone(),
        name: name.clone(),
        email: email.clone(),
        roles: vec![Role::Admin],
        signing_key: None,
        inactive: false,
    };
    let author = Author::new(name.unwrap_or_else(|| handle.clone()), email);
    let store = Store::init(&ctx.dir, Config::new(args.name, agent), &author)?;
    print(&format!(
        "Initialised a tix store in {} with {handle} as its first admin.\n",
        store.root().display()
    ))
}

/// git's user.name and user.email as seen from the target directory (its
/// repository's config if there is one, else the global config).
fn git_identity(ctx: &Ctx) -> (Option<String>, Option<String>) {
    let config = git2::Repository::discover(&ctx.dir)
        .ok()
        .and_then(|r| r.config().ok())
        .or_else(|| git2::Config::open_default().ok());
    let get = |key: &str| config.as_ref().and_then(|c| c.get_string(key).ok());
    (get("user.name"), get("user.email"))
}
