//! Project applications, their review and the steering committee's decisions.

use chrono::NaiveDate;
use entity::{application, enums as db, org_unit, project, steering_meeting};
use rust_decimal::Decimal;
use sea_orm::{ActiveValue::Set, DatabaseConnection};

use crate::{
    audit::{Action, Subject},
    error::{ApiError, ApiResult},
    policy::writes,
    validate,
    viewer::Viewer,
    write::Write,
};

/// A project idea for the steering committee.
#[derive(Debug, Clone)]
pub struct NewApplication {
    pub title: String,
    pub description: String,
    pub expected_benefit: Option<String>,
    pub estimated_cost: Option<Decimal>,
    /// The submitting unit (default: the submitter's own).
    pub org_unit_id: Option<i32>,
}

/// An application read at `version` put under review.
#[derive(Debug, Clone)]
pub struct ApplicationReview {
    pub id: i32,
    pub version: i32,
    /// The meeting it is put on the agenda of.
    pub meeting_id: Option<i32>,
}

/// What the steering committee decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Approved: the project is created.
    Approved,
    Rejected,
    /// Deferred to a later meeting.
    Deferred,
}

/// The steering committee's decision on an application.
#[derive(Debug, Clone)]
pub struct ApplicationDecision {
    pub id: i32,
    pub decision: Decision,
    pub note: Option<String>,
    pub meeting_id: Option<i32>,
    pub decision_number: Option<String>,
    pub conditions: Option<String>,
    pub budget_released: Option<Decimal>,
    /// Date of the decision (default: the meeting's date, else today).
    pub decided_on: Option<NaiveDate>,
    /// The `version` the application was read at; when given, a stale one is a conflict.
    pub version: Option<i32>,
}

/// A meeting of the steering committee.
#[derive(Debug, Clone)]
pub struct NewSteeringMeeting {
    pub title: String,
    pub held_on: NaiveDate,
    pub location: Option<String>,
    pub notes: Option<String>,
}

fn subject(owner: i32) -> Subject {
    Subject {
        kind: "Application",
        owner: Some(owner),
    }
}

/// Submits an idea (central IT or a department, for its own unit).
#[tracing::instrument(skip_all, fields(tenant = viewer.tenant_id))]
pub async fn submit(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: NewApplication,
) -> ApiResult<application::Model> {
    writes::require_administration(viewer, "submit applications")?;
    let w = Write::begin(db, viewer).await?;
    let unit = match (input.org_unit_id, viewer.org_unit_id) {
        (Some(unit), _) => {
            w.referenced::<org_unit::Entity>(unit, "orgUnitId")
                .await?
                .id
        }
        (None, Some(own)) => own,
        (None, None) => return Err(ApiError::bad_input("orgUnitId", "name the submitting unit")),
    };
    writes::require_submit(viewer, unit)?;
    let description = validate::text("description", Some(input.description))?
        .ok_or_else(|| ApiError::bad_input("description", "must not be empty"))?;
    let row = application::ActiveModel {
        tenant_id: Set(viewer.tenant_id),
        org_unit_id: Set(unit),
        title: Set(validate::title("title", &input.title)?),
        description: Set(description),
        expected_benefit: Set(validate::text("expectedBenefit", input.expected_benefit)?),
        estimated_cost: Set(input
            .estimated_cost
            .map(|c| validate::money("estimatedCost", c))
            .transpose()?),
        status: Set(db::ApplicationStatus::Submitted),
        submitted_by: Set(viewer.sub.clone()),
        submitted_by_name: Set(viewer.name.clone()),
        submitted_on: Set(w.now.date_naive()),
        meeting_id: Set(None),
        decided_on: Set(None),
        decision_number: Set(None),
        decision_note: Set(None),
        conditions: Set(None),
        budget_released: Set(None),
        ..Default::default()
    };
    let application = w.insert(row, subject(unit)).await?;
    w.commit().await?;
    Ok(application)
}

async fn meeting(
    w: &Write<'_>,
    meeting: Option<i32>,
) -> ApiResult<Option<steering_meeting::Model>> {
    match meeting {
        Some(m) => Ok(Some(
            w.referenced::<steering_meeting::Entity>(m, "meetingId")
                .await?,
        )),
        None => Ok(None),
    }
}

/// Puts a submitted (or deferred) application under review.
#[tracing::instrument(skip_all, fields(tenant = viewer.tenant_id))]
pub async fn review(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: ApplicationReview,
) -> ApiResult<application::Model> {
    writes::require_central_it(viewer, "review applications")?;
    let w = Write::begin(db, viewer).await?;
    let before = w
        .visible::<application::Entity>(input.id, "application")
        .await?;
    if !matches!(
        before.status,
        db::ApplicationStatus::Submitted | db::ApplicationStatus::Deferred
    ) {
        return Err(ApiError::Conflict(
            "only submitted or deferred applications can go under review".into(),
        ));
    }
    let mut c = application::ActiveModel {
        status: Set(db::ApplicationStatus::InReview),
        ..Default::default()
    };
    if let Some(meeting) = meeting(&w, input.meeting_id).await? {
        c.meeting_id = Set(Some(meeting.id));
    }
    let after = w
        .update(
            &before,
            input.version,
            c,
            Action::Review,
            subject(before.org_unit_id),
        )
        .await?;
    w.commit().await?;
    Ok(after)
}

/// Records the steering committee's decision; an approval creates the project in the same
/// transaction.
#[tracing::instrument(skip_all, fields(tenant = viewer.tenant_id))]
pub async fn decide(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: ApplicationDecision,
) -> ApiResult<application::Model> {
    writes::require_central_it(viewer, "record steering-committee decisions")?;
    let w = Write::begin(db, viewer).await?;
    let before = w
        .visible::<application::Entity>(input.id, "application")
        .await?;
    if matches!(
        before.status,
        db::ApplicationStatus::Approved | db::ApplicationStatus::Rejected
    ) {
        return Err(ApiError::Conflict(
            "the application has already been decided".into(),
        ));
    }
    let meeting = meeting(&w, input.meeting_id).await?;
    let decided_on: NaiveDate = input
        .decided_on
        .or(meeting.as_ref().map(|m| m.held_on))
        .unwrap_or_else(|| w.now.date_naive());
    let status = match input.decision {
        Decision::Approved => db::ApplicationStatus::Approved,
        Decision::Rejected => db::ApplicationStatus::Rejected,
        Decision::Deferred => db::ApplicationStatus::Deferred,
    };
    let budget = input
        .budget_released
        .map(|b| validate::money("budgetReleased", b))
        .transpose()?;
    if budget.is_some() && input.decision != Decision::Approved {
        return Err(ApiError::bad_input(
            "budgetReleased",
            "only an approval releases budget",
        ));
    }
    let c = application::ActiveModel {
        status: Set(status),
        meeting_id: Set(meeting.as_ref().map(|m| m.id).or(before.meeting_id)),
        decided_on: Set(Some(decided_on)),
        decision_number: Set(validate::short_text(
            "decisionNumber",
            input.decision_number,
        )?),
        decision_note: Set(validate::text("note", input.note)?),
        conditions: Set(validate::text("conditions", input.conditions)?),
        budget_released: Set(budget),
        ..Default::default()
    };
    let version = input.version.unwrap_or(before.version);
    let after = w
        .update(
            &before,
            version,
            c,
            Action::Decide,
            subject(before.org_unit_id),
        )
        .await?;
    if input.decision == Decision::Approved {
        let project = project::ActiveModel {
            tenant_id: Set(viewer.tenant_id),
            measure_id: Set(None),
            org_unit_id: Set(after.org_unit_id),
            application_id: Set(Some(after.id)),
            code: Set(None),
            title: Set(after.title.clone()),
            summary: Set(after.expected_benefit.clone()),
            description: Set(Some(after.description.clone())),
            status: Set(db::Status::Planned),
            rag: Set(db::Rag::Green),
            progress: Set(0),
            visibility: Set(db::Visibility::Internal),
            transferable: Set(false),
            application_approved_on: Set(Some(decided_on)),
            archived_at: Set(None),
            ..Default::default()
        };
        w.insert(
            project,
            Subject {
                kind: "Project",
                owner: Some(after.org_unit_id),
            },
        )
        .await?;
    }
    w.commit().await?;
    Ok(after)
}

/// Records a steering-committee meeting (central IT).
#[tracing::instrument(skip_all, fields(tenant = viewer.tenant_id))]
pub async fn create_meeting(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: NewSteeringMeeting,
) -> ApiResult<steering_meeting::Model> {
    writes::require_central_it(viewer, "record steering-committee meetings")?;
    let w = Write::begin(db, viewer).await?;
    let row = steering_meeting::ActiveModel {
        tenant_id: Set(viewer.tenant_id),
        title: Set(validate::title("title", &input.title)?),
        held_on: Set(input.held_on),
        location: Set(validate::short_text("location", input.location)?),
        notes: Set(validate::text("notes", input.notes)?),
        ..Default::default()
    };
    let meeting = w
        .insert(
            row,
            Subject {
                kind: "SteeringMeeting",
                owner: None,
            },
        )
        .await?;
    w.commit().await?;
    Ok(meeting)
}
