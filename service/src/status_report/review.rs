//! Central IT's review of the status reports departments submit where the tenant reviews
//! them (`reportReview`): an approved report counts (it sets the work's progress and traffic
//! light, as every role sees them); a returned one keeps central IT's comment in the history,
//! never counts, and the department submits a new one.

use entity::{enums::ReviewState, status_report};
use sea_orm::{ActiveValue::Set, DatabaseConnection};

use super::{Work, carry_latest, owner_of, work_of};
use crate::{
    audit::{Action, Subject},
    error::{ApiError, ApiResult},
    policy::writes,
    validate,
    viewer::Viewer,
    write::Write,
};

/// A review of the report `id` read at `version`.
#[derive(Debug, Clone)]
pub struct Review {
    pub id: i32,
    pub version: i32,
    /// Why it is returned (required), or a note on the approval.
    pub comment: Option<String>,
}

/// Approves a submitted report: it counts from now on.
#[tracing::instrument(skip_all, fields(tenant = viewer.tenant_id))]
pub async fn approve(
    db: &DatabaseConnection,
    viewer: &Viewer,
    review: Review,
) -> ApiResult<status_report::Model> {
    decide(db, viewer, review, ReviewState::Approved).await
}

/// Returns a submitted report to its department with a comment; it never counts.
#[tracing::instrument(skip_all, fields(tenant = viewer.tenant_id))]
pub async fn send_back(
    db: &DatabaseConnection,
    viewer: &Viewer,
    review: Review,
) -> ApiResult<status_report::Model> {
    decide(db, viewer, review, ReviewState::Returned).await
}

async fn decide(
    db: &DatabaseConnection,
    viewer: &Viewer,
    review: Review,
    outcome: ReviewState,
) -> ApiResult<status_report::Model> {
    writes::require_central_it(viewer, "review status reports")?;
    let comment = validate::text("comment", review.comment)?;
    if outcome == ReviewState::Returned && comment.is_none() {
        return Err(ApiError::bad_input(
            "comment",
            "must say why the report is returned",
        ));
    }
    let w = Write::begin(db, viewer).await?;
    let before = w
        .visible::<status_report::Entity>(review.id, "status report")
        .await?;
    if before.review_state != ReviewState::Submitted {
        return Err(ApiError::Conflict(format!(
            "the report was {} already",
            before.review_state.as_str()
        )));
    }
    let work: Work = work_of(&before)
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("a report without a subject")))?;
    let (owner, kind) = owner_of(&w, work).await?;
    let changes = status_report::ActiveModel {
        review_state: Set(outcome),
        review_comment: Set(comment),
        reviewed_by: Set(Some(
            viewer.name.clone().unwrap_or_else(|| viewer.sub.clone()),
        )),
        reviewed_at: Set(Some(w.now)),
        ..Default::default()
    };
    let action = match outcome {
        ReviewState::Approved => Action::Approve,
        _ => Action::Return,
    };
    let subject = Subject {
        kind: "StatusReport",
        owner: Some(owner),
    };
    let after = w
        .update::<status_report::Entity, _>(&before, review.version, changes, action, subject)
        .await?;
    if outcome == ReviewState::Approved {
        carry_latest(&w, work, kind, owner).await?;
    }
    w.commit().await?;
    Ok(after)
}
