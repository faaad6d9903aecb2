//! How a parent weighs its children in the roll-up (see [`super::rollup`]).
//!
//! The tenant chooses one weighting for every level (`TenantSettings.rollupWeighting`):
//!
//! - [`Weighting::Equal`] (the default): every counted child weighs the same, as before
//!   weights existed.
//! - [`Weighting::Weight`]: every child weighs its own `weight` (default 1; 0 counts for
//!   nothing).
//! - [`Weighting::Budget`]: every child weighs its planned budget: a project the sum of the
//!   `planned` amounts of its budget lines (every year, own funds and funding alike), a
//!   measure the budgets of its projects that count (not cancelled), a goal those of its
//!   measures that count (a measure serving several goals counts fully in each), or of its
//!   sub-goals when no measure is derived from it. Sub-projects have no budget of their own
//!   (budget lines belong to projects). A child without a budget weighs 0.
//!
//! Two rules keep a figure possible and honest:
//!
//! - When the children of a parent weigh 0 together (every weight set to 0, no budget
//!   anywhere below, as for sub-projects), the parent takes their plain mean: equal weights.
//! - Budget weights are used only where the viewer may see every budget they come from
//!   (`policy::can_see_financials` for each project below). Otherwise the parent takes equal
//!   weights for that viewer, so that a figure never lets the public or a department outside
//!   its subtree work out how budgets compare. The roll-up is computed per viewer over the
//!   rows it may see (hidden rows do not count at all), so this is the same principle.
//!
//! Each rolled-up figure says which weighting it was computed with (`progressWeighting`), so
//! a fallback to equal weights shows.

use rust_decimal::{Decimal, RoundingStrategy, prelude::ToPrimitive};

/// How parents weigh their children (see the module documentation).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Weighting {
    /// Every child weighs the same.
    #[default]
    Equal,
    /// Every child weighs its `weight`.
    Weight,
    /// Every child weighs its planned budget.
    Budget,
}

impl Weighting {
    /// Every weighting.
    pub const ALL: [Self; 3] = [Self::Equal, Self::Weight, Self::Budget];

    /// The code stored with the tenant and written to tenant files.
    pub fn code(self) -> &'static str {
        match self {
            Self::Equal => "equal",
            Self::Weight => "weight",
            Self::Budget => "budget",
        }
    }

    /// The weighting of a stored code; `None` for an unknown one.
    pub fn parse(code: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|w| w.code().eq_ignore_ascii_case(code.trim()))
    }
}

/// A child's planned budget, as far as the viewer may know it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Budget {
    /// The sum of the planned amounts below it (0 without any).
    Known(Decimal),
    /// Some of it comes from rows whose financials the viewer may not see.
    Hidden,
}

impl Budget {
    /// No budget at all: known to be 0.
    pub const NONE: Self = Self::Known(Decimal::ZERO);

    /// The sum of budgets; hidden when any part is.
    pub fn sum(budgets: impl Iterator<Item = Self>) -> Self {
        let mut total = Decimal::ZERO;
        for budget in budgets {
            match budget {
                Self::Known(amount) => total += amount,
                Self::Hidden => return Self::Hidden,
            }
        }
        Self::Known(total)
    }
}

/// What a counted child brings to its parent's roll-up.
#[derive(Clone, Copy, Debug)]
pub struct Share {
    /// Percent; `None` when nothing was reported on or below the child.
    pub progress: Option<i32>,
    /// The child's own `weight`.
    pub weight: Decimal,
    /// The child's planned budget.
    pub budget: Budget,
}

/// The weighted mean of the children's progress, rounded half up to a whole percent, and
/// the weighting it was computed with; `None` when no child has any progress (the parent
/// has none either rather than a made-up 0 %). A child without progress counts 0 % with its
/// weight.
pub fn weighted_mean(weighting: Weighting, children: &[Share]) -> Option<(i32, Weighting)> {
    if children.iter().all(|c| c.progress.is_none()) {
        return None;
    }
    let (weights, used) = weights(weighting, children);
    let total: Decimal = weights.iter().sum();
    let sum: Decimal = children
        .iter()
        .zip(&weights)
        .map(|(c, w)| Decimal::from(c.progress.unwrap_or(0)) * w)
        .sum();
    let mean = (sum / total).round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero);
    // Between 0 and 100: a mean of percentages weighted by non-negative weights.
    let progress = mean.to_i32().unwrap_or(0);
    Some((progress.clamp(0, 100), used))
}

/// The weight of each child under `weighting`, and the weighting that applies after the
/// fallbacks of the module documentation (always positive in total).
fn weights(weighting: Weighting, children: &[Share]) -> (Vec<Decimal>, Weighting) {
    let equal = || (vec![Decimal::ONE; children.len()], Weighting::Equal);
    let weights: Vec<Decimal> = match weighting {
        Weighting::Equal => return equal(),
        Weighting::Weight => children
            .iter()
            .map(|c| c.weight.max(Decimal::ZERO))
            .collect(),
        Weighting::Budget => {
            let known: Option<Vec<Decimal>> = children
                .iter()
                .map(|c| match c.budget {
                    Budget::Known(amount) => Some(amount.max(Decimal::ZERO)),
                    Budget::Hidden => None,
                })
                .collect();
            match known {
                Some(budgets) => budgets,
                None => return equal(),
            }
        }
    };
    if weights.iter().all(Decimal::is_zero) {
        return equal();
    }
    (weights, weighting)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn share(progress: Option<i32>, weight: i64, budget: Budget) -> Share {
        Share {
            progress,
            weight: Decimal::from(weight),
            budget,
        }
    }

    fn euros(amount: i64) -> Budget {
        Budget::Known(Decimal::from(amount))
    }

    #[test]
    fn equal_weights_are_the_plain_mean_rounded_half_up() {
        let children = [share(Some(80), 5, euros(100)), share(Some(41), 1, euros(0))];
        assert_eq!(
            weighted_mean(Weighting::Equal, &children),
            Some((61, Weighting::Equal))
        );
    }

    #[test]
    fn weights_weigh_each_child() {
        // (80 * 3 + 20 * 1) / 4 = 65.
        let children = [
            share(Some(80), 3, Budget::NONE),
            share(Some(20), 1, Budget::NONE),
        ];
        assert_eq!(
            weighted_mean(Weighting::Weight, &children),
            Some((65, Weighting::Weight))
        );
        // Weight 0 counts for nothing.
        let children = [
            share(Some(80), 0, Budget::NONE),
            share(Some(20), 2, Budget::NONE),
        ];
        assert_eq!(
            weighted_mean(Weighting::Weight, &children),
            Some((20, Weighting::Weight))
        );
        // Fractional weights: (90 * 0.5 + 30 * 1.5) / 2 = 45.
        let children = [
            Share {
                progress: Some(90),
                weight: Decimal::new(5, 1),
                budget: Budget::NONE,
            },
            Share {
                progress: Some(30),
                weight: Decimal::new(15, 1),
                budget: Budget::NONE,
            },
        ];
        assert_eq!(
            weighted_mean(Weighting::Weight, &children),
            Some((45, Weighting::Weight))
        );
    }

    #[test]
    fn budgets_weigh_each_child_and_no_budget_counts_for_nothing() {
        // (100 * 30000 + 10 * 10000) / 40000 = 77.5, rounded half up.
        let children = [
            share(Some(100), 1, euros(30_000)),
            share(Some(10), 1, euros(10_000)),
            share(Some(0), 1, Budget::NONE),
        ];
        assert_eq!(
            weighted_mean(Weighting::Budget, &children),
            Some((78, Weighting::Budget))
        );
    }

    #[test]
    fn zero_weights_together_fall_back_to_equal_weights() {
        let children = [
            share(Some(90), 0, Budget::NONE),
            share(Some(30), 0, Budget::NONE),
        ];
        assert_eq!(
            weighted_mean(Weighting::Weight, &children),
            Some((60, Weighting::Equal))
        );
        assert_eq!(
            weighted_mean(Weighting::Budget, &children),
            Some((60, Weighting::Equal))
        );
    }

    #[test]
    fn a_hidden_budget_falls_back_to_equal_weights() {
        let children = [
            share(Some(100), 1, euros(90_000)),
            share(Some(0), 1, Budget::Hidden),
        ];
        assert_eq!(
            weighted_mean(Weighting::Budget, &children),
            Some((50, Weighting::Equal))
        );
        assert_eq!(
            Budget::sum([euros(1), Budget::Hidden].into_iter()),
            Budget::Hidden
        );
        assert_eq!(Budget::sum([euros(1), euros(2)].into_iter()), euros(3));
    }

    #[test]
    fn unreported_children_count_zero_with_their_weight_until_none_has_reported() {
        // (60 * 1 + 0 * 3) / 4 = 15.
        let children = [
            share(Some(60), 1, Budget::NONE),
            share(None, 3, Budget::NONE),
        ];
        assert_eq!(
            weighted_mean(Weighting::Weight, &children),
            Some((15, Weighting::Weight))
        );
        let none = [share(None, 1, euros(5)), share(None, 2, euros(5))];
        assert_eq!(weighted_mean(Weighting::Budget, &none), None);
        assert_eq!(weighted_mean(Weighting::Equal, &[]), None);
    }

    #[test]
    fn codes_round_trip() {
        for weighting in Weighting::ALL {
            assert_eq!(Weighting::parse(weighting.code()), Some(weighting));
        }
        assert_eq!(Weighting::parse("BUDGET"), Some(Weighting::Budget));
        assert_eq!(Weighting::parse("median"), None);
    }
}
