//! Writing a tenant's file.

use chrono::Utc;
use entity::{
    application, audit_entry, budget_line, category, council_report, funding, goal, indicator,
    indicator_target, indicator_value, measure, measure_goal, milestone, org_unit, participant,
    project, project_category, project_link, risk, status_report, steering_meeting, strategy,
    sub_project,
};
use sea_orm::{
    DatabaseConnection, EntityTrait, Iterable, PrimaryKeyToColumn, QueryFilter, QueryOrder,
    TransactionTrait,
    sea_query::{Alias, Expr, ExprTrait},
};
use serde::Serialize;
use serde_json::{Map, Value, json};

use super::{FORMAT, VERSION};
use crate::error::{ApiError, ApiResult};

/// The rows of `E` of the tenant, by primary key.
async fn rows<E>(db: &impl sea_orm::ConnectionTrait, tenant_id: i32) -> ApiResult<Value>
where
    E: EntityTrait,
    E::Model: Serialize,
{
    let mut select = E::find().filter(Expr::col(Alias::new("tenant_id")).eq(tenant_id));
    for key in E::PrimaryKey::iter() {
        select = select.order_by_asc(key.into_column());
    }
    let rows = select.all(db).await?;
    serde_json::to_value(rows).map_err(|err| ApiError::Internal(err.into()))
}

/// The file of the tenant `key`: read in one transaction, so that it is one moment's state.
pub async fn export(db: &DatabaseConnection, key: &str) -> ApiResult<Value> {
    let txn = db.begin().await?;
    let tenant = super::super::by_key(&txn, key).await?;
    let id = tenant.id;
    let mut tables = Map::new();
    macro_rules! tables {
        ($($module:ident),+) => {$(
            tables.insert(stringify!($module).to_owned(), rows::<$module::Entity>(&txn, id).await?);
        )+};
    }
    tables!(
        org_unit,
        category,
        strategy,
        goal,
        measure,
        measure_goal,
        steering_meeting,
        application,
        project,
        indicator,
        indicator_value,
        indicator_target,
        project_category,
        project_link,
        funding,
        budget_line,
        sub_project,
        participant,
        milestone,
        status_report,
        risk,
        council_report,
        audit_entry
    );
    txn.commit().await?;
    Ok(json!({
        "format": FORMAT,
        "version": VERSION,
        "exportedAt": Utc::now(),
        "tenant": tenant,
        "tables": tables,
    }))
}
