//! Which approved report is the latest of its subject.
//!
//! Where a piece of work stands today is its latest approved report. Ranking a tenant's whole
//! report history for that on every dashboard and roll-up cost PostgreSQL a sort of thousands
//! of rows per request at 400 tenants (issue #21), so the latest report of each subject
//! carries a flag (`status_report.latest`), kept here on every write that approves a report
//! and set anew for a whole tenant after it is seeded or imported. Reports are never dated in
//! the future ([`super::submit`] refuses it), so the latest report is also the latest on or
//! before today; readers that find one dated later fall back to ranking
//! ([`crate::report::tree_rows`]).

use entity::status_report;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    sea_query::{Alias, Expr, ExprTrait, Func, Order, OverStatement, Query, WindowStatement},
};
use status_report::Column as C;

use super::{Work, on};
use crate::{error::ApiResult, policy::rows::counted_reports};

/// Flags the latest approved report of `work` (the reports that count, as the policy says: by
/// reporting date, then id) and clears the
/// flag of the one before; returns that report, if `work` has any.
pub(super) async fn mark(
    db: &impl ConnectionTrait,
    work: Work,
) -> ApiResult<Option<status_report::Model>> {
    let latest = status_report::Entity::find()
        .filter(on(work))
        .filter(counted_reports())
        .order_by_desc(C::ReportedOn)
        .order_by_desc(C::Id)
        .one(db)
        .await?;
    let Some(latest) = latest else {
        return Ok(None);
    };
    status_report::Entity::update_many()
        .col_expr(C::Latest, Expr::col(C::Id).eq(latest.id))
        .filter(on(work))
        .filter(C::Latest.eq(true).or(C::Id.eq(latest.id)))
        .exec(db)
        .await?;
    Ok(Some(latest))
}

/// Flags the latest approved report of every subject of `tenant`, and only those: after a
/// seed or an import wrote the reports without the flag (or with the flags of another
/// database).
pub async fn mark_tenant(db: &impl ConnectionTrait, tenant: i32) -> ApiResult<()> {
    status_report::Entity::update_many()
        .col_expr(C::Latest, Expr::value(false))
        .filter(C::TenantId.eq(tenant))
        .filter(C::Latest.eq(true))
        .exec(db)
        .await?;
    // A report has exactly one subject column set, so the three name its subject.
    let mut newest_first = WindowStatement::partition_by(C::MeasureId);
    OverStatement::partition_by(&mut newest_first, C::ProjectId);
    OverStatement::partition_by(&mut newest_first, C::SubProjectId);
    newest_first
        .order_by(C::ReportedOn, Order::Desc)
        .order_by(C::Id, Order::Desc);
    let ranked = Query::select()
        .column(C::Id)
        .expr_window_as(Func::cust("ROW_NUMBER"), newest_first, Alias::new("n"))
        .from(status_report::Entity)
        .and_where(C::TenantId.eq(tenant))
        .cond_where(counted_reports())
        .to_owned();
    let firsts = Query::select()
        .column(C::Id)
        .from_subquery(ranked, Alias::new("ranked"))
        .and_where(Expr::col(Alias::new("n")).eq(1))
        .to_owned();
    status_report::Entity::update_many()
        .col_expr(C::Latest, Expr::value(true))
        .filter(C::TenantId.eq(tenant))
        .filter(C::Id.in_subquery(firsts))
        .exec(db)
        .await?;
    Ok(())
}
