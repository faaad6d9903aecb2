//! The HTTP layer: the router and its layers, the shared state, the GraphQL endpoint as
//! named steps ([`endpoint`]), GraphQL over HTTP ([`protocol`]), health, metrics, the file
//! exports and the import, and serving with a graceful shutdown.
//!
//! Around the schema it keeps what only HTTP knows: rate limits, automatic persisted queries,
//! the response cache, the request id, the request's span and its log line.

pub mod cache;
mod calendar;
mod endpoint;
mod export;
mod graphiql;
mod health;
mod idempotency;
mod import;
pub mod metrics;
mod middleware;
mod peer;
pub mod persisted;
mod protocol;
pub mod rate_limit;
mod request_id;
mod request_log;
mod router;
mod shutdown;
mod state;
mod trace;
mod websocket;

pub use export::CSV_CONTENT_TYPE;
pub use middleware::MAX_BODY_BYTES;
pub use peer::Peer;
pub use request_id::REQUEST_ID_HEADER;
pub use request_log::RequestLog;
pub use router::router;
pub use shutdown::{serve, serve_until};
pub use state::AppState;
