//! The indicators of the council report's goals: each goal indicator the council may see, its
//! target path against the values measured up to the report's day, and its status then.
//! Three statements for the whole report (indicators, targets, values), whatever its size.

use std::collections::HashMap;

use chrono::NaiveDate;
use entity::{indicator, indicator_target, indicator_value};
use sea_orm::{ColumnTrait, DatabaseConnection, QueryFilter, QueryOrder};

use super::model::{CouncilReportIndicator, IndicatorChartPoint};
use crate::{
    error::ApiResult,
    indicator::path::{Path, Point, Status},
    policy::FindVisible,
    viewer::Viewer,
};

/// The indicators of `goals` that `council` may see, by goal, as of `end`.
pub(super) async fn by_goal(
    db: &DatabaseConnection,
    council: &Viewer,
    goals: &[i32],
    end: NaiveDate,
) -> ApiResult<HashMap<i32, Vec<CouncilReportIndicator>>> {
    let indicators = indicator::Entity::find_visible_to(council)
        .filter(indicator::Column::GoalId.is_in(goals.iter().copied()))
        .order_by_asc(indicator::Column::Name)
        .order_by_asc(indicator::Column::Id)
        .all(db)
        .await?;
    let ids: Vec<i32> = indicators.iter().map(|i| i.id).collect();
    let mut targets: HashMap<i32, Vec<Point>> = HashMap::new();
    for t in indicator_target::Entity::find_visible_to(council)
        .filter(indicator_target::Column::IndicatorId.is_in(ids.clone()))
        .all(db)
        .await?
    {
        targets.entry(t.indicator_id).or_default().push(Point {
            date: t.target_date,
            value: t.value,
        });
    }
    let mut values: HashMap<i32, Vec<Point>> = HashMap::new();
    for v in indicator_value::Entity::find_visible_to(council)
        .filter(indicator_value::Column::IndicatorId.is_in(ids))
        .filter(indicator_value::Column::MeasuredOn.lte(end))
        .order_by_asc(indicator_value::Column::MeasuredOn)
        .order_by_asc(indicator_value::Column::Id)
        .all(db)
        .await?
    {
        values.entry(v.indicator_id).or_default().push(Point {
            date: v.measured_on,
            value: v.value,
        });
    }
    let mut out: HashMap<i32, Vec<CouncilReportIndicator>> = HashMap::new();
    for i in indicators {
        let Some(goal) = i.goal_id else {
            continue;
        };
        let path = Path::new(
            i.baseline,
            i.baseline_date,
            targets.remove(&i.id).unwrap_or_default(),
            i.higher_is_better,
        );
        let measured = values.remove(&i.id).unwrap_or_default();
        let series = path
            .series(&measured, None, None)
            .into_iter()
            .map(|p| IndicatorChartPoint {
                date: p.date,
                target: p.target,
                actual: p.actual,
            })
            .collect();
        out.entry(goal).or_default().push(CouncilReportIndicator {
            indicator_id: Some(i.id),
            name: i.name,
            unit: i.unit,
            higher_is_better: i.higher_is_better,
            status: path
                .status(measured.last().copied())
                .map(|s| status_name(s).to_owned()),
            series,
        });
    }
    Ok(out)
}

/// The status by its API name, as a published report keeps it.
fn status_name(status: Status) -> &'static str {
    match status {
        Status::OnTrack => "ON_TRACK",
        Status::Behind => "BEHIND",
        Status::Reached => "REACHED",
    }
}
