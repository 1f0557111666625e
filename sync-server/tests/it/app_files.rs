//! The relay serves the built app: the shell for any path (routes live in the fragment),
//! and every file gzipped to browsers that accept it.

use launchplan_e2e::relay::RelayProcess;

use crate::support::http_get_raw;

#[tokio::test]
async fn the_app_is_served_gzipped_to_browsers_that_take_it_and_the_shell_for_any_path() -> anyhow::Result<()>
{
    let (data, app) = (tempfile::tempdir()?, tempfile::tempdir()?);
    std::fs::write(app.path().join("index.html"), "<!doctype html><title>Launchplan</title>")?;
    // Compressible, like a wasm module.
    let module: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    std::fs::write(app.path().join("app_bg.wasm"), &module)?;
    let relay = RelayProcess::start(
        std::path::Path::new(env!("CARGO_BIN_EXE_launchplan-relay")),
        "127.0.0.1:0",
        data.path(),
        app.path(),
    )
    .await?;

    let (head, body) = http_get_raw(&relay, "/app_bg.wasm", &["Accept-Encoding: gzip"]).await?;
    assert!(head.to_ascii_lowercase().contains("content-encoding: gzip"), "{head}");
    assert!(body.len() < module.len() / 4, "gzipped to {} of {} bytes", body.len(), module.len());
    let mut unzipped = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(body.as_slice()), &mut unzipped)?;
    assert_eq!(unzipped, module);

    let (head, body) = http_get_raw(&relay, "/app_bg.wasm", &[]).await?;
    assert!(!head.to_ascii_lowercase().contains("content-encoding"), "{head}");
    assert_eq!(body, module, "as it is to a client that did not ask for gzip");

    let (head, body) = http_get_raw(&relay, "/w/anything/p/else", &[]).await?;
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    assert!(String::from_utf8_lossy(&body).contains("Launchplan"));
    assert!(relay.terminate().await?.success());
    Ok(())
}
