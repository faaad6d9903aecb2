//! Random choices with the weights of a typical portfolio.

use chrono::NaiveDate;
use entity::enums::{Rag, Status, Visibility};
use rand::{Rng, rngs::StdRng, seq::IndexedRandom};
use rust_decimal::Decimal;

/// One of `items` (which are never empty here; the first if they were).
pub(super) fn pick<'a, T>(rng: &mut StdRng, items: &'a [T]) -> &'a T {
    items.choose(rng).unwrap_or(&items[0])
}

/// The `ordinal`th day of `year`, kept within the year.
pub(super) fn day(year: i32, ordinal: u32) -> NaiveDate {
    NaiveDate::from_yo_opt(year, ordinal.clamp(1, 365)).unwrap_or_default()
}

/// Status by weight: mostly running, some done, few drafts.
pub(super) fn draw_status(rng: &mut StdRng) -> Status {
    match rng.random_range(0..100) {
        0..5 => Status::Draft,
        5..20 => Status::Planned,
        20..72 => Status::InProgress,
        72..77 => Status::OnHold,
        77..95 => Status::Completed,
        _ => Status::Cancelled,
    }
}

/// Mostly green, a quarter amber, some red.
pub(super) fn rag(rng: &mut StdRng) -> Rag {
    match rng.random_range(0..100) {
        0..65 => Rag::Green,
        65..88 => Rag::Amber,
        _ => Rag::Red,
    }
}

pub(super) fn visibility(rng: &mut StdRng) -> Visibility {
    match rng.random_range(0..10) {
        0..4 => Visibility::Internal,
        4..8 => Visibility::Council,
        _ => Visibility::Public,
    }
}

/// Progress that fits the status: none before the start, all when done.
pub(super) fn progress(rng: &mut StdRng, status: Status) -> i32 {
    match status {
        Status::Draft | Status::Planned => 0,
        Status::Completed => 100,
        _ => rng.random_range(5..95),
    }
}

/// A round amount: `low..high` times 500 euros.
pub(super) fn money(rng: &mut StdRng, low: i64, high: i64) -> Decimal {
    Decimal::new(rng.random_range(low..high) * 500, 0)
}
