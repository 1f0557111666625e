//! Installs the pinned tools the build needs, and skips whatever is already current.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail};

use crate::cmd::{self, step, tool, version_of};

const TRUNK_VERSION: &str = "0.21.14";
const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// The wasm32 target, Trunk, and wasm-bindgen-cli at exactly the version in Cargo.lock.
pub(crate) fn ensure_app_tools() -> anyhow::Result<()> {
    let installed = Command::new("rustup").args(["target", "list", "--installed"]).output();
    let has_target =
        installed.is_ok_and(|o| String::from_utf8_lossy(&o.stdout).lines().any(|l| l.trim() == WASM_TARGET));
    if !has_target {
        step("installing the wasm32-unknown-unknown target");
        let mut command = Command::new("rustup");
        command.args(["target", "add", WASM_TARGET]);
        cmd::run(command)?;
    }

    if version_of(&tool("trunk")).as_deref() != Some(&format!("trunk {TRUNK_VERSION}")) {
        step(&format!("installing trunk {TRUNK_VERSION} (about 8 minutes, once)"));
        cmd::cargo(&["install", "trunk", "--version", TRUNK_VERSION, "--locked"])?;
    }

    let bindgen = locked_version("wasm-bindgen")?;
    if version_of(&tool("wasm-bindgen")).as_deref() != Some(&format!("wasm-bindgen {bindgen}")) {
        step(&format!("installing wasm-bindgen-cli {bindgen} (the version in Cargo.lock)"));
        // Without --locked: its own lockfile names a crate version the registry does not serve.
        cmd::cargo(&["install", "wasm-bindgen-cli", "--version", &format!("={bindgen}"), "--force"])?;
    }
    let trunk_toml = std::fs::read_to_string("Trunk.toml").context("reading Trunk.toml")?;
    if !trunk_toml.contains(&format!("wasm_bindgen = \"{bindgen}\"")) {
        bail!("Trunk.toml's [tools] wasm_bindgen must equal the wasm-bindgen in Cargo.lock ({bindgen})");
    }
    Ok(())
}

/// Chromium and chromedriver for the end-to-end tests, OpenSSL headers for the crates that
/// link it (samod's and fantoccini's TLS), and a CJK font so that screenshots are legible.
pub(crate) fn ensure_test_tools() -> anyhow::Result<()> {
    let mut missing = Vec::new();
    if version_of("chromium".as_ref()).is_none() {
        missing.push("chromium");
    }
    if version_of("chromedriver".as_ref()).is_none() {
        missing.push("chromium-driver");
    }
    let has_openssl =
        Command::new("pkg-config").args(["--exists", "openssl"]).status().is_ok_and(|s| s.success());
    if !has_openssl {
        missing.extend(["pkg-config", "libssl-dev"]);
    }
    if !std::path::Path::new("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc").exists() {
        missing.push("fonts-wqy-microhei");
    }
    if missing.is_empty() {
        return Ok(());
    }
    step(&format!("installing {} with apt-get", missing.join(", ")));
    apt_get(&["update"])?;
    let mut args = vec!["install", "-y", "--no-install-recommends"];
    args.extend(&missing);
    apt_get(&args)
}

fn apt_get(args: &[&str]) -> anyhow::Result<()> {
    let is_root =
        Command::new("id").arg("-u").output().is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
    let mut command = if is_root {
        Command::new("apt-get")
    } else {
        let mut sudo = Command::new("sudo");
        sudo.args(["-n", "apt-get"]);
        sudo
    };
    command.args(args).env("DEBIAN_FRONTEND", "noninteractive");
    cmd::run(command)
        .with_context(|| format!("apt-get {} failed: install these by hand, or run as root", args.join(" ")))
}

/// Node and the JavaScript automerge-repo sync server for `cargo xtask bench relay`,
/// installed into `bench/node` (ignored by git) from the lockfile in `bench/js-server`, and
/// reinstalled only when that lockfile changes. Returns the server's entry point.
pub(crate) fn ensure_js_sync_server() -> anyhow::Result<PathBuf> {
    if version_of("node".as_ref()).is_none() || version_of("npm".as_ref()).is_none() {
        step("installing nodejs and npm with apt-get");
        apt_get(&["update"])?;
        apt_get(&["install", "-y", "--no-install-recommends", "nodejs", "npm"])?;
    }
    let pinned = Path::new("bench/js-server");
    let target = Path::new("bench/node");
    let lock = std::fs::read(pinned.join("package-lock.json"))
        .context("reading bench/js-server/package-lock.json")?;
    let entry = target.join("node_modules/@automerge/automerge-repo-sync-server/src/index.js");
    let stamp = target.join("installed-from-lock.json");
    let current = std::fs::read(&stamp).ok().as_deref() == Some(lock.as_slice()) && entry.exists();
    if !current {
        step("installing @automerge/automerge-repo-sync-server into bench/node (npm, from the lockfile)");
        std::fs::create_dir_all(target)?;
        std::fs::copy(pinned.join("package.json"), target.join("package.json"))?;
        std::fs::copy(pinned.join("package-lock.json"), target.join("package-lock.json"))?;
        // `npm install` with the lockfile in place installs the locked versions (`npm ci`
        // refuses: the lockfile cannot list cbor-extract's prebuilt packages, which the
        // registry lacks). No install scripts: cbor-x works without that native helper.
        let mut command = Command::new("npm");
        command.current_dir(target).args(["install", "--ignore-scripts", "--no-audit", "--no-fund"]);
        cmd::run(command)?;
        std::fs::write(&stamp, &lock)?;
    }
    Ok(std::fs::canonicalize(entry)?)
}

/// cargo-fuzz, for `cargo xtask fuzz`.
pub(crate) fn ensure_cargo_fuzz() -> anyhow::Result<()> {
    if version_of(&tool("cargo-fuzz")).is_none() {
        step("installing cargo-fuzz");
        cmd::cargo(&["install", "cargo-fuzz", "--locked"])?;
    }
    Ok(())
}

/// The version of `package` that Cargo.lock pins.
fn locked_version(package: &str) -> anyhow::Result<String> {
    let lock = std::fs::read_to_string("Cargo.lock").context("reading Cargo.lock")?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == format!("name = \"{package}\"")
            && let Some(version) = lines.next().and_then(|l| l.strip_prefix("version = \""))
        {
            return Ok(version.trim_end_matches('"').to_owned());
        }
    }
    bail!("{package} is not in Cargo.lock")
}
