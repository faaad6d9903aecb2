//! Errors as the API sends them. What can go wrong and its codes are `service`'s
//! ([`ApiError`], [`ErrorCode`]); this module maps them to GraphQL errors ([`graphql`]) and to
//! HTTP statuses and error bodies ([`http`]).

pub mod graphql;
pub mod http;

pub use graphql::{GraphqlError, Result, or_null};
pub use service::error::{ApiError, ApiResult, ErrorCode, LoadError};
