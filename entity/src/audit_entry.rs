//! Who changed what and when.

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, DeriveEntityModel, Serialize, Deserialize)]
#[sea_orm(table_name = "audit_entry")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub tenant_id: i32,
    pub at: DateTimeUtc,
    pub actor: String,
    pub actor_name: Option<String>,
    pub role: String,
    pub action: String,
    pub subject_type: String,
    pub subject_id: i32,
    pub org_unit_id: Option<i32>,
    pub changes: Json,
    /// Hash of the entry before it in the tenant's chain; none for the first.
    pub prev_hash: Option<String>,
    /// SHA-256 over the previous hash and this entry's content (see `service::audit::chain`).
    pub hash: Option<String>,
}

impl ActiveModelBehavior for ActiveModel {}
