//! Signing in, against the real relay with `--auth`: the owner setup link, sessions, tokens
//! for scripts, and every way in that must stay shut.

use std::time::{Duration, Instant};

use launchplan_shared::protocol::PeerMetadata;

use crate::support::{PATIENCE, WsPeer, http_get_raw, http_request, start_relay_bare, upgrade};

fn status(head: &str) -> u16 {
    head.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0)
}

fn header<'a>(head: &'a str, name: &str) -> Option<&'a str> {
    head.lines().find_map(|line| {
        let (key, value) = line.split_once(':')?;
        key.eq_ignore_ascii_case(name).then(|| value.trim())
    })
}

/// The HTTP status a refused upgrade got, from tungstenite's error.
async fn refused_upgrade(url: &str, headers: &[(&str, &str)]) -> String {
    match upgrade(url, headers).await {
        Ok(_) => "accepted".into(),
        Err(e) => format!("{:#}", e),
    }
}

#[tokio::test]
async fn only_the_signed_in_and_token_holders_sync_and_revoking_a_token_closes_its_connections()
-> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let relay = start_relay_bare(dir.path(), &[]).await?;
    let url = relay.sync_url();
    let link = relay.setup_link.clone().expect("an owner setup link on an empty data directory");
    let path =
        link.split_once(&relay.addr.to_string()).map(|(_, p)| p.to_owned()).expect("a link to this relay");
    let code = path.trim_start_matches("/setup/").to_owned();
    assert!(code.len() > 64, "256 bits of secret and an id: {code}");

    // Nobody gets in without a credential, nor with a made-up one.
    assert!(refused_upgrade(&url, &[]).await.contains("401"));
    let forged = format!("lp_{}_{}", "0".repeat(12), "0".repeat(64));
    let bearer = format!("Bearer {forged}");
    assert!(refused_upgrade(&url, &[("authorization", &bearer)]).await.contains("401"));
    assert!(refused_upgrade(&url, &[("cookie", "launchplan_session=session_abc_def")]).await.contains("401"));

    // The setup page asks for a name; the form signs the owner in with a strict cookie.
    let (head, body) = http_get_raw(&relay, &path, &[]).await?;
    assert_eq!(status(&head), 200, "{head}");
    assert!(String::from_utf8_lossy(&body).contains("name=\"name\""));
    let form = format!("code={code}&name=%E7%8E%8B%E7%BB%8F%E7%90%86");
    let post = |extra: &'static [&'static str]| {
        let form = form.clone();
        let relay = &relay;
        async move {
            let mut headers = vec!["Content-Type: application/x-www-form-urlencoded"];
            headers.extend_from_slice(extra);
            http_request(relay, "POST", "/setup", &headers, form.as_bytes()).await
        }
    };
    // Not from another site, though.
    let (head, _) = post(&["Origin: https://evil.example"]).await?;
    assert_eq!(status(&head), 403, "{head}");
    let (head, page) = post(&[]).await?;
    assert_eq!(status(&head), 200, "{head}");
    // The page hands the app who signed in (its member id is the account's) and opens it.
    let page = String::from_utf8_lossy(&page).into_owned();
    assert!(page.contains("launchplan.member") && page.contains("location.replace('/')"), "{page}");
    let cookie = header(&head, "set-cookie").expect("a session cookie").to_owned();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), "{cookie}");
    assert!(!cookie.contains("Secure"), "plain HTTP here: {cookie}");
    let session = cookie.split(';').next().expect("name=value").to_owned();
    // The code is used up.
    let (head, _) = post(&[]).await?;
    assert_eq!(status(&head), 400, "a setup code works once: {head}");

    // The session opens sync from the relay's own origin, never from another site's page.
    let own = format!("http://{}", relay.addr);
    let cookie_headers = [("cookie", session.as_str()), ("origin", own.as_str())];
    let mut owner = WsPeer::connect_as(&url, "owner", PeerMetadata::default(), &cookie_headers).await?;
    let evil = [("cookie", session.as_str()), ("origin", "https://evil.example")];
    assert!(refused_upgrade(&url, &evil).await.contains("403"));

    // The owner makes a token for a script; the script syncs with it.
    let created = http_request(
        &relay,
        "POST",
        "/api/v1/tokens",
        &[&format!("Cookie: {session}"), "Content-Type: application/json"],
        br#"{"label":"ERP export"}"#,
    )
    .await?;
    assert_eq!(status(&created.0), 201, "{}", created.0);
    let created: serde_json::Value = serde_json::from_slice(&created.1)?;
    let token = created["token"].as_str().expect("the token, shown once").to_owned();
    let token_id = created["id"].as_str().expect("its id").to_owned();
    let bearer = format!("Bearer {token}");
    let mut script =
        WsPeer::connect_as(&url, "script", PeerMetadata::default(), &[("authorization", &bearer)]).await?;
    let (doc, _) = owner.create_project("双十一", &["首页banner设计"]).await?;
    script.fetch(doc).await?;
    assert_eq!(script.project(doc)?.meta.name, "双十一");
    // Listed without its secret.
    let (head, listed) = http_get_raw(&relay, "/api/v1/tokens", &[&format!("Cookie: {session}")]).await?;
    assert_eq!(status(&head), 200);
    let listed = String::from_utf8_lossy(&listed).into_owned();
    assert!(listed.contains(&token_id) && !listed.contains(&token), "{listed}");

    // Revoking it closes the script's open connection within a second, and it cannot return.
    let revoked_at = Instant::now();
    let (head, _) = http_request(
        &relay,
        "DELETE",
        &format!("/api/v1/tokens/{token_id}"),
        &[&format!("Cookie: {session}")],
        &[],
    )
    .await?;
    assert_eq!(status(&head), 204, "{head}");
    let reason = tokio::time::timeout(PATIENCE, script.until_closed()).await??;
    // Closed by the change itself, not at the next keepalive (20 s): within a second on an
    // idle machine (a few milliseconds here); the bound leaves room for a loaded CI machine, as
    // timings are the benchmarks' to hold, not the tests'.
    assert!(revoked_at.elapsed() < Duration::from_secs(5), "closed after {:?}", revoked_at.elapsed());
    eprintln!("closed {:?} after the change", revoked_at.elapsed());
    assert!(reason.contains("revoked"), "{reason}");
    assert!(refused_upgrade(&url, &[("authorization", &bearer)]).await.contains("401"));

    // Attachments too need a sign-in.
    let file = "包装设计终稿.pdf".as_bytes();
    let blob = format!("/blobs/{}", launchplan_shared::blob::BlobHash::of(file));
    let (head, _) = http_request(&relay, "PUT", &blob, &[], file).await?;
    assert_eq!(status(&head), 401, "{head}");
    let (head, _) = http_request(&relay, "PUT", &blob, &[&format!("Cookie: {session}")], file).await?;
    assert_eq!(status(&head), 201, "{head}");
    let attached = launchplan_shared::domain::Attachment {
        hash: launchplan_shared::blob::BlobHash::of(file).to_string(),
        name: "包装设计终稿.pdf".into(),
        size: file.len() as u64,
        mime: "application/pdf".into(),
    };
    let task = owner.project(doc)?.tasks.keys().next().copied().ok_or_else(|| anyhow::anyhow!("a task"))?;
    owner.edit(doc, |tx| launchplan_shared::domain::commands::attach(tx, task, &attached)).await?;
    owner.pump_until(|p| p.client.in_sync(&doc)).await?;
    let blob = format!("{blob}?doc={doc}");
    let (head, _) = http_get_raw(&relay, &blob, &[]).await?;
    assert_eq!(status(&head), 401, "{head}");
    let (head, body) = http_get_raw(&relay, &blob, &[&format!("Cookie: {session}")]).await?;
    assert_eq!((status(&head), body.as_slice()), (200, file));

    // The audit log says who did what, for the owner only.
    let (head, log) = http_get_raw(&relay, "/api/v1/audit", &[&format!("Cookie: {session}")]).await?;
    assert_eq!(status(&head), 200, "{head}");
    let log = String::from_utf8_lossy(&log).into_owned();
    for action in ["setup", "token created", "token revoked"] {
        assert!(log.contains(action), "{action} in {log}");
    }
    let (head, _) = http_get_raw(&relay, "/api/v1/audit", &[]).await?;
    assert_eq!(status(&head), 401);
    drop(owner);
    Ok(())
}

#[tokio::test]
async fn a_burst_of_wrong_tokens_is_cut_off_before_it_can_guess() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let relay = start_relay_bare(dir.path(), &[]).await?;
    // Asking with no secret at all (a browser not signed in, reconnecting) guesses nothing:
    // it never shuts the address.
    for _ in 0..15 {
        let (head, _) = http_get_raw(&relay, "/api/v1/me", &[]).await?;
        assert_eq!(status(&head), 401, "{head}");
    }
    let mut statuses = Vec::new();
    for i in 0..15 {
        let bearer = format!("Authorization: Bearer lp_{i:012}_{}", "f".repeat(64));
        let (head, _) = http_get_raw(&relay, "/api/v1/me", &[&bearer]).await?;
        statuses.push(status(&head));
    }
    assert_eq!(&statuses[..10], &[401; 10], "{statuses:?}");
    assert!(statuses[10..].iter().all(|s| *s == 429), "then refused outright: {statuses:?}");
    // The sync socket is shut to that address as well.
    let bearer = format!("Bearer lp_{}_{}", "1".repeat(12), "f".repeat(64));
    assert!(refused_upgrade(&relay.sync_url(), &[("authorization", &bearer)]).await.contains("429"));
    Ok(())
}

#[tokio::test]
async fn tokens_made_on_the_command_line_work_until_revoked_there() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let binary = env!("CARGO_BIN_EXE_launchplan-relay");
    let run = |args: &[&str]| {
        std::process::Command::new(binary).arg("--data-dir").arg(dir.path()).args(args).output()
    };
    let made = run(&["token", "create", "--label", "nightly CSV"])?;
    assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));
    let out = String::from_utf8_lossy(&made.stdout).into_owned();
    let token =
        out.lines().find(|l| l.starts_with("lp_")).expect("the token on a line of its own").to_owned();
    let id = out.split_whitespace().nth(1).expect("its id").to_owned();
    let listed = String::from_utf8_lossy(&run(&["token", "list"])?.stdout).into_owned();
    assert!(listed.contains(&id) && listed.contains("nightly CSV") && !listed.contains(&token), "{listed}");

    let relay = start_relay_bare(dir.path(), &[]).await?;
    let bearer = format!("Bearer {token}");
    WsPeer::connect_as(&relay.sync_url(), "nightly", PeerMetadata::default(), &[("authorization", &bearer)])
        .await?;
    // While it runs, the command line cannot open its data, and says what to do instead.
    let busy = run(&["token", "list"])?;
    assert!(!busy.status.success());
    assert!(
        String::from_utf8_lossy(&busy.stderr).contains("is the relay running"),
        "{}",
        String::from_utf8_lossy(&busy.stderr)
    );
    relay.terminate().await?;

    let revoked = run(&["token", "revoke", &id])?;
    assert!(revoked.status.success(), "{}", String::from_utf8_lossy(&revoked.stderr));
    let relay = start_relay_bare(dir.path(), &[]).await?;
    assert!(refused_upgrade(&relay.sync_url(), &[("authorization", &bearer)]).await.contains("401"));
    // Someone had a token, so this relay has an account: no setup link is printed, and the
    // page says so.
    assert!(relay.setup_link.is_none());
    Ok(())
}
