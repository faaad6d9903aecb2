//! Integration tests of digidash through its public surface: HTTP/GraphQL and the CLI.
//! Each test runs on its own database, on SQLite and on PostgreSQL.

mod audit_chain;
mod auth;
mod bad_input;
mod cache;
mod cli;
mod client;
mod contract;
mod exports;
mod helpers;
mod idempotency;
mod limits;
mod local_postgres;
mod matrix;
mod migrations;
mod money;
mod mutations;
mod outage;
mod paging;
mod pgbouncer;
mod portfolio;
mod process;
mod properties;
mod protocol;
mod reads;
mod replicas;
mod reporting;
mod schema;
mod serving;
mod strategy;
mod synthetic;
mod template;
mod tenants;
mod tokens;
mod workflow;
mod writes;
