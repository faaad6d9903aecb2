//! The reporting state of one request: the viewer's portfolio tree, where everything stands
//! today, warnings, and roll-ups on earlier days for history charts. Each part is loaded at
//! most once per request, however many fields ask for it, so the number of statements does
//! not grow with the length of lists.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};

use chrono::{Days, NaiveDate};
use entity::{budget_line, enums::Rag, enums::Status, milestone};
use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, DatabaseConnection, QueryFilter, QuerySelect};
use tokio::sync::OnceCell;

use super::{
    log::ReportLog,
    risk::HighRisks,
    rollup::{Kind, Rollup, worst},
    tree::Tree,
    tree_rows::Reports,
};
use crate::{
    clock::today, error::ApiResult, policy::FindVisible, risk::HIGH_RISK_SCORE, viewer::Viewer,
};

/// What derives a warning on a piece of work.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum WarningKind {
    /// Milestones past their due date and not achieved.
    OverdueMilestones,
    /// More money spent than approved.
    OverBudget,
    /// Running work without a status report within the reporting cycle.
    ReportOverdue,
    /// Open risks scoring at least `risk::HIGH_RISK_SCORE` (probability × impact), counted
    /// only where the viewer may see the risks.
    HighRisk,
}

/// A warning derived from the data, independent of the reported traffic light.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Warning {
    pub kind: WarningKind,
    /// What is wrong, in words.
    pub message: String,
    /// How many milestones are overdue; days since the last report; for budgets 1.
    pub count: i32,
}

/// Where the viewer's portfolio stands today.
pub struct Live {
    pub today: NaiveDate,
    pub tree: Arc<Tree>,
    pub log: Arc<ReportLog>,
    pub rollup: Rollup,
    cycle_days: u32,
}

/// What raises warnings besides the reports: loaded apart from [`Live`], and only when a
/// warning or a derived light is asked for, so that roll-ups alone cost no more statements.
pub struct Signals {
    /// Overdue milestones by project and by sub-project.
    overdue_by_project: HashMap<i32, i32>,
    overdue_by_sub_project: HashMap<i32, i32>,
    /// Approved and spent by project, for projects whose money the viewer may see.
    money: HashMap<i32, (Decimal, Decimal)>,
    /// High open risks the viewer may see.
    high_risks: HighRisks,
}

impl Live {
    /// The warnings of a row.
    pub fn warnings(&self, signals: &Signals, kind: Kind, id: i32) -> Vec<Warning> {
        let projects: Vec<i32> = match kind {
            Kind::Project => vec![id],
            Kind::Measure => self.tree.projects_of(id).map(|p| p.id).collect(),
            _ => Vec::new(),
        };
        let mut warnings = Vec::new();
        let overdue = match kind {
            Kind::SubProject => signals
                .overdue_by_sub_project
                .get(&id)
                .copied()
                .unwrap_or(0),
            _ => projects
                .iter()
                .filter_map(|p| signals.overdue_by_project.get(p))
                .sum(),
        };
        if overdue > 0 {
            warnings.push(Warning {
                kind: WarningKind::OverdueMilestones,
                message: format!("{overdue} milestone(s) past due and not achieved"),
                count: overdue,
            });
        }
        let over: Vec<i32> = projects
            .iter()
            .copied()
            .filter(|p| {
                signals
                    .money
                    .get(p)
                    .is_some_and(|(approved, spent)| spent > approved)
            })
            .collect();
        if !over.is_empty() {
            warnings.push(Warning {
                kind: WarningKind::OverBudget,
                message: if kind == Kind::Project {
                    "more spent than approved".into()
                } else {
                    format!("{} project(s) spent more than approved", over.len())
                },
                count: over.len() as i32,
            });
        }
        if let Some(warning) = signals.high_risk(kind, id, &projects) {
            warnings.push(warning);
        }
        if self.running(kind, id) {
            match self.last_report(kind, id) {
                Some(on) if (self.today - on).num_days() <= i64::from(self.cycle_days) => {}
                Some(on) => warnings.push(Warning {
                    kind: WarningKind::ReportOverdue,
                    message: format!(
                        "last status report {} days ago (cycle: {} days)",
                        (self.today - on).num_days(),
                        self.cycle_days
                    ),
                    count: (self.today - on).num_days() as i32,
                }),
                None => warnings.push(Warning {
                    kind: WarningKind::ReportOverdue,
                    message: "running without any status report".into(),
                    count: 0,
                }),
            }
        }
        warnings
    }

    /// The day running work owes its next status report (the rule behind
    /// [`WarningKind::ReportOverdue`], which warns from the day after): a reporting cycle
    /// after its last report (its own or one on work below it), or today when it has none.
    /// `None` for work that is not running.
    pub fn report_due(&self, kind: Kind, id: i32) -> Option<NaiveDate> {
        if !self.running(kind, id) {
            return None;
        }
        Some(match self.last_report(kind, id) {
            Some(on) => on
                .checked_add_days(Days::new(u64::from(self.cycle_days)))
                .unwrap_or(on),
            None => self.today,
        })
    }

    /// The reported traffic light raised by the warnings: overdue milestones, overdue
    /// reports and high open risks make it at least amber, overspending red. A risk is a
    /// threat, not yet a failure, so it raises to amber only. Like overspending, a high risk
    /// counts only for viewers who may see it, so the derived light may differ by viewer
    /// (the response cache keys by role and org unit, which decide that).
    pub fn derived_rag(&self, signals: &Signals, kind: Kind, id: i32, reported: Rag) -> Rag {
        let raised = self
            .warnings(signals, kind, id)
            .into_iter()
            .map(|w| match w.kind {
                WarningKind::OverBudget => Rag::Red,
                WarningKind::OverdueMilestones
                | WarningKind::ReportOverdue
                | WarningKind::HighRisk => Rag::Amber,
            });
        worst(std::iter::once(reported).chain(raised)).unwrap_or(reported)
    }

    /// Whether the row is running (in progress) and so owes reports.
    fn running(&self, kind: Kind, id: i32) -> bool {
        let status = match kind {
            Kind::Measure => self
                .tree
                .measures
                .iter()
                .find(|m| m.id == id)
                .map(|m| m.status),
            Kind::Project => self
                .tree
                .projects
                .iter()
                .find(|p| p.id == id)
                .map(|p| p.status),
            Kind::SubProject => self
                .tree
                .sub_projects
                .iter()
                .find(|s| s.id == id)
                .map(|s| s.status),
            Kind::Goal | Kind::Strategy => None,
        };
        status == Some(Status::InProgress)
    }

    /// The newest report on the row or on any work below it.
    pub fn last_report(&self, kind: Kind, id: i32) -> Option<NaiveDate> {
        let own = self.log.entry(kind, id, self.today).map(|e| e.reported.on);
        let below = match kind {
            Kind::Measure => self
                .tree
                .projects_of(id)
                .filter_map(|p| self.last_report(Kind::Project, p.id))
                .max(),
            Kind::Project => self
                .tree
                .sub_projects_of(id)
                .filter_map(|s| self.last_report(Kind::SubProject, s.id))
                .max(),
            _ => None,
        };
        own.max(below)
    }
}

impl Signals {
    /// The high open risks of a project, or of a measure and its projects, that the viewer
    /// may see (the risks' field rule): none for the council and the public, and for a
    /// department on work of other units.
    fn high_risk(&self, kind: Kind, id: i32, projects: &[i32]) -> Option<Warning> {
        let own = match kind {
            Kind::Measure => self.high_risks.by_measure.get(&id).copied().unwrap_or(0),
            _ => 0,
        };
        let n = own
            + projects
                .iter()
                .filter_map(|p| self.high_risks.by_project.get(p))
                .sum::<i32>();
        (n > 0).then(|| Warning {
            kind: WarningKind::HighRisk,
            message: format!(
                "{n} open risk(s) with probability × impact of {HIGH_RISK_SCORE} or more"
            ),
            count: n,
        })
    }
}

/// The reporting state of one request (see the module documentation).
pub struct Reporting {
    db: DatabaseConnection,
    viewer: Viewer,
    cycle_days: u32,
    /// The tree with today's latest reports: loaded together (one statement) by whichever
    /// field asks first, so that a request's statements do not depend on the order its
    /// fields run in.
    tree: OnceCell<(Arc<Tree>, Arc<ReportLog>)>,
    live: OnceCell<Arc<Live>>,
    signals: OnceCell<Arc<Signals>>,
    history: OnceCell<Arc<ReportLog>>,
    days: Mutex<HashMap<NaiveDate, Arc<Rollup>>>,
}

impl Reporting {
    pub fn new(db: &DatabaseConnection, viewer: &Viewer, cycle_days: u32) -> Self {
        Self {
            db: db.clone(),
            viewer: viewer.clone(),
            cycle_days,
            tree: OnceCell::new(),
            live: OnceCell::new(),
            signals: OnceCell::new(),
            history: OnceCell::new(),
            days: Mutex::new(HashMap::new()),
        }
    }

    /// Days without a report after which running work is overdue.
    pub fn cycle_days(&self) -> u32 {
        self.cycle_days
    }

    /// The viewer's tree as roll-ups read it: without codes and titles ([`Reports::Flagged`]).
    pub async fn tree(&self) -> ApiResult<Arc<Tree>> {
        Ok(self.tree_and_reports().await?.0)
    }

    /// The tree and the latest report of every row today.
    async fn tree_and_reports(&self) -> ApiResult<(Arc<Tree>, Arc<ReportLog>)> {
        self.tree
            .get_or_try_init(|| {
                Box::pin(async {
                    let (tree, log) = Tree::load_with_reports(
                        &self.db,
                        &self.viewer,
                        &[today()],
                        Reports::Flagged,
                    )
                    .await?;
                    Ok((Arc::new(tree), Arc::new(log)))
                })
            })
            .await
            .cloned()
    }

    /// Where everything stands today.
    ///
    /// The loading futures here are boxed: every field resolver that may call these embeds
    /// their state, and async-graphql moves each field's future into a box of its own, so
    /// an inline load of kilobytes would be allocated and copied for every scalar field.
    pub async fn live(&self) -> ApiResult<Arc<Live>> {
        self.live
            .get_or_try_init(|| {
                Box::pin(async {
                    let today = today();
                    let (tree, log) = self.tree_and_reports().await?;
                    let rollup = Rollup::compute(&tree, log.as_ref(), today);
                    Ok(Arc::new(Live {
                        today,
                        tree,
                        log,
                        rollup,
                        cycle_days: self.cycle_days,
                    }))
                })
            })
            .await
            .cloned()
    }

    /// What raises warnings today besides the reports (boxed as [`Self::live`] is).
    pub async fn signals(&self) -> ApiResult<Arc<Signals>> {
        self.signals
            .get_or_try_init(|| {
                Box::pin(async {
                    let (overdue_by_project, overdue_by_sub_project) =
                        overdue_milestones(&self.db, &self.viewer, today()).await?;
                    Ok(Arc::new(Signals {
                        overdue_by_project,
                        overdue_by_sub_project,
                        money: money(&self.db, &self.viewer).await?,
                        high_risks: HighRisks::load(&self.db, &self.viewer).await?,
                    }))
                })
            })
            .await
            .cloned()
    }

    /// Roll-ups as of `day`, computed from the report history (loaded once per request).
    pub async fn on(&self, day: NaiveDate) -> ApiResult<Arc<Rollup>> {
        if let Some(rollup) = self.cached(day) {
            return Ok(rollup);
        }
        let tree = Box::pin(self.tree()).await?;
        let log = self
            .history
            .get_or_try_init(|| {
                Box::pin(async {
                    ReportLog::history(&self.db, &self.viewer, today())
                        .await
                        .map(Arc::new)
                })
            })
            .await?;
        let rollup = Arc::new(Rollup::compute(&tree, log.as_ref(), day));
        if let Ok(mut days) = self.days.lock() {
            days.insert(day, rollup.clone());
        }
        Ok(rollup)
    }

    fn cached(&self, day: NaiveDate) -> Option<Arc<Rollup>> {
        self.days.lock().ok()?.get(&day).cloned()
    }
}

/// Milestones past due and not achieved, counted by project and by sub-project in SQL.
async fn overdue_milestones(
    db: &DatabaseConnection,
    viewer: &Viewer,
    today: NaiveDate,
) -> ApiResult<(HashMap<i32, i32>, HashMap<i32, i32>)> {
    use milestone::Column as C;
    let rows: Vec<(i32, Option<i32>, i64)> = milestone::Entity::find_visible_to(viewer)
        .select_only()
        .column(C::ProjectId)
        .column(C::SubProjectId)
        .column_as(C::Id.count(), "n")
        .filter(C::AchievedOn.is_null())
        .filter(C::DueDate.lt(today))
        .group_by(C::ProjectId)
        .group_by(C::SubProjectId)
        .into_tuple()
        .all(db)
        .await?;
    let mut by_project = HashMap::new();
    let mut by_sub_project = HashMap::new();
    for (project, sub_project, n) in rows {
        let n = i32::try_from(n).unwrap_or(i32::MAX);
        *by_project.entry(project).or_insert(0) += n;
        if let Some(sub_project) = sub_project {
            *by_sub_project.entry(sub_project).or_insert(0) += n;
        }
    }
    Ok((by_project, by_sub_project))
}

/// Approved and spent by project, summed in SQL over the budget lines the viewer may see.
async fn money(
    db: &DatabaseConnection,
    viewer: &Viewer,
) -> ApiResult<HashMap<i32, (Decimal, Decimal)>> {
    use budget_line::Column as C;
    let rows: Vec<(i32, Option<Decimal>, Option<Decimal>)> =
        budget_line::Entity::find_visible_to(viewer)
            .select_only()
            .column(C::ProjectId)
            .column_as(C::Approved.sum(), "approved")
            .column_as(C::Spent.sum(), "spent")
            .group_by(C::ProjectId)
            .into_tuple()
            .all(db)
            .await?;
    Ok(rows
        .into_iter()
        .map(|(project, approved, spent)| {
            let cents = |d: Option<Decimal>| d.unwrap_or_default().round_dp(2);
            (project, (cents(approved), cents(spent)))
        })
        .collect())
}

/// The last day of each month (or quarter) from `from` to `to`, and `to` itself.
pub fn sample_days(from: NaiveDate, to: NaiveDate, months: u32) -> Vec<NaiveDate> {
    use chrono::Datelike;
    let mut days = Vec::new();
    let mut month_start = NaiveDate::from_ymd_opt(from.year(), from.month(), 1).unwrap_or(from);
    while let Some(next) = month_start.checked_add_months(chrono::Months::new(1)) {
        let end = next - Days::new(1);
        if end >= to {
            break;
        }
        if end >= from && end.month().is_multiple_of(months) {
            days.push(end);
        }
        month_start = next;
    }
    days.push(to);
    days
}
