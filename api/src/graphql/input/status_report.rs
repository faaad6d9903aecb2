//! Filter of `statusReports`.

use async_graphql::{ID, InputObject};
use entity::{audit_entry, enums as db, status_report};
use sea_orm::{ColumnTrait, Condition};

use super::{and_if, one_of};
use crate::{
    error::{ApiError, ApiResult},
    graphql::{
        enums::{Rag, ReviewState, StatusDimension},
        id,
        scalar::Date,
    },
};
use service::status_report::{NewStatusReport, Work, dimension::DimensionLight, review::Review};

/// Which status reports to list; all given conditions must hold.
#[derive(InputObject, Default)]
pub struct StatusReportFilter {
    /// Only reports on this measure, project or sub-project.
    pub subject_id: Option<ID>,
    /// Only reports with one of these traffic lights.
    pub rag: Option<Vec<Rag>>,
    /// Only reports dated on or after this date.
    pub reported_after: Option<Date>,
    /// Only reports dated before this date.
    pub reported_before: Option<Date>,
    /// Only reports in these review states (default: APPROVED, the ones that count);
    /// SUBMITTED and RETURNED ones only for central IT and the owning department.
    pub review_state: Option<Vec<ReviewState>>,
}

impl StatusReportFilter {
    /// The filter as a condition on top of the policy's scope.
    pub fn condition(&self) -> ApiResult<Condition> {
        use status_report::Column as C;
        let mut condition = Condition::all();
        if let Some(subject) = &self.subject_id {
            let (kind, row) = id::decode_any(subject, "filter.subjectId")?;
            let column = match kind.as_str() {
                "Measure" => C::MeasureId,
                "Project" => C::ProjectId,
                "SubProject" => C::SubProjectId,
                _ => {
                    return Err(ApiError::bad_input(
                        "filter.subjectId",
                        "expected the id of a measure, project or sub-project",
                    ));
                }
            };
            condition = condition.add(column.eq(row));
        }
        condition = and_if(condition, one_of::<_, _, db::Rag>(C::Rag, &self.rag));
        if let Some(date) = self.reported_after {
            condition = condition.add(C::ReportedOn.gte(date.0));
        }
        if let Some(date) = self.reported_before {
            condition = condition.add(C::ReportedOn.lt(date.0));
        }
        let states: Vec<db::ReviewState> = self.review_state.as_ref().map_or_else(
            || vec![db::ReviewState::Approved],
            |states| states.iter().copied().map(Into::into).collect(),
        );
        condition = condition.add(C::ReviewState.is_in(states));
        Ok(condition)
    }
}

order_input! {
    /// Sort order of a list of status reports (default: newest first).
    StatusReportOrder, StatusReportOrderField on status_report {
        /// Reporting date.
        ReportedOn => ReportedOn,
        /// Progress.
        Progress => Progress,
        /// Submission time.
        CreatedAt => CreatedAt,
    }
}

/// A status report on a measure, project or sub-project. Its progress and traffic light
/// become the subject's (unless a report with a later date exists).
#[derive(InputObject)]
pub struct SubmitStatusReportInput {
    /// The measure, project or sub-project reported on.
    pub subject_id: ID,
    /// Progress in percent (0-100).
    pub progress: i32,
    /// Traffic light.
    pub rag: Rag,
    /// What happened (required, at most 20,000 characters).
    pub summary: String,
    /// Risks (internal).
    pub risks: Option<String>,
    /// Internal notes.
    pub internal_notes: Option<String>,
    /// Next steps.
    pub next_steps: Option<String>,
    /// Reporting date (default: today; not in the future).
    pub reported_on: Option<Date>,
    /// A light per dimension (schedule, budget, scope, resources), each at most once; the
    /// dimensions left out are not reported on.
    #[graphql(default)]
    pub dimensions: Vec<StatusDimensionInput>,
}

/// The light of one dimension of a status report.
#[derive(InputObject)]
pub struct StatusDimensionInput {
    /// The dimension.
    pub dimension: StatusDimension,
    /// Its traffic light.
    pub rag: Rag,
    /// What the reporter says about it (at most 20,000 characters).
    pub comment: Option<String>,
}

impl TryFrom<SubmitStatusReportInput> for NewStatusReport {
    type Error = ApiError;

    fn try_from(input: SubmitStatusReportInput) -> ApiResult<Self> {
        let (kind, row) = id::decode_any(&input.subject_id, "subjectId")?;
        let subject = match kind.as_str() {
            "Measure" => Work::Measure(row),
            "Project" => Work::Project(row),
            "SubProject" => Work::SubProject(row),
            _ => {
                return Err(ApiError::bad_input(
                    "subjectId",
                    "expected the id of a measure, project or sub-project",
                ));
            }
        };
        Ok(Self {
            subject,
            progress: input.progress,
            rag: input.rag.into(),
            summary: input.summary,
            risks: input.risks,
            internal_notes: input.internal_notes,
            next_steps: input.next_steps,
            reported_on: input.reported_on.map(|d| d.0),
            dimensions: input
                .dimensions
                .into_iter()
                .map(|d| DimensionLight {
                    dimension: d.dimension.into(),
                    rag: d.rag.into(),
                    comment: d.comment,
                })
                .collect(),
        })
    }
}

order_input! {
    /// Sort order of `auditLog` (default: newest first).
    AuditEntryOrder, AuditEntryOrderField on audit_entry {
        /// When the change was made.
        At => At,
        /// Token subject of who made it.
        Actor => Actor,
    }
}

/// Central IT approves a submitted status report: it counts from now on.
#[derive(InputObject)]
pub struct ApproveStatusReportInput {
    /// The report.
    pub id: ID,
    /// The report's `version` as read.
    pub version: i32,
    /// A note on the approval (optional, at most 20,000 characters).
    pub comment: Option<String>,
}

impl TryFrom<ApproveStatusReportInput> for Review {
    type Error = ApiError;

    fn try_from(input: ApproveStatusReportInput) -> ApiResult<Self> {
        Ok(Self {
            id: id::decode(&input.id, "StatusReport", "id")?,
            version: input.version,
            comment: input.comment,
        })
    }
}

/// Central IT returns a submitted status report to its department: it never counts, and the
/// department submits a new one.
#[derive(InputObject)]
pub struct ReturnStatusReportInput {
    /// The report.
    pub id: ID,
    /// The report's `version` as read.
    pub version: i32,
    /// Why it is returned: what the department should change (required, at most 20,000
    /// characters).
    pub comment: String,
}

impl TryFrom<ReturnStatusReportInput> for Review {
    type Error = ApiError;

    fn try_from(input: ReturnStatusReportInput) -> ApiResult<Self> {
        Ok(Self {
            id: id::decode(&input.id, "StatusReport", "id")?,
            version: input.version,
            comment: Some(input.comment),
        })
    }
}
