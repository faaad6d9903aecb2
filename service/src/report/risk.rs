//! Figures of the risk register, over the risks the viewer may see (`policy::rows`: central
//! IT and the owning department only, so the council and the public count none): the open
//! risks by probability × impact for the dashboards, and the high open risks by work, which
//! raise the work's traffic light (`HIGH_RISK`).

use std::collections::{HashMap, HashSet};

use entity::{enums::RiskStatus, measure, project, risk};
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect, Select,
    sea_query::{Expr, ExprTrait},
};

use crate::{error::ApiResult, policy::FindVisible, risk::HIGH_RISK_SCORE, viewer::Viewer};

/// Open risks of one cell of the risk matrix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cell {
    pub probability: i32,
    pub impact: i32,
    pub count: i64,
}

/// The dashboards' risk matrix: every cell of it with the open risks the viewer may see (of
/// work the units `within` own, when given), counted by the database.
pub async fn matrix(
    db: &DatabaseConnection,
    viewer: &Viewer,
    within: Option<&HashSet<i32>>,
) -> ApiResult<Vec<Cell>> {
    use risk::Column as C;
    let counted: Vec<(i32, i32, i64)> = open_risks(viewer, within)
        .column(C::Probability)
        .column(C::Impact)
        .column_as(C::Id.count(), "n")
        .group_by(C::Probability)
        .group_by(C::Impact)
        .into_tuple()
        .all(db)
        .await?;
    let counted = counted
        .into_iter()
        .map(|(probability, impact, n)| ((probability, impact), n))
        .collect();
    Ok(cells(&counted))
}

/// The open risks the viewer may see; only risks of work the units `within` own when given
/// (a department dashboard's subtree).
fn open_risks(viewer: &Viewer, within: Option<&HashSet<i32>>) -> Select<risk::Entity> {
    let select = risk::Entity::find_visible_to(viewer)
        .select_only()
        .filter(risk::Column::Status.eq(RiskStatus::Open));
    match within {
        Some(units) => select.filter(owned_by(units)),
        None => select,
    }
}

/// Every cell of the 5 × 5 matrix with its count (zeros included), probability first, both
/// ascending.
fn cells(counted: &HashMap<(i32, i32), i64>) -> Vec<Cell> {
    (1..=5)
        .flat_map(|probability| (1..=5).map(move |impact| (probability, impact)))
        .map(|(probability, impact)| Cell {
            probability,
            impact,
            count: counted.get(&(probability, impact)).copied().unwrap_or(0),
        })
        .collect()
}

/// Risks of projects or measures owned by `units`.
fn owned_by(units: &HashSet<i32>) -> Condition {
    let mut units: Vec<i32> = units.iter().copied().collect();
    units.sort_unstable();
    let projects = sea_orm::QueryTrait::into_query(
        project::Entity::find()
            .select_only()
            .column(project::Column::Id)
            .filter(project::Column::OrgUnitId.is_in(units.clone())),
    );
    let measures = sea_orm::QueryTrait::into_query(
        measure::Entity::find()
            .select_only()
            .column(measure::Column::Id)
            .filter(measure::Column::OrgUnitId.is_in(units)),
    );
    Condition::any()
        .add(risk::Column::ProjectId.in_subquery(projects))
        .add(risk::Column::MeasureId.in_subquery(measures))
}

/// High open risks (score at least [`HIGH_RISK_SCORE`]) the viewer may see, by the project
/// and by the measure they belong to.
#[derive(Clone, Debug, Default)]
pub struct HighRisks {
    pub by_project: HashMap<i32, i32>,
    pub by_measure: HashMap<i32, i32>,
}

impl HighRisks {
    /// Counted in SQL, one statement per request ([`super::live`]).
    pub async fn load(db: &DatabaseConnection, viewer: &Viewer) -> ApiResult<Self> {
        use risk::Column as C;
        let rows: Vec<(Option<i32>, Option<i32>, i64)> = risk::Entity::find_visible_to(viewer)
            .select_only()
            .column(C::ProjectId)
            .column(C::MeasureId)
            .column_as(C::Id.count(), "n")
            .filter(C::Status.eq(RiskStatus::Open))
            .filter(
                Expr::col(C::Probability)
                    .mul(Expr::col(C::Impact))
                    .gte(HIGH_RISK_SCORE),
            )
            .group_by(C::ProjectId)
            .group_by(C::MeasureId)
            .into_tuple()
            .all(db)
            .await?;
        let mut high = Self::default();
        for (project, measure, n) in rows {
            let n = i32::try_from(n).unwrap_or(i32::MAX);
            match (project, measure) {
                (Some(project), _) => *high.by_project.entry(project).or_insert(0) += n,
                (None, Some(measure)) => *high.by_measure.entry(measure).or_insert(0) += n,
                (None, None) => {}
            }
        }
        Ok(high)
    }
}
