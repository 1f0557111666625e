//! Attachments: content-addressed blobs that the relay checks, limits and keeps on disk.

use launchplan_shared::blob::BlobHash;
use launchplan_shared::domain::{Attachment, commands};

use crate::support::{WsPeer, http_request, start_relay_with};

fn status(head: &str) -> u16 {
    head.split_whitespace().nth(1).and_then(|code| code.parse().ok()).unwrap_or(0)
}

#[tokio::test]
async fn a_blob_is_kept_under_its_hash_checked_limited_and_survives_a_restart() -> anyhow::Result<()> {
    let data = tempfile::tempdir()?;
    let limit = ["--max-blob-bytes", "4096"];
    let relay = start_relay_with(data.path(), &limit).await?;
    let banner: Vec<u8> = (0..3000u32).map(|i| (i * 7 % 256) as u8).collect();
    let hash = BlobHash::of(&banner);
    let path = format!("/blobs/{hash}");
    // A file is given out only from a plan that has it attached.
    let mut peer = WsPeer::connect(&relay.sync_url(), "browser").await?;
    let (plan, tasks) = peer.create_project("新品首发", &["主图拍摄"]).await?;
    let file = Attachment {
        hash: hash.to_string(),
        name: "banner.png".into(),
        size: 3000,
        mime: "image/png".into(),
    };
    peer.edit(plan, |tx| commands::attach(tx, tasks[0].id, &file)).await?;
    peer.pump_until(|p| p.client.in_sync(&plan)).await?;
    let from_plan = format!("{path}?doc={plan}");

    let (head, _) = http_request(&relay, "GET", &from_plan, &[], &[]).await?;
    assert_eq!(status(&head), 404, "nothing is there before it is uploaded: {head}");
    let (head, _) = http_request(&relay, "PUT", &path, &[], &banner).await?;
    assert_eq!(status(&head), 201, "{head}");
    let (head, _) = http_request(&relay, "PUT", &path, &[], &banner).await?;
    assert_eq!(status(&head), 200, "the same file again is no new blob: {head}");

    // A body that is not what its name says (cut short on the way) is refused, and not kept
    // under either name.
    let cut = &banner[..2000];
    let (head, body) =
        http_request(&relay, "PUT", &format!("/blobs/{}", BlobHash::of(b"other")), &[], cut).await?;
    assert_eq!(status(&head), 400, "{head}");
    assert!(
        String::from_utf8_lossy(&body).contains(&BlobHash::of(cut).to_string()),
        "the error names the hash"
    );
    for name in [BlobHash::of(b"other"), BlobHash::of(cut)] {
        let (head, _) = http_request(&relay, "GET", &format!("/blobs/{name}?doc={plan}"), &[], &[]).await?;
        assert_eq!(status(&head), 404, "{head}");
    }
    let (head, body) = http_request(&relay, "PUT", "/blobs/banner.png", &[], cut).await?;
    assert_eq!(status(&head), 400, "{head}");
    assert!(String::from_utf8_lossy(&body).contains("64 hex digits"), "{}", String::from_utf8_lossy(&body));

    // Over the limit.
    let large = vec![1u8; 5000];
    let (head, _) =
        http_request(&relay, "PUT", &format!("/blobs/{}", BlobHash::of(&large)), &[], &large).await?;
    assert_eq!(status(&head), 413, "{head}");

    drop(peer);
    assert!(relay.terminate().await?.success());
    let relay = start_relay_with(data.path(), &limit).await?;
    let (head, body) = http_request(&relay, "GET", &from_plan, &[], &[]).await?;
    assert_eq!(status(&head), 200, "{head}");
    assert!(head.to_ascii_lowercase().contains("immutable"), "a blob never changes: {head}");
    assert_eq!(body, banner);
    // Not from a plan that lacks it, nor without naming one.
    let (other, _) =
        WsPeer::connect(&relay.sync_url(), "browser").await?.create_project("别的", &["x"]).await?;
    let (head, _) = http_request(&relay, "GET", &format!("{path}?doc={other}"), &[], &[]).await?;
    assert_eq!(status(&head), 404, "{head}");
    let (head, body) = http_request(&relay, "GET", &path, &[], &[]).await?;
    assert_eq!(status(&head), 400, "{head}");
    assert!(String::from_utf8_lossy(&body).contains("?doc="));
    assert!(relay.terminate().await?.success());
    Ok(())
}
