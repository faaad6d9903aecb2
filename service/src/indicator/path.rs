//! The target path of an indicator and what follows from it: the value expected at a date,
//! the status of the latest measurement, and the series of targets and actuals for a chart.
//!
//! The path runs from the baseline (when it has both value and date) through the targets in
//! date order: linear between two points, flat after the last. Before its first point it
//! expects nothing. Pure functions, so that every reader (GraphQL, the council report's
//! chart) computes the same.

use chrono::NaiveDate;
use rust_decimal::Decimal;

/// A value at a date: a point of the path, or a measured value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Point {
    pub date: NaiveDate,
    pub value: Decimal,
}

/// The status of an indicator: where its latest measured value stands against the path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// At or beyond the path at the date it was measured (or measured before the path
    /// expects anything).
    OnTrack,
    /// Short of the path at the date it was measured.
    Behind,
    /// The final target is met.
    Reached,
}

/// A point of the chart series: the path's value and the measured value at a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeriesPoint {
    pub date: NaiveDate,
    /// The path's value at the date (interpolated between its points), if it expects one.
    pub target: Option<Decimal>,
    /// The value measured at the date, if one was.
    pub actual: Option<Decimal>,
}

/// A target path: the baseline and the targets in date order.
#[derive(Debug, Clone)]
pub struct Path {
    points: Vec<Point>,
    targets: usize,
    higher_is_better: bool,
}

impl Path {
    /// The path from `baseline` (value and date, when both are known) through `targets`
    /// (any order).
    pub fn new(
        baseline: Option<Decimal>,
        baseline_date: Option<NaiveDate>,
        targets: impl IntoIterator<Item = Point>,
        higher_is_better: bool,
    ) -> Self {
        let mut targets: Vec<Point> = targets.into_iter().collect();
        targets.sort_by_key(|p| p.date);
        let count = targets.len();
        let start = baseline
            .zip(baseline_date)
            .map(|(value, date)| Point { date, value });
        Self {
            points: start.into_iter().chain(targets).collect(),
            targets: count,
            higher_is_better,
        }
    }

    /// The last target, if the path has any.
    pub fn final_target(&self) -> Option<Point> {
        (self.targets > 0).then(|| self.points[self.points.len() - 1])
    }

    /// The points of the path: the baseline (if known) and the targets, in date order.
    pub fn points(&self) -> &[Point] {
        &self.points
    }

    /// The value the path expects at `date`: none before its first point, linear between
    /// two points (to four decimals, as values are stored), the last value after the last.
    pub fn expected_at(&self, date: NaiveDate) -> Option<Decimal> {
        let after = self.points.iter().position(|p| p.date > date);
        match after {
            Some(0) => None,
            None => self.points.last().map(|p| p.value),
            Some(i) => {
                let (a, b) = (self.points[i - 1], self.points[i]);
                let span = Decimal::from((b.date - a.date).num_days());
                let gone = Decimal::from((date - a.date).num_days());
                Some((a.value + (b.value - a.value) * gone / span).round_dp(4))
            }
        }
    }

    /// Whether `value` is at or beyond `goal` in the indicator's direction.
    fn meets(&self, value: Decimal, goal: Decimal) -> bool {
        if self.higher_is_better {
            value >= goal
        } else {
            value <= goal
        }
    }

    /// The status of the latest measurement `latest`: none without a measurement or without
    /// targets; reached when it meets the final target; else on track when it meets the
    /// path at its date.
    pub fn status(&self, latest: Option<Point>) -> Option<Status> {
        let latest = latest?;
        let last = self.final_target()?;
        if self.meets(latest.value, last.value) {
            return Some(Status::Reached);
        }
        Some(match self.expected_at(latest.date) {
            Some(expected) if !self.meets(latest.value, expected) => Status::Behind,
            _ => Status::OnTrack,
        })
    }

    /// Targets and actuals side by side for a chart: a point at the baseline date, at every
    /// target date and at every date with a measured value, within `from..=to` (either open),
    /// in date order. `values` are the measured values oldest first; of two on one day the
    /// later counts.
    pub fn series(
        &self,
        values: &[Point],
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    ) -> Vec<SeriesPoint> {
        let within =
            |date: &NaiveDate| from.is_none_or(|f| *date >= f) && to.is_none_or(|t| *date <= t);
        let mut dates: Vec<NaiveDate> = self
            .points
            .iter()
            .chain(values)
            .map(|p| p.date)
            .filter(within)
            .collect();
        dates.sort_unstable();
        dates.dedup();
        let has_targets = self.targets > 0;
        dates
            .into_iter()
            .map(|date| SeriesPoint {
                date,
                target: has_targets.then(|| self.expected_at(date)).flatten(),
                actual: values
                    .iter()
                    .rev()
                    .find(|v| v.date == date)
                    .map(|v| v.value),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn p(date: &str, value: i64) -> Point {
        Point {
            date: d(date),
            value: Decimal::from(value),
        }
    }

    /// Baseline 10 at 2024-01-01, targets 20 at 2025-01-01 and 40 at 2026-01-01.
    fn rising() -> Path {
        Path::new(
            Some(Decimal::from(10)),
            Some(d("2024-01-01")),
            [p("2026-01-01", 40), p("2025-01-01", 20)],
            true,
        )
    }

    #[test]
    fn the_path_is_linear_between_its_points_and_flat_after_the_last() {
        let path = rising();
        assert_eq!(path.expected_at(d("2023-12-31")), None);
        assert_eq!(path.expected_at(d("2024-01-01")), Some(Decimal::from(10)));
        // 2024 has 366 days: half of them is 183.
        assert_eq!(path.expected_at(d("2024-07-02")), Some(Decimal::from(15)));
        assert_eq!(path.expected_at(d("2025-01-01")), Some(Decimal::from(20)));
        assert_eq!(path.expected_at(d("2027-05-01")), Some(Decimal::from(40)));
        assert_eq!(path.final_target(), Some(p("2026-01-01", 40)));
    }

    #[test]
    fn without_a_baseline_the_path_starts_at_its_first_target() {
        let path = Path::new(None, None, [p("2025-01-01", 20)], true);
        assert_eq!(path.expected_at(d("2024-06-01")), None);
        assert_eq!(path.status(Some(p("2024-06-01", 5))), Some(Status::OnTrack));
    }

    #[test]
    fn status_compares_the_latest_value_with_the_path_at_its_date() {
        let path = rising();
        assert_eq!(path.status(None), None);
        assert_eq!(
            path.status(Some(p("2024-07-02", 15))),
            Some(Status::OnTrack)
        );
        assert_eq!(path.status(Some(p("2024-07-02", 14))), Some(Status::Behind));
        assert_eq!(
            path.status(Some(p("2024-07-02", 40))),
            Some(Status::Reached)
        );
        assert_eq!(path.status(Some(p("2027-01-01", 39))), Some(Status::Behind));
    }

    #[test]
    fn without_targets_there_is_no_status() {
        let path = Path::new(Some(Decimal::from(10)), Some(d("2024-01-01")), [], true);
        assert_eq!(path.status(Some(p("2024-06-01", 50))), None);
        assert_eq!(path.final_target(), None);
    }

    #[test]
    fn lower_is_better_turns_the_comparison_around() {
        let path = Path::new(
            Some(Decimal::from(30)),
            Some(d("2024-01-01")),
            [p("2025-01-01", 10)],
            false,
        );
        assert_eq!(path.status(Some(p("2024-07-02", 21))), Some(Status::Behind));
        assert_eq!(
            path.status(Some(p("2024-07-02", 19))),
            Some(Status::OnTrack)
        );
        assert_eq!(
            path.status(Some(p("2024-09-01", 10))),
            Some(Status::Reached)
        );
    }

    #[test]
    fn the_series_puts_targets_and_actuals_side_by_side() {
        let path = rising();
        let values = [
            p("2024-07-02", 12),
            p("2025-01-01", 18),
            p("2025-01-01", 19),
        ];
        let series = path.series(&values, None, Some(d("2025-06-30")));
        let dates: Vec<_> = series.iter().map(|s| s.date).collect();
        assert_eq!(dates, [d("2024-01-01"), d("2024-07-02"), d("2025-01-01")]);
        assert_eq!(series[0].target, Some(Decimal::from(10)));
        assert_eq!(series[0].actual, None);
        assert_eq!(series[1].target, Some(Decimal::from(15)));
        assert_eq!(series[1].actual, Some(Decimal::from(12)));
        assert_eq!(series[2].actual, Some(Decimal::from(19)));
        let late = path.series(&values, Some(d("2025-06-01")), None);
        assert_eq!(late.len(), 1);
        assert_eq!(late[0].target, Some(Decimal::from(40)));
    }
}
