//! Building, publishing and reading the council report.
//!
//! The report is built from the council's view of the tenant (see
//! [`crate::policy::reports`]): roll-ups at the day before the period and at its end (or
//! `asOf`), completions and milestones within the period, budget of the years it touches.
//! Counts and sums are computed by the database per project and taken on to the goals through
//! the council's tree, which the roll-ups walk too.

use std::collections::{BTreeSet, HashMap};

use chrono::{Days, NaiveDate, Utc};
use entity::{budget_line, council_report, milestone, tenant};
use rust_decimal::Decimal;
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::Set,
    ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::{Expr, ExprTrait},
};

use super::{
    log::ReportLog,
    model::{
        CouncilReport, CouncilReportGoal, CouncilReportMeasure, CouncilReportTotals, RagChange,
        ReportBudget,
    },
    period::Period,
    rollup::{Kind, Rollup},
    tree::Tree,
    tree_rows::Reports,
};
use crate::{
    audit,
    clock::today,
    error::{ApiError, ApiResult},
    policy::{FindVisible, reports, writes},
    viewer::Viewer,
    write::Write,
};

/// Builds the live council report of `period` for the caller, as of `as_of` (default: the
/// end of the period, or today while it runs).
pub async fn live(
    db: &DatabaseConnection,
    viewer: &Viewer,
    period: &Period,
    as_of: Option<NaiveDate>,
) -> ApiResult<CouncilReport> {
    let tenant = tenant_of(db, viewer).await?;
    reports::require_live_council_report(viewer, tenant.council_live_report)?;
    build(db, viewer, &tenant, period, as_of).await
}

async fn tenant_of(db: &DatabaseConnection, viewer: &Viewer) -> ApiResult<tenant::Model> {
    tenant::Entity::find_by_id(viewer.tenant_id)
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("Tenant"))
}

/// The last day the report shows.
fn end_day(period: &Period, as_of: Option<NaiveDate>) -> ApiResult<NaiveDate> {
    let today = today();
    if period.from > today {
        return Err(ApiError::bad_input(
            "period",
            "the period has not begun yet",
        ));
    }
    match as_of {
        None => Ok(std::cmp::Ord::min(period.to, today)),
        Some(day) if day < period.from || day > period.to => {
            Err(ApiError::bad_input("asOf", "must lie within the period"))
        }
        Some(day) if day > today => Err(ApiError::bad_input("asOf", "lies in the future")),
        Some(day) => Ok(day),
    }
}

async fn build(
    db: &DatabaseConnection,
    caller: &Viewer,
    tenant: &tenant::Model,
    period: &Period,
    as_of: Option<NaiveDate>,
) -> ApiResult<CouncilReport> {
    let end = end_day(period, as_of)?;
    let start = period.from - Days::new(1);
    let council = reports::council_view(caller);
    // Ranked: the report needs the summaries, and its days are mostly past.
    let (tree, log) = Tree::load_with_reports(db, &council, &[start, end], Reports::Ranked).await?;
    let before = Rollup::compute(&tree, &log, start);
    let after = Rollup::compute(&tree, &log, end);
    let figures = Figures::load(db, &council, &tree, period.from, end, period).await?;
    let goal_ids: Vec<i32> = tree.goals.iter().map(|g| g.id).collect();
    let mut indicators = super::council_indicators::by_goal(db, &council, &goal_ids, end).await?;

    let strategy_titles: HashMap<i32, &str> = tree
        .strategies
        .iter()
        .map(|s| (s.id, s.title.as_str()))
        .collect();
    let in_period = |day: Option<NaiveDate>| day.is_some_and(|d| d >= period.from && d <= end);
    let mut goals = Vec::new();
    let mut all_measures = BTreeSet::new();
    let mut all_completed = BTreeSet::new();
    for goal in &tree.goals {
        let measures: Vec<_> = tree.measures_of_goal(goal.id).collect();
        let mut lines = Vec::new();
        let mut changes = Vec::new();
        let mut completed = 0;
        for m in &measures {
            all_measures.insert(m.id);
            if in_period(m.completed_on) {
                completed += 1;
                all_completed.insert(m.id);
            }
            let report = log
                .entry(Kind::Measure, m.id, end)
                .filter(|e| e.reported.on >= period.from);
            let (s, e) = (
                before.get(Kind::Measure, m.id),
                after.get(Kind::Measure, m.id),
            );
            lines.push(CouncilReportMeasure {
                measure_id: Some(m.id),
                number: m.number.clone(),
                title: m.title.clone(),
                status: m.status,
                progress_start: s.progress,
                progress_end: e.progress,
                rag_start: s.rag,
                rag_end: e.rag,
                completed_on: m.completed_on,
                summary: report.and_then(|r| r.summary.clone()),
                reported_on: report.map(|r| r.reported.on),
            });
            changes.extend(rag_change(
                &log,
                Kind::Measure,
                m.id,
                "Measure",
                Some(&m.number),
                &m.title,
                start,
                end,
                period.from,
            ));
            for p in tree.projects_of(m.id) {
                changes.extend(rag_change(
                    &log,
                    Kind::Project,
                    p.id,
                    "Project",
                    p.code.as_deref(),
                    &p.title,
                    start,
                    end,
                    period.from,
                ));
            }
        }
        changes
            .sort_by(|a: &RagChange, b| (a.reported_on, &a.title).cmp(&(b.reported_on, &b.title)));
        changes.dedup_by(|a, b| {
            a.kind == b.kind && a.title == b.title && a.reported_on == b.reported_on
        });
        goals.push(CouncilReportGoal {
            goal_id: Some(goal.id),
            code: goal.code.clone(),
            title: goal.title.clone(),
            strategy: strategy_titles
                .get(&goal.strategy_id)
                .copied()
                .unwrap_or_default()
                .to_owned(),
            progress_start: before.get(Kind::Goal, goal.id).progress,
            progress_end: after.get(Kind::Goal, goal.id).progress,
            measures_total: measures.len() as i32,
            measures_completed: completed,
            milestones_achieved: figures.achieved.get(&Some(goal.id)).copied().unwrap_or(0),
            milestones_missed: figures.missed.get(&Some(goal.id)).copied().unwrap_or(0),
            budget: figures
                .budget
                .get(&Some(goal.id))
                .cloned()
                .unwrap_or_default(),
            measures: lines,
            rag_changes: changes,
            indicators: indicators.remove(&goal.id).unwrap_or_default(),
        });
    }
    Ok(CouncilReport {
        id: None,
        published_at: None,
        published_by: None,
        tenant_key: tenant.key.clone(),
        tenant_name: tenant.name.clone(),
        title: tenant.council_report_title.clone(),
        issuer: tenant.council_report_issuer.clone(),
        period: period.label.clone(),
        from: period.from,
        to: period.to,
        as_of: end,
        generated_at: Utc::now(),
        totals: CouncilReportTotals {
            goals: goals.len() as i32,
            measures: all_measures.len() as i32,
            measures_completed: all_completed.len() as i32,
            milestones_achieved: figures.achieved.get(&None).copied().unwrap_or(0),
            milestones_missed: figures.missed.get(&None).copied().unwrap_or(0),
            budget: figures.budget.get(&None).cloned().unwrap_or_default(),
        },
        goals,
    })
}

/// The traffic light a row's own reports changed within the period, with the summary of the
/// report that set it.
#[allow(clippy::too_many_arguments)]
fn rag_change(
    log: &ReportLog,
    kind: Kind,
    id: i32,
    label: &str,
    code: Option<&str>,
    title: &str,
    start: NaiveDate,
    end: NaiveDate,
    from: NaiveDate,
) -> Option<RagChange> {
    let now = log.entry(kind, id, end).filter(|e| e.reported.on >= from)?;
    let was = log.entry(kind, id, start).map(|e| e.reported.rag);
    (was != Some(now.reported.rag)).then(|| RagChange {
        subject_id: Some(id),
        kind: label.to_owned(),
        code: code.map(str::to_owned),
        title: title.to_owned(),
        from_rag: was,
        to_rag: now.reported.rag,
        reported_on: now.reported.on,
        summary: now.summary.clone().unwrap_or_default(),
    })
}

/// Counts and sums per goal (`Some(goal)`) and over all goals of the report (`None`).
struct Figures {
    achieved: HashMap<Option<i32>, i32>,
    missed: HashMap<Option<i32>, i32>,
    budget: HashMap<Option<i32>, ReportBudget>,
}

impl Figures {
    /// The database sums the council's milestones and budget lines per project (one
    /// statement each); the tree it has already read takes them on to the goals of each
    /// project's measure. Joining the goals in SQL as well put so many tables into one
    /// statement beside the visibility rules that planning it took longer than running it,
    /// at a state's size more than the rest of the report (BENCHMARKS.md).
    async fn load(
        db: &DatabaseConnection,
        council: &Viewer,
        tree: &Tree,
        from: NaiveDate,
        end: NaiveDate,
        period: &Period,
    ) -> ApiResult<Self> {
        use milestone::Column as M;
        let achieved = Expr::col((milestone::Entity, M::AchievedOn))
            .gte(from)
            .and(Expr::col((milestone::Entity, M::AchievedOn)).lte(end));
        let missed = Expr::col((milestone::Entity, M::DueDate))
            .gte(from)
            .and(Expr::col((milestone::Entity, M::DueDate)).lte(end))
            .and(
                Expr::col((milestone::Entity, M::AchievedOn))
                    .is_null()
                    .or(Expr::col((milestone::Entity, M::AchievedOn))
                        .gt(Expr::col((milestone::Entity, M::DueDate)))),
            );
        let count = |condition: Expr| Expr::case(condition, 1).finally(0).sum();
        let milestones = milestone::Entity::find_visible_to(council)
            .select_only()
            .column(M::ProjectId)
            .expr_as(count(achieved.clone()), "achieved")
            .expr_as(count(missed.clone()), "missed")
            .filter(achieved.or(missed))
            .group_by(M::ProjectId)
            .into_tuple::<(i32, i64, i64)>()
            .all(db)
            .await?;
        use budget_line::Column as B;
        let years = period.budget_years(council.settings.fiscal_year_start_month);
        let budget = budget_line::Entity::find_visible_to(council)
            .select_only()
            .column(B::ProjectId)
            .column_as(B::Planned.sum(), "planned")
            .column_as(B::Approved.sum(), "approved")
            .column_as(B::Spent.sum(), "spent")
            .filter(B::Year.between(*years.start(), *years.end()))
            .group_by(B::ProjectId)
            .into_tuple::<(i32, Option<Decimal>, Option<Decimal>, Option<Decimal>)>()
            .all(db)
            .await?;

        let mut figures = Self {
            achieved: HashMap::new(),
            missed: HashMap::new(),
            budget: HashMap::new(),
        };
        let clamp = |n: i64| i32::try_from(n).unwrap_or(i32::MAX);
        for (project, achieved, missed) in milestones {
            for key in reached(tree, project) {
                let a = figures.achieved.entry(key).or_default();
                *a = a.saturating_add(clamp(achieved));
                let m = figures.missed.entry(key).or_default();
                *m = m.saturating_add(clamp(missed));
            }
        }
        for (project, planned, approved, spent) in budget {
            for key in reached(tree, project) {
                let sum = figures.budget.entry(key).or_default();
                sum.planned += planned.unwrap_or_default();
                sum.approved += approved.unwrap_or_default();
                sum.spent += spent.unwrap_or_default();
            }
        }
        for sum in figures.budget.values_mut() {
            for money in [&mut sum.planned, &mut sum.approved, &mut sum.spent] {
                *money = money.round_dp(2);
            }
        }
        Ok(figures)
    }
}

/// What a project's figures count for: each goal of its measure (`Some`), and the report's
/// total (`None`) when it has any; a project under no goal of the report counts for none of it.
fn reached(tree: &Tree, project: i32) -> impl Iterator<Item = Option<i32>> + '_ {
    let goals = tree.goals_of_project(project);
    goals
        .iter()
        .map(|&goal| Some(goal))
        .chain((!goals.is_empty()).then_some(None))
}

/// Publishes the council report of `period` as it stands now; a period is published once.
pub async fn publish(
    db: &DatabaseConnection,
    viewer: &Viewer,
    period: &Period,
) -> ApiResult<CouncilReport> {
    writes::require_central_it(viewer, "publish council reports")?;
    let tenant = tenant_of(db, viewer).await?;
    let report = build(db, viewer, &tenant, period, None).await?;
    let content = serde_json::to_string(&report)
        .map_err(|err| ApiError::Internal(anyhow::anyhow!("report to JSON: {err}")))?;
    let w = Write::begin(db, viewer).await?;
    let taken = council_report::Entity::find()
        .filter(council_report::Column::TenantId.eq(viewer.tenant_id))
        .filter(council_report::Column::Period.eq(&period.label))
        .one(&w.txn)
        .await?;
    if taken.is_some() {
        return Err(ApiError::Conflict(format!(
            "the council report of {} is already published; published reports never change",
            period.label
        )));
    }
    let row = council_report::ActiveModel {
        tenant_id: Set(viewer.tenant_id),
        period: Set(period.label.clone()),
        period_from: Set(period.from),
        period_to: Set(period.to),
        as_of: Set(report.as_of),
        content: Set(content),
        published_at: Set(w.now),
        published_by: Set(viewer.sub.clone()),
        published_by_name: Set(viewer.name.clone()),
        ..Default::default()
    }
    .insert(&w.txn)
    .await?;
    #[derive(serde::Serialize)]
    struct Published<'a> {
        period: &'a str,
        as_of: NaiveDate,
    }
    let record = Published {
        period: &row.period,
        as_of: row.as_of,
    };
    audit::record(
        &w,
        audit::Action::Publish,
        audit::Subject {
            kind: "CouncilReport",
            owner: None,
        },
        row.id,
        None,
        Some(&record),
    )
    .await?;
    w.commit().await?;
    stored(row)
}

/// A published report as it was stored.
pub fn stored(row: council_report::Model) -> ApiResult<CouncilReport> {
    let mut report: CouncilReport = serde_json::from_str(&row.content).map_err(|err| {
        ApiError::Internal(anyhow::anyhow!("stored council report {}: {err}", row.id))
    })?;
    report.id = Some(row.id);
    report.published_at = Some(row.published_at);
    report.published_by = row.published_by_name.or(Some(row.published_by));
    Ok(report)
}

/// Published reports of the viewer's tenant, newest period first.
pub async fn published(db: &DatabaseConnection, viewer: &Viewer) -> ApiResult<Vec<CouncilReport>> {
    reports::require_published_council_reports(viewer)?;
    council_report::Entity::find()
        .filter(council_report::Column::TenantId.eq(viewer.tenant_id))
        .order_by_desc(council_report::Column::PeriodFrom)
        .order_by_desc(council_report::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(stored)
        .collect()
}

/// One published report (`NOT_FOUND` for another tenant's).
pub async fn published_one(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: i32,
) -> ApiResult<CouncilReport> {
    reports::require_published_council_reports(viewer)?;
    let row = council_report::Entity::find_by_id(id)
        .filter(council_report::Column::TenantId.eq(viewer.tenant_id))
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("CouncilReport"))?;
    stored(row)
}

/// Lets the council read the live report of its tenant, or stops it (central IT).
pub async fn allow_live(
    db: &DatabaseConnection,
    viewer: &Viewer,
    allowed: bool,
    version: i32,
) -> ApiResult<tenant::Model> {
    writes::require_central_it(viewer, "release the live council report")?;
    if version < 1 {
        return Err(ApiError::bad_input("version", "must be at least 1"));
    }
    let w = Write::begin(db, viewer).await?;
    let before = tenant::Entity::find_by_id(viewer.tenant_id)
        .one(&w.txn)
        .await?
        .ok_or(ApiError::NotFound("Tenant"))?;
    let changes = tenant::ActiveModel {
        council_live_report: Set(allowed),
        ..Default::default()
    };
    let after = w
        .update::<tenant::Entity, _>(
            &before,
            version,
            changes,
            audit::Action::Update,
            audit::Subject {
                kind: "Tenant",
                owner: None,
            },
        )
        .await?;
    w.commit().await?;
    Ok(after)
}
