//! Inputs of the risk register's mutations (central IT and the owning department).

use async_graphql::{ID, InputObject, MaybeUndefined};

use super::command::{change, change_as_is, kept};
use crate::{
    error::{ApiError, ApiResult},
    graphql::{enums::RiskStatus, id, scalar::Date},
};
use service::risk::{NewRisk, RiskOf, RiskPatch};

/// A new risk of a project or measure.
#[derive(InputObject)]
pub struct CreateRiskInput {
    /// The project or measure whose register the risk joins.
    pub subject_id: ID,
    /// What could happen (required, at most 300 characters).
    pub title: String,
    /// The risk in more words (at most 20,000 characters).
    pub description: Option<String>,
    /// How likely it is: 1 (rare) to 5 (almost certain).
    pub probability: i32,
    /// How hard it would hit: 1 (slight) to 5 (severe).
    pub impact: i32,
    /// The person who watches the risk (a name, at most 300 characters).
    pub owner: Option<String>,
    /// What is done against it (at most 20,000 characters).
    pub mitigation: Option<String>,
    /// Where it stands (default OPEN).
    pub status: Option<RiskStatus>,
    /// When it is to be looked at again.
    pub review_date: Option<Date>,
}

/// Changes to a risk; fields left out stay as they are, `null` clears those that may be
/// empty (description, owner, mitigation, review date).
#[derive(InputObject)]
pub struct UpdateRiskInput {
    /// The risk.
    pub id: ID,
    /// The `version` the risk was read at.
    pub version: i32,
    /// What could happen (at most 300 characters; cannot be emptied).
    pub title: MaybeUndefined<String>,
    /// The risk in more words.
    pub description: MaybeUndefined<String>,
    /// How likely it is: 1 to 5.
    pub probability: MaybeUndefined<i32>,
    /// How hard it would hit: 1 to 5.
    pub impact: MaybeUndefined<i32>,
    /// The person who watches the risk.
    pub owner: MaybeUndefined<String>,
    /// What is done against it.
    pub mitigation: MaybeUndefined<String>,
    /// Where it stands.
    pub status: MaybeUndefined<RiskStatus>,
    /// When it is to be looked at again.
    pub review_date: MaybeUndefined<Date>,
}

/// A risk to delete.
#[derive(InputObject)]
pub struct DeleteRiskInput {
    /// The risk.
    pub id: ID,
    /// The `version` the risk was read at.
    pub version: i32,
}

impl TryFrom<CreateRiskInput> for NewRisk {
    type Error = ApiError;

    fn try_from(input: CreateRiskInput) -> ApiResult<Self> {
        let (kind, row) = id::decode_any(&input.subject_id, "subjectId")?;
        let of = match kind.as_str() {
            "Project" => RiskOf::Project(row),
            "Measure" => RiskOf::Measure(row),
            _ => {
                return Err(ApiError::bad_input(
                    "subjectId",
                    "expected the id of a project or measure",
                ));
            }
        };
        Ok(Self {
            of,
            title: input.title,
            description: input.description,
            probability: input.probability,
            impact: input.impact,
            owner: input.owner,
            mitigation: input.mitigation,
            status: input.status.map(Into::into),
            review_on: input.review_date.map(|d| d.0),
        })
    }
}

impl TryFrom<UpdateRiskInput> for RiskPatch {
    type Error = ApiError;

    fn try_from(input: UpdateRiskInput) -> ApiResult<Self> {
        Ok(Self {
            id: id::decode(&input.id, "Risk", "id")?,
            version: input.version,
            title: kept(input.title, "title")?,
            description: change_as_is(input.description),
            probability: kept(input.probability, "probability")?,
            impact: kept(input.impact, "impact")?,
            owner: change_as_is(input.owner),
            mitigation: change_as_is(input.mitigation),
            status: kept(input.status, "status")?.map(Into::into),
            review_on: change(input.review_date, |d| d.0),
        })
    }
}
