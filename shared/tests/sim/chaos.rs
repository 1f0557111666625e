//! Random edits on several peers over a network that delays, drops, duplicates and reorders
//! messages and cuts peers off. Once it heals, every peer holds the same document, and that
//! document holds every task anyone added; duplicated frames cost messages in proportion.

use std::collections::BTreeSet;

use launchplan_shared::domain::{Status, Task, commands};
use proptest::prelude::*;

use crate::net::{Faults, Net, Rng};

/// A run that delivers this many messages is a storm: it stops there and fails instead of
/// running for minutes. The chaos property's runs deliver a few hundred, at most about 1,500
/// (3,000 cases).
const STORM: u64 = 100_000;

#[derive(Debug, Clone)]
struct Chaos {
    seed: u64,
    clients: usize,
    steps: usize,
    faults: (f64, f64, u64),
    cut_off: f64,
    relay_restarts: bool,
}

fn chaos() -> impl Strategy<Value = Chaos> {
    // Up to 20% of frames duplicated. Real WebSocket frames never are, but duplicates test
    // that the exchange answers only what is news. When every message was answered, a pair
    // that could not agree (one needs a change the other sent into a drop, and will not send
    // again on this connection) traded copies of one message until the network healed, and
    // each duplicate started one more such exchange: from about 15% with no delay, some cases
    // ran for minutes (see `duplicated_frames_cost_messages_in_proportion`).
    (any::<u64>(), 2usize..5, 10usize..80, (0.0..0.3f64, 0.0..0.2f64, 0u64..6), 0.0..0.15f64, any::<bool>())
        .prop_map(|(seed, clients, steps, faults, cut_off, relay_restarts)| Chaos {
            seed,
            clients,
            steps,
            faults,
            cut_off,
            relay_restarts,
        })
}

/// Plays `chaos` out and checks that everyone converged once the network healed. Returns the
/// messages the network delivered; fails as a storm when they reach `budget`.
fn run(chaos: &Chaos, budget: u64) -> Result<u64, TestCaseError> {
    let mut net = Net::new(chaos.clients, chaos.seed);
    net.message_budget = budget;
    for i in 0..chaos.clients {
        net.connect(i);
    }
    let (doc, seed_tasks) = net.create_project(0, "双十一大促备战", &["页面优化", "优惠券配置", "客服培训"]);
    net.settle();
    for i in 1..chaos.clients {
        net.open(i, doc);
    }
    net.settle();

    let (drop, duplicate, max_delay) = chaos.faults;
    net.faults = Faults { drop, duplicate, max_delay };
    let mut added = BTreeSet::new();
    for step in 0..chaos.steps {
        let i = net.rng().below(chaos.clients as u64) as usize;
        if net.rng().chance(chaos.cut_off) {
            if net.is_online(i) { net.disconnect(i) } else { net.connect(i) }
        }
        if chaos.relay_restarts && net.rng().chance(0.02) {
            net.relay.restart();
            for c in 0..chaos.clients {
                net.disconnect(c);
            }
        }
        // Everyone edits the seed tasks (conflicts on the same field) and adds their own.
        let target = seed_tasks[net.rng().below(3) as usize].id;
        match net.rng().below(3) {
            0 => {
                let task = Task::new(format!("任务 {i}-{step}"), None, step as i64);
                added.insert(task.id);
                net.edit(i, doc, |tx| commands::add_task(tx, &task));
            }
            1 => net.edit(i, doc, |tx| commands::rename_task(tx, target, &format!("改名 {i}-{step}"))),
            _ => net.edit(i, doc, |tx| commands::set_status(tx, target, &Status::InProgress, step as i64)),
        }
        for _ in 0..net.rng().below(4) {
            net.tick();
        }
    }

    // The network heals: no more faults, everyone reconnects.
    net.faults = Faults::default();
    for i in 0..chaos.clients {
        net.connect(i);
    }
    net.settle();
    if net.overrun() {
        return Err(TestCaseError::fail(format!("a message storm: {} messages and counting", net.delivered)));
    }

    let reference = net.heads(0, doc);
    let project = net.project(0, doc);
    for i in 0..chaos.clients {
        prop_assert_eq!(&net.heads(i, doc), &reference, "client {} diverged", i);
        prop_assert!(net.clients[i].client.in_sync(&doc), "client {} is not in sync", i);
    }
    let relay_heads: BTreeSet<_> = net.relay.docs[&doc].heads().into_iter().collect();
    prop_assert_eq!(relay_heads, reference);
    for id in &added {
        prop_assert!(project.tasks.contains_key(id), "task {} was lost", id);
    }
    Ok(net.delivered)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    // Failing cases are kept in tests/proptest-regressions/chaos.txt and replayed first. A
    // kept seed stands for the case this strategy draws from it: change the strategy and it
    // stands for another, so the cases found are also spelled out below.
    #[test]
    fn peers_converge_once_the_network_heals(chaos in chaos()) {
        run(&chaos, STORM)?;
    }
}

// The two cases the property found when the relay took messages in batches (commit 88c7b02):
// an answer owed to a peer went missing and it never caught up. Shrunk values from
// chaos.txt; as actor ids are random, a run never replays the same exchange exactly.

#[test]
fn peers_converge_after_drops_and_duplicates_on_a_network_without_delay() {
    let chaos = Chaos {
        seed: 5942373274060637184,
        clients: 3,
        steps: 43,
        faults: (0.11883950706471726, 0.09082493949501899, 0),
        cut_off: 0.0,
        relay_restarts: false,
    };
    run(&chaos, STORM).unwrap_or_else(|e| panic!("{chaos:?}: {e}"));
}

#[test]
fn peers_converge_after_drops_duplicates_delays_and_cut_offs() {
    let chaos = Chaos {
        seed: 10257264011542081961,
        clients: 3,
        steps: 56,
        faults: (0.14605927569281457, 0.03730601394788469, 4),
        cut_off: 0.06671689095082829,
        relay_restarts: false,
    };
    run(&chaos, STORM).unwrap_or_else(|e| panic!("{chaos:?}: {e}"));
}

/// Case `n` of a fixed set: the chaos property's other faults, on a network without delay
/// that duplicates this share of frames (a copy arrives right behind its original).
fn without_delay(n: u64, duplicate: f64) -> Chaos {
    let mut rng = Rng::new(n);
    Chaos {
        seed: rng.next(),
        clients: 2 + rng.below(3) as usize,
        steps: 10 + rng.below(70) as usize,
        faults: (rng.below(300) as f64 / 1000.0, duplicate, 0),
        cut_off: rng.below(150) as f64 / 1000.0,
        relay_restarts: rng.chance(0.5),
    }
}

/// A duplicated frame may cost one answer that says nothing new, which the other side does not
/// answer: messages grow with the share of duplicates, not with its powers. Over these cases
/// the totals came to 0.95-1.02 times the total without duplicates at 10%, 1.09-1.15 times at
/// 20% (four runs; they vary a little, as actor ids and so change hashes are random). When
/// every message was answered, 14 cases in 100 stormed at 20% and 3 at 10% (past 50 times
/// their count without duplicates, where they were stopped), and the totals came to over 4.8
/// and 16.8 times.
#[test]
fn duplicated_frames_cost_messages_in_proportion() {
    const CASES: u64 = 40;
    let rates = [0.1, 0.2];
    let (mut clean, mut duplicated) = (0, [0; 2]);
    for n in 0..CASES {
        let without = without_delay(n, 0.0);
        let own = run(&without, STORM).unwrap_or_else(|e| panic!("{without:?}: {e}"));
        clean += own;
        for (total, rate) in duplicated.iter_mut().zip(rates) {
            let chaos = without_delay(n, rate);
            // Ten times its own count (at least 1,000) is a storm; the most seen is three times.
            let storm = (10 * own).max(1_000);
            *total += run(&chaos, storm).unwrap_or_else(|e| panic!("{chaos:?}: {e}"));
        }
    }
    for (total, rate) in duplicated.into_iter().zip(rates) {
        // At most 1 + 3 x the share of duplicates.
        let bound = clean as f64 * (1.0 + 3.0 * rate);
        assert!(
            total as f64 <= bound,
            "{total} messages with {rate} of frames duplicated, {clean} without (bound {bound:.0})"
        );
    }
}
