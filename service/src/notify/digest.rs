//! What one digest lists. A lead's part: status reports due within [`HORIZON_DAYS`] or
//! overdue and milestones due within as many days or overdue, of the work their units'
//! subtrees own (what their calendar feed shows, [`calendar::events`]), and their reports
//! central IT returned that wait for a new one. Central IT's part is in [`super::central`].
//! Every list is read with the recipient's view through the policy's scoped selects.

use chrono::{Days, NaiveDate};
use entity::{enums::ReviewState, status_report, tenant};
use sea_orm::{ColumnTrait, DatabaseConnection, QueryFilter, QueryOrder, QuerySelect};

use super::{
    central::{self, Application, LightChange, Meeting, Pending},
    recipients::Recipient,
};
use crate::{
    calendar::{
        Entry, Work,
        events::{Portfolio, collect_in},
    },
    error::ApiResult,
    export::labels::Lang,
    policy::{FindVisible, calendar::shows_work},
    viewer::Viewer,
};

/// Days ahead a digest looks for reports and milestones due.
pub const HORIZON_DAYS: u64 = 14;

/// Where a line of a digest leads in the app.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A measure, project or sub-project.
    Work(Work, i32),
    /// A project application.
    Application(i32),
}

/// A status report due on running work.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportDue {
    pub work: Work,
    pub id: i32,
    /// Number or code, and title.
    pub title: String,
    /// The project of a sub-project.
    pub parent: Option<String>,
    pub due: NaiveDate,
    pub last_report: Option<NaiveDate>,
}

/// A milestone due and not achieved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MilestoneDue {
    /// Code and title.
    pub title: String,
    pub due: NaiveDate,
    /// The project's code and title, and the sub-project's when it belongs to one.
    pub project: String,
    pub sub_project: Option<String>,
    pub target: Target,
}

/// A report central IT returned, with no newer report on its work yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Returned {
    pub work: Work,
    pub work_id: i32,
    pub title: String,
    pub reported_on: NaiveDate,
    pub returned_on: Option<NaiveDate>,
    pub comment: Option<String>,
}

/// One recipient's digest of one day.
#[derive(Debug, Clone)]
pub struct Digest {
    pub tenant_name: String,
    pub lang: Lang,
    pub day: NaiveDate,
    pub address: String,
    pub name: Option<String>,
    /// The units whose work it covers (`code name`), for leads.
    pub units: Vec<String>,
    pub reports_due: Vec<ReportDue>,
    pub milestones: Vec<MilestoneDue>,
    pub returned: Vec<Returned>,
    /// Central IT's part; empty for everyone else.
    pub pending: Vec<Pending>,
    pub next_meeting: Option<Meeting>,
    pub applications: Vec<Application>,
    pub light_changes: Vec<LightChange>,
}

impl Digest {
    /// How many entries it lists.
    pub fn items(&self) -> usize {
        self.reports_due.len()
            + self.milestones.len()
            + self.returned.len()
            + self.pending.len()
            + self.applications.len()
            + self.light_changes.len()
    }

    /// A digest without entries is not sent.
    pub fn is_empty(&self) -> bool {
        self.items() == 0
    }
}

/// The digest of `recipient` in `tenant` on `today`; `cycle_days` is the reporting cycle that
/// applies (the tenant's, else the installation's).
pub async fn compose(
    db: &DatabaseConnection,
    tenant: &tenant::Model,
    recipient: &Recipient,
    today: NaiveDate,
    cycle_days: u32,
) -> ApiResult<Digest> {
    let settings = crate::tenant::Settings::of(tenant);
    let mut digest = Digest {
        tenant_name: tenant.name.clone(),
        lang: settings.export_language,
        day: today,
        address: recipient.address.clone(),
        name: recipient.name.clone(),
        units: recipient.units.clone(),
        reports_due: Vec::new(),
        milestones: Vec::new(),
        returned: Vec::new(),
        pending: Vec::new(),
        next_meeting: None,
        applications: Vec::new(),
        light_changes: Vec::new(),
    };
    if let Some(lead) = &recipient.lead {
        let portfolio = Portfolio::load(db, lead).await?;
        due(db, lead, cycle_days, &portfolio, today, &mut digest).await?;
        digest.returned = returned(db, lead, &portfolio).await?;
    }
    if let Some(steering) = &recipient.steering {
        central::add(db, steering, today, &mut digest).await?;
    }
    Ok(digest)
}

/// Reports and milestones due within the horizon or overdue, from what the lead's calendar
/// feed would show.
async fn due(
    db: &DatabaseConnection,
    lead: &Viewer,
    cycle_days: u32,
    portfolio: &Portfolio,
    today: NaiveDate,
    digest: &mut Digest,
) -> ApiResult<()> {
    let horizon = today
        .checked_add_days(Days::new(HORIZON_DAYS))
        .unwrap_or(today);
    for entry in collect_in(db, lead, cycle_days, portfolio).await? {
        if entry.day() > horizon {
            continue;
        }
        match entry {
            Entry::Milestone {
                work,
                work_id,
                title,
                due,
                achieved_on: None,
                project,
                sub_project,
                ..
            } => digest.milestones.push(MilestoneDue {
                title,
                due,
                project,
                sub_project,
                target: Target::Work(work, work_id),
            }),
            Entry::Milestone { .. } => {}
            Entry::ReportDue {
                work,
                id,
                title,
                due,
                last_report,
                parent,
            } => digest.reports_due.push(ReportDue {
                work,
                id,
                title,
                parent,
                due,
                last_report,
            }),
        }
    }
    Ok(())
}

/// A report's id and its subject columns: measure, project, sub-project.
type SubjectRow = (i32, Option<i32>, Option<i32>, Option<i32>);

/// The subject of a report as a kind of work and its id.
pub(super) fn subject(
    measure: Option<i32>,
    project: Option<i32>,
    sub_project: Option<i32>,
) -> Option<(Work, i32)> {
    match (measure, project, sub_project) {
        (Some(id), _, _) => Some((Work::Measure, id)),
        (_, Some(id), _) => Some((Work::Project, id)),
        (_, _, Some(id)) => Some((Work::SubProject, id)),
        _ => None,
    }
}

/// The lead's returned reports on work their subtree owns for which nothing newer was
/// submitted: each waits for a new report.
async fn returned(
    db: &DatabaseConnection,
    lead: &Viewer,
    portfolio: &Portfolio,
) -> ApiResult<Vec<Returned>> {
    use status_report::Column as C;
    let reports = status_report::Entity::find_visible_to(lead)
        .filter(C::ReviewState.eq(ReviewState::Returned))
        .order_by_asc(C::ReportedOn)
        .order_by_asc(C::Id)
        .all(db)
        .await?;
    let Some(oldest) = reports.iter().map(|r| r.id).min() else {
        return Ok(Vec::new());
    };
    // The reports written after the oldest returned one, to tell which were answered.
    let newer: Vec<SubjectRow> = status_report::Entity::find_visible_to(lead)
        .select_only()
        .columns([C::Id, C::MeasureId, C::ProjectId, C::SubProjectId])
        .filter(C::Id.gt(oldest))
        .into_tuple()
        .all(db)
        .await?;
    let mut listed = Vec::new();
    for report in reports {
        let Some((work, work_id)) =
            subject(report.measure_id, report.project_id, report.sub_project_id)
        else {
            continue;
        };
        let Some(row) = portfolio.find(work, work_id) else {
            continue;
        };
        let answered = newer
            .iter()
            .any(|&(id, m, p, s)| id > report.id && subject(m, p, s) == Some((work, work_id)));
        if answered || !shows_work(lead, row.owner) {
            continue;
        }
        listed.push(Returned {
            work,
            work_id,
            title: row.label.clone(),
            reported_on: report.reported_on,
            returned_on: report.reviewed_at.map(|at| at.date_naive()),
            comment: report.review_comment,
        });
    }
    Ok(listed)
}
