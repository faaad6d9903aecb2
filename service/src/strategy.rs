//! The digital strategy and its versions (central IT). Goals are in [`crate::goal`],
//! indicators and their measured values in [`crate::indicator`].

use std::collections::HashMap;

use chrono::NaiveDate;
use entity::{enums as db, goal, indicator, measure_goal, strategy};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder,
};

use crate::{
    audit::{Action, Subject},
    error::ApiResult,
    policy::writes,
    validate,
    viewer::Viewer,
    write::{Change, Write},
};

/// A new strategy, revision 1, a draft.
#[derive(Debug, Clone)]
pub struct NewStrategy {
    pub title: String,
    pub description: Option<String>,
    pub org_unit_id: i32,
    pub period_start: NaiveDate,
    pub period_end: NaiveDate,
    pub visibility: db::Visibility,
}

/// Changes to a strategy read at `version`.
#[derive(Debug, Clone, Default)]
pub struct StrategyPatch {
    pub id: i32,
    pub version: i32,
    pub title: Option<String>,
    pub description: Change<String>,
    pub org_unit_id: Option<i32>,
    pub period_start: Option<NaiveDate>,
    pub period_end: Option<NaiveDate>,
    pub status: Option<db::StrategyStatus>,
    pub adopted_on: Change<NaiveDate>,
    pub visibility: Option<db::Visibility>,
}

/// A new version of a strategy; left-out fields are the old version's.
#[derive(Debug, Clone)]
pub struct NewStrategyVersion {
    pub strategy_id: i32,
    pub title: Option<String>,
    pub period_start: Option<NaiveDate>,
    pub period_end: Option<NaiveDate>,
}

/// The audit subject of a strategy row (`kind`) owned by `owner`.
pub(crate) fn subject(kind: &'static str, owner: i32) -> Subject {
    Subject {
        kind,
        owner: Some(owner),
    }
}

/// Central IT alone maintains the strategy.
pub(crate) fn require_steering(viewer: &Viewer) -> ApiResult<()> {
    writes::require_central_it(viewer, "maintain the strategy")
}

/// Creates a strategy as revision 1 (a draft).
pub async fn create(
    db: &sea_orm::DatabaseConnection,
    viewer: &Viewer,
    input: NewStrategy,
) -> ApiResult<strategy::Model> {
    crate::write::single!(db, viewer, |w| create_in(&w, input))
}

/// [`create`] within a write that others share (an import of many rows).
pub async fn create_in(w: &Write<'_>, input: NewStrategy) -> ApiResult<strategy::Model> {
    let viewer = w.viewer;
    require_steering(viewer)?;
    let owner = w.org_unit(input.org_unit_id).await?;
    validate::period(
        "periodEnd",
        Some(input.period_start),
        Some(input.period_end),
    )?;
    let row = strategy::ActiveModel {
        tenant_id: Set(viewer.tenant_id),
        org_unit_id: Set(owner),
        predecessor_id: Set(None),
        title: Set(validate::title("title", &input.title)?),
        description: Set(validate::text("description", input.description)?),
        period_start: Set(input.period_start),
        period_end: Set(input.period_end),
        status: Set(db::StrategyStatus::Draft),
        adopted_on: Set(None),
        revision: Set(1),
        visibility: Set(input.visibility),
        archived_at: Set(None),
        ..Default::default()
    };
    let strategy = w.insert(row, subject("Strategy", owner)).await?;
    Ok(strategy)
}

/// Changes a strategy; adopting it supersedes the version adopted before.
pub async fn update(
    db: &sea_orm::DatabaseConnection,
    viewer: &Viewer,
    input: StrategyPatch,
) -> ApiResult<strategy::Model> {
    crate::write::single!(db, viewer, |w| update_in(&w, input))
}

/// [`update`] within a write that others share (an import of many rows).
pub async fn update_in(w: &Write<'_>, input: StrategyPatch) -> ApiResult<strategy::Model> {
    let viewer = w.viewer;
    require_steering(viewer)?;
    let before = w.visible::<strategy::Entity>(input.id, "strategy").await?;
    let mut c = <strategy::ActiveModel as Default>::default();
    if let Some(title) = &input.title {
        c.title = Set(validate::title("title", title)?);
    }
    if let Some(v) = input.description {
        c.description = Set(validate::text("description", v)?);
    }
    let mut owner = before.org_unit_id;
    if let Some(u) = input.org_unit_id {
        owner = w.org_unit(u).await?;
        c.org_unit_id = Set(owner);
    }
    let start = input.period_start.unwrap_or(before.period_start);
    let end = input.period_end.unwrap_or(before.period_end);
    validate::period("periodEnd", Some(start), Some(end))?;
    c.period_start = Set(start);
    c.period_end = Set(end);
    let adopted_on_given = input.adopted_on.is_some();
    if let Some(v) = input.adopted_on {
        c.adopted_on = Set(v);
    }
    let adopting = input.status == Some(db::StrategyStatus::Adopted)
        && before.status != db::StrategyStatus::Adopted;
    if let Some(status) = input.status {
        c.status = Set(status);
        if adopting && !adopted_on_given && before.adopted_on.is_none() {
            c.adopted_on = Set(Some(w.now.date_naive()));
        }
    }
    if let Some(visibility) = input.visibility {
        c.visibility = Set(visibility);
    }
    let after = w
        .update(
            &before,
            input.version,
            c,
            Action::Update,
            subject("Strategy", owner),
        )
        .await?;
    if adopting {
        let adopted = strategy::Entity::find()
            .filter(strategy::Column::TenantId.eq(viewer.tenant_id))
            .filter(strategy::Column::Status.eq(db::StrategyStatus::Adopted))
            .filter(strategy::Column::Id.ne(after.id))
            .all(&w.txn)
            .await?;
        for old in adopted {
            let c = strategy::ActiveModel {
                status: Set(db::StrategyStatus::Superseded),
                ..Default::default()
            };
            w.update(
                &old,
                old.version,
                c,
                Action::Supersede,
                subject("Strategy", old.org_unit_id),
            )
            .await?;
        }
    }
    Ok(after)
}

/// A new draft version copying the goals (with indicators) and their measure links.
pub async fn new_version(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: NewStrategyVersion,
) -> ApiResult<strategy::Model> {
    require_steering(viewer)?;
    let w = Write::begin(db, viewer).await?;
    let source = w
        .visible::<strategy::Entity>(input.strategy_id, "strategy")
        .await?;
    let start = input.period_start.unwrap_or(source.period_start);
    let end = input.period_end.unwrap_or(source.period_end);
    validate::period("periodEnd", Some(start), Some(end))?;
    let title = match &input.title {
        Some(title) => validate::title("title", title)?,
        None => source.title.clone(),
    };
    let revision = strategy::Entity::find()
        .filter(strategy::Column::TenantId.eq(viewer.tenant_id))
        .order_by_desc(strategy::Column::Revision)
        .one(&w.txn)
        .await?
        .map_or(source.revision, |latest| {
            latest.revision.max(source.revision)
        })
        + 1;
    let row = strategy::ActiveModel {
        tenant_id: Set(viewer.tenant_id),
        org_unit_id: Set(source.org_unit_id),
        predecessor_id: Set(Some(source.id)),
        title: Set(title),
        description: Set(source.description.clone()),
        period_start: Set(start),
        period_end: Set(end),
        status: Set(db::StrategyStatus::Draft),
        adopted_on: Set(None),
        revision: Set(revision),
        visibility: Set(source.visibility),
        archived_at: Set(None),
        ..Default::default()
    };
    let copy = w
        .insert(row, subject("Strategy", source.org_unit_id))
        .await?;
    // Parents before children, so every copied parent id is known when its children come.
    let goals = goal::Entity::find()
        .filter(goal::Column::StrategyId.eq(source.id))
        .filter(goal::Column::ArchivedAt.is_null())
        .order_by_asc(goal::Column::Id)
        .all(&w.txn)
        .await?;
    let mut copied: HashMap<i32, i32> = HashMap::new();
    let mut pending = goals;
    while !pending.is_empty() {
        let before = pending.len();
        let (ready, waiting): (Vec<_>, Vec<_>) = pending
            .into_iter()
            .partition(|g| g.parent_id.is_none_or(|p| copied.contains_key(&p)));
        for g in ready {
            let new_goal = goal::ActiveModel {
                tenant_id: Set(viewer.tenant_id),
                strategy_id: Set(copy.id),
                parent_id: Set(g.parent_id.and_then(|p| copied.get(&p).copied())),
                org_unit_id: Set(g.org_unit_id),
                code: Set(g.code.clone()),
                title: Set(g.title.clone()),
                description: Set(g.description.clone()),
                status: Set(g.status),
                visibility: Set(g.visibility),
                position: Set(g.position),
                archived_at: Set(None),
                created_at: Set(w.now),
                updated_at: Set(w.now),
                version: Set(1),
                ..Default::default()
            }
            .insert(&w.txn)
            .await?;
            copied.insert(g.id, new_goal.id);
        }
        // A parent outside the strategy (or archived) leaves its children at the top.
        pending = if waiting.len() == before {
            waiting
                .into_iter()
                .map(|g| goal::Model {
                    parent_id: None,
                    ..g
                })
                .collect()
        } else {
            waiting
        };
    }
    let old_ids: Vec<i32> = copied.keys().copied().collect();
    for i in indicator::Entity::find()
        .filter(indicator::Column::GoalId.is_in(old_ids.clone()))
        .all(&w.txn)
        .await?
    {
        let Some(goal_id) = i.goal_id.and_then(|g| copied.get(&g).copied()) else {
            continue;
        };
        let old_id = i.id;
        let copy = indicator::ActiveModel {
            tenant_id: Set(viewer.tenant_id),
            goal_id: Set(Some(goal_id)),
            name: Set(i.name),
            description: Set(i.description),
            unit: Set(i.unit),
            baseline: Set(i.baseline),
            baseline_date: Set(i.baseline_date),
            target: Set(i.target),
            target_date: Set(i.target_date),
            higher_is_better: Set(i.higher_is_better),
            archived_at: Set(None),
            created_at: Set(w.now),
            updated_at: Set(w.now),
            version: Set(1),
            ..Default::default()
        }
        .insert(&w.txn)
        .await?;
        // The target path comes along.
        let path = crate::indicator::targets::stored(&w, old_id).await?;
        crate::indicator::targets::replace(&w, copy.id, &path).await?;
    }
    for link in measure_goal::Entity::find()
        .filter(measure_goal::Column::GoalId.is_in(old_ids))
        .all(&w.txn)
        .await?
    {
        measure_goal::ActiveModel {
            measure_id: Set(link.measure_id),
            goal_id: Set(copied[&link.goal_id]),
            tenant_id: Set(viewer.tenant_id),
        }
        .insert(&w.txn)
        .await?;
    }
    w.commit().await?;
    Ok(copy)
}
