//! Random edits on several peers over a network that delays, drops, duplicates and reorders
//! messages and cuts peers off. Once it heals, every peer holds the same document, and that
//! document holds every task anyone added.

use std::collections::BTreeSet;

use launchplan_shared::domain::{Status, Task, commands};
use proptest::prelude::*;

use crate::net::{Faults, Net};

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
    // Duplicates stay below 10%: from about 15% with no delay, the sync exchange
    // multiplies messages for minutes before it settles (one case in a few thousand; 90 s
    // and more in release, far more in debug), which made this test's run time unbounded.
    // Real WebSocket frames are never duplicated; see the note on issue 3.
    (any::<u64>(), 2usize..5, 10usize..80, (0.0..0.3f64, 0.0..0.1f64, 0u64..6), 0.0..0.15f64, any::<bool>())
        .prop_map(|(seed, clients, steps, faults, cut_off, relay_restarts)| Chaos {
            seed,
            clients,
            steps,
            faults,
            cut_off,
            relay_restarts,
        })
}

fn run(chaos: &Chaos) -> Result<(), TestCaseError> {
    let mut net = Net::new(chaos.clients, chaos.seed);
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
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn peers_converge_once_the_network_heals(chaos in chaos()) {
        run(&chaos)?;
    }
}
