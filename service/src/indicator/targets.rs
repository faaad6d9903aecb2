//! Writing an indicator's target path: checked as a whole, then stored in place of the old.

use chrono::NaiveDate;
use entity::indicator_target;
use rust_decimal::Decimal;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use super::{parent::Period, path::Point};
use crate::{
    error::{ApiError, ApiResult},
    write::Write,
};

/// The targets of a path as given, each with the input field it came from.
#[derive(Debug, Clone)]
pub(crate) struct Given {
    pub points: Vec<Point>,
    /// The field of the `i`-th point's date, e.g. `targets[2].date`.
    pub field: fn(usize) -> String,
}

impl Given {
    /// The `targets` input list.
    pub fn listed(points: Vec<Point>) -> Self {
        Self {
            points,
            field: |i| format!("targets[{i}].date"),
        }
    }
}

/// Checks a path against the baseline date and the parent's period: no date twice, none
/// before the baseline, none outside the period. `BAD_USER_INPUT` names the first bad date.
pub(crate) fn check(
    given: &Given,
    baseline_date: Option<NaiveDate>,
    period: Period,
) -> ApiResult<Vec<Point>> {
    for (i, point) in given.points.iter().enumerate() {
        let field = || (given.field)(i);
        if given.points[..i].iter().any(|p| p.date == point.date) {
            return Err(ApiError::bad_input(
                field(),
                format!("{} is given twice", point.date),
            ));
        }
        if baseline_date.is_some_and(|b| point.date < b) {
            return Err(ApiError::bad_input(
                field(),
                "must not be before the baseline date",
            ));
        }
        let outside = period.start.is_some_and(|s| point.date < s)
            || period.end.is_some_and(|e| point.date > e);
        if outside {
            return Err(ApiError::bad_input(
                field(),
                format!("must lie within {}", period.what),
            ));
        }
    }
    let mut points = given.points.clone();
    points.sort_by_key(|p| p.date);
    Ok(points)
}

/// The stored path of an indicator, in date order.
pub(crate) async fn stored(w: &Write<'_>, indicator_id: i32) -> ApiResult<Vec<Point>> {
    let rows = indicator_target::Entity::find()
        .filter(indicator_target::Column::IndicatorId.eq(indicator_id))
        .order_by_asc(indicator_target::Column::TargetDate)
        .all(&w.txn)
        .await?;
    Ok(rows.iter().map(point).collect())
}

/// A stored target as a point of the path.
pub fn point(row: &indicator_target::Model) -> Point {
    Point {
        date: row.target_date,
        value: row.value,
    }
}

/// Replaces the stored path of an indicator with `points` (checked, in date order).
pub(crate) async fn replace(w: &Write<'_>, indicator_id: i32, points: &[Point]) -> ApiResult<()> {
    indicator_target::Entity::delete_many()
        .filter(indicator_target::Column::IndicatorId.eq(indicator_id))
        .exec(&w.txn)
        .await?;
    if points.is_empty() {
        return Ok(());
    }
    let rows = points.iter().map(|p| indicator_target::ActiveModel {
        tenant_id: Set(w.viewer.tenant_id),
        indicator_id: Set(indicator_id),
        target_date: Set(p.date),
        value: Set(p.value),
        ..Default::default()
    });
    indicator_target::Entity::insert_many(rows)
        .exec(&w.txn)
        .await?;
    Ok(())
}

/// The final point as the legacy columns `target` and `target_date` show it.
pub(crate) fn final_columns(points: &[Point]) -> (Option<Decimal>, Option<NaiveDate>) {
    points
        .last()
        .map_or((None, None), |p| (Some(p.value), Some(p.date)))
}
