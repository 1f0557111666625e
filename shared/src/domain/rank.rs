//! Where a card sits in its board column: a fractional index. A rank is a fraction in (0, 1)
//! written in base 62 after the point ("V" is 31/62, about a half), compared as plain text.
//! Between any two ranks there is always another, so a card moved between two others gets a
//! rank of its own and no other card is rewritten.
//!
//! Two people who drop cards into the same gap at once, even offline, may pick the same rank:
//! the cards then sit side by side in id order, the same for everyone. A card's rank and
//! column are single fields of its task, so a card is never duplicated or lost, and concurrent
//! moves of one card end with one value for everyone.
//!
//! A task that was never placed has no stored rank. It sorts by an implied one made from
//! when it was created (fixed width, so older before newer), and placed cards slot in between.

use std::fmt;
use std::str::FromStr;

use autosurgeon::{Hydrate, HydrateError, Reconcile, Reconciler};

/// The digits, in ASCII order so that text order is number order.
const DIGITS: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
const BASE: u8 = 62;
/// Implied ranks: this many digits of the creation time (62^8 ms is about 6,900 years).
const IMPLIED_WIDTH: usize = 8;

/// A position in a column. Never empty and never ends in "0" (so that each fraction has one
/// spelling, and there is always room before it).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Rank(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseRankError {
    #[error("a rank is not empty")]
    Empty,
    #[error("a rank uses only 0-9, A-Z and a-z, not {0:?}")]
    Digit(char),
    #[error("a rank does not end in 0")]
    TrailingZero,
}

impl Rank {
    /// A rank strictly between `lo` and `hi` (`None`: the start or the end of the column).
    /// When `lo` is not below `hi` (two cards that share a rank), the result is just above `lo`.
    pub fn between(lo: Option<&Rank>, hi: Option<&Rank>) -> Rank {
        let lo = lo.map(|r| digits(&r.0)).unwrap_or_default();
        let hi = hi.map(|r| digits(&r.0)).filter(|hi| lo < *hi);
        let mid = midpoint(&lo, hi.as_deref());
        Rank(mid.iter().map(|&d| DIGITS[d as usize] as char).collect())
    }

    /// The rank a task that was never placed sorts by: its creation time, so that such tasks
    /// keep the order people added them in.
    pub fn implied(created_at_ms: i64) -> Rank {
        let mut n = created_at_ms.max(0) as u64;
        let mut out = [b'0'; IMPLIED_WIDTH + 1];
        for slot in out[..IMPLIED_WIDTH].iter_mut().rev() {
            *slot = DIGITS[(n % BASE as u64) as usize];
            n /= BASE as u64;
        }
        // A last digit that is never "0"; also leaves room for ranks just after it.
        out[IMPLIED_WIDTH] = b'V';
        Rank(out.iter().map(|&b| b as char).collect())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Digit values of a valid rank.
fn digits(rank: &str) -> Vec<u8> {
    rank.bytes().map(value).map(|d| d.unwrap_or(0)).collect()
}

fn value(byte: u8) -> Option<u8> {
    match byte {
        b'0'..=b'9' => Some(byte - b'0'),
        b'A'..=b'Z' => Some(byte - b'A' + 10),
        b'a'..=b'z' => Some(byte - b'a' + 36),
        _ => None,
    }
}

/// Digits of a fraction strictly between `lo` and `hi` (`None`: 1), given `lo < hi`, neither
/// ending in 0. The result does not end in 0 either, and is as short as the gap allows.
fn midpoint(lo: &[u8], hi: Option<&[u8]>) -> Vec<u8> {
    if let Some(hi) = hi {
        // Skip the digits they share (a shorter `lo` reads as followed by zeros).
        let shared =
            hi.iter().enumerate().take_while(|(i, d)| lo.get(*i).copied().unwrap_or(0) == **d).count();
        if shared > 0 {
            let rest = lo.get(shared..).unwrap_or_default();
            let mut out = hi[..shared].to_vec();
            out.extend(midpoint(rest, Some(&hi[shared..])));
            return out;
        }
    }
    let low = lo.first().copied().unwrap_or(0);
    let high = hi.map(|h| h[0]).unwrap_or(BASE);
    if high - low > 1 {
        return vec![(low + high) / 2];
    }
    // Neighbouring first digits. If `hi` has more digits, its first digit alone lies between.
    if let Some(hi) = hi.filter(|h| h.len() > 1) {
        return vec![hi[0]];
    }
    // Otherwise keep `lo`'s first digit and go above the rest of `lo`.
    let mut out = vec![low];
    out.extend(midpoint(lo.get(1..).unwrap_or_default(), None));
    out
}

impl FromStr for Rank {
    type Err = ParseRankError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.is_empty() {
            return Err(ParseRankError::Empty);
        }
        if let Some(bad) = s.chars().find(|c| !c.is_ascii() || value(*c as u8).is_none()) {
            return Err(ParseRankError::Digit(bad));
        }
        if s.ends_with('0') {
            return Err(ParseRankError::TrailingZero);
        }
        Ok(Rank(s.to_owned()))
    }
}

impl TryFrom<String> for Rank {
    type Error = ParseRankError;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        s.parse()
    }
}

impl From<Rank> for String {
    fn from(rank: Rank) -> String {
        rank.0
    }
}

impl fmt::Display for Rank {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Reconcile for Rank {
    type Key<'a> = autosurgeon::reconcile::NoKey;

    fn reconcile<R: Reconciler>(&self, reconciler: R) -> Result<(), R::Error> {
        self.0.reconcile(reconciler)
    }
}

impl Hydrate for Rank {
    fn hydrate_string(s: &'_ str) -> Result<Self, HydrateError> {
        s.parse().map_err(|e: ParseRankError| HydrateError::unexpected("a rank", e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn rank(s: &str) -> Rank {
        s.parse().expect("rank")
    }

    #[test]
    fn the_first_rank_is_the_middle_and_ranks_go_on_both_sides() {
        let first = Rank::between(None, None);
        assert_eq!(first.as_str(), "V");
        assert_eq!(Rank::between(Some(&first), None).as_str(), "k");
        assert_eq!(Rank::between(None, Some(&first)).as_str(), "F");
    }

    #[test]
    fn between_neighbouring_digits_a_rank_grows_a_digit() {
        assert_eq!(Rank::between(Some(&rank("a")), Some(&rank("b"))).as_str(), "aV");
        assert_eq!(Rank::between(Some(&rank("a")), Some(&rank("b1"))).as_str(), "b");
        // Before "01" there is still room, and it keeps the zeros it needs.
        assert_eq!(Rank::between(None, Some(&rank("01"))).as_str(), "00V");
    }

    #[test]
    fn cards_that_share_a_rank_get_a_place_just_after_it() {
        let same = rank("V");
        let after = Rank::between(Some(&same), Some(&same));
        assert!(after > same, "{after}");
    }

    #[test]
    fn implied_ranks_keep_creation_order_and_leave_room_between() {
        let (older, newer) = (Rank::implied(1_764_000_000_000), Rank::implied(1_764_000_000_001));
        assert!(older < newer);
        assert_eq!(older.as_str().len(), IMPLIED_WIDTH + 1);
        let placed = Rank::between(Some(&older), Some(&newer));
        assert!(older < placed && placed < newer, "{placed}");
    }

    #[test]
    fn bad_text_is_not_a_rank() {
        assert_eq!("".parse::<Rank>(), Err(ParseRankError::Empty));
        assert_eq!("a-b".parse::<Rank>(), Err(ParseRankError::Digit('-')));
        assert_eq!("V0".parse::<Rank>(), Err(ParseRankError::TrailingZero));
        assert_eq!("排".parse::<Rank>(), Err(ParseRankError::Digit('排')));
    }

    fn any_rank() -> impl Strategy<Value = Rank> {
        "[0-9A-Za-z]{0,6}[1-9A-Za-z]".prop_map(|s| rank(&s))
    }

    proptest! {
        #[test]
        fn a_rank_between_two_lies_strictly_between_them(a in any_rank(), b in any_rank()) {
            prop_assume!(a != b);
            let (lo, hi) = if a < b { (a, b) } else { (b, a) };
            let mid = Rank::between(Some(&lo), Some(&hi));
            prop_assert!(lo < mid && mid < hi, "{} < {} < {}", lo, mid, hi);
            prop_assert!(mid.as_str().parse::<Rank>().is_ok());
            prop_assert!(mid.as_str().len() <= hi.as_str().len().max(lo.as_str().len()) + 1);
        }

        #[test]
        fn ranks_at_either_end_stay_outside(a in any_rank()) {
            let before = Rank::between(None, Some(&a));
            let after = Rank::between(Some(&a), None);
            prop_assert!(before < a && a < after);
        }

        /// Dropping card after card into the same gap (the worst case for length) stays short.
        #[test]
        fn repeated_drops_into_one_gap_grow_slowly(left in any::<bool>(), n in 1usize..200) {
            let (mut lo, mut hi) = (rank("F"), rank("V"));
            for _ in 0..n {
                let mid = Rank::between(Some(&lo), Some(&hi));
                prop_assert!(lo < mid && mid < hi);
                if left { hi = mid } else { lo = mid }
            }
            // Each digit halves the gap about five times.
            prop_assert!(lo.as_str().len().max(hi.as_str().len()) <= 2 + n / 5);
        }
    }
}
