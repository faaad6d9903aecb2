//! digidash: the GraphQL backend with which a municipality steers its digital transformation.
// The futures of nested connections (goals → measures → projects → sub-projects, each through
// `Conn` and `Plain`) nest deeper than the default limit when their `Send` is checked.
#![recursion_limit = "256"]

pub mod auth;
pub mod cli;
pub mod config;
pub mod db;
pub mod error;
pub mod graphql;
pub mod http;
pub mod live;
pub mod notify;
pub mod pgbouncer;
pub mod replicas;
pub mod telemetry;
pub mod webhook;
