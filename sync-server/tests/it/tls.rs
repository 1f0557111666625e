//! `--tls-cert` and `--tls-key`: the relay serves HTTPS and WSS (rustls, ring provider) and
//! nothing in the clear; a half-given or unreadable pair stops it before it listens.

use std::path::Path;
use std::sync::Arc;

use futures::{SinkExt, StreamExt};
use launchplan_e2e::relay::RelayProcess;
use launchplan_shared::protocol::Message;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::rustls::pki_types::ServerName;
use tokio_rustls::rustls::{ClientConfig, RootCertStore};
use tokio_tungstenite::tungstenite::Message as WsMessage;

use crate::support::PATIENCE;

/// A TLS connection to the relay, trusting only `cert` (DER).
async fn tls_stream(
    relay: &RelayProcess,
    cert: &[u8],
) -> anyhow::Result<tokio_rustls::client::TlsStream<TcpStream>> {
    let mut roots = RootCertStore::empty();
    roots.add(cert.to_vec().into())?;
    let provider = Arc::new(tokio_rustls::rustls::crypto::ring::default_provider());
    let config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_root_certificates(roots)
        .with_no_client_auth();
    let tcp = TcpStream::connect(relay.addr).await?;
    let name = ServerName::try_from("localhost")?;
    Ok(TlsConnector::from(Arc::new(config)).connect(name, tcp).await?)
}

#[tokio::test]
async fn with_a_certificate_the_relay_serves_https_and_wss_and_nothing_in_the_clear() -> anyhow::Result<()> {
    let binary = Path::new(env!("CARGO_BIN_EXE_launchplan-relay"));
    let (data, keys) = (tempfile::tempdir()?, tempfile::tempdir()?);
    let issued = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()])?;
    let (cert_pem, key_pem) = (keys.path().join("cert.pem"), keys.path().join("key.pem"));
    std::fs::write(&cert_pem, issued.cert.pem())?;
    std::fs::write(&key_pem, issued.signing_key.serialize_pem())?;
    let cert_der = issued.cert.der().to_vec();
    let (cert_arg, key_arg) =
        (cert_pem.to_string_lossy().into_owned(), key_pem.to_string_lossy().into_owned());
    // Made before the relay holds the data directory: the token every peer needs.
    let token = crate::support::token_of(data.path())?;
    let relay = RelayProcess::start_with(
        binary,
        "127.0.0.1:0",
        data.path(),
        Path::new("/nonexistent"),
        &["--tls-cert", &cert_arg, "--tls-key", &key_arg],
    )
    .await?;
    assert!(relay.tls && relay.url().starts_with("https://"), "it says it serves HTTPS: {}", relay.url());

    // HTTPS: /healthz answers.
    let mut stream = tls_stream(&relay, &cert_der).await?;
    stream.write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").await?;
    let mut response = String::new();
    tokio::time::timeout(PATIENCE, stream.read_to_string(&mut response)).await??;
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.ends_with("ok"), "{response}");

    // WSS: a peer joins the sync protocol.
    let stream = tls_stream(&relay, &cert_der).await?;
    // With the token, as every peer needs (a browser's cookie would be Secure here).
    let mut request = tokio_tungstenite::tungstenite::client::IntoClientRequest::into_client_request(
        "wss://localhost/sync",
    )?;
    request.headers_mut().insert("authorization", format!("Bearer {token}").parse()?);
    let (mut socket, _) = tokio_tungstenite::client_async(request, stream).await?;
    let join = Message::Join {
        sender_id: "tls-peer".parse()?,
        supported_protocol_versions: vec!["1".into()],
        peer_metadata: None,
    };
    socket.send(WsMessage::Binary(join.encode().into())).await?;
    let answer = tokio::time::timeout(PATIENCE, socket.next())
        .await?
        .ok_or_else(|| anyhow::anyhow!("no answer"))??;
    let WsMessage::Binary(frame) = answer else { anyhow::bail!("expected a binary frame, got {answer:?}") };
    assert!(matches!(Message::decode(&frame)?, Message::Peer { .. }), "the relay answers the join over WSS");

    // Plain HTTP on the same port gets no answer a client could read as one.
    let mut clear = TcpStream::connect(relay.addr).await?;
    clear.write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").await?;
    let mut bytes = Vec::new();
    let _ = tokio::time::timeout(PATIENCE, clear.read_to_end(&mut bytes)).await?;
    assert!(!String::from_utf8_lossy(&bytes).contains("200 OK"), "served in the clear");

    let status = relay.terminate().await?;
    assert!(status.success(), "SIGTERM stops a TLS relay cleanly, got {status}");

    // A certificate without its key, or a key that is not one: it never listens.
    for args in [vec!["--tls-cert", cert_arg.as_str()], vec!["--tls-cert", &cert_arg, "--tls-key", &cert_arg]]
    {
        let out = tokio::process::Command::new(binary)
            .args(["--listen", "127.0.0.1:0", "--data-dir"])
            .arg(data.path())
            .args(&args)
            .kill_on_drop(true)
            .output();
        let out = tokio::time::timeout(PATIENCE, out).await??;
        let (stdout, stderr) = (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        assert!(!out.status.success(), "{args:?}: {stdout}{stderr}");
        assert!(!stdout.contains("listening"), "{args:?} started serving: {stdout}");
        assert!(stderr.contains("tls") || stderr.contains("TLS"), "{args:?} says why: {stderr}");
    }
    Ok(())
}
