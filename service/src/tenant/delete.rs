//! Removing a tenant with every row it owns, in one transaction: when a contract ends, or
//! before a tenant is imported again.

use entity::tenant;
use sea_orm::{
    ConnectionTrait, DatabaseConnection, EntityTrait, TransactionTrait,
    sea_query::{Alias, Expr, ExprTrait, Query},
};

use crate::error::ApiResult;

/// The tables of a tenant's rows, each with what its rows are, in an order in which they can
/// be deleted: every row before the rows it refers to.
const TABLES: [(&str, &str); 20] = [
    ("audit_entry", "audit entries"),
    ("council_report", "published council reports"),
    ("status_report", "status reports"),
    ("milestone", "milestones"),
    ("budget_line", "budget lines"),
    ("funding", "funding"),
    ("project_link", "project links"),
    ("project_category", "project categories"),
    ("sub_project", "sub-projects"),
    ("project", "projects"),
    ("application", "applications"),
    ("steering_meeting", "steering meetings"),
    ("measure_goal", "measure goals"),
    ("measure", "measures"),
    ("indicator_value", "indicator values"),
    ("indicator", "indicators"),
    ("goal", "goals"),
    ("strategy", "strategies"),
    ("category", "categories"),
    ("org_unit", "org units"),
];

/// Rows that refer to rows of their own table; cut before their table is deleted, since a
/// parent may come before its child in one `DELETE`.
const SELF_REFERENCES: [(&str, &str); 3] = [
    ("goal", "parent_id"),
    ("strategy", "predecessor_id"),
    ("org_unit", "parent_id"),
];

/// What deleting a tenant removes (or, without confirmation, would remove).
#[derive(Debug, Clone)]
pub struct Removal {
    /// The tenant.
    pub tenant: tenant::Model,
    /// Rows of the tenant per kind, in the order of [`TABLES`].
    pub counts: Vec<(&'static str, u64)>,
    /// Whether they were deleted.
    pub deleted: bool,
}

/// The rows of the tenant `tenant_id` per kind, in the order of [`TABLES`].
pub async fn rows(
    db: &impl ConnectionTrait,
    tenant_id: i32,
) -> ApiResult<Vec<(&'static str, u64)>> {
    let mut counts = Vec::with_capacity(TABLES.len());
    for (table, label) in TABLES {
        let count = Query::select()
            .expr(Expr::cust("COUNT(*)"))
            .from(Alias::new(table))
            .and_where(Expr::col(Alias::new("tenant_id")).eq(tenant_id))
            .to_owned();
        let found = match db.query_one(&count).await? {
            Some(row) => row.try_get_by_index::<i64>(0)?,
            None => 0,
        };
        counts.push((label, u64::try_from(found).unwrap_or(0)));
    }
    Ok(counts)
}

/// Counts the rows of the tenant `key` and, if `confirmed`, deletes them and the tenant, all
/// or nothing. Other tenants are not touched: every statement is bound to the tenant's id.
#[tracing::instrument(skip(db))]
pub async fn delete(db: &DatabaseConnection, key: &str, confirmed: bool) -> ApiResult<Removal> {
    let txn = db.begin().await?;
    let tenant = super::by_key(&txn, key).await?;
    let counts = rows(&txn, tenant.id).await?;
    if !confirmed {
        return Ok(Removal {
            tenant,
            counts,
            deleted: false,
        });
    }
    for (table, column) in SELF_REFERENCES {
        let cut = Query::update()
            .table(Alias::new(table))
            .value(Alias::new(column), Expr::val(None::<i32>))
            .and_where(Expr::col(Alias::new("tenant_id")).eq(tenant.id))
            .to_owned();
        txn.execute(&cut).await?;
    }
    for (table, _) in TABLES {
        let remove = Query::delete()
            .from_table(Alias::new(table))
            .and_where(Expr::col(Alias::new("tenant_id")).eq(tenant.id))
            .to_owned();
        txn.execute(&remove).await?;
    }
    tenant::Entity::delete_by_id(tenant.id).exec(&txn).await?;
    txn.commit().await?;
    Ok(Removal {
        tenant,
        counts,
        deleted: true,
    })
}
