//! E-mail reminders: sending the digests that [`service::notify`] composes, once a day in the
//! server ([`scheduler`]) and on demand (`digidash notify [--dry-run]`).
//!
//! - [`run`]: one run over every tenant: compose, claim in the sent-log, send, record;
//! - [`transport`]: one digest over SMTP, with retries;
//! - [`lock`]: one run at a time in a deployment (a PostgreSQL advisory lock);
//! - [`scheduler`]: the daily run in `digidash serve`.

pub mod lock;
pub mod run;
pub mod scheduler;
pub mod transport;

pub use run::{Notifier, Summary};
