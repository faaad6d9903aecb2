//! The status reports that say where each row stood: the latest on given days (with their
//! summaries, for the live state and the council report) or the whole history (for charts).

use std::collections::HashMap;

use chrono::NaiveDate;
use entity::{enums::Rag, status_report};
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect,
    sea_query::{Alias, Expr, ExprTrait, Func, Order, Query, SelectStatement, WindowStatement},
};

use super::rollup::{Kind, Reported};
use crate::{error::ApiResult, policy::rows::counted_reports, viewer::Viewer};

/// Where rows stood by their own status reports.
pub trait Reports {
    /// The latest report of the row on or before `as_of`.
    fn latest(&self, kind: Kind, id: i32, as_of: NaiveDate) -> Option<Reported>;
}

/// One status report, as reports and charts need it.
#[derive(Clone, Debug)]
pub struct Entry {
    pub id: i32,
    pub reported: Reported,
    pub summary: Option<String>,
}

/// Status reports by row, oldest first.
#[derive(Default)]
pub struct ReportLog {
    entries: HashMap<(Kind, i32), Vec<Entry>>,
}

impl Reports for ReportLog {
    fn latest(&self, kind: Kind, id: i32, as_of: NaiveDate) -> Option<Reported> {
        self.entry(kind, id, as_of).map(|e| e.reported)
    }
}

impl ReportLog {
    /// The latest report of the row on or before `as_of`, with its summary when loaded.
    pub fn entry(&self, kind: Kind, id: i32, as_of: NaiveDate) -> Option<&Entry> {
        let entries = self.entries.get(&(kind, id))?;
        let end = entries.partition_point(|e| e.reported.on <= as_of);
        end.checked_sub(1).map(|i| &entries[i])
    }

    /// Every report of the row, oldest first.
    pub fn of(&self, kind: Kind, id: i32) -> &[Entry] {
        self.entries.get(&(kind, id)).map_or(&[], Vec::as_slice)
    }

    pub(super) fn add(&mut self, kind: Kind, id: i32, entry: Entry) {
        let entries = self.entries.entry((kind, id)).or_default();
        if entries.iter().any(|e| e.id == entry.id) {
            return;
        }
        entries.push(entry);
        entries.sort_by_key(|e| (e.reported.on, e.id));
    }

    /// Every report of the tenant up to `until` without its texts, for history charts.
    pub async fn history(
        db: &DatabaseConnection,
        viewer: &Viewer,
        until: NaiveDate,
    ) -> ApiResult<Self> {
        use status_report::Column as C;
        let rows = status_report::Entity::find()
            .select_only()
            .columns([
                C::Id,
                C::MeasureId,
                C::ProjectId,
                C::SubProjectId,
                C::Progress,
                C::Rag,
                C::ReportedOn,
            ])
            .filter(C::TenantId.eq(viewer.tenant_id))
            .filter(C::ReportedOn.lte(until))
            .filter(counted_reports())
            .into_tuple::<(
                i32,
                Option<i32>,
                Option<i32>,
                Option<i32>,
                i32,
                Rag,
                NaiveDate,
            )>()
            .all(db)
            .await?;
        let mut log = Self::default();
        for (id, measure, project, sub_project, progress, rag, on) in rows {
            let subject = measure
                .map(|id| (Kind::Measure, id))
                .or(project.map(|id| (Kind::Project, id)))
                .or(sub_project.map(|id| (Kind::SubProject, id)));
            if let Some((kind, subject)) = subject {
                log.entries.entry((kind, subject)).or_default().push(Entry {
                    id,
                    reported: Reported { progress, rag, on },
                    summary: None,
                });
            }
        }
        for entries in log.entries.values_mut() {
            entries.sort_by_key(|e| (e.reported.on, e.id));
        }
        Ok(log)
    }

    /// Every report day of the log, ascending.
    pub fn days(&self) -> Vec<NaiveDate> {
        let mut days: Vec<NaiveDate> = self
            .entries
            .values()
            .flatten()
            .map(|e| e.reported.on)
            .collect();
        days.sort_unstable();
        days.dedup();
        days
    }
}

pub(super) const SUBJECTS: [(Kind, status_report::Column); 3] = [
    (Kind::Measure, status_report::Column::MeasureId),
    (Kind::Project, status_report::Column::ProjectId),
    (Kind::SubProject, status_report::Column::SubProjectId),
];

/// The newest counted report of every row whose reports `column` names, on or before `day`:
/// the reports of the tenant numbered newest first per row, the first of each kept. The
/// tenant filter keeps the numbering within the tenant's reports.
pub(super) fn latest_of(
    tenant: i32,
    day: NaiveDate,
    column: status_report::Column,
) -> SelectStatement {
    use status_report::Column as C;
    let mut newest_first = WindowStatement::partition_by(column);
    newest_first
        .order_by(C::ReportedOn, Order::Desc)
        .order_by(C::Id, Order::Desc);
    let ranked = Query::select()
        .columns([C::Id, C::Progress, C::Rag, C::ReportedOn, C::Summary])
        .expr_as(Expr::col(column), Alias::new("subject"))
        .expr_window_as(Func::cust("ROW_NUMBER"), newest_first, Alias::new("n"))
        .from(status_report::Entity)
        .and_where(C::TenantId.eq(tenant))
        .and_where(column.is_not_null())
        .and_where(C::ReportedOn.lte(day))
        .cond_where(counted_reports())
        .to_owned();
    Query::select()
        .columns(["subject", "id", "progress", "rag", "reported_on", "summary"].map(Alias::new))
        .from_subquery(ranked, Alias::new("ranked"))
        .and_where(Expr::col(Alias::new("n")).eq(1))
        .to_owned()
}
