//! The GraphQL API: schema, types, inputs and loaders.

pub mod connection;
pub mod context;
pub mod enums;
pub mod id;
pub mod input;
pub mod loader;
pub mod mutation;
pub mod object;
pub mod query;
pub mod scalar;

use async_graphql::{EmptySubscription, Schema};

/// The schema type served at `/graphql`.
pub type AppSchema = Schema<query::Query, mutation::Mutation, EmptySubscription>;

/// Builds the schema (without request data).
pub fn build_schema() -> AppSchema {
    Schema::build(
        query::Query::default(),
        mutation::Mutation::default(),
        EmptySubscription,
    )
    .limit_depth(16)
    .limit_complexity(20_000)
    .finish()
}

/// The schema as SDL, as checked in at `schema.graphql`.
pub fn sdl() -> String {
    build_schema().sdl()
}
