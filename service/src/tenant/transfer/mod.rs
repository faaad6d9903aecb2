//! A tenant as one file, for backups and for moving it between installations: every row it
//! owns, history included (status reports, the audit trail, applications, meetings, published
//! council reports, indicator values, settings).
//!
//! The file is JSON:
//!
//! ```text
//! { "format": "digidash-tenant", "version": 1, "exportedAt": "...",
//!   "tenant": { "key": ..., "name": ..., settings ... },
//!   "tables": { "org_unit": [ {row}, ... ], "category": [...], ... } }
//! ```
//!
//! Each row is the table's row as stored (column names, ids included). Importing it creates
//! the tenant anew, under its own key or another, in an empty database or beside other
//! tenants: rows get new ids, and every reference to another row of the file (columns, the
//! links of published council reports, the subjects of audit entries) follows them.

mod export;
mod import;

pub use export::export;
pub use import::{Imported, import};

/// What the file says it is.
pub const FORMAT: &str = "digidash-tenant";
/// The version this build writes; it reads every version up to it.
pub const VERSION: u32 = 1;
