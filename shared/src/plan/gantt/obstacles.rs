//! Where a vertical line may cross a run of rows: a segment tree over the rows whose every node
//! keeps the union of its rows' occupied stretches, sorted. Asking about rows `a..=b` visits
//! O(log n) nodes and binary-searches each, however many rows the run crosses.

/// Occupied stretches `(lo, hi)` per row; a point strictly inside one is covered.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Obstacles {
    /// Leaves start at `size`; node `i`'s children are `2i` and `2i + 1`.
    size: usize,
    nodes: Vec<Vec<(f64, f64)>>,
}

impl Obstacles {
    /// `rows[i]`: what row `i` occupies, if anything.
    pub(crate) fn new(rows: &[Option<(f64, f64)>]) -> Self {
        let size = rows.len().next_power_of_two().max(1);
        let mut nodes = vec![Vec::new(); 2 * size];
        for (i, row) in rows.iter().enumerate() {
            if let Some((lo, hi)) = *row {
                nodes[size + i].push((lo.min(hi), hi.max(lo)));
            }
        }
        for i in (1..size).rev() {
            nodes[i] = merge(&nodes[2 * i], &nodes[2 * i + 1]);
        }
        Self { size, nodes }
    }

    /// The nodes that together hold rows `first..=last` exactly.
    fn cover(&self, first: usize, last: usize) -> Vec<&[(f64, f64)]> {
        let mut out = Vec::new();
        if first > last || last >= self.size {
            return out;
        }
        let (mut lo, mut hi) = (first + self.size, last + self.size + 1);
        while lo < hi {
            if lo & 1 == 1 {
                out.push(self.nodes[lo].as_slice());
                lo += 1;
            }
            if hi & 1 == 1 {
                hi -= 1;
                out.push(self.nodes[hi].as_slice());
            }
            lo /= 2;
            hi /= 2;
        }
        out
    }

    /// The x nearest `preferred` that no stretch of rows `first..=last` covers, looking at
    /// most `reach` px either way (nearer wins; a tie goes right). Failing that, the left
    /// edge of the leftmost stretch or the right edge of the rightmost, whichever is nearer:
    /// a line there passes beside every bar of those rows.
    pub(crate) fn free_x(&self, first: usize, last: usize, preferred: f64, reach: f64) -> f64 {
        let nodes = self.cover(first, last);
        let covering = |x: f64| {
            nodes.iter().find_map(|node| {
                let at = node.partition_point(|(lo, _)| *lo < x);
                at.checked_sub(1).map(|i| node[i]).filter(|(_, hi)| x < *hi)
            })
        };
        // Each step jumps past one merged stretch, so a handful of steps go far.
        const STEPS: usize = 64;
        let mut right = Some(preferred);
        let mut left = Some(preferred);
        for _ in 0..STEPS {
            match right.and_then(|x| covering(x).map(|(_, hi)| hi)) {
                Some(hi) => right = Some(hi).filter(|hi| hi - preferred <= reach),
                None => break,
            }
        }
        for _ in 0..STEPS {
            match left.and_then(|x| covering(x).map(|(lo, _)| lo)) {
                Some(lo) => left = Some(lo).filter(|lo| preferred - lo <= reach),
                None => break,
            }
        }
        // Only a point no stretch covers counts (the steps may have run out).
        let right = right.filter(|x| covering(*x).is_none());
        let left = left.filter(|x| covering(*x).is_none());
        let nearest = |a: Option<f64>, b: Option<f64>| match (a, b) {
            (Some(l), Some(r)) => Some(if preferred - l < r - preferred { l } else { r }),
            (l, r) => l.or(r),
        };
        if let Some(x) = nearest(left, right) {
            return x;
        }
        let leftmost = nodes.iter().filter_map(|n| n.first()).map(|s| s.0).fold(f64::INFINITY, f64::min);
        let rightmost = nodes.iter().filter_map(|n| n.last()).map(|s| s.1).fold(f64::NEG_INFINITY, f64::max);
        nearest(Some(leftmost).filter(|x| x.is_finite()), Some(rightmost).filter(|x| x.is_finite()))
            .unwrap_or(preferred)
    }
}

/// The union of two sorted lists of stretches, sorted, overlapping ones joined.
fn merge(a: &[(f64, f64)], b: &[(f64, f64)]) -> Vec<(f64, f64)> {
    let mut out: Vec<(f64, f64)> = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        let next = if j >= b.len() || (i < a.len() && a[i].0 <= b[j].0) {
            i += 1;
            a[i - 1]
        } else {
            j += 1;
            b[j - 1]
        };
        match out.last_mut() {
            Some(last) if next.0 <= last.1 => last.1 = last.1.max(next.1),
            _ => out.push(next),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_nearest_gap_of_the_rows_crossed() {
        let rows = [Some((0.0, 10.0)), Some((20.0, 40.0)), None, Some((35.0, 60.0)), Some((100.0, 120.0))];
        let obstacles = Obstacles::new(&rows);
        // Rows 1..=3 cover 20..60: from 30, the left edge (10 away) beats the right (30 away).
        assert_eq!(obstacles.free_x(1, 3, 30.0, 200.0), 20.0);
        assert_eq!(obstacles.free_x(1, 3, 55.0, 200.0), 60.0);
        // Row 4 is not crossed: 70 is free.
        assert_eq!(obstacles.free_x(0, 3, 70.0, 200.0), 70.0);
        // Within reach of nothing: beside the leftmost or rightmost stretch.
        assert_eq!(obstacles.free_x(0, 4, 5.0, 2.0), 0.0);
        assert_eq!(obstacles.free_x(0, 4, 110.0, 2.0), 120.0);
        // No row crossed: anywhere.
        assert_eq!(obstacles.free_x(3, 2, 47.0, 200.0), 47.0);
    }
}
