use std::collections::BTreeMap;

use autosurgeon::{Hydrate, Reconcile};

use super::Date;
use crate::ItemId;

/// Money in fen (1/100 yuan), so that sums are exact.
pub type Fen = i64;

/// What a plan may spend on one thing (广告投放, 样品, 包装...).
#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct BudgetLine {
    #[key]
    pub id: ItemId,
    pub category: String,
    pub planned: Fen,
}

#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate)]
pub struct CostEntry {
    #[key]
    pub id: ItemId,
    pub line: ItemId,
    pub amount: Fen,
    pub date: Date,
    pub note: String,
}

/// A project's money, kept in its own document so that the relay can withhold it from
/// roles without finance access.
#[derive(Debug, Clone, Default, PartialEq, Reconcile, Hydrate)]
pub struct Finance {
    #[autosurgeon(with = "autosurgeon::map_with_parseable_keys")]
    pub lines: BTreeMap<ItemId, BudgetLine>,
    pub costs: Vec<CostEntry>,
}

impl Finance {
    pub fn planned(&self) -> Fen {
        self.lines.values().map(|l| l.planned).sum()
    }

    pub fn spent(&self) -> Fen {
        self.costs.iter().map(|c| c.amount).sum()
    }

    /// Spent per budget line, with lines that have costs but no longer exist kept apart.
    pub fn spent_by_line(&self) -> BTreeMap<ItemId, Fen> {
        let mut spent = BTreeMap::new();
        for cost in &self.costs {
            *spent.entry(cost.line).or_insert(0) += cost.amount;
        }
        spent
    }
}
