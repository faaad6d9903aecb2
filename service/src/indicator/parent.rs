//! The parent of an indicator (a goal, a measure or a project): who owns it, who may change
//! its indicators, and the period its targets must fall in.

use chrono::NaiveDate;
use entity::{goal, indicator, measure, project, strategy};

use crate::{error::ApiResult, policy::writes, write::Write};

/// What an indicator measures: exactly one goal, measure or project.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Parent {
    Goal(i32),
    Measure(i32),
    Project(i32),
}

impl Parent {
    /// The parent of a stored indicator (the table's check keeps exactly one set).
    pub fn of(row: &indicator::Model) -> Option<Self> {
        match (row.goal_id, row.measure_id, row.project_id) {
            (Some(id), _, _) => Some(Self::Goal(id)),
            (_, Some(id), _) => Some(Self::Measure(id)),
            (_, _, Some(id)) => Some(Self::Project(id)),
            _ => None,
        }
    }

    /// The columns `(goal_id, measure_id, project_id)` that point at it.
    pub fn columns(self) -> (Option<i32>, Option<i32>, Option<i32>) {
        match self {
            Self::Goal(id) => (Some(id), None, None),
            Self::Measure(id) => (None, Some(id), None),
            Self::Project(id) => (None, None, Some(id)),
        }
    }

    /// The input field that names it.
    pub fn field(self) -> &'static str {
        match self {
            Self::Goal(_) => "goalId",
            Self::Measure(_) => "measureId",
            Self::Project(_) => "projectId",
        }
    }
}

/// A parent as a write sees it.
#[derive(Debug, Clone)]
pub(crate) struct ParentRow {
    /// The unit that owns the parent (the audit entry's owner).
    pub owner: i32,
    /// The unit whose department may change the indicators too: none for a goal's, which
    /// belong to the strategy.
    pub editor: Option<i32>,
    /// The parent's period, where it has one: targets fall within it (a goal's from its
    /// strategy's start on).
    pub period: Period,
}

/// The period of a parent, and what it is called in messages.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Period {
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
    pub what: &'static str,
}

/// The parent, visible to the writer (else `BAD_USER_INPUT` on `field` when the input named
/// it, `NOT_FOUND` when a stored indicator did), after the write rule allowed the change.
pub(crate) async fn load(w: &Write<'_>, parent: Parent, named: bool) -> ApiResult<ParentRow> {
    let field = parent.field();
    macro_rules! row {
        ($entity:ty, $id:expr, $what:literal) => {
            if named {
                w.referenced::<$entity>($id, field).await?
            } else {
                w.visible::<$entity>($id, $what).await?
            }
        };
    }
    let row = match parent {
        Parent::Goal(id) => {
            let goal = row!(goal::Entity, id, "goal");
            let strategy = w
                .visible::<strategy::Entity>(goal.strategy_id, "strategy")
                .await?;
            ParentRow {
                owner: goal.org_unit_id,
                editor: None,
                // A goal's effect may be measured after its strategy's period (the demo's
                // Saxon platform: operation targets beyond the project's end), not before.
                period: Period {
                    start: Some(strategy.period_start),
                    end: None,
                    what: "the strategy's period (from its start)",
                },
            }
        }
        Parent::Measure(id) => {
            let measure = row!(measure::Entity, id, "measure");
            ParentRow {
                owner: measure.org_unit_id,
                editor: Some(measure.org_unit_id),
                period: Period {
                    start: measure.start_date,
                    end: measure.due_date,
                    what: "the measure's start and due date",
                },
            }
        }
        Parent::Project(id) => {
            let project = row!(project::Entity, id, "project");
            ParentRow {
                owner: project.org_unit_id,
                editor: Some(project.org_unit_id),
                period: Period {
                    start: project.start_date,
                    end: project.end_date,
                    what: "the project's start and end date",
                },
            }
        }
    };
    writes::require_indicator_edit(w.viewer, row.editor)?;
    Ok(row)
}
