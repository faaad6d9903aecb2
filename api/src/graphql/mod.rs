//! The GraphQL API: schema, types, inputs and loaders.

pub mod connection;
pub mod context;
pub mod enums;
pub mod field_spans;
pub mod id;
pub mod input;
pub mod loader;
pub mod mutation;
pub mod object;
pub mod query;
pub mod scalar;

use async_graphql::{EmptySubscription, Schema};

use crate::config::{Environment, Limits};

/// The schema type served at `/graphql`.
pub type AppSchema = Schema<query::Query, mutation::Mutation, EmptySubscription>;

/// Builds the schema with its limits; `production` hides introspection and suggestions.
pub fn build_schema_with(limits: &Limits, environment: Environment) -> AppSchema {
    let mut builder = Schema::build(
        query::Query::default(),
        mutation::Mutation::default(),
        EmptySubscription,
    )
    .limit_depth(limits.max_depth)
    .limit_complexity(limits.max_complexity)
    .limit_directives(limits.max_directives)
    .extension(field_spans::FieldSpans);
    let production = environment == Environment::Production;
    if !limits.introspection.unwrap_or(!production) {
        builder = builder.disable_introspection();
    }
    if production {
        builder = builder.disable_suggestions();
    }
    builder.finish()
}

/// The schema as a developer sees it (default limits, introspection on).
pub fn build_schema() -> AppSchema {
    build_schema_with(&Limits::default(), Environment::Development)
}

/// The schema as SDL, as checked in at `schema.graphql`.
pub fn sdl() -> String {
    build_schema().sdl()
}
