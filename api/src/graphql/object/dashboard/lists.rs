//! The lists both dashboards show, as pages.

use std::collections::HashSet;

use async_graphql::Context;

use crate::error::Result;
use entity::{measure, milestone, project, sub_project};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, Select};

use crate::graphql::object::{Measure, Milestone, plain::Plain};
use crate::graphql::{
    connection::{Conn, Paging, Sort, fetch},
    context::scope,
    scalar::today,
};
use service::{policy::FindVisible, report::tally};

/// One page of `filtered` in the order asked for, else in the ascending order of the two
/// columns given.
pub(super) async fn page<E, T>(
    ctx: &Context<'_>,
    filtered: Select<E>,
    asked: Option<Sort<E>>,
    order: [E::Column; 2],
    paging: Paging,
    node: fn(E::Model) -> T,
) -> Result<Conn<T>>
where
    E: entity::decode::Decode + entity::keyed::Keyed,
    E::Model: sea_orm::ModelTrait<Entity = E>,
    T: async_graphql::OutputType,
{
    let sort = asked.unwrap_or_else(|| Sort::default().asc(order[0]).asc(order[1]));
    Ok(fetch(ctx, &scope(ctx)?.db, filtered, sort, paging, node).await?)
}

pub(super) fn units(within: &HashSet<i32>) -> Vec<i32> {
    let mut units: Vec<i32> = within.iter().copied().collect();
    units.sort_unstable();
    units
}

pub(super) async fn overdue_milestones(
    ctx: &Context<'_>,
    within: Option<&HashSet<i32>>,
    asked: Option<Sort<milestone::Entity>>,
    paging: Paging,
) -> Result<Conn<Milestone>> {
    let s = scope(ctx)?;
    let mut filtered = milestone::Entity::find_visible_to(&s.viewer)
        .filter(milestone::Column::AchievedOn.is_null())
        .filter(milestone::Column::DueDate.lt(today()));
    if let Some(within) = within {
        let owned_projects = sea_orm::QuerySelect::column(
            sea_orm::QuerySelect::select_only(project::Entity::find())
                .filter(project::Column::OrgUnitId.is_in(units(within))),
            project::Column::Id,
        );
        let owned_sub_projects = sea_orm::QuerySelect::column(
            sea_orm::QuerySelect::select_only(sub_project::Entity::find())
                .filter(sub_project::Column::OrgUnitId.is_in(units(within))),
            sub_project::Column::Id,
        );
        filtered = filtered.filter(
            Condition::any()
                .add(
                    milestone::Column::ProjectId
                        .in_subquery(sea_orm::QueryTrait::into_query(owned_projects)),
                )
                .add(
                    milestone::Column::SubProjectId
                        .in_subquery(sea_orm::QueryTrait::into_query(owned_sub_projects)),
                ),
        );
    }
    page(
        ctx,
        filtered,
        asked,
        [milestone::Column::DueDate, milestone::Column::Id],
        paging,
        Milestone,
    )
    .await
}

pub(super) async fn measures_needing_report(
    ctx: &Context<'_>,
    within: Option<&HashSet<i32>>,
    asked: Option<Sort<measure::Entity>>,
    paging: Paging,
) -> Result<Conn<Plain<Measure>>> {
    let s = scope(ctx)?;
    let since = tally::cutoff(today(), s.reporting.cycle_days());
    let mut filtered =
        measure::Entity::find_visible_to(&s.viewer).filter(tally::measures_without_report(since));
    if let Some(within) = within {
        filtered = filtered.filter(measure::Column::OrgUnitId.is_in(units(within)));
    }
    page(
        ctx,
        filtered,
        asked,
        [measure::Column::Number, measure::Column::Id],
        paging,
        |m| Plain(Measure(m)),
    )
    .await
}
