//! The tenants of an installation as its operator manages them: created with a root org unit,
//! so that the first central IT token works at once; renamed; listed; deleted with every row
//! they own. Each tenant's central IT configures its own [`settings`].

mod delete;
pub mod settings;
mod tables;
pub mod transfer;

pub use delete::{Removal, delete, rows};
pub use settings::{Settings, SettingsPatch, update_settings};

use chrono::Utc;
use entity::{
    enums::{OrgUnitKind, TenantKind},
    org_unit, tenant,
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder,
};

use crate::{
    audit::{self, Action, Actor, Entry, Subject},
    error::{ApiError, ApiResult},
    validate,
    viewer::Operator,
    write::compare_and_set,
};

/// Longest tenant key.
pub const KEY_MAX: usize = 40;

/// A new tenant.
#[derive(Debug, Clone)]
pub struct NewTenant {
    /// Key in tokens and URLs: a lower-case slug such as `aachen` or `kreis-heinsberg`.
    pub key: String,
    /// Full name, e.g. "Stadt Aachen".
    pub name: String,
    pub kind: TenantKind,
    /// Code of the root org unit (default: the key in capitals).
    pub root_code: Option<String>,
}

/// Changes to a tenant read at `version`.
#[derive(Debug, Clone, Default)]
pub struct TenantPatch {
    pub id: i32,
    pub version: i32,
    pub name: Option<String>,
    pub kind: Option<TenantKind>,
}

/// A tenant key: a lower-case slug of letters, digits and single hyphens, starting with a
/// letter, at most [`KEY_MAX`] characters. Tokens and URLs carry it as it is.
pub fn key(field: &str, value: &str) -> ApiResult<String> {
    let value = value.trim();
    let bad = |message: &str| ApiError::bad_input(field, message.to_owned());
    if value.is_empty() {
        return Err(bad("must not be empty"));
    }
    if value.len() > KEY_MAX {
        return Err(bad(&format!("at most {KEY_MAX} characters")));
    }
    let slug = value.starts_with(|c: char| c.is_ascii_lowercase())
        && !value.ends_with('-')
        && !value.contains("--")
        && value
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if !slug {
        return Err(bad(
            "must be a lower-case slug: letters a-z, digits and single hyphens, starting with a letter",
        ));
    }
    Ok(value.to_owned())
}

const TENANT: Subject = Subject {
    kind: "Tenant",
    owner: None,
};

/// The tenant with this key, or `NOT_FOUND`.
pub async fn by_key(db: &impl sea_orm::ConnectionTrait, key: &str) -> ApiResult<tenant::Model> {
    tenant::Entity::find()
        .filter(tenant::Column::Key.eq(key))
        .one(db)
        .await?
        .ok_or(ApiError::NotFound("Tenant"))
}

/// Every tenant, by key.
pub async fn list(db: &DatabaseConnection) -> ApiResult<Vec<tenant::Model>> {
    Ok(tenant::Entity::find()
        .order_by_asc(tenant::Column::Key)
        .all(db)
        .await?)
}

/// Creates a tenant and its root org unit in one transaction; both are the first entries of
/// the tenant's audit trail, made by the operator.
#[tracing::instrument(skip_all, fields(key = %input.key))]
pub async fn create(
    db: &DatabaseConnection,
    operator: &Operator,
    input: NewTenant,
) -> ApiResult<tenant::Model> {
    let key = key("key", &input.key)?;
    let name = validate::title("name", &input.name)?;
    let root_code = match input.root_code.as_deref() {
        Some(code) => validate::title("rootCode", code)?,
        None => key.to_uppercase(),
    };
    let txn = crate::write::begin_writing(db).await?;
    if tenant::Entity::find()
        .filter(tenant::Column::Key.eq(key.as_str()))
        .one(&txn)
        .await?
        .is_some()
    {
        return Err(ApiError::bad_input("key", "a tenant with this key exists"));
    }
    let now = Utc::now();
    let created = tenant::ActiveModel {
        key: Set(key),
        name: Set(name.clone()),
        kind: Set(input.kind),
        council_live_report: Set(false),
        data_version: Set(0),
        public_reads: Set(true),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let root = org_unit::ActiveModel {
        tenant_id: Set(created.id),
        code: Set(root_code),
        name: Set(name),
        kind: Set(OrgUnitKind::Administration),
        position: Set(0),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let actor = Actor::operator(operator);
    audit::record_entry(
        &txn,
        made(&created, now, actor, TENANT, created.id, &created),
    )
    .await?;
    let unit = Subject {
        kind: "OrgUnit",
        owner: Some(root.id),
    };
    audit::record_entry(&txn, made(&created, now, actor, unit, root.id, &root)).await?;
    txn.commit().await?;
    Ok(created)
}

/// The audit entry of a row the operator created in `tenant`.
fn made<'a, M>(
    tenant: &tenant::Model,
    at: chrono::DateTime<Utc>,
    actor: Actor<'a>,
    subject: Subject,
    subject_id: i32,
    row: &'a M,
) -> Entry<'a, M> {
    Entry {
        tenant_id: tenant.id,
        at,
        actor,
        action: Action::Create,
        subject,
        subject_id,
        before: None,
        after: Some(row),
    }
}

/// Renames a tenant or changes its kind (the key stays: tokens carry it).
pub async fn update(
    db: &DatabaseConnection,
    operator: &Operator,
    patch: TenantPatch,
) -> ApiResult<tenant::Model> {
    let txn = crate::write::begin_writing(db).await?;
    let before = tenant::Entity::find_by_id(patch.id)
        .one(&txn)
        .await?
        .ok_or(ApiError::NotFound("Tenant"))?;
    let mut changes = <tenant::ActiveModel as Default>::default();
    if let Some(name) = &patch.name {
        changes.name = Set(validate::title("name", name)?);
    }
    if let Some(kind) = patch.kind {
        changes.kind = Set(kind);
    }
    // Cached answers of the tenant's viewers show its name: they are stale from here on.
    changes.data_version = Set(before.data_version + 1);
    let now = Utc::now();
    let after =
        compare_and_set::<tenant::Entity, _>(&txn, &before, patch.version, changes, now, TENANT)
            .await?;
    let entry = Entry {
        tenant_id: after.id,
        at: now,
        actor: Actor::operator(operator),
        action: Action::Update,
        subject: TENANT,
        subject_id: after.id,
        before: Some(&before),
        after: Some(&after),
    };
    audit::record_entry(&txn, entry).await?;
    txn.commit().await?;
    Ok(after)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_lower_case_slugs() {
        for good in ["aachen", "kreis-heinsberg", "a1", "nrw-2026"] {
            assert_eq!(key("key", good).unwrap(), good);
        }
        assert_eq!(key("key", "  tuk ").unwrap(), "tuk");
        for bad in [
            "",
            "Aachen",
            "aachen!",
            "-a",
            "a-",
            "a--b",
            "1abc",
            "a b",
            "ä",
            &"a".repeat(41),
        ] {
            assert!(key("key", bad).is_err(), "{bad:?}");
        }
    }
}
