//! Completion scripts and man pages, generated from the clap definitions.
//! They are committed under `completions/` and `man/`; a test fails when
//! they differ from what this produces.

use clap::CommandFactory;
use clap_complete::Shell;

use super::Cli;

/// Every generated file: (path relative to the repository, contents).
pub fn render_all() -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for (shell, file) in [
        (Shell::Bash, "tix.bash"),
        (Shell::Zsh, "_tix"),
        (Shell::Fish, "tix.fish"),
        (Shell::Elvish, "tix.elv"),
        (Shell::PowerShell, "_tix.ps1"),
    ] {
        let mut buf = Vec::new();
        clap_complete::generate(shell, &mut Cli::command(), "tix", &mut buf);
        out.push((format!("completions/{file}"), buf));
    }
    let mut cmd = Cli::command();
    // Propagates global options into every subcommand's page.
    cmd.build();
    out.push(("man/tix.1".to_string(), man_page(&cmd)));
    for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
        let name = format!("tix-{}", sub.get_name());
        let page = sub.clone().name(name.clone());
        out.push((format!("man/{name}.1"), man_page(&page)));
        for nested in sub.get_subcommands().filter(|s| s.get_name() != "help") {
            let nested_name = format!("{name}-{}", nested.get_name());
            let page = nested.clone().name(nested_name.clone());
            out.push((format!("man/{nested_name}.1"), man_page(&page)));
        }
    }
    out
}

fn man_page(cmd: &clap::Command) -> Vec<u8> {
    let mut buf = Vec::new();
    clap_mangen::Man::new(cmd.clone())
        .render(&mut buf)
        .expect("rendering into memory cannot fail");
    buf
}

/// Writes a completion script for `shell` to stdout.
pub fn print_completions(shell: Shell) {
    clap_complete::generate(shell, &mut Cli::command(), "tix", &mut std::io::stdout());
}
