//! Submitting status reports: the history of a piece of work, whose latest report sets its
//! progress and traffic light.

use chrono::NaiveDate;
use entity::{enums as db, measure, project, status_report, sub_project};
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    sea_query::{Expr, ExprTrait},
};

use crate::{
    audit::Subject,
    error::{ApiError, ApiResult},
    policy::writes,
    validate,
    viewer::Viewer,
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
    let (owner, kind) = match work {
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
    };
    writes::require_edit(viewer, owner, "report on this item")?;
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
    let report = status_report::ActiveModel {
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
        ..Default::default()
    };
    let report = w
        .insert(
            report,
            Subject {
                kind: "StatusReport",
                owner: Some(owner),
            },
        )
        .await?;
    let latest = status_report::Entity::find()
        .filter(match work {
            Work::Measure(id) => status_report::Column::MeasureId.eq(id),
            Work::Project(id) => status_report::Column::ProjectId.eq(id),
            Work::SubProject(id) => status_report::Column::SubProjectId.eq(id),
        })
        .order_by_desc(status_report::Column::ReportedOn)
        .order_by_desc(status_report::Column::Id)
        .one(&w.txn)
        .await?
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("the report just written is missing")))?;
    carry_over(&w, work, latest.progress, latest.rag, kind, owner).await?;
    w.commit().await?;
    Ok(report)
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
