//! The lights of a status report by dimension: beside the overall light, one each for
//! schedule, budget, scope (and quality) and resources, with a comment each.
//!
//! They are columns of the report (two per dimension), so that a page of reports reads them
//! in the statement that reads the reports, and they follow the report wherever it goes: its
//! review, its visibility, the tenant file. This module is the one place that knows the
//! columns.

use entity::{enums::Rag, status_report};
use sea_orm::ActiveValue::Set;

use crate::{
    error::{ApiError, ApiResult},
    validate,
};

/// A dimension a status report gives a light for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    Schedule,
    Budget,
    /// Scope and quality.
    Scope,
    Resources,
}

impl Dimension {
    /// Every dimension, in the order reports list them.
    pub const ALL: [Self; 4] = [Self::Schedule, Self::Budget, Self::Scope, Self::Resources];
}

/// The light of one dimension and what the reporter says about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DimensionLight {
    pub dimension: Dimension,
    pub rag: Rag,
    pub comment: Option<String>,
}

/// The dimensions a report gives, in [`Dimension::ALL`] order; none for reports written
/// before dimensions existed.
pub fn of(report: &status_report::Model) -> Vec<DimensionLight> {
    let r = report;
    [
        (Dimension::Schedule, r.schedule_rag, &r.schedule_comment),
        (Dimension::Budget, r.budget_rag, &r.budget_comment),
        (Dimension::Scope, r.scope_rag, &r.scope_comment),
        (Dimension::Resources, r.resources_rag, &r.resources_comment),
    ]
    .into_iter()
    .filter_map(|(dimension, rag, comment)| {
        rag.map(|rag| DimensionLight {
            dimension,
            rag,
            comment: comment.clone(),
        })
    })
    .collect()
}

/// Sets the columns of the given dimensions on a new report: each dimension at most once,
/// comments checked like every text (`BAD_USER_INPUT` on `dimensions`).
pub fn set(row: &mut status_report::ActiveModel, lights: Vec<DimensionLight>) -> ApiResult<()> {
    let mut seen = Vec::with_capacity(lights.len());
    for light in lights {
        if seen.contains(&light.dimension) {
            return Err(ApiError::bad_input(
                "dimensions",
                format!(
                    "{:?} is given twice; give each dimension at most once",
                    light.dimension
                ),
            ));
        }
        seen.push(light.dimension);
        let rag = Set(Some(light.rag));
        let comment = Set(validate::text("dimensions", light.comment)?);
        match light.dimension {
            Dimension::Schedule => (row.schedule_rag, row.schedule_comment) = (rag, comment),
            Dimension::Budget => (row.budget_rag, row.budget_comment) = (rag, comment),
            Dimension::Scope => (row.scope_rag, row.scope_comment) = (rag, comment),
            Dimension::Resources => (row.resources_rag, row.resources_comment) = (rag, comment),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn light(dimension: Dimension, rag: Rag) -> DimensionLight {
        DimensionLight {
            dimension,
            rag,
            comment: Some(" late delivery ".into()),
        }
    }

    #[test]
    fn each_dimension_at_most_once() {
        let mut row = status_report::ActiveModel::default();
        let twice = vec![
            light(Dimension::Budget, Rag::Red),
            light(Dimension::Budget, Rag::Green),
        ];
        assert!(matches!(
            set(&mut row, twice),
            Err(ApiError::BadInput { field, .. }) if field == "dimensions"
        ));
        let mut row = status_report::ActiveModel::default();
        set(&mut row, vec![light(Dimension::Scope, Rag::Amber)]).unwrap();
        assert_eq!(row.scope_rag, Set(Some(Rag::Amber)));
        assert_eq!(row.scope_comment, Set(Some("late delivery".into())));
        assert!(row.budget_rag.is_not_set());
    }
}
