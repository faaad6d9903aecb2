//! Writing the rows of the indicator sheets through the indicator service.

use super::Row;
use crate::{
    error::{ApiError, ApiResult},
    indicator::{self, Parent},
    write::Write,
};

/// The one parent the row names: a goal, a measure or a project.
fn parent(r: &Row<'_>) -> ApiResult<Parent> {
    let given = [
        r.id("goal")?.map(Parent::Goal),
        r.id("measure")?.map(Parent::Measure),
        r.id("project")?.map(Parent::Project),
    ];
    let mut given = given.into_iter().flatten();
    match (given.next(), given.next()) {
        (Some(parent), None) => Ok(parent),
        (None, _) => Err(ApiError::bad_input(
            "goal",
            "name the goal, the measure or the project the indicator measures",
        )),
        (Some(_), Some(second)) => Err(ApiError::bad_input(
            second.field(),
            "an indicator measures one goal, measure or project",
        )),
    }
}

/// Creates the row of an indicator sheet; its id.
pub(super) async fn create(w: &Write<'_>, r: &Row<'_>) -> ApiResult<i32> {
    use super::super::sheet::Sheet;
    Ok(match r.p.sheet {
        Sheet::Indicators => {
            indicator::create_in(
                w,
                indicator::NewIndicator {
                    parent: parent(r)?,
                    name: r.req("name"),
                    description: r.text("description"),
                    unit: r.req("unit"),
                    baseline: r.decimal("baseline"),
                    baseline_date: r.date("baselineDate"),
                    target: r.decimal("target"),
                    target_date: r.date("targetDate"),
                    targets: None,
                    higher_is_better: r.yes("higherIsBetter"),
                },
            )
            .await?
            .id
        }
        Sheet::IndicatorValues => {
            indicator::record_value_in(
                w,
                indicator::NewIndicatorValue {
                    indicator_id: r.req_id("indicator")?,
                    measured_on: r.date("measuredOn").unwrap_or_default(),
                    value: r.decimal("value").unwrap_or_default(),
                    note: r.text("note"),
                },
            )
            .await?
            .id
        }
        _ => put_target(w, r).await?,
    })
}

/// Changes the row `id` (read at `version`) of an indicator sheet.
pub(super) async fn update(w: &Write<'_>, r: &Row<'_>, id: i32, version: i32) -> ApiResult<()> {
    use super::super::sheet::Sheet;
    match r.p.sheet {
        Sheet::Indicators => {
            indicator::update_in(
                w,
                indicator::IndicatorPatch {
                    id,
                    version,
                    name: r.set("name", r.text("name")),
                    description: r.change("description", r.text("description")),
                    unit: r.set("unit", r.text("unit")),
                    baseline: r.change("baseline", r.decimal("baseline")),
                    baseline_date: r.change("baselineDate", r.date("baselineDate")),
                    target: r.change("target", r.decimal("target")),
                    target_date: r.change("targetDate", r.date("targetDate")),
                    targets: None,
                    higher_is_better: r.set("higherIsBetter", Some(r.yes("higherIsBetter"))),
                },
            )
            .await?;
        }
        Sheet::IndicatorValues => {
            indicator::update_value_in(
                w,
                indicator::IndicatorValuePatch {
                    id,
                    version,
                    measured_on: None,
                    value: r.set("value", r.decimal("value")),
                    note: r.change("note", r.text("note")),
                },
            )
            .await?;
        }
        _ => {
            put_target(w, r).await?;
        }
    }
    Ok(())
}

/// A point of a target path (the date is part of the row's key: a new date is a new row).
async fn put_target(w: &Write<'_>, r: &Row<'_>) -> ApiResult<i32> {
    indicator::put_target_in(
        w,
        indicator::NewIndicatorTarget {
            indicator_id: r.req_id("indicator")?,
            date: r.date("date").unwrap_or_default(),
            value: r.decimal("value").unwrap_or_default(),
        },
    )
    .await
}
