//! Removing a tenant with every row it owns, in one transaction: when a contract ends, or
//! before a tenant is imported again.

use entity::{calendar_feed, digest_log, idempotency_key, tenant};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    sea_query::{Alias, Expr, ExprTrait, Query},
};

use super::tables::{TABLES, Table};
use crate::error::ApiResult;

/// What deleting a tenant removes (or, without confirmation, would remove).
#[derive(Debug, Clone)]
pub struct Removal {
    /// The tenant.
    pub tenant: tenant::Model,
    /// Rows of the tenant per kind, in deletion order.
    pub counts: Vec<(&'static str, u64)>,
    /// Whether they were deleted.
    pub deleted: bool,
}

/// The rows of the tenant `tenant_id` per kind, in deletion order (every row before the
/// rows it refers to: the tables' insertion order turned round).
pub async fn rows(
    db: &impl ConnectionTrait,
    tenant_id: i32,
) -> ApiResult<Vec<(&'static str, u64)>> {
    let mut counts = Vec::with_capacity(TABLES.len());
    for &Table {
        name: table, label, ..
    } in TABLES.iter().rev()
    {
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
    let txn = crate::write::begin_writing(db).await?;
    let tenant = super::by_key(&txn, key).await?;
    let counts = rows(&txn, tenant.id).await?;
    if !confirmed {
        return Ok(Removal {
            tenant,
            counts,
            deleted: false,
        });
    }
    // Calendar feeds are credentials of this installation, not data of the tenant: they are
    // in no tenant file, and go first, before the org units they name.
    calendar_feed::Entity::delete_many()
        .filter(calendar_feed::Column::TenantId.eq(tenant.id))
        .exec(&txn)
        .await?;
    // The reminders' sent-log is the installation's bookkeeping too, in no tenant file.
    digest_log::Entity::delete_many()
        .filter(digest_log::Column::TenantId.eq(tenant.id))
        .exec(&txn)
        .await?;
    // A row may refer to another of its own table (a parent goal or unit, a predecessor
    // strategy) that one `DELETE` removes first: those references are cut beforehand.
    let own = TABLES.iter().flat_map(|table| {
        table
            .refs
            .iter()
            .filter(move |(_, target)| *target == table.name)
            .map(move |(column, _)| (table.name, *column))
    });
    for (table, column) in own {
        let cut = Query::update()
            .table(Alias::new(table))
            .value(Alias::new(column), Expr::val(None::<i32>))
            .and_where(Expr::col(Alias::new("tenant_id")).eq(tenant.id))
            .to_owned();
        txn.execute(&cut).await?;
    }
    for table in TABLES.iter().rev().map(|table| table.name) {
        let remove = Query::delete()
            .from_table(Alias::new(table))
            .and_where(Expr::col(Alias::new("tenant_id")).eq(tenant.id))
            .to_owned();
        txn.execute(&remove).await?;
    }
    // The answers kept for retried writes go with the tenant (they are no part of its data).
    idempotency_key::Entity::delete_many()
        .filter(idempotency_key::Column::TenantId.eq(tenant.id))
        .exec(&txn)
        .await?;
    tenant::Entity::delete_by_id(tenant.id).exec(&txn).await?;
    txn.commit().await?;
    Ok(Removal {
        tenant,
        counts,
        deleted: true,
    })
}
