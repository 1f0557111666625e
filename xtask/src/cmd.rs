//! Running commands and saying what is happening.

use std::path::PathBuf;
use std::process::Command;

use anyhow::{Context, bail};

pub(crate) fn step(what: &str) {
    eprintln!("\n==> {what}");
}

/// `cargo`, the one that runs this xtask.
pub(crate) fn cargo_command(args: &[&str]) -> Command {
    let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    command.args(args);
    command
}

pub(crate) fn cargo(args: &[&str]) -> anyhow::Result<()> {
    run(cargo_command(args))
}

/// Runs `command` to completion; fails unless it succeeds.
pub(crate) fn run(mut command: Command) -> anyhow::Result<()> {
    let shown = format!("{command:?}");
    let status = command.status().with_context(|| format!("could not start {shown}"))?;
    if !status.success() {
        bail!("{shown} failed ({status})");
    }
    Ok(())
}

/// The first line `program --version` prints, if it runs at all.
pub(crate) fn version_of(program: &std::path::Path) -> Option<String> {
    let output = Command::new(program).arg("--version").output().ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).lines().next().unwrap_or("").trim().to_owned())
}

/// Where `cargo install` puts binaries.
pub(crate) fn cargo_bin_dir() -> PathBuf {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .unwrap_or_else(|| PathBuf::from(".cargo"));
    home.join("bin")
}

/// A tool `cargo install` put in place, else whatever PATH finds under that name.
pub(crate) fn tool(name: &str) -> PathBuf {
    let installed = cargo_bin_dir().join(name);
    if installed.exists() { installed } else { PathBuf::from(name) }
}

/// PATH with cargo's bin folder first, for tools that look up other tools (Trunk finds
/// wasm-bindgen this way).
pub(crate) fn path_with_cargo_bin() -> std::ffi::OsString {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let dirs = std::iter::once(cargo_bin_dir()).chain(std::env::split_paths(&path));
    std::env::join_paths(dirs).unwrap_or(path)
}

/// Replaces this process with `command` where the platform allows, else waits for it.
pub(crate) fn exec(mut command: Command) -> anyhow::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        let error = command.exec();
        Err(error).context("starting the relay")
    }
    #[cfg(not(unix))]
    run(command)
}
