//! The critical tasks strung into chains of real dependencies. Where critical work runs side by
//! side there is more than one chain, so the critical path is shown as chains, never as one
//! list in which each task seems to wait for the one before.

use super::Schedule;
use crate::{IdMap, TaskId};

impl Schedule {
    /// Chains of critical tasks, each link one of [`Schedule::critical_links`]. A chain starts
    /// with a critical task that no critical task holds back and ends with one that holds none
    /// back; every critical task is on at least one chain. Each chain starts from the earliest
    /// critical task not yet on one and prefers links to tasks not yet on one, so there are at
    /// most as many chains as critical tasks (listing every path could take exponentially many).
    pub fn critical_chains(&self) -> Vec<Vec<TaskId>> {
        let n = self.critical_tasks.len();
        let rank: IdMap<TaskId, usize> =
            self.critical_tasks.iter().enumerate().map(|(i, t)| (*t, i)).collect();
        let mut before = vec![Vec::new(); n];
        let mut after = vec![Vec::new(); n];
        for (a, b) in &self.critical_links {
            if let (Some(&a), Some(&b)) = (rank.get(a), rank.get(b)) {
                after[a].push(b);
                before[b].push(a);
            }
        }
        for links in before.iter_mut().chain(after.iter_mut()) {
            links.sort_unstable();
            links.dedup();
        }
        let mut on_chain = vec![false; n];
        let pick = |links: &[usize], on_chain: &[bool]| {
            links.iter().copied().find(|&t| !on_chain[t]).or_else(|| links.first().copied())
        };
        let mut chains = Vec::new();
        for first in 0..n {
            if on_chain[first] {
                continue;
            }
            // Links run forward in time, so no walk is longer than the list (the bound only
            // matters for a hand-built schedule whose links go round in a circle).
            let mut chain = vec![first];
            let mut at = first;
            while let Some(earlier) = pick(&before[at], &on_chain).filter(|_| chain.len() < n) {
                chain.push(earlier);
                at = earlier;
            }
            chain.reverse();
            at = first;
            while let Some(later) = pick(&after[at], &on_chain).filter(|_| chain.len() < 2 * n) {
                chain.push(later);
                at = later;
            }
            for &t in &chain {
                on_chain[t] = true;
            }
            chains.push(chain.into_iter().map(|t| self.critical_tasks[t]).collect());
        }
        chains
    }
}

#[cfg(test)]
mod tests {
    use crate::TaskId;
    use crate::domain::{Date, Dependency, DependencyKind, WorkCalendar};
    use crate::plan::{Anchor, Work, schedule};

    fn id(n: u32) -> TaskId {
        TaskId::derived(&n.to_string())
    }

    fn task(n: u32, duration: u32, after: &[(u32, DependencyKind)]) -> Work {
        Work {
            id: id(n),
            duration,
            depends_on: after
                .iter()
                .map(|&(p, kind)| Dependency { task: id(p), kind, lag_days: 0 })
                .collect(),
            not_before: None,
            window: None,
        }
    }

    #[test]
    fn parallel_critical_work_makes_two_chains_not_one_list() {
        use DependencyKind::*;
        // 1 (2d) -> 2 (3d) -> 4 (1d) and 1 -> 3 (3d) -> 4: 2 and 3 run side by side, both
        // critical. 5 (1d) waits for 1 with a day to spare. 6 (1d) starts with 4.
        let work = vec![
            task(1, 2, &[]),
            task(2, 3, &[(1, FinishToStart)]),
            task(3, 3, &[(1, FinishToStart)]),
            task(4, 1, &[(2, FinishToStart), (3, FinishToStart)]),
            task(5, 1, &[(1, FinishToStart)]),
            task(6, 1, &[(4, StartToStart)]),
        ];
        let day = "2026-06-01".parse::<Date>().expect("date");
        let s = schedule(&work, &WorkCalendar::every_day(), Anchor::Start(day));
        assert_eq!(s.critical_tasks, [1, 2, 3, 4, 6].map(id));
        assert_eq!(s.critical_links, [(1, 2), (1, 3), (2, 4), (3, 4), (4, 6)].map(|(a, b)| (id(a), id(b))));
        assert_eq!(s.critical_chains(), vec![[1, 2, 4, 6].map(id).to_vec(), [1, 3, 4, 6].map(id).to_vec()]);
    }

    #[test]
    fn links_going_round_in_a_circle_still_end() {
        let day = "2026-06-01".parse::<Date>().expect("date");
        let mut s =
            schedule(&[task(1, 1, &[]), task(2, 1, &[])], &WorkCalendar::every_day(), Anchor::Start(day));
        s.critical_links = vec![(id(1), id(2)), (id(2), id(1))];
        let chains = s.critical_chains();
        assert_eq!(chains.len(), 1);
        assert!(chains[0].len() <= 4);
    }
}
