//! Reading a tenant's file back: the tenant anew, every row with a new id and every
//! reference following it, in one transaction.

use std::{collections::HashMap, str::FromStr};

use chrono::Utc;
use entity::{
    application, audit_entry, budget_line, category, council_report, funding, goal, indicator,
    indicator_target, indicator_value, measure, measure_goal, milestone, org_unit, participant,
    project, project_category, project_link, risk, status_report, steering_meeting, strategy,
    sub_project, tenant,
};
use sea_orm::{
    ActiveModelBehavior, ActiveModelTrait,
    ActiveValue::Set,
    DatabaseConnection, DatabaseTransaction, EntityTrait, IntoActiveModel, ModelTrait,
    sea_query::{Alias, Expr, ExprTrait, Query},
};
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::{FORMAT, VERSION};
use crate::{
    audit::{self, Action, Actor, Entry, Subject},
    error::{ApiError, ApiResult},
    report::model::CouncilReport,
    tenant::tables::{TABLES, Table, table_of},
    viewer::Operator,
};

/// What an import made.
#[derive(Debug, Clone)]
pub struct Imported {
    pub tenant: tenant::Model,
    /// Rows of the tenant, all tables together.
    pub rows: usize,
}

fn bad(message: impl Into<String>) -> ApiError {
    ApiError::bad_input("file", message.into())
}

/// The new ids of the rows of each table, by their ids in the file.
#[derive(Default)]
struct Ids(HashMap<&'static str, HashMap<i64, i32>>);

impl Ids {
    fn get(&self, table: &str, old: i64) -> Option<i32> {
        self.0.get(table)?.get(&old).copied()
    }
}

/// A reference of a row to a row of its own table, set once the table is in.
struct Pending {
    table: &'static str,
    column: &'static str,
    row: i32,
    target: i64,
}

/// Creates the tenant of `file` (under `key`, or the key in the file) with all its rows.
/// A file of another format or a newer version, or one that does not hold together (a row
/// that does not parse, a reference to a row the file lacks), is refused and nothing is
/// written.
pub async fn import(
    db: &DatabaseConnection,
    operator: &Operator,
    file: &Value,
    key: Option<&str>,
) -> ApiResult<Imported> {
    if file.get("format").and_then(Value::as_str) != Some(FORMAT) {
        return Err(bad(format!(
            "not a tenant file of digidash (format {FORMAT:?})"
        )));
    }
    let version = file.get("version").and_then(Value::as_u64).unwrap_or(0);
    if version == 0 || version > u64::from(VERSION) {
        return Err(bad(format!(
            "format version {version}: this digidash reads versions 1 to {VERSION}; \
             import the file with the digidash that wrote it or a newer one"
        )));
    }
    let source: tenant::Model = serde_json::from_value(file["tenant"].clone())
        .map_err(|err| bad(format!("tenant: {err}")))?;
    let key = super::super::key("key", key.unwrap_or(&source.key))?;
    let txn = crate::write::begin_writing(db).await?;
    if super::super::by_key(&txn, &key).await.is_ok() {
        return Err(ApiError::bad_input(
            "key",
            format!("a tenant {key:?} exists"),
        ));
    }
    let now = Utc::now();
    let mut new_tenant = source.clone().into_active_model();
    new_tenant.not_set(tenant::Column::Id);
    new_tenant.key = Set(key.clone());
    new_tenant.data_version = Set(0);
    let created = new_tenant.insert(&txn).await?;

    let mut ids = Ids::default();
    let mut pending = Vec::new();
    let mut count = 0;
    for table in &TABLES {
        let rows = match file["tables"][table.name].as_array().map(Vec::as_slice) {
            Some(rows) => rows,
            None if table.name == "indicator_target" => {
                targets_from_columns(&txn, created.id).await?;
                continue;
            }
            None if table.added_later => &[],
            None => return Err(bad(format!("the file lacks the table {}", table.name))),
        };
        let load = Load {
            txn: &txn,
            table,
            tenant: &created,
        };
        count += rows.len();
        macro_rules! dispatch {
            ($($module:ident),+) => {
                match table.name {
                    $(stringify!($module) => {
                        load.rows::<$module::Entity>(rows, &mut ids, &mut pending).await?
                    })+
                    other => return Err(bad(format!("unknown table {other}"))),
                }
            };
        }
        dispatch!(
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
    }
    for link in pending {
        let target = ids.get(link.table, link.target).ok_or_else(|| {
            bad(format!(
                "{}: {} refers to a row the file lacks",
                link.table, link.column
            ))
        })?;
        let update = Query::update()
            .table(Alias::new(link.table))
            .value(Alias::new(link.column), target)
            .and_where(Expr::col(Alias::new("id")).eq(link.row))
            .to_owned();
        sea_orm::ConnectionTrait::execute(&txn, &update).await?;
    }
    // Files from before the flag have none, and ids moved: the latest reports are flagged
    // anew over what was imported.
    crate::status_report::latest::mark_tenant(&txn, created.id).await?;
    // The entries came with the ids of the installation they left: their chain is sealed
    // anew over the ids they have here (the file keeps the old head for comparison).
    audit::chain::reseal(&txn, created.id).await?;
    let entry = Entry::<tenant::Model> {
        tenant_id: created.id,
        at: now,
        actor: Actor::operator(operator),
        action: Action::Create,
        subject: Subject {
            kind: "Tenant",
            owner: None,
        },
        subject_id: created.id,
        before: None,
        after: Some(&created),
    };
    audit::record_entry(&txn, entry).await?;
    txn.commit().await?;
    Ok(Imported {
        tenant: created,
        rows: count,
    })
}

/// A file from before target paths: every indicator's target with a date becomes its path's
/// only point, as the migration to target paths did with the stored ones.
async fn targets_from_columns(txn: &DatabaseTransaction, tenant: i32) -> ApiResult<()> {
    let insert = format!(
        "INSERT INTO indicator_target (tenant_id, indicator_id, target_date, value) \
         SELECT tenant_id, id, target_date, target FROM indicator \
         WHERE tenant_id = {tenant} AND target IS NOT NULL AND target_date IS NOT NULL"
    );
    sea_orm::ConnectionTrait::execute_unprepared(txn, &insert).await?;
    Ok(())
}

/// Loads the rows of one table.
struct Load<'a> {
    txn: &'a DatabaseTransaction,
    table: &'a Table,
    tenant: &'a tenant::Model,
}

impl Load<'_> {
    async fn rows<E>(
        &self,
        rows: &[Value],
        ids: &mut Ids,
        pending: &mut Vec<Pending>,
    ) -> ApiResult<()>
    where
        E: EntityTrait,
        E::Model: DeserializeOwned + IntoActiveModel<E::ActiveModel>,
        E::ActiveModel: ActiveModelBehavior + Send,
    {
        let name = self.table.name;
        let id_column = E::Column::from_str("id").ok();
        let mut new_ids = HashMap::with_capacity(rows.len());
        let mut links = Vec::new();
        for (n, row) in rows.iter().enumerate() {
            let Value::Object(fields) = row else {
                return Err(bad(format!("{name}: row {} is not an object", n + 1)));
            };
            let mut fields = fields.clone();
            let old = fields.get("id").and_then(Value::as_i64);
            fields.insert("tenant_id".into(), self.tenant.id.into());
            for &(column, target) in self.table.refs {
                let Some(reference) = fields.get(column).and_then(Value::as_i64) else {
                    continue;
                };
                if target == name {
                    links.push((old, column, reference));
                    fields.insert(column.into(), Value::Null);
                    continue;
                }
                let new = ids.get(target, reference).ok_or_else(|| {
                    bad(format!(
                        "{name}: row {} refers with {column} to a row the file lacks",
                        n + 1
                    ))
                })?;
                fields.insert(column.into(), new.into());
            }
            self.follow(&mut fields, ids)?;
            let model: E::Model = serde_json::from_value(Value::Object(fields))
                .map_err(|err| bad(format!("{name}: row {}: {err}", n + 1)))?;
            let mut active = model.into_active_model();
            if let Some(column) = id_column {
                active.not_set(column);
            }
            let inserted = active.insert(self.txn).await?;
            if let (Some(old), Some(column)) = (old, id_column) {
                let new = match inserted.get(column) {
                    sea_orm::Value::Int(Some(new)) => new,
                    _ => return Err(ApiError::Internal(anyhow::anyhow!("{name}: no new id"))),
                };
                new_ids.insert(old, new);
                for (from, column, target) in links.drain(..) {
                    if from == Some(old) {
                        pending.push(Pending {
                            table: name,
                            column,
                            row: new,
                            target,
                        });
                    }
                }
            }
        }
        ids.0.insert(name, new_ids);
        Ok(())
    }

    /// The references that are not plain columns: an audit entry's subject (by its type),
    /// and the rows a published council report links to (inside its content).
    fn follow(&self, fields: &mut serde_json::Map<String, Value>, ids: &Ids) -> ApiResult<()> {
        match self.table.name {
            "audit_entry" => {
                let kind = fields
                    .get("subject_type")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                let old = fields
                    .get("subject_id")
                    .and_then(Value::as_i64)
                    .unwrap_or_default();
                let new = if kind == "Tenant" {
                    Some(self.tenant.id)
                } else {
                    table_of(kind).and_then(|table| ids.get(table, old))
                };
                // A subject since deleted keeps no id of a row it is not: a negative one,
                // which names nothing.
                let new = new.map_or(-old.abs(), i64::from);
                fields.insert("subject_id".into(), new.into());
            }
            "council_report" => {
                let content = fields
                    .get("content")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                let mut report: CouncilReport = serde_json::from_str(content)
                    .map_err(|err| bad(format!("council_report: content: {err}")))?;
                report.tenant_key = self.tenant.key.clone();
                for goal in &mut report.goals {
                    goal.goal_id = goal.goal_id.and_then(|old| ids.get("goal", old.into()));
                    for line in &mut goal.measures {
                        line.measure_id = line
                            .measure_id
                            .and_then(|old| ids.get("measure", old.into()));
                    }
                    for change in &mut goal.rag_changes {
                        change.subject_id = change.subject_id.and_then(|old| {
                            table_of(&change.kind).and_then(|table| ids.get(table, old.into()))
                        });
                    }
                }
                let content =
                    serde_json::to_string(&report).map_err(|err| ApiError::Internal(err.into()))?;
                fields.insert("content".into(), content.into());
            }
            _ => {}
        }
        Ok(())
    }
}
