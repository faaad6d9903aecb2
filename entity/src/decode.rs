//! Reading a model from a row by position.
//!
//! The `FromQueryResult` that SeaORM derives reads every column by name (a hash look-up in the
//! row's column map) and reads a NULL as an error whose message it formats and then discards:
//! an allocation per empty column. A project row has 22 optional columns, mostly empty, and a
//! page of nested lists reads hundreds of rows; both costs showed in the profile. A select
//! from `Entity::find()` lists the columns in `Column` order, which is the model's field
//! order, so a model can be read by position instead; the tests check that the field lists
//! below follow that order.

use sea_orm::{
    ConnectionTrait, DbErr, EntityTrait, QueryResult, QueryTrait, Select, TryGetError, TryGetable,
    sqlx::{Row, ValueRef},
};

use crate::{
    application, audit_entry, budget_line, category, council_report, funding, goal, indicator,
    indicator_target, indicator_value, measure, measure_goal, milestone, org_unit, participant,
    project, project_category, project_link, risk, status_report, steering_meeting, strategy,
    sub_project, tenant, webhook_delivery,
};

/// An entity whose model can be read from the first columns of a row, in `Column` order.
pub trait Decode: EntityTrait {
    /// The model in `row`, which starts with the entity's columns as `find()` selects them.
    fn decode(row: &QueryResult) -> Result<Self::Model, DbErr>;
}

/// The models `select` finds, read by position.
pub async fn all<E: Decode>(
    db: &impl ConnectionTrait,
    select: Select<E>,
) -> Result<Vec<E::Model>, DbErr> {
    let rows = db
        .query_all_raw(select.build(db.get_database_backend()))
        .await?;
    rows.iter().map(E::decode).collect()
}

/// The models `select` finds, read by position, and the number of rows the whole statement
/// would find without its limit: a window count added after the entity's columns.
pub async fn all_counted<E: Decode>(
    db: &impl ConnectionTrait,
    select: Select<E>,
) -> Result<(Vec<E::Model>, i64), DbErr> {
    use sea_orm::{Iterable, QuerySelect, sea_query::Expr};
    let width = E::Column::iter().count();
    let select = select.column_as(Expr::cust("COUNT(*) OVER ()"), "total_count");
    let rows = db
        .query_all_raw(select.build(db.get_database_backend()))
        .await?;
    // No row: the statement found nothing, so the whole list is empty.
    let total = match rows.first() {
        Some(row) => column::<i64>(row, width)?,
        None => 0,
    };
    Ok((rows.iter().map(E::decode).collect::<Result<_, _>>()?, total))
}

/// A column that cannot be NULL.
pub fn column<T: TryGetable>(row: &QueryResult, index: usize) -> Result<T, DbErr> {
    T::try_get_by_index(row, index).map_err(Into::into)
}

/// A column that may be NULL, checked before it is read.
pub fn nullable<T: TryGetable>(row: &QueryResult, index: usize) -> Result<Option<T>, DbErr> {
    if is_null(row, index) {
        return Ok(None);
    }
    match T::try_get_by_index(row, index) {
        Ok(value) => Ok(Some(value)),
        Err(TryGetError::Null(_)) => Ok(None),
        Err(TryGetError::DbErr(error)) => Err(error),
    }
}

fn is_null(row: &QueryResult, index: usize) -> bool {
    if let Some(row) = row.try_as_pg_row() {
        return row.try_get_raw(index).is_ok_and(|value| value.is_null());
    }
    if let Some(row) = row.try_as_sqlite_row() {
        return row.try_get_raw(index).is_ok_and(|value| value.is_null());
    }
    false
}

macro_rules! by_position {
    // One field at a time, so that a `?` after a name can mark it as nullable.
    (@read $row:ident [$($done:tt)*] $field:ident ? $(, $($rest:tt)*)?) => {
        by_position!(@read $row [$($done)* $field: nullable,] $($($rest)*)?)
    };
    (@read $row:ident [$($done:tt)*] $field:ident $(, $($rest:tt)*)?) => {
        by_position!(@read $row [$($done)* $field: column,] $($($rest)*)?)
    };
    (@read $row:ident [$($field:ident: $read:ident,)*]) => {{
        let mut index = 0..;
        // Fields are evaluated in the order written: the columns' order.
        Model {
            $($field: $read($row, index.next().unwrap_or_default())?,)*
        }
    }};
    (@names $($field:ident $(?)?),+) => {
        &[$(stringify!($field)),+]
    };
    ($($module:ident { $($fields:tt)+ }),+ $(,)?) => {
        $(
            impl Decode for $module::Entity {
                fn decode(row: &QueryResult) -> Result<$module::Model, DbErr> {
                    use $module::Model;
                    Ok(by_position!(@read row [] $($fields)+))
                }
            }
        )+

        /// The field lists above, by table, for the test of their order.
        #[cfg(test)]
        const FIELDS: &[(&str, &[&str])] = &[
            $((stringify!($module), by_position!(@names $($fields)+))),+
        ];
    };
}

// Fields marked `?` are `Option`s; every field of the model is listed, in declaration order.
by_position! {
    application { id, tenant_id, org_unit_id, title, description, expected_benefit?, estimated_cost?, status, submitted_by, submitted_by_name?, submitted_on, meeting_id?, decided_on?, decision_number?, decision_note?, conditions?, budget_released?, adopted_from_tenant_id?, adopted_from_project_id?, adopted_from_tenant_key?, adopted_from_tenant_name?, adopted_from_title?, created_at, updated_at, version },
    audit_entry { id, tenant_id, at, actor, actor_name?, role, action, subject_type, subject_id, org_unit_id?, changes, prev_hash?, hash? },
    budget_line { id, tenant_id, project_id, year, source, planned, approved, spent, note?, created_at, updated_at, version },
    category { id, tenant_id, name, description?, created_at, updated_at, version },
    council_report { id, tenant_id, period, period_from, period_to, as_of, content, published_at, published_by, published_by_name? },
    funding { id, tenant_id, project_id, programme, funder, amount, rate?, note?, created_at, updated_at, version },
    goal { id, tenant_id, strategy_id, parent_id?, org_unit_id, code, title, description?, status, visibility, position, archived_at?, created_at, updated_at, version, weight },
    indicator { id, tenant_id, goal_id?, name, description?, unit, baseline?, baseline_date?, target?, target_date?, higher_is_better, archived_at?, created_at, updated_at, version, measure_id?, project_id? },
    indicator_target { id, tenant_id, indicator_id, target_date, value },
    indicator_value { id, tenant_id, indicator_id, measured_on, value, note?, created_at, updated_at, version },
    measure { id, tenant_id, org_unit_id, number, title, description?, kind, priority, start_date?, due_date?, completed_on?, status, rag, progress, planned_effort_days?, actual_effort_days?, target_group?, channel?, organiser?, visibility, archived_at?, created_at, updated_at, version, weight },
    measure_goal { measure_id, goal_id, tenant_id },
    milestone { id, tenant_id, project_id, sub_project_id?, code, title, description?, due_date, achieved_on?, archived_at?, created_at, updated_at, version },
    org_unit { id, tenant_id, parent_id?, code, name, kind, position, lead_name?, lead_email?, archived_at?, created_at, updated_at, version },
    project { id, tenant_id, measure_id?, org_unit_id, application_id?, code?, title, summary?, description?, status, rag, progress, visibility, contact_name?, contact_email?, contact_phone?, unique_selling_point?, benefit_for_all?, transferable, transferable_results?, transferable_from?, funding_recipient?, model_region?, pilot_areas?, start_date?, end_date?, application_approved_on?, implementation_commissioned_on?, go_live_on?, closed_on?, archived_at?, created_at, updated_at, version, weight },
    project_category { project_id, category_id, tenant_id },
    participant { id, tenant_id, project_id?, sub_project_id?, org_unit_id, role, financials_granted, created_at, updated_at, version },
    project_link { id, tenant_id, project_id, kind, title, url, created_at, updated_at, version },
    status_report { id, tenant_id, measure_id?, project_id?, sub_project_id?, reported_on, progress, rag, summary, risks?, internal_notes?, next_steps?, author_sub, author_name?, created_at, review_state, review_comment?, reviewed_by?, reviewed_at?, version, schedule_rag?, schedule_comment?, budget_rag?, budget_comment?, scope_rag?, scope_comment?, resources_rag?, resources_comment?, latest },
    risk { id, tenant_id, project_id?, measure_id?, title, description?, probability, impact, owner_name?, mitigation?, status, review_on?, created_at, updated_at, version },
    steering_meeting { id, tenant_id, title, held_on, location?, notes?, created_at, updated_at, version },
    strategy { id, tenant_id, org_unit_id, predecessor_id?, title, description?, period_start, period_end, status, adopted_on?, revision, visibility, archived_at?, created_at, updated_at, version },
    sub_project { id, tenant_id, project_id, org_unit_id, code?, title, description?, status, rag, progress, start_date?, end_date?, visibility, archived_at?, created_at, updated_at, version, weight },
    tenant { id, key, name, kind, description?, council_live_report, data_version, reporting_cycle_days?, fiscal_year_start_month?, export_language?, public_reads, council_report_title?, council_report_issuer?, audit_head?, report_review, steering_email?, created_at, updated_at, version, rollup_weighting? },
    webhook_delivery { id, tenant_id, webhook_id, message_id, event, subject_type, subject_id, occurred_at, status, attempts, next_attempt_at?, last_attempt_at?, last_response_code?, last_error?, delivered_at? },
}

#[cfg(test)]
mod tests {
    use sea_orm::{IdenStatic, Iterable};

    use super::*;

    fn columns<E: EntityTrait>() -> (String, Vec<String>) {
        (
            E::default().table_name().to_owned(),
            E::Column::iter().map(|c| c.as_str().to_owned()).collect(),
        )
    }

    #[test]
    fn fields_are_listed_in_column_order() {
        let tables = [
            columns::<application::Entity>(),
            columns::<audit_entry::Entity>(),
            columns::<budget_line::Entity>(),
            columns::<category::Entity>(),
            columns::<council_report::Entity>(),
            columns::<funding::Entity>(),
            columns::<goal::Entity>(),
            columns::<indicator::Entity>(),
            columns::<indicator_target::Entity>(),
            columns::<indicator_value::Entity>(),
            columns::<measure::Entity>(),
            columns::<measure_goal::Entity>(),
            columns::<milestone::Entity>(),
            columns::<org_unit::Entity>(),
            columns::<participant::Entity>(),
            columns::<project::Entity>(),
            columns::<project_category::Entity>(),
            columns::<project_link::Entity>(),
            columns::<status_report::Entity>(),
            columns::<risk::Entity>(),
            columns::<steering_meeting::Entity>(),
            columns::<strategy::Entity>(),
            columns::<sub_project::Entity>(),
            columns::<tenant::Entity>(),
            columns::<webhook_delivery::Entity>(),
        ];
        assert_eq!(tables.len(), FIELDS.len());
        for (table, fields) in FIELDS {
            let (_, columns) = tables
                .iter()
                .find(|(name, _)| name == table)
                .unwrap_or_else(|| panic!("no table {table}"));
            assert_eq!(columns, fields, "fields of {table}");
        }
    }
}
