//! The GraphQL API: schema, types, inputs and loaders.

pub mod connection;
pub mod context;
pub mod enums;
pub mod field_spans;
pub mod id;
pub mod input;
pub mod loader;
pub mod mutation;
pub(crate) mod node_limit;
pub mod object;
pub mod plan;
// A resolver's parameters are its field's arguments in the schema: a list has the four paging
// arguments, a filter and an order.
#[allow(clippy::too_many_arguments)]
pub mod query;
pub mod scalar;
pub mod selection;
pub mod subscription;

use std::sync::LazyLock;

use async_graphql::Schema;

use crate::{
    config::{Config, Environment, Limits},
    error::ErrorCode,
};

/// The schema type served at `/graphql`.
pub type AppSchema = Schema<query::Query, mutation::Mutation, subscription::Subscription>;

/// Builds the schema with its limits; `production` hides introspection and suggestions.
pub fn build_schema_with(limits: &Limits, environment: Environment) -> AppSchema {
    let webhooks = crate::config::Webhooks::default().destinations(environment);
    builder(limits, environment, webhooks).finish()
}

/// The schema a server runs: with a span per top-level field when traces are exported.
///
/// Only then: a resolver extension is called for every field. Measured on an introspection
/// response of 2,600 objects (debug build, 20 runs each): 39–41 ms without an extension,
/// 53–55 ms with these top-level spans (the dispatch, not the one span, is the cost), 57–63 ms
/// with async-graphql's `Tracing` extension, which would also export a span for every object
/// of every page (thousands per request).
pub fn build_schema_for(config: &Config) -> AppSchema {
    node_limit::learn_schema();
    let webhooks = config.webhooks.destinations(config.environment);
    let builder = builder(&config.limits, config.environment, webhooks);
    if config.otel_endpoint.is_some() {
        builder.extension(field_spans::FieldSpans).finish()
    } else {
        builder.finish()
    }
}

/// The description of the query root, which the SDL shows first among the roots: what a
/// client can read, and every error code it can meet. (async-graphql 7 writes no
/// description on the `schema` definition itself.)
static QUERY_DESCRIPTION: LazyLock<String> = LazyLock::new(|| {
    format!(
        "Everything a client can read.\n\nEvery error carries `extensions.code`, one of:\n\n{}",
        ErrorCode::catalogue()
    )
});

/// `webhooks`: where the installation lets webhooks post, for the resolvers that store URLs.
fn builder(
    limits: &Limits,
    environment: Environment,
    webhooks: service::webhook::Destinations,
) -> async_graphql::SchemaBuilder<query::Query, mutation::Mutation, subscription::Subscription> {
    let mut builder = Schema::build(
        query::Query::default(),
        mutation::Mutation::default(),
        subscription::Subscription,
    )
    .data(webhooks)
    // The node limit (`MAX_QUERY_COMPLEXITY`) is checked before the schema runs a document:
    // see `node_limit`.
    .limit_depth(limits.max_depth)
    .limit_directives(limits.max_directives)
    .override_output_type_description::<query::Query>(QUERY_DESCRIPTION.as_str())
    .override_output_type_description::<chrono::DateTime<chrono::Utc>>(scalar::DATE_TIME)
    .override_output_type_description::<rust_decimal::Decimal>(scalar::DECIMAL)
    .override_output_type_description::<async_graphql::Json<serde_json::Value>>(scalar::JSON);
    let production = environment == Environment::Production;
    if !limits.introspection_in(environment) {
        builder = builder.disable_introspection();
    }
    if production {
        builder = builder.disable_suggestions();
    }
    builder
}

/// The schema as a developer sees it (default limits, introspection on).
pub fn build_schema() -> AppSchema {
    build_schema_with(&Limits::default(), Environment::Development)
}

/// The schema as SDL, as checked in at `schema.graphql`.
pub fn sdl() -> String {
    build_schema().sdl_with_options(async_graphql::SDLExportOptions::new().include_specified_by())
}
