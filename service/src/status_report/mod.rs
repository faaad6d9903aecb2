//! Submitting status reports: the history of a piece of work, whose latest approved report
//! sets its progress and traffic light. Where the tenant reviews reports
//! (`reportReview`), a department's report waits for central IT ([`review`]).

pub mod dimension;
pub mod latest;
pub mod review;

use chrono::NaiveDate;
use entity::{enums as db, measure, project, status_report, sub_project};
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter,
    sea_query::{Expr, ExprTrait},
};
use status_report::Column as C;

use crate::{
    audit::Subject,
    error::{ApiError, ApiResult},
    policy::{Held, writes},
    validate,
    viewer::{Viewer, Work as Shared},
    write::Write,
};

/// The work a report is about.
#[derive(Debug, Clone, Copy)]
pub enum Work {
    Measure(i32),
    Project(i32),
    SubProject(i32),
}

/// A status report on a measure, project or sub-project.
#[derive(Debug, Clone)]
pub struct NewStatusReport {
    pub subject: Work,
    pub progress: i32,
    pub rag: db::Rag,
    pub summary: String,
    pub risks: Option<String>,
    pub internal_notes: Option<String>,
    pub next_steps: Option<String>,
    /// Reporting date (default: today).
    pub reported_on: Option<NaiveDate>,
    /// A light per dimension (schedule, budget, scope, resources), each at most once.
    pub dimensions: Vec<dimension::DimensionLight>,
}

/// Submits a report and carries its progress and traffic light over to the subject.
#[tracing::instrument(skip_all, fields(tenant = viewer.tenant_id))]
pub async fn submit(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: NewStatusReport,
) -> ApiResult<status_report::Model> {
    let work = input.subject;
    writes::require_administration(viewer, "submit status reports")?;
    let w = Write::begin(db, viewer).await?;
    let (owner, kind) = owner_of(&w, work).await?;
    writes::require_edit(viewer, held(owner, work), "report on this item")?;
    let today = w.now.date_naive();
    let reported_on = input.reported_on.unwrap_or(today);
    if reported_on > today {
        return Err(ApiError::bad_input(
            "reportedOn",
            "must not be in the future",
        ));
    }
    let summary = validate::text("summary", Some(input.summary))?
        .ok_or_else(|| ApiError::bad_input("summary", "must not be empty"))?;
    let (measure_id, project_id, sub_project_id) = match work {
        Work::Measure(id) => (Some(id), None, None),
        Work::Project(id) => (None, Some(id), None),
        Work::SubProject(id) => (None, None, Some(id)),
    };
    let reviewed = writes::report_needs_review(viewer);
    if reviewed && pending(&w.txn, work).await?.is_some() {
        return Err(ApiError::Conflict(
            "a report on this item is waiting for central IT's review; it must be approved or returned first".into(),
        ));
    }
    let mut report = status_report::ActiveModel {
        tenant_id: Set(viewer.tenant_id),
        measure_id: Set(measure_id),
        project_id: Set(project_id),
        sub_project_id: Set(sub_project_id),
        reported_on: Set(reported_on),
        progress: Set(validate::progress("progress", input.progress)?),
        rag: Set(input.rag),
        summary: Set(summary),
        risks: Set(validate::text("risks", input.risks)?),
        internal_notes: Set(validate::text("internalNotes", input.internal_notes)?),
        next_steps: Set(validate::text("nextSteps", input.next_steps)?),
        author_sub: Set(viewer.sub.clone()),
        author_name: Set(viewer.name.clone()),
        created_at: Set(w.now),
        review_state: Set(if reviewed {
            db::ReviewState::Submitted
        } else {
            db::ReviewState::Approved
        }),
        ..Default::default()
    };
    dimension::set(&mut report, input.dimensions)?;
    let report = w
        .insert(
            report,
            Subject {
                kind: "StatusReport",
                owner: Some(owner),
            },
        )
        .await?;
    if !reviewed {
        carry_latest(&w, work, kind, owner).await?;
    }
    w.commit().await?;
    Ok(report)
}

/// The unit that owns `work` (visible to the writer) and its GraphQL type.
async fn owner_of(w: &Write<'_>, work: Work) -> ApiResult<(i32, &'static str)> {
    Ok(match work {
        Work::Measure(id) => (
            w.visible::<measure::Entity>(id, "measure")
                .await?
                .org_unit_id,
            "Measure",
        ),
        Work::Project(id) => (
            w.visible::<project::Entity>(id, "project")
                .await?
                .org_unit_id,
            "Project",
        ),
        Work::SubProject(id) => (
            w.visible::<sub_project::Entity>(id, "sub-project")
                .await?
                .org_unit_id,
            "SubProject",
        ),
    })
}

/// What holds `work` owned by `owner`, for the write rules (co-leading units of projects and
/// sub-projects report like the owner).
fn held(owner: i32, work: Work) -> Held {
    Held {
        owner,
        work: match work {
            Work::Measure(_) => None,
            Work::Project(id) => Some(Shared::Project(id)),
            Work::SubProject(id) => Some(Shared::SubProject(id)),
        },
    }
}

/// The work a report is on.
pub fn work_of(report: &status_report::Model) -> Option<Work> {
    match (report.measure_id, report.project_id, report.sub_project_id) {
        (Some(id), _, _) => Some(Work::Measure(id)),
        (_, Some(id), _) => Some(Work::Project(id)),
        (_, _, Some(id)) => Some(Work::SubProject(id)),
        _ => None,
    }
}

fn on(work: Work) -> sea_orm::sea_query::SimpleExpr {
    match work {
        Work::Measure(id) => C::MeasureId.eq(id),
        Work::Project(id) => C::ProjectId.eq(id),
        Work::SubProject(id) => C::SubProjectId.eq(id),
    }
}

/// The report on `work` that waits for review, if one does.
async fn pending(
    db: &impl sea_orm::ConnectionTrait,
    work: Work,
) -> ApiResult<Option<status_report::Model>> {
    Ok(status_report::Entity::find()
        .filter(on(work))
        .filter(C::ReviewState.eq(db::ReviewState::Submitted))
        .one(db)
        .await?)
}

/// Flags the latest approved report of the work ([`latest`]) and carries it over to the
/// work: by reporting date, so an approved report dated before another changes nothing but
/// the version.
async fn carry_latest(w: &Write<'_>, work: Work, kind: &'static str, owner: i32) -> ApiResult<()> {
    let latest = latest::mark(&w.txn, work)
        .await?
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("the approved report is missing")))?;
    carry_over(w, work, latest.progress, latest.rag, kind, owner).await
}

/// Sets the subject's progress and traffic light; the version moves on, so an editor holding
/// the old state gets a conflict rather than overwriting the report's figures.
async fn carry_over(
    w: &Write<'_>,
    work: Work,
    progress: i32,
    rag: db::Rag,
    kind: &'static str,
    owner: i32,
) -> ApiResult<()> {
    macro_rules! carry {
        ($module:ident, $id:expr) => {{
            let before = $module::Entity::find_by_id($id)
                .one(&w.txn)
                .await?
                .ok_or(ApiError::NotFound(kind))?;
            $module::Entity::update_many()
                .col_expr($module::Column::Progress, Expr::value(progress))
                .col_expr($module::Column::Rag, Expr::value(rag.as_str()))
                .col_expr(
                    $module::Column::Version,
                    Expr::col($module::Column::Version).add(1),
                )
                .col_expr($module::Column::UpdatedAt, Expr::value(w.now))
                .filter($module::Column::Id.eq($id))
                .exec(&w.txn)
                .await?;
            let after = $module::Entity::find_by_id($id)
                .one(&w.txn)
                .await?
                .ok_or(ApiError::NotFound(kind))?;
            crate::audit::record(
                w,
                crate::audit::Action::Report,
                Subject {
                    kind,
                    owner: Some(owner),
                },
                $id,
                Some(&before),
                Some(&after),
            )
            .await
        }};
    }
    match work {
        Work::Measure(id) => carry!(measure, id),
        Work::Project(id) => carry!(project, id),
        Work::SubProject(id) => carry!(sub_project, id),
    }
}
