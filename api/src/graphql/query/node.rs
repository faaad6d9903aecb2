//! `node(id:)` and `nodes(ids:)`: any object by its global id, as the Relay global object
//! identification spec has them.

use std::collections::HashMap;

use async_graphql::{Context, ID, Object};

use crate::error::{Result, or_null};

use super::dashboard;
use crate::{
    error::{ApiError, ApiResult},
    graphql::{
        context::{RequestScope, scope},
        id,
        object::{
            Application, AuditEntry, BudgetLine, Category, Funding, Goal, Indicator,
            IndicatorValue, Measure, Milestone, Node, OrgUnit, Participant, Project, ProjectLink,
            Risk, StatusReport, SteeringMeeting, Strategy, SubProject, Tenant,
            council_report::{CouncilReport, live_id},
        },
    },
};
use service::report::{council, period::Period};

/// The most ids one `nodes` call takes: a page's worth, as `first` allows.
const MAX_IDS: usize = 100;

#[derive(Default)]
pub struct NodeQuery;

/// The visible rows of one node type among `rows`, by row id: one statement per type.
async fn of_kind(s: &RequestScope, kind: &str, rows: &[i32]) -> Result<HashMap<i32, Node>> {
    // The dashboards are nodes too, so that Relay can page their lists: the portfolio of the
    // viewer's own tenant, and the dashboard of a unit the viewer may open. A refusal is a
    // node that is not there.
    match kind {
        "PortfolioDashboard" => {
            let own = rows
                .iter()
                .copied()
                .filter(|row| *row == s.viewer.tenant_id);
            return Ok(match refusal_is_absence(dashboard::portfolio(s))? {
                Some(found) => own
                    .map(|row| (row, Node::PortfolioDashboard(found.clone())))
                    .collect(),
                None => HashMap::new(),
            });
        }
        "CouncilReport" => {
            let mut found = HashMap::new();
            for &row in rows {
                let report = council::published_one(&s.db, &s.viewer, row).await;
                if let Some(report) = refusal_is_absence(report)? {
                    found.insert(row, Node::CouncilReport(CouncilReport(report)));
                }
            }
            return Ok(found);
        }
        "DepartmentDashboard" => {
            let mut found = HashMap::new();
            for &row in rows {
                if let Some(board) = refusal_is_absence(dashboard::department(s, Some(row)).await)?
                {
                    found.insert(row, Node::DepartmentDashboard(board));
                }
            }
            return Ok(found);
        }
        _ => {}
    }
    macro_rules! kinds {
        ($($name:literal => $loader:ident, $variant:ident;)*) => {
            match kind {
                $($name => s
                    .loaders
                    .$loader
                    .load_many(rows.iter().copied())
                    .await?
                    .into_iter()
                    .map(|(row, model)| (row, Node::$variant($variant(model))))
                    .collect(),)*
                _ => HashMap::new(),
            }
        };
    }
    Ok(kinds! {
        "OrgUnit" => org_unit, OrgUnit;
        "Strategy" => strategy, Strategy;
        "Goal" => goal, Goal;
        "Indicator" => indicator, Indicator;
        "Measure" => measure, Measure;
        "Project" => project, Project;
        "SubProject" => sub_project, SubProject;
        "Milestone" => milestone, Milestone;
        "StatusReport" => status_report, StatusReport;
        "Application" => application, Application;
        "SteeringMeeting" => meeting, SteeringMeeting;
        "Category" => category, Category;
        "BudgetLine" => budget_line, BudgetLine;
        "Funding" => funding, Funding;
        "ProjectLink" => project_link, ProjectLink;
        "Participant" => participant, Participant;
        "IndicatorValue" => indicator_value, IndicatorValue;
        "Risk" => risk, Risk;
        "AuditEntry" => audit_entry, AuditEntry;
        "Tenant" => tenant, Tenant;
    })
}

/// A node the viewer may not open is one that is not there; other errors stay errors.
fn refusal_is_absence<T>(found: ApiResult<T>) -> ApiResult<Option<T>> {
    match found {
        Ok(found) => Ok(Some(found)),
        Err(ApiError::Forbidden(_) | ApiError::NotFound(_) | ApiError::BadInput { .. }) => Ok(None),
        Err(other) => Err(other),
    }
}

/// The live council report a global id names, computed again; `None` when the viewer may not
/// read it (or it is another tenant's).
async fn live_report(s: &RequestScope, live: live_id::Live) -> Result<Option<Node>> {
    let period = if let Some((from, to)) = live.period.split_once("..") {
        let day = |text: &str| text.parse().map_err(|_| ApiError::NotFound("node"));
        Period::from_arguments(None, Some(day(from)?), Some(day(to)?))
    } else {
        Period::parse(&live.period, "id")
    };
    let Some(period) = refusal_is_absence(period)? else {
        return Ok(None);
    };
    let report = council::live(&s.db, &s.viewer, &period, Some(live.as_of)).await;
    Ok(refusal_is_absence(report)?
        .filter(|report| report.tenant_key == live.tenant_key)
        .map(|report| Node::CouncilReport(CouncilReport(report))))
}

/// Loads one node; `None` when it does not exist or the viewer may not see it.
pub(crate) async fn load(s: &RequestScope, global: &ID, field: &str) -> Result<Option<Node>> {
    if let Some(live) = live_id::decode(global) {
        return live_report(s, live).await;
    }
    let (kind, row) = id::decode_any(global, field)?;
    Ok(of_kind(s, &kind, &[row]).await?.remove(&row))
}

#[Object]
impl NodeQuery {
    /// The object with this global id. A row the viewer may not see answers `null` with a
    /// `NOT_FOUND` error, exactly like one that does not exist; the rest of the query is
    /// answered.
    async fn node(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global id.")] id: ID,
    ) -> Option<Node> {
        or_null(ctx, async {
            let found = load(scope(ctx)?, &id, "id").await?;
            found.ok_or_else(|| ApiError::NotFound("node").into())
        })
        .await
    }

    /// The objects with these global ids, in the order asked, with `null` for an id that
    /// names nothing the viewer may see (or nothing at all). At most 100 ids; one statement
    /// per type asked for.
    async fn nodes(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Global ids, at most 100.")] ids: Vec<ID>,
    ) -> Result<Vec<Option<Node>>> {
        let s = scope(ctx)?;
        if ids.len() > MAX_IDS {
            return Err(ApiError::bad_input("ids", format!("at most {MAX_IDS} ids")).into());
        }
        let decoded: Vec<Option<(String, i32)>> = ids
            .iter()
            .map(|global| id::decode_any(global, "ids").ok())
            .collect();
        let mut wanted: HashMap<&str, Vec<i32>> = HashMap::new();
        for (kind, row) in decoded.iter().flatten() {
            wanted.entry(kind).or_default().push(*row);
        }
        let mut found: HashMap<(&str, i32), Node> = HashMap::new();
        for (kind, rows) in wanted {
            for (row, node) in of_kind(s, kind, &rows).await? {
                found.insert((kind, row), node);
            }
        }
        let mut answer = Vec::with_capacity(ids.len());
        for (global, asked) in ids.iter().zip(&decoded) {
            answer.push(match asked {
                Some((kind, row)) => found.get(&(kind.as_str(), *row)).cloned(),
                // Live council reports are computed one by one; they are not rows.
                None => match live_id::decode(global) {
                    Some(live) => live_report(s, live).await?,
                    None => None,
                },
            });
        }
        Ok(answer)
    }
}
