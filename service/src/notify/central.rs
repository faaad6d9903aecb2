//! Central IT's part of a digest, read as central IT: status reports awaiting review,
//! applications awaiting a decision before the steering committee's next meeting, and the
//! traffic lights that changed in the last [`WEEK_DAYS`] days.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use entity::{
    application,
    enums::{ApplicationStatus, Rag, ReviewState},
    org_unit, status_report, steering_meeting,
};
use sea_orm::{ColumnTrait, DatabaseConnection, QueryFilter, QueryOrder, QuerySelect};

use super::digest::{Digest, subject};
use crate::{
    calendar::{Work, events::Portfolio},
    error::ApiResult,
    policy::{FindVisible, notify::gets_central_reminders, rows::counted_reports},
    viewer::Viewer,
};

/// Days back a digest looks for changed traffic lights.
pub const WEEK_DAYS: u64 = 7;

/// A report waiting for central IT's review.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pending {
    pub work: Work,
    pub work_id: i32,
    pub title: String,
    pub reported_on: NaiveDate,
    pub submitted_on: NaiveDate,
    /// Who wrote it (name, else token subject).
    pub author: String,
    pub rag: Rag,
}

/// The steering committee's next meeting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meeting {
    pub title: String,
    pub held_on: NaiveDate,
}

/// An application that waits for the steering committee's decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Application {
    pub id: i32,
    pub title: String,
    /// The submitting unit's code.
    pub unit: String,
    pub submitted_on: NaiveDate,
    pub status: ApplicationStatus,
    /// The meeting whose agenda it is on, if any (the next one, or one past).
    pub meeting: Option<Meeting>,
}

/// A traffic light that changed with a report that came to count this week.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LightChange {
    pub work: Work,
    pub work_id: i32,
    pub title: String,
    /// The light before; `None` when the work had no report that counted.
    pub from: Option<Rag>,
    pub to: Rag,
    pub reported_on: NaiveDate,
}

/// Adds central IT's lists to `digest`, when `viewer` is central IT.
pub(super) async fn add(
    db: &DatabaseConnection,
    viewer: &Viewer,
    today: NaiveDate,
    digest: &mut Digest,
) -> ApiResult<()> {
    if !gets_central_reminders(viewer) {
        return Ok(());
    }
    let portfolio = Portfolio::load(db, viewer).await?;
    digest.pending = pending(db, viewer, &portfolio).await?;
    let (next, applications) = applications(db, viewer, today).await?;
    digest.next_meeting = next;
    digest.applications = applications;
    let since = Utc::now() - chrono::Duration::days(WEEK_DAYS as i64);
    digest.light_changes = light_changes(db, viewer, &portfolio, since).await?;
    Ok(())
}

/// Reports submitted and not yet reviewed, oldest first.
async fn pending(
    db: &DatabaseConnection,
    viewer: &Viewer,
    portfolio: &Portfolio,
) -> ApiResult<Vec<Pending>> {
    use status_report::Column as C;
    let reports = status_report::Entity::find_visible_to(viewer)
        .filter(C::ReviewState.eq(ReviewState::Submitted))
        .order_by_asc(C::CreatedAt)
        .order_by_asc(C::Id)
        .all(db)
        .await?;
    Ok(reports
        .into_iter()
        .filter_map(|report| {
            let (work, work_id) =
                subject(report.measure_id, report.project_id, report.sub_project_id)?;
            let row = portfolio.find(work, work_id)?;
            Some(Pending {
                work,
                work_id,
                title: row.label.clone(),
                reported_on: report.reported_on,
                submitted_on: report.created_at.date_naive(),
                author: report.author_name.unwrap_or(report.author_sub),
                rag: report.rag,
            })
        })
        .collect())
}

/// The next meeting of the steering committee (today or later), and the applications that
/// wait for a decision before it: those on its agenda, on no agenda yet, or left over from a
/// past meeting (deferred, or not decided there). Those already put on a later meeting's
/// agenda are not due yet.
async fn applications(
    db: &DatabaseConnection,
    viewer: &Viewer,
    today: NaiveDate,
) -> ApiResult<(Option<Meeting>, Vec<Application>)> {
    use application::Column as C;
    let meetings: HashMap<i32, Meeting> = steering_meeting::Entity::find_visible_to(viewer)
        .all(db)
        .await?
        .into_iter()
        .map(|m| {
            (
                m.id,
                Meeting {
                    title: m.title,
                    held_on: m.held_on,
                },
            )
        })
        .collect();
    let next = meetings
        .values()
        .filter(|m| m.held_on >= today)
        .min_by_key(|m| m.held_on)
        .cloned();
    let waiting = application::Entity::find_visible_to(viewer)
        .filter(C::Status.is_in([
            ApplicationStatus::Submitted,
            ApplicationStatus::InReview,
            ApplicationStatus::Deferred,
        ]))
        .order_by_asc(C::SubmittedOn)
        .order_by_asc(C::Id)
        .all(db)
        .await?;
    let units: HashMap<i32, String> = org_unit::Entity::find_visible_to(viewer)
        .select_only()
        .columns([org_unit::Column::Id, org_unit::Column::Code])
        .into_tuple::<(i32, String)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let listed = waiting
        .into_iter()
        .filter_map(|app| {
            let meeting = app.meeting_id.and_then(|id| meetings.get(&id)).cloned();
            let later = match (&meeting, &next) {
                (Some(on), Some(next)) => on.held_on > next.held_on,
                _ => false,
            };
            (!later).then(|| Application {
                id: app.id,
                title: app.title,
                unit: units.get(&app.org_unit_id).cloned().unwrap_or_default(),
                submitted_on: app.submitted_on,
                status: app.status,
                meeting,
            })
        })
        .collect();
    Ok((next, listed))
}

/// A counted report's id, subject columns, light, date, and when it was written and reviewed.
type LightRow = (
    i32,
    Option<i32>,
    Option<i32>,
    Option<i32>,
    Rag,
    NaiveDate,
    DateTime<Utc>,
    Option<DateTime<Utc>>,
);

/// A counted report as the light history needs it.
struct Counted {
    id: i32,
    rag: Rag,
    reported_on: NaiveDate,
    /// When it came to count: its approval, or its submission where it needed none.
    counts_from: DateTime<Utc>,
}

/// The work whose traffic light changed with reports that came to count since `since`: the
/// light of its latest counted report now, against the light it had before `since` (a report
/// approved this week may be dated earlier, and still changes the light this week).
async fn light_changes(
    db: &DatabaseConnection,
    viewer: &Viewer,
    portfolio: &Portfolio,
    since: DateTime<Utc>,
) -> ApiResult<Vec<LightChange>> {
    use status_report::Column as C;
    let rows: Vec<LightRow> = status_report::Entity::find_visible_to(viewer)
        .select_only()
        .columns([
            C::Id,
            C::MeasureId,
            C::ProjectId,
            C::SubProjectId,
            C::Rag,
            C::ReportedOn,
            C::CreatedAt,
            C::ReviewedAt,
        ])
        .filter(counted_reports())
        .into_tuple()
        .all(db)
        .await?;
    let mut by_work: HashMap<(Work, i32), Vec<Counted>> = HashMap::new();
    for (id, m, p, s, rag, reported_on, created_at, reviewed_at) in rows {
        let Some(subject) = subject(m, p, s) else {
            continue;
        };
        by_work.entry(subject).or_default().push(Counted {
            id,
            rag,
            reported_on,
            counts_from: reviewed_at.unwrap_or(created_at).max(created_at),
        });
    }
    let latest = |reports: &[&Counted]| {
        reports
            .iter()
            .max_by_key(|r| (r.reported_on, r.id))
            .map(|r| (r.rag, r.reported_on, r.counts_from))
    };
    let mut changes = Vec::new();
    for (subject, reports) in &by_work {
        let all: Vec<&Counted> = reports.iter().collect();
        let before: Vec<&Counted> = reports.iter().filter(|r| r.counts_from < since).collect();
        let Some((to, reported_on, counts_from)) = latest(&all) else {
            continue;
        };
        let from = latest(&before).map(|(rag, _, _)| rag);
        if counts_from < since || from == Some(to) {
            continue;
        }
        let Some(row) = portfolio.find(subject.0, subject.1) else {
            continue;
        };
        changes.push(LightChange {
            work: subject.0,
            work_id: subject.1,
            title: row.label.clone(),
            from,
            to,
            reported_on,
        });
    }
    // Red first: what got worse matters most.
    changes.sort_by(|a, b| {
        severity(b.to)
            .cmp(&severity(a.to))
            .then_with(|| a.title.cmp(&b.title))
    });
    Ok(changes)
}

fn severity(rag: Rag) -> u8 {
    match rag {
        Rag::Green => 0,
        Rag::Amber => 1,
        Rag::Red => 2,
    }
}
