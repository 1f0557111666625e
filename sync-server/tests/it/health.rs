//! `GET /healthz`: 200 whenever the relay serves, which it does only once its storage is open.

use std::path::Path;

use launchplan_e2e::relay::RelayProcess;

use crate::support::{PATIENCE, WsPeer, http_get_raw};

#[tokio::test]
async fn healthz_is_200_while_the_relay_serves_and_a_relay_without_its_storage_never_serves()
-> anyhow::Result<()> {
    let binary = Path::new(env!("CARGO_BIN_EXE_launchplan-relay"));
    let (data, app) = (tempfile::tempdir()?, tempfile::tempdir()?);
    // With an app to serve, an unknown path gets the app's shell: /healthz must not.
    std::fs::write(app.path().join("index.html"), "<!doctype html><title>Launchplan</title>")?;
    let relay = RelayProcess::start(binary, "127.0.0.1:0", data.path(), app.path()).await?;

    let (head, body) = http_get_raw(&relay, "/healthz", &[]).await?;
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    assert_eq!(String::from_utf8_lossy(&body), "ok");

    // With a connection open and a document stored, just the same.
    let mut peer = WsPeer::connect(&relay.sync_url(), "browser").await?;
    peer.create_project("618 大促", &["页面优化"]).await?;
    let (head, body) = http_get_raw(&relay, "/healthz", &[]).await?;
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    assert_eq!(String::from_utf8_lossy(&body), "ok");

    // A second relay on the same data directory cannot open the storage (the first holds
    // it): it exits with the reason, without ever serving.
    let second = tokio::process::Command::new(binary)
        .args(["--listen", "127.0.0.1:0", "--data-dir"])
        .arg(data.path())
        .arg("--app-dir")
        .arg(app.path())
        .kill_on_drop(true)
        .output();
    let second = tokio::time::timeout(PATIENCE, second).await??;
    let (out, err) = (String::from_utf8_lossy(&second.stdout), String::from_utf8_lossy(&second.stderr));
    assert!(!second.status.success(), "{out}{err}");
    assert!(!out.contains("listening"), "a relay without its storage started serving: {out}");
    assert!(err.contains("opening storage"), "{err}");
    Ok(())
}
