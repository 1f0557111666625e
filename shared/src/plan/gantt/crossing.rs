//! Which arrows cross a run of rows: the arrows' row spans sorted by their top row, as an
//! implicit balanced tree (the middle of each stretch is its root) that knows the lowest row
//! each subtree reaches. A query visits O(log n) nodes per arrow it reports, never all arrows.

use std::ops::RangeInclusive;

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Crossing {
    /// (top row, bottom row, arrow), sorted.
    spans: Vec<(usize, usize, usize)>,
    /// For the subtree rooted at `i` (the stretch `i` is the middle of): its lowest bottom row.
    reach: Vec<usize>,
}

impl Crossing {
    /// `spans[k]`: the rows arrow `k` runs over, top to bottom.
    pub(crate) fn new(spans: impl IntoIterator<Item = RangeInclusive<usize>>) -> Self {
        let mut spans: Vec<(usize, usize, usize)> =
            spans.into_iter().enumerate().map(|(k, r)| (*r.start(), *r.end(), k)).collect();
        spans.sort_unstable();
        let mut reach = vec![0; spans.len()];
        fill(&spans, &mut reach, 0, spans.len());
        Self { spans, reach }
    }

    /// The arrows any of whose rows are in `rows`, in no particular order, and how many nodes
    /// were visited to find them.
    pub(crate) fn query(&self, rows: RangeInclusive<usize>) -> (Vec<usize>, usize) {
        let mut found = Vec::new();
        let mut visited = 0;
        self.visit(0, self.spans.len(), (*rows.start(), *rows.end()), &mut found, &mut visited);
        (found, visited)
    }

    fn visit(&self, lo: usize, hi: usize, q: (usize, usize), found: &mut Vec<usize>, visited: &mut usize) {
        if lo >= hi {
            return;
        }
        let mid = lo + (hi - lo) / 2;
        *visited += 1;
        if self.reach[mid] < q.0 {
            // Everything here ends above the rows asked about.
            return;
        }
        self.visit(lo, mid, q, found, visited);
        let (top, bottom, arrow) = self.spans[mid];
        if top > q.1 {
            // This and everything after it starts below them.
            return;
        }
        if bottom >= q.0 {
            found.push(arrow);
        }
        self.visit(mid + 1, hi, q, found, visited);
    }
}

fn fill(spans: &[(usize, usize, usize)], reach: &mut [usize], lo: usize, hi: usize) -> usize {
    if lo >= hi {
        return 0;
    }
    let mid = lo + (hi - lo) / 2;
    let below = fill(spans, reach, lo, mid).max(fill(spans, reach, mid + 1, hi)).max(spans[mid].1);
    reach[mid] = below;
    below
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_spans_that_overlap_and_only_those() {
        let spans = [0..=2, 5..=90, 10..=11, 40..=41, 50..=60, 95..=99, 3..=4];
        let index = Crossing::new(spans.clone());
        for (from, to) in [(0, 0), (3, 3), (12, 39), (42, 49), (61, 94), (45, 55), (0, 200)] {
            let (mut found, _) = index.query(from..=to);
            found.sort_unstable();
            let expected: Vec<usize> = spans
                .iter()
                .enumerate()
                .filter(|(_, s)| *s.start() <= to && *s.end() >= from)
                .map(|(k, _)| k)
                .collect();
            assert_eq!(found, expected, "rows {from}..={to}");
        }
    }
}
