//! Money summed over budget lines, in euros to the cent.

use entity::budget_line;
use rust_decimal::Decimal;

/// An amount to the cent. SQLite stores money as floating point, so sums are rounded before
/// they reach a client.
pub fn cents(amount: Decimal) -> Decimal {
    let mut amount = amount.round_dp(2);
    amount.rescale(2);
    amount
}

/// Planned, approved and spent money of some budget lines.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BudgetSum {
    pub planned: Decimal,
    pub approved: Decimal,
    pub spent: Decimal,
}

impl BudgetSum {
    /// Adds up budget lines.
    pub fn of(lines: &[budget_line::Model]) -> Self {
        let sum = |f: fn(&budget_line::Model) -> Decimal| cents(lines.iter().map(f).sum());
        Self {
            planned: sum(|l| l.planned),
            approved: sum(|l| l.approved),
            spent: sum(|l| l.spent),
        }
    }
}
