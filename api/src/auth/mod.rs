//! Identity: bearer tokens in, a [`Viewer`] out.
//!
//! The token says who the caller is (`sub`, `role`, `tenant`, `org_unit`); the database says
//! which rows those names stand for. What a viewer may do is decided in [`crate::policy`].
//! The [`Authenticator`] holds what this needs (the keys, whether anonymous reads are on, the
//! primary database), so this module knows nothing of the HTTP server's state.

mod access;
mod authenticator;
pub mod claims;
pub mod jwks;
pub mod token;

pub use access::Access;
pub use authenticator::{Authenticator, TENANT_HEADER};
pub use service::viewer::{Claimed, Identity, Operator, Role, Viewer};
pub use token::{Claims, TokenKeys, expiry};
