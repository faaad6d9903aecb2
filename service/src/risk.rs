//! The risk register of projects and measures: kept by central IT and the department that
//! owns the work, read by them only (`policy::can_see_risks`, and the row rule of `risk`).

use chrono::NaiveDate;
use entity::{enums::RiskStatus, measure, project, risk};
use sea_orm::{ActiveValue::Set, DatabaseConnection};

use crate::{
    audit::{Action, Subject},
    error::{ApiError, ApiResult},
    policy::writes,
    validate,
    viewer::Viewer,
    write::{Change, Write},
};

/// A risk scores `probability × impact`; from this score on an open risk is high: it raises
/// the traffic light of its work (`HIGH_RISK`), as the red corner of a 5 × 5 risk matrix
/// (5 × 3, 4 × 4, 3 × 5 and above).
pub const HIGH_RISK_SCORE: i32 = 15;

/// Whether a risk is open and scores at least [`HIGH_RISK_SCORE`].
pub fn is_high(risk: &risk::Model) -> bool {
    risk.status == RiskStatus::Open && risk.probability * risk.impact >= HIGH_RISK_SCORE
}

/// The work a risk belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RiskOf {
    Project(i32),
    Measure(i32),
}

impl RiskOf {
    /// The work of a stored risk: exactly one of its two columns is set.
    pub fn of(risk: &risk::Model) -> Option<Self> {
        match (risk.project_id, risk.measure_id) {
            (Some(id), None) => Some(Self::Project(id)),
            (None, Some(id)) => Some(Self::Measure(id)),
            _ => None,
        }
    }
}

/// A new risk.
#[derive(Debug, Clone)]
pub struct NewRisk {
    pub of: RiskOf,
    pub title: String,
    pub description: Option<String>,
    pub probability: i32,
    pub impact: i32,
    pub owner: Option<String>,
    pub mitigation: Option<String>,
    /// Default: open.
    pub status: Option<RiskStatus>,
    pub review_on: Option<NaiveDate>,
}

/// Changes to a risk read at `version`.
#[derive(Debug, Clone, Default)]
pub struct RiskPatch {
    pub id: i32,
    pub version: i32,
    pub title: Option<String>,
    pub description: Change<String>,
    pub probability: Option<i32>,
    pub impact: Option<i32>,
    pub owner: Change<String>,
    pub mitigation: Change<String>,
    pub status: Option<RiskStatus>,
    pub review_on: Change<NaiveDate>,
}

/// Probability and impact run from 1 to 5.
pub fn level(field: &str, value: i32) -> ApiResult<i32> {
    if (1..=5).contains(&value) {
        Ok(value)
    } else {
        Err(ApiError::bad_input(field, "must be between 1 and 5"))
    }
}

fn subject(owner: i32) -> Subject {
    Subject {
        kind: "Risk",
        owner: Some(owner),
    }
}

/// The unit owning the work a risk belongs to, which the writer may edit; work the writer
/// cannot see is `BAD_USER_INPUT` on `field`.
async fn owner_of(w: &Write<'_>, of: RiskOf, field: &str) -> ApiResult<i32> {
    let owner = match of {
        RiskOf::Project(id) => {
            w.referenced::<project::Entity>(id, field)
                .await?
                .org_unit_id
        }
        RiskOf::Measure(id) => {
            w.referenced::<measure::Entity>(id, field)
                .await?
                .org_unit_id
        }
    };
    writes::require_edit(w.viewer, owner, "keep the risks of this work")?;
    Ok(owner)
}

/// Adds a risk to a project or measure (central IT, or the department owning it).
#[tracing::instrument(skip_all, fields(tenant = viewer.tenant_id))]
pub async fn create(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: NewRisk,
) -> ApiResult<risk::Model> {
    crate::write::single!(db, viewer, |w| create_in(&w, input))
}

/// [`create`] within a write that others share (an import of many rows).
pub async fn create_in(w: &Write<'_>, input: NewRisk) -> ApiResult<risk::Model> {
    writes::require_administration(w.viewer, "keep risks")?;
    let owner = owner_of(w, input.of, "subjectId").await?;
    let (project_id, measure_id) = match input.of {
        RiskOf::Project(id) => (Some(id), None),
        RiskOf::Measure(id) => (None, Some(id)),
    };
    let row = risk::ActiveModel {
        tenant_id: Set(w.viewer.tenant_id),
        project_id: Set(project_id),
        measure_id: Set(measure_id),
        title: Set(validate::title("title", &input.title)?),
        description: Set(validate::text("description", input.description)?),
        probability: Set(level("probability", input.probability)?),
        impact: Set(level("impact", input.impact)?),
        owner_name: Set(validate::short_text("owner", input.owner)?),
        mitigation: Set(validate::text("mitigation", input.mitigation)?),
        status: Set(input.status.unwrap_or(RiskStatus::Open)),
        review_on: Set(input.review_on),
        ..Default::default()
    };
    w.insert(row, subject(owner)).await
}

/// Changes a risk (central IT, or the department owning its work).
#[tracing::instrument(skip_all, fields(tenant = viewer.tenant_id))]
pub async fn update(
    db: &DatabaseConnection,
    viewer: &Viewer,
    input: RiskPatch,
) -> ApiResult<risk::Model> {
    crate::write::single!(db, viewer, |w| update_in(&w, input))
}

/// [`update`] within a write that others share (an import of many rows).
pub async fn update_in(w: &Write<'_>, input: RiskPatch) -> ApiResult<risk::Model> {
    let (before, owner) = load(w, input.id).await?;
    let mut c = <risk::ActiveModel as Default>::default();
    if let Some(v) = &input.title {
        c.title = Set(validate::title("title", v)?);
    }
    if let Some(v) = input.description {
        c.description = Set(validate::text("description", v)?);
    }
    if let Some(v) = input.probability {
        c.probability = Set(level("probability", v)?);
    }
    if let Some(v) = input.impact {
        c.impact = Set(level("impact", v)?);
    }
    if let Some(v) = input.owner {
        c.owner_name = Set(validate::short_text("owner", v)?);
    }
    if let Some(v) = input.mitigation {
        c.mitigation = Set(validate::text("mitigation", v)?);
    }
    if let Some(v) = input.status {
        c.status = Set(v);
    }
    if let Some(v) = input.review_on {
        c.review_on = Set(v);
    }
    w.update(&before, input.version, c, Action::Update, subject(owner))
        .await
}

/// Deletes a risk read at `version` (central IT, or the department owning its work); the
/// risk as it was.
#[tracing::instrument(skip_all, fields(tenant = viewer.tenant_id))]
pub async fn delete(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: i32,
    version: i32,
) -> ApiResult<risk::Model> {
    let w = Write::begin(db, viewer).await?;
    let (before, owner) = load(&w, id).await?;
    w.delete::<risk::Entity>(&before, version, subject(owner))
        .await?;
    w.commit().await?;
    Ok(before)
}

/// A risk the writer can see (else `NOT_FOUND`: for the council and the public, who see no
/// risk, every risk is one that is not there) and the unit owning its work.
async fn load(w: &Write<'_>, id: i32) -> ApiResult<(risk::Model, i32)> {
    let risk = w.visible::<risk::Entity>(id, "risk").await?;
    let of = RiskOf::of(&risk)
        .ok_or_else(|| ApiError::Internal(anyhow::anyhow!("a risk without its work")))?;
    let owner = match of {
        RiskOf::Project(id) => {
            w.visible::<project::Entity>(id, "project")
                .await?
                .org_unit_id
        }
        RiskOf::Measure(id) => {
            w.visible::<measure::Entity>(id, "measure")
                .await?
                .org_unit_id
        }
    };
    writes::require_edit(w.viewer, owner, "keep the risks of this work")?;
    Ok((risk, owner))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Webhooks go to systems outside the administration; a risk is for central IT and the
    /// owning department only, so no write of the register is an event.
    #[test]
    fn risks_raise_no_webhook_event() {
        use crate::{audit::Action, webhook::event::raised};
        let changes = serde_json::json!({ "status": { "before": "open", "after": "closed" } });
        for action in [Action::Create, Action::Update, Action::Delete] {
            assert!(raised(action, "Risk", &changes).is_empty());
        }
    }

    #[test]
    fn levels_run_from_one_to_five() {
        assert!(level("probability", 1).is_ok() && level("impact", 5).is_ok());
        for bad in [0, 6, -1] {
            assert!(matches!(
                level("probability", bad),
                Err(ApiError::BadInput { field, .. }) if field == "probability"
            ));
        }
    }
}
