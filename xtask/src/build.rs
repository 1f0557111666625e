//! Builds the app (Trunk) and the relay, skipping what is already current.

use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use anyhow::Context;

use crate::cmd::{self, step, tool};

pub(crate) fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Where Trunk puts the built app (Trunk.toml's `dist`), which the relay serves.
pub(crate) fn app_dir() -> PathBuf {
    workspace_root().join("target").join("app")
}

/// Builds the app with Trunk in release mode unless nothing it is built from has changed.
pub(crate) fn app() -> anyhow::Result<()> {
    let stamp = workspace_root().join("target").join("app.fingerprint");
    let fingerprint = sources_fingerprint()?.to_string();
    let current = std::fs::read_to_string(&stamp).ok().as_deref() == Some(fingerprint.as_str())
        && app_dir().join("index.html").exists();
    if current {
        step("the app is current");
        return Ok(());
    }
    step("building the app (Trunk, release)");
    let mut command = std::process::Command::new(tool("trunk"));
    command
        .args(["build", "--release"])
        .env("TRUNK_SKIP_VERSION_CHECK", "true")
        .env("PATH", cmd::path_with_cargo_bin());
    cmd::run(command)?;
    std::fs::write(&stamp, fingerprint).context("writing the app's build stamp")
}

/// Builds the relay in release mode (cargo skips it when current) and returns its path.
pub(crate) fn relay() -> anyhow::Result<PathBuf> {
    step("building the relay (release)");
    cmd::cargo(&["build", "--release", "-p", "launchplan-relay"])?;
    Ok(cargo_target_dir().join("release").join("launchplan-relay"))
}

/// What the tests run besides themselves, freshly built.
pub(crate) struct TestBinaries {
    pub(crate) relay: PathBuf,
    pub(crate) plan_example: PathBuf,
}

/// Builds every test with the binaries and examples they run (debug; `cargo test` then builds
/// nothing more) and returns the paths of those that tests outside their own crate run.
pub(crate) fn test_binaries() -> anyhow::Result<TestBinaries> {
    step("building the tests, the relay and the examples (debug)");
    cmd::cargo(&["build", "--workspace", "--bins", "--examples", "--tests"])?;
    let debug = cargo_target_dir().join("debug");
    Ok(TestBinaries {
        relay: debug.join("launchplan-relay"),
        plan_example: debug.join("examples").join("plan"),
    })
}

/// Where cargo builds: `CARGO_TARGET_DIR` when set, else `target/`.
fn cargo_target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => workspace_root().join(dir),
        None => workspace_root().join("target"),
    }
}

/// Names, sizes and modification times of everything the app is built from.
fn sources_fingerprint() -> anyhow::Result<u64> {
    let root = workspace_root();
    let mut files = Vec::new();
    for dir in ["app", "shared"] {
        collect(&root.join(dir), &mut files)?;
    }
    for file in ["Cargo.toml", "Cargo.lock", "Trunk.toml"] {
        files.push(root.join(file));
    }
    files.sort();
    let mut hasher = DefaultHasher::new();
    for file in files {
        let meta = std::fs::metadata(&file).with_context(|| format!("reading {}", file.display()))?;
        file.hash(&mut hasher);
        meta.len().hash(&mut hasher);
        meta.modified().unwrap_or(SystemTime::UNIX_EPOCH).hash(&mut hasher);
    }
    Ok(hasher.finish())
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let path = entry?.path();
        if path.is_dir() {
            collect(&path, files)?;
        } else {
            files.push(path);
        }
    }
    Ok(())
}
