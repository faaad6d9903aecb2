//! What a feed holds: the milestones and the status report due dates of the work its owner
//! may see, read with the owner's view through the policy's scoped selects. A department's
//! feed narrows that to the work its unit subtree owns ([`rules::shows_work`]). Archived work
//! is left out, as the lists leave it out by default.

use std::collections::HashMap;

use chrono::NaiveDate;
use entity::{enums::Status, measure, milestone, project, sub_project};
use sea_orm::{ColumnTrait, DatabaseConnection, QueryFilter, QueryOrder, QuerySelect};

use crate::{
    error::ApiResult,
    policy::{FindVisible, calendar as rules},
    report::{live::Reporting, rollup::Kind},
    viewer::Viewer,
};

/// A kind of work that owes status reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Work {
    Measure,
    Project,
    SubProject,
}

impl Work {
    /// The word in UIDs.
    pub fn key(self) -> &'static str {
        match self {
            Self::Measure => "measure",
            Self::Project => "project",
            Self::SubProject => "sub-project",
        }
    }

    fn kind(self) -> Kind {
        match self {
            Self::Measure => Kind::Measure,
            Self::Project => Kind::Project,
            Self::SubProject => Kind::SubProject,
        }
    }
}

/// One day in a feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    /// A milestone's due date, achieved or not.
    Milestone {
        id: i32,
        /// The work it belongs to: its sub-project, else its project.
        work: Work,
        work_id: i32,
        /// Code and title (`M_50 Go-live`).
        title: String,
        due: NaiveDate,
        achieved_on: Option<NaiveDate>,
        /// The project's code and title.
        project: String,
        /// The sub-project's, if the milestone belongs to one.
        sub_project: Option<String>,
    },
    /// The day running work owes its next status report.
    ReportDue {
        work: Work,
        id: i32,
        /// Number or code, and title.
        title: String,
        due: NaiveDate,
        last_report: Option<NaiveDate>,
        /// The project of a sub-project.
        parent: Option<String>,
    },
}

impl Entry {
    /// The day of the entry.
    pub fn day(&self) -> NaiveDate {
        match self {
            Self::Milestone { due, .. } | Self::ReportDue { due, .. } => *due,
        }
    }
}

/// A row of work as feeds and digests need it.
pub(crate) struct Row {
    pub(crate) id: i32,
    /// Number or code, and title.
    pub(crate) label: String,
    pub(crate) status: Status,
    /// The owning org unit.
    pub(crate) owner: i32,
    /// The project of a sub-project.
    pub(crate) parent: Option<i32>,
}

/// The measures, projects and sub-projects a viewer sees, archived ones left out.
pub(crate) struct Portfolio {
    pub(crate) measures: Vec<Row>,
    pub(crate) projects: Vec<Row>,
    pub(crate) sub_projects: Vec<Row>,
    index: HashMap<(Work, i32), usize>,
}

impl Portfolio {
    /// Reads the viewer's work through the policy's scoped selects.
    pub(crate) async fn load(db: &DatabaseConnection, viewer: &Viewer) -> ApiResult<Self> {
        let (measures, projects, sub_projects) = work(db, viewer).await?;
        let mut index = HashMap::new();
        for (work, rows) in [
            (Work::Measure, &measures),
            (Work::Project, &projects),
            (Work::SubProject, &sub_projects),
        ] {
            for (at, row) in rows.iter().enumerate() {
                index.insert((work, row.id), at);
            }
        }
        Ok(Self {
            measures,
            projects,
            sub_projects,
            index,
        })
    }

    fn rows(&self, work: Work) -> &[Row] {
        match work {
            Work::Measure => &self.measures,
            Work::Project => &self.projects,
            Work::SubProject => &self.sub_projects,
        }
    }

    /// The row `id` of `work`, if the viewer sees it and it is not archived.
    pub(crate) fn find(&self, work: Work, id: i32) -> Option<&Row> {
        let at = *self.index.get(&(work, id))?;
        self.rows(work).get(at)
    }
}

fn label(code: Option<String>, title: String) -> String {
    match code.filter(|code| !code.trim().is_empty()) {
        Some(code) => format!("{code} {title}"),
        None => title,
    }
}

/// The entries of the feed of `viewer`, by day; `cycle_days` is the reporting cycle that
/// applies (the tenant's, else the installation's).
pub async fn collect(
    db: &DatabaseConnection,
    viewer: &Viewer,
    cycle_days: u32,
) -> ApiResult<Vec<Entry>> {
    let portfolio = Portfolio::load(db, viewer).await?;
    collect_in(db, viewer, cycle_days, &portfolio).await
}

/// [`collect`] over the viewer's work read before.
pub(crate) async fn collect_in(
    db: &DatabaseConnection,
    viewer: &Viewer,
    cycle_days: u32,
    portfolio: &Portfolio,
) -> ApiResult<Vec<Entry>> {
    let mut entries = milestones(db, viewer, portfolio).await?;

    let live = Reporting::new(db, viewer, cycle_days).live().await?;
    let kinds = [
        (Work::Measure, &portfolio.measures),
        (Work::Project, &portfolio.projects),
        (Work::SubProject, &portfolio.sub_projects),
    ];
    for (work, rows) in kinds {
        for row in rows.iter() {
            let parent = match row.parent {
                // A sub-project of an archived (or hidden) project is not in the feed.
                Some(project) => match portfolio.find(Work::Project, project) {
                    Some(project) => Some(project.label.clone()),
                    None => continue,
                },
                None => None,
            };
            if row.status != Status::InProgress || !rules::shows_work(viewer, row.owner) {
                continue;
            }
            let Some(due) = live.report_due(work.kind(), row.id) else {
                continue;
            };
            entries.push(Entry::ReportDue {
                work,
                id: row.id,
                title: row.label.clone(),
                due,
                last_report: live.last_report(work.kind(), row.id),
                parent,
            });
        }
    }
    entries.sort_by_key(|entry| entry.day());
    Ok(entries)
}

/// The measures, projects and sub-projects the viewer sees, archived ones left out.
async fn work(
    db: &DatabaseConnection,
    viewer: &Viewer,
) -> ApiResult<(Vec<Row>, Vec<Row>, Vec<Row>)> {
    let measures = measure::Entity::find_visible_to(viewer)
        .filter(measure::Column::ArchivedAt.is_null())
        .select_only()
        .columns([
            measure::Column::Id,
            measure::Column::Number,
            measure::Column::Title,
            measure::Column::Status,
            measure::Column::OrgUnitId,
        ])
        .order_by_asc(measure::Column::Id)
        .into_tuple::<(i32, String, String, Status, i32)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(id, number, title, status, owner)| Row {
            id,
            label: label(Some(number), title),
            status,
            owner,
            parent: None,
        })
        .collect();
    let projects = project::Entity::find_visible_to(viewer)
        .filter(project::Column::ArchivedAt.is_null())
        .select_only()
        .columns([
            project::Column::Id,
            project::Column::Code,
            project::Column::Title,
            project::Column::Status,
            project::Column::OrgUnitId,
        ])
        .order_by_asc(project::Column::Id)
        .into_tuple::<(i32, Option<String>, String, Status, i32)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(id, code, title, status, owner)| Row {
            id,
            label: label(code, title),
            status,
            owner,
            parent: None,
        })
        .collect();
    let sub_projects = sub_project::Entity::find_visible_to(viewer)
        .filter(sub_project::Column::ArchivedAt.is_null())
        .select_only()
        .columns([
            sub_project::Column::Id,
            sub_project::Column::Code,
            sub_project::Column::Title,
            sub_project::Column::Status,
            sub_project::Column::OrgUnitId,
            sub_project::Column::ProjectId,
        ])
        .order_by_asc(sub_project::Column::Id)
        .into_tuple::<(i32, Option<String>, String, Status, i32, i32)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(id, code, title, status, owner, project)| Row {
            id,
            label: label(code, title),
            status,
            owner,
            parent: Some(project),
        })
        .collect();
    Ok((measures, projects, sub_projects))
}

/// The milestones of the feed: visible, not archived, of work that is not archived, and of
/// a project or sub-project the feed shows (a department's: one its subtree owns).
async fn milestones(
    db: &DatabaseConnection,
    viewer: &Viewer,
    portfolio: &Portfolio,
) -> ApiResult<Vec<Entry>> {
    use milestone::Column as C;
    let rows = milestone::Entity::find_visible_to(viewer)
        .filter(C::ArchivedAt.is_null())
        .select_only()
        .columns([
            C::Id,
            C::ProjectId,
            C::SubProjectId,
            C::Code,
            C::Title,
            C::DueDate,
            C::AchievedOn,
        ])
        .order_by_asc(C::DueDate)
        .order_by_asc(C::Id)
        .into_tuple::<(
            i32,
            i32,
            Option<i32>,
            String,
            String,
            NaiveDate,
            Option<NaiveDate>,
        )>()
        .all(db)
        .await?;
    let mut entries = Vec::new();
    for (id, project, sub_project, code, title, due, achieved_on) in rows {
        let Some(project) = portfolio.find(Work::Project, project) else {
            continue;
        };
        let sub_project = match sub_project {
            Some(sub) => match portfolio.find(Work::SubProject, sub) {
                Some(sub) => Some(sub),
                None => continue,
            },
            None => None,
        };
        let shown = rules::shows_work(viewer, project.owner)
            || sub_project.is_some_and(|sub| rules::shows_work(viewer, sub.owner));
        if !shown {
            continue;
        }
        let (work, work_id) = match sub_project {
            Some(sub) => (Work::SubProject, sub.id),
            None => (Work::Project, project.id),
        };
        entries.push(Entry::Milestone {
            id,
            work,
            work_id,
            title: label(Some(code), title),
            due,
            achieved_on,
            project: project.label.clone(),
            sub_project: sub_project.map(|sub| sub.label.clone()),
        });
    }
    Ok(entries)
}
