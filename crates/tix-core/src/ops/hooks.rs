//! Hooks: a command per event (`hooks:` in the config), run after the
//! commit that recorded it with the event as JSON on its standard input.
//! A hook can only report: its failure, its exit status or its running
//! past the time limit is a warning, and the entries stay.

use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::domain::Config;
use crate::store::Store;

use super::HookEvent;

/// The most output of a hook kept for a warning.
const MAX_OUTPUT: usize = 4096;

/// Runs the hook of each event that has one, in order; returns a warning
/// per hook that failed.
pub fn run(store: &Store, events: &[HookEvent]) -> Vec<String> {
    let config: &Config = store.config();
    let mut warnings = Vec::new();
    if config.hooks.is_empty() {
        return warnings;
    }
    for event in events {
        let Some(hook) = config.hooks.get(&event.event) else {
            continue;
        };
        let timeout = Duration::from_secs(hook.timeout_secs().max(1) as u64);
        if let Err(why) = run_one(store, hook.command(), event, timeout) {
            warnings.push(format!(
                "hook `{}` for ticket {} failed: {why} (the entries are recorded)",
                event.event, event.ticket
            ));
        }
    }
    warnings
}

fn run_one(
    store: &Store,
    command: &str,
    event: &HookEvent,
    timeout: Duration,
) -> Result<(), String> {
    let json = serde_json::to_vec(event).map_err(|e| e.to_string())?;
    let mut child = Command::new("/bin/sh")
        .arg("-c")
        .arg(command)
        .current_dir(store.root())
        .env("TIX_EVENT", &event.event)
        .env("TIX_TICKET", event.ticket.to_string())
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run `{command}`: {e}"))?;
    if let Some(mut stdin) = child.stdin.take() {
        // A hook that does not read its input is not a failure.
        let _ = stdin.write_all(&json);
    }
    let mut stderr = child.stderr.take();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut out = Vec::new();
        if let Some(err) = stderr.as_mut() {
            let _ = err.by_ref().take(MAX_OUTPUT as u64).read_to_end(&mut out);
            let _ = tx.send(out);
            // Drain the rest so the hook never blocks on a full pipe.
            let _ = std::io::copy(err, &mut std::io::sink());
        }
    });
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if started.elapsed() >= timeout => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(format!(
                    "`{command}` ran longer than {}s and was stopped",
                    timeout.as_secs()
                ));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(10)),
            Err(e) => return Err(format!("waiting for `{command}`: {e}")),
        }
    };
    // A process the hook left running may hold the pipe open: its output
    // is not waited for.
    let err = rx
        .recv_timeout(Duration::from_millis(200))
        .unwrap_or_default();
    if status.success() {
        return Ok(());
    }
    let said = String::from_utf8_lossy(&err);
    let said = said.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    Err(format!(
        "`{command}` exited with {}{}",
        status
            .code()
            .map(|c| c.to_string())
            .unwrap_or_else(|| "a signal".into()),
        if said.is_empty() {
            String::new()
        } else {
            format!(": {said}")
        }
    ))
}
