//! Scenarios on a perfect network: what each part of the protocol is for.

use launchplan_shared::domain::{Presence, Status, commands};
use launchplan_shared::protocol::Message;
use launchplan_shared::sync::{ChunkKey, ClientEffect, DocEngine};

use crate::net::{Net, RELAY_STORAGE, Relay, stored};

#[test]
fn a_project_made_by_one_browser_reaches_the_other_and_edits_flow_back() {
    let mut net = Net::new(2, 1);
    net.connect(0);
    net.connect(1);
    let (doc, tasks) = net.create_project(0, "新品首发：春季口红系列", &["市场调研", "包装设计", "样品测试"]);
    net.settle();
    net.open(1, doc);
    net.settle();
    assert_eq!(net.project(1, doc), net.project(0, doc));
    assert_eq!(net.project(1, doc).tasks.len(), 3);

    net.edit(1, doc, |tx| commands::rename_task(tx, tasks[1].id, "包装设计（定稿）"));
    net.edit(0, doc, |tx| commands::set_status(tx, tasks[0].id, &Status::Done, 1));
    net.settle();
    for i in 0..2 {
        let project = net.project(i, doc);
        assert_eq!(project.tasks[&tasks[1].id].title, "包装设计（定稿）");
        assert!(project.tasks[&tasks[0].id].status.is_done());
        assert!(net.clients[i].client.in_sync(&doc));
    }
    assert_eq!(net.heads(0, doc), net.heads(1, doc));
}

#[test]
fn edits_made_offline_reach_the_relay_on_reconnect_and_survive_in_local_storage() {
    let mut net = Net::new(2, 2);
    let (doc, tasks) = net.create_project(0, "双十一大促备战", &["优惠券配置"]);
    net.edit(0, doc, |tx| commands::rename_task(tx, tasks[0].id, "优惠券规则确认"));
    // Nothing was sent, but everything was stored locally: a reload gets it back.
    assert!(!net.tick());
    let reloaded = DocEngine::load(doc, "x".parse().expect("peer"), stored(&net.clients[0].store, doc));
    assert_eq!(
        reloaded.engine.heads().into_iter().collect::<std::collections::BTreeSet<_>>(),
        net.heads(0, doc)
    );

    net.connect(0);
    net.connect(1);
    net.open(1, doc);
    net.settle();
    assert_eq!(net.project(1, doc).tasks[&tasks[0].id].title, "优惠券规则确认");
}

#[test]
fn an_unknown_document_is_reported_unavailable_then_arrives_when_someone_pushes_it() {
    let mut net = Net::new(2, 3);
    net.connect(1);
    // Browser 0 made a plan offline; browser 1 already has the link.
    let (doc, _) = net.create_project(0, "618", &["页面优化"]);
    net.open(1, doc);
    net.settle();
    assert_eq!(net.clients[1].unavailable, vec![doc]);
    // Nothing to wait for: the header must not say "syncing" forever.
    assert!(net.clients[1].client.in_sync(&doc));
    net.connect(0);
    net.settle();
    assert_eq!(net.project(1, doc).tasks.len(), 1);
}

#[test]
fn a_restarted_relay_serves_what_it_stored_and_compacts_without_losing_anything() {
    let mut net = Net::new(1, 4);
    net.connect(0);
    let (doc, tasks) = net.create_project(0, "SKU 上新", &["上架审核"]);
    for n in 0..100 {
        net.edit(0, doc, |tx| commands::rename_task(tx, tasks[0].id, &format!("上架审核 #{n}")));
        net.settle();
    }
    let chunks = &net.relay.store[&doc];
    assert!(chunks.len() < 64, "the relay compacted ({} chunks)", chunks.len());
    assert!(chunks.keys().any(ChunkKey::is_snapshot));
    let expected = net.project(0, doc);

    // The relay restarts on its storage; a new browser finds everything there.
    let store = std::mem::take(&mut net.relay.store);
    let mut fresh = Net::new(1, 5);
    fresh.relay = Relay::new(store);
    fresh.connect(0);
    fresh.open(0, doc);
    fresh.settle();
    assert_eq!(fresh.project(0, doc), expected);
    assert_eq!(fresh.project(0, doc).tasks[&tasks[0].id].title, "上架审核 #99");
}

#[test]
fn a_bad_sync_message_closes_only_the_sender() {
    let mut net = Net::new(2, 6);
    net.connect(0);
    net.connect(1);
    let (doc, _) = net.create_project(0, "新品首发", &["市场调研"]);
    net.settle();
    let garbage = Message::Sync {
        sender_id: "browser-1".parse().expect("peer"),
        target_id: "relay".parse().expect("peer"),
        document_id: doc,
        data: vec![0x42, 0xff, 0x00],
    };
    net.client_effects(1, vec![launchplan_shared::sync::ClientEffect::Send(garbage.encode())]);
    net.settle();
    let closed = net.clients[1].closed.clone();
    assert!(closed.as_deref().is_some_and(|r| r.contains("malformed sync message")), "{closed:?}");
    assert!(!net.relay.is_connected(1));
    assert!(net.relay.is_connected(0));
    net.edit(0, doc, |tx| commands::rename_project(tx, "新品首发（改）"));
    net.settle();
    assert!(net.clients[0].client.in_sync(&doc));
}

#[test]
fn presence_reaches_the_others_on_the_plan_and_is_never_stored() {
    let mut net = Net::new(3, 7);
    for i in 0..3 {
        net.connect(i);
    }
    let (doc, tasks) = net.create_project(0, "新品首发", &["包装设计"]);
    net.settle();
    net.open(1, doc);
    net.settle();
    // Client 2 is online but does not have this plan open.
    let here = Presence { name: "小王".into(), task: Some(tasks[0].id), online: true };
    let effects = net.clients[0].client.send_ephemeral(doc, here.encode());
    net.client_effects(0, effects);
    net.settle();
    let seen: Vec<_> = net.clients[1]
        .ephemeral
        .iter()
        .filter(|(d, _, _)| *d == doc)
        .map(|(_, from, data)| (from.to_string(), Presence::decode(data)))
        .collect();
    assert_eq!(seen, vec![("browser-0".to_owned(), Some(here))]);
    assert!(net.clients[0].ephemeral.is_empty(), "nobody hears their own presence");
    assert!(net.clients[2].ephemeral.is_empty(), "only those with the plan open hear of it");
    let stored_bytes: usize = net.relay.store[&doc].values().map(Vec::len).sum();
    let before = stored_bytes;
    let effects = net.clients[0].client.send_ephemeral(doc, vec![0xa0]);
    net.client_effects(0, effects);
    net.settle();
    assert_eq!(net.relay.store[&doc].values().map(Vec::len).sum::<usize>(), before);
}

#[test]
fn a_reload_that_kept_its_sync_state_exchanges_only_what_is_missing() {
    let measure = |keep_state: bool| {
        let mut net = Net::new(1, 8);
        net.connect(0);
        let (doc, tasks) = net.create_project(0, "双十一大促备战", &["页面优化"]);
        for n in 0..300 {
            net.edit(0, doc, |tx| commands::rename_task(tx, tasks[0].id, &format!("页面优化 v{n}")));
        }
        net.settle();
        assert!(net.clients[0].sync_states.contains_key(&(doc, RELAY_STORAGE.to_owned())));
        if !keep_state {
            net.clients[0].sync_states.clear();
        }
        net.reload(0);
        net.open(0, doc);
        net.clients[0].bytes_sent = 0;
        net.connect(0);
        net.settle();
        assert!(net.clients[0].client.in_sync(&doc));
        net.clients[0].bytes_sent
    };
    let (with_state, without) = (measure(true), measure(false));
    assert!(
        with_state * 2 < without,
        "a reconnect with kept sync state sent {with_state} bytes, without {without}"
    );
}

#[test]
fn a_second_tab_syncs_through_the_first_which_alone_writes_storage() {
    let mut net = Net::new(2, 9);
    net.connect(0);
    net.connect(1);
    let (doc, tasks) = net.create_project(0, "新品首发", &["市场调研", "包装设计"]);
    net.settle();
    net.open(1, doc);
    let tab = net.open_tab(0);
    let (_, effects) = net.tabs[tab].client.open(doc, Vec::new());
    net.tab_effects(tab, effects);
    net.settle();
    assert_eq!(
        commands::read_project(net.tabs[tab].client.doc(&doc).expect("open")).expect("project"),
        net.project(0, doc)
    );

    // The tab edits: the teammate's browser gets it through tab -> first tab -> relay.
    let effects = net.tabs[tab]
        .client
        .change(&doc, |tx| commands::rename_task(tx, tasks[0].id, "市场调研（第二个标签页）"));
    net.tab_effects(tab, effects.expect("open").expect("edit").1);
    net.settle();
    assert_eq!(net.project(1, doc).tasks[&tasks[0].id].title, "市场调研（第二个标签页）");
    // The teammate edits: the tab gets it through relay -> first tab -> tab.
    net.edit(1, doc, |tx| commands::set_status(tx, tasks[1].id, &Status::Done, 1));
    net.settle();
    let in_tab = commands::read_project(net.tabs[tab].client.doc(&doc).expect("open")).expect("project");
    assert!(in_tab.tasks[&tasks[1].id].status.is_done());

    // Only the first tab's storage holds the plan, and no change is written twice in it:
    // incremental chunks are changes back to back, so their sizes add up to the changes'.
    assert!(net.tabs[tab].would_store > 0, "the tab made changes it must not store itself");
    let chunks = &net.clients[0].store[&doc];
    assert!(chunks.keys().all(|k| !k.is_snapshot()));
    let stored: usize = chunks.values().map(Vec::len).sum();
    let changes = net.clients[0].client.doc(&doc).expect("open").get_changes(&[]);
    let distinct: usize = changes.iter().map(|c| c.raw_bytes().len()).sum();
    assert_eq!(stored, distinct, "every change is stored exactly once");

    // Presence crosses both ways too.
    let effects = net.tabs[tab].client.send_ephemeral(doc, b"tab".to_vec());
    net.tab_effects(tab, effects);
    let effects = net.clients[1].client.send_ephemeral(doc, b"teammate".to_vec());
    net.client_effects(1, effects);
    net.settle();
    assert!(
        net.clients[1]
            .ephemeral
            .iter()
            .any(|(_, from, data)| from == net.tabs[tab].client.peer_id() && data == b"tab")
    );
    assert!(
        net.clients[0].ephemeral.iter().any(|(_, _, data)| data == b"tab"),
        "the first tab sees its sibling too"
    );
    assert!(
        net.tabs[tab]
            .ephemeral
            .iter()
            .any(|(_, from, data)| from.as_str() == "browser-1" && data == b"teammate")
    );
}

#[test]
fn a_tab_that_takes_over_storage_keeps_what_only_it_had() {
    let mut net = Net::new(1, 10);
    // The first tab made a plan and stored it, offline.
    let (doc, tasks) = net.create_project(0, "618", &["页面优化"]);
    let stored_by_first = stored(&net.clients[0].store, doc);
    // The second tab holds the plan plus an edit the first never received...
    let mut second = launchplan_shared::sync::Client::new("tab-2".parse().expect("peer"), Default::default());
    let (_, _) = second.open(doc, stored_by_first.clone());
    second
        .change(&doc, |tx| commands::rename_task(tx, tasks[0].id, "页面优化（只在第二个标签页）"))
        .expect("open")
        .expect("edit");
    // ... and the first tab closes: the second takes over storage and writes what it lacks.
    let (corrupt, effects) = second.adopt_storage(doc, stored_by_first);
    assert!(corrupt.is_empty());
    let mut storage = net.clients[0].store.clone();
    for effect in effects {
        if let launchplan_shared::sync::ClientEffect::Store { op, .. } = effect {
            op.apply_to(storage.entry(doc).or_default());
        }
    }
    let reloaded = DocEngine::load(doc, "x".parse().expect("peer"), stored(&storage, doc));
    let project = commands::read_project(reloaded.engine.doc()).expect("project");
    assert_eq!(project.tasks[&tasks[0].id].title, "页面优化（只在第二个标签页）");
}

/// How many changes a sync frame carries, if it is a sync message.
fn changes_in(frame: &[u8]) -> Option<usize> {
    match Message::decode(frame).ok()? {
        Message::Sync { data, .. } => Some(automerge::sync::Message::decode(&data).ok()?.changes.len()),
        _ => None,
    }
}

#[test]
fn a_change_that_a_bloom_filter_falsely_claims_still_arrives() {
    // A peer sends the changes that the other side's Bloom filter does not claim to hold. A
    // false positive (about one hash in a hundred) holds a new change back; the relay, seeing
    // heads it lacks, asks for the change by hash and gets it. Edit until one is held back.
    for attempt in 0..5_000u64 {
        let mut net = Net::new(2, attempt);
        net.connect(0);
        net.connect(1);
        let (doc, tasks) = net.create_project(0, "618大促", &["页面优化", "优惠券配置", "客服培训"]);
        net.settle();
        net.open(1, doc);
        net.settle();

        let title = format!("优惠券配置（第 {attempt} 版）");
        let effects = net.clients[1]
            .client
            .change(&doc, |tx| commands::rename_task(tx, tasks[1].id, &title))
            .expect("open")
            .expect("edit")
            .1;
        let held_back =
            effects.iter().any(|e| matches!(e, ClientEffect::Send(f) if changes_in(f) == Some(0)));
        net.client_effects(1, effects);
        if !held_back {
            continue;
        }
        net.settle();
        for i in 0..2 {
            assert_eq!(net.project(i, doc).tasks[&tasks[1].id].title, title, "client {i}");
            assert!(net.clients[i].client.in_sync(&doc), "client {i} is not in sync");
        }
        assert_eq!(net.heads(0, doc), net.heads(1, doc));
        return;
    }
    panic!("no edit in 5,000 was held back; a false positive comes about once in a hundred");
}

/// The relay holds each change to what its sender may write. A content editor's title goes
/// through; their status change, and a viewer's rename, are never stored or passed on; each
/// author is told once, goes back to what the relay holds, and writes again from there.
#[test]
fn changes_a_role_may_not_make_are_refused_undone_for_their_author_and_reach_nobody() {
    use launchplan_shared::domain::Role;
    use launchplan_shared::domain::permissions::WriteRule;

    let mut net = Net::new(3, 11);
    net.relay.writes.insert(1, WriteRule::for_plan(&[Role::ContentEditor]));
    net.relay.writes.insert(2, WriteRule::for_plan(&[Role::Viewer]));
    for i in 0..3 {
        net.connect(i);
    }
    let (doc, tasks) = net.create_project(0, "双十一大促", &["首页banner设计", "优惠券配置"]);
    net.settle();
    net.open(1, doc);
    net.open(2, doc);
    net.settle();

    // Allowed: a content editor renames a task.
    net.edit(1, doc, |tx| commands::rename_task(tx, tasks[0].id, "首页banner设计（定稿）"));
    net.settle();
    assert_eq!(net.project(0, doc).tasks[&tasks[0].id].title, "首页banner设计（定稿）");
    assert!(net.clients[1].refused.is_empty());

    // Refused: the same person marks a task done, then renames one on top of that.
    let stored_before = net.relay.store[&doc].clone();
    net.edit(1, doc, |tx| commands::set_status(tx, tasks[1].id, &Status::Done, 1));
    net.edit(1, doc, |tx| commands::rename_task(tx, tasks[1].id, "优惠券规则"));
    // And a viewer renames.
    net.edit(2, doc, |tx| commands::rename_task(tx, tasks[1].id, "查看者改的名字"));
    net.settle();

    assert_eq!(net.relay.store[&doc], stored_before, "nothing refused is stored");
    let owner = net.project(0, doc);
    assert!(!owner.tasks[&tasks[1].id].status.is_done(), "nothing refused is passed on");
    assert_eq!(owner.tasks[&tasks[1].id].title, "优惠券配置");
    for i in [1, 2] {
        let refusals = &net.clients[i].refused;
        assert_eq!(refusals.len(), 1, "told once: {refusals:?}");
        assert_eq!(refusals[0].0, doc);
        assert!(refusals[0].2 > 0, "says what was undone");
        // The author is back where the relay is, and in sync with it.
        assert_eq!(net.project(i, doc), owner);
        assert_eq!(net.heads(i, doc), net.heads(0, doc));
        assert!(net.clients[i].client.in_sync(&doc));
    }
    assert!(net.clients[1].refused[0].1.contains("task status"), "{}", net.clients[1].refused[0].1);
    assert!(net.clients[2].refused[0].1.contains("read"), "{}", net.clients[2].refused[0].1);

    // What they write next, within their role, goes through.
    net.edit(1, doc, |tx| commands::rename_task(tx, tasks[1].id, "优惠券规则"));
    net.settle();
    assert_eq!(net.project(0, doc).tasks[&tasks[1].id].title, "优惠券规则");
    // The undone state is what storage holds: a reload shows the same plan.
    net.reload(1);
    net.connect(1);
    net.open(1, doc);
    net.settle();
    assert_eq!(net.project(1, doc), net.project(0, doc));
}

/// A browser asks for a plan nobody has (a link opened early), is told so, and then makes
/// it itself: the relay must take it, not wait to be asked.
#[test]
fn a_document_asked_for_then_made_by_the_asker_reaches_the_relay() {
    let mut net = Net::new(2, 12);
    net.connect(0);
    net.connect(1);
    let doc = launchplan_shared::DocumentId::random();
    net.open(0, doc);
    net.settle();
    assert_eq!(net.clients[0].unavailable, vec![doc]);
    let project = launchplan_shared::domain::Project::new(
        "新品首发",
        launchplan_shared::domain::ProjectKind::Launch,
        1,
    );
    net.edit(0, doc, |tx| commands::create_project(tx, &project));
    net.settle();
    assert!(net.relay.store.get(&doc).is_some_and(|chunks| !chunks.is_empty()), "the relay stored it");
    assert!(net.clients[0].client.in_sync(&doc));
    net.open(1, doc);
    net.settle();
    assert_eq!(net.project(1, doc), net.project(0, doc));
}

/// A change the relay refuses, made in a second tab of a browser (whose changes go out
/// through the first), is undone in both tabs, and neither offers it again: the first tab
/// does not take it back from the second.
#[test]
fn a_change_refused_from_a_second_tab_is_undone_in_both_tabs() {
    use launchplan_shared::domain::Role;
    use launchplan_shared::domain::permissions::WriteRule;

    let mut net = Net::new(2, 13);
    net.relay.writes.insert(1, WriteRule::for_plan(&[Role::ContentEditor]));
    net.connect(0);
    net.connect(1);
    let (doc, tasks) = net.create_project(0, "双十一大促", &["首页banner设计"]);
    net.settle();
    net.open(1, doc);
    let tab = net.open_tab(1);
    let (_, effects) = net.tabs[tab].client.open(doc, Vec::new());
    net.tab_effects(tab, effects);
    net.settle();
    let read_tab =
        |net: &Net| commands::read_project(net.tabs[tab].client.doc(&doc).expect("open")).expect("plan");

    // The second tab marks the task done: a content editor may not.
    let effects =
        net.tabs[tab].client.change(&doc, |tx| commands::set_status(tx, tasks[0].id, &Status::Done, 1));
    net.tab_effects(tab, effects.expect("open").expect("edit").1);
    net.settle();
    assert!(!net.clients[1].refused.is_empty(), "the first tab heard the refusal");
    assert!(!net.tabs[tab].refused.is_empty(), "and told the second");
    assert!(!net.project(0, doc).tasks[&tasks[0].id].status.is_done(), "nothing reached the owner");
    assert!(!net.project(1, doc).tasks[&tasks[0].id].status.is_done(), "undone in the first tab");
    assert!(!read_tab(&net).tasks[&tasks[0].id].status.is_done(), "undone in the second tab");
    let owner = net.heads(0, doc);
    assert_eq!(net.heads(1, doc), owner);
    let tab_heads: std::collections::BTreeSet<_> =
        net.tabs[tab].client.doc(&doc).expect("open").get_heads().into_iter().collect();
    assert_eq!(tab_heads, owner);
    assert!(net.clients[1].client.in_sync(&doc));

    // What the second tab may do still goes through.
    let effects =
        net.tabs[tab].client.change(&doc, |tx| commands::rename_task(tx, tasks[0].id, "首页banner（定稿）"));
    net.tab_effects(tab, effects.expect("open").expect("edit").1);
    net.settle();
    assert_eq!(net.project(0, doc).tasks[&tasks[0].id].title, "首页banner（定稿）");
    assert!(!net.project(0, doc).tasks[&tasks[0].id].status.is_done());
}
