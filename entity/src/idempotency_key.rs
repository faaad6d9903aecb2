//! A key a client sent with a write (`Idempotency-Key`), and the first answer to it: a retry
//! with the same key gets that answer instead of writing again.

use sea_orm::entity::prelude::*;

#[sea_orm::model]
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "idempotency_key")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// Whose key: `<tenant id>/<subject>`, or `operator/<subject>`.
    pub owner: String,
    pub key: String,
    pub tenant_id: Option<i32>,
    /// SHA-256 (hex) of the first request.
    pub request_hash: String,
    pub locked_until: DateTimeUtc,
    /// The first request's write committed (set in the write's own transaction).
    pub committed: bool,
    pub status: Option<i32>,
    pub content_type: Option<String>,
    #[sea_orm(column_type = "Blob")]
    pub body: Option<Vec<u8>>,
    pub created_at: DateTimeUtc,
}

impl ActiveModelBehavior for ActiveModel {}
