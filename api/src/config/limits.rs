//! How much one GraphQL request may ask for.

use clap::Args;

use super::defaults::from_flags;

/// How much one GraphQL request may ask for; every refusal has its own error code.
#[derive(Args, Debug, Clone)]
pub struct Limits {
    /// Deepest nesting of selections (`DEPTH_LIMIT`).
    #[arg(long, env = "MAX_QUERY_DEPTH", default_value_t = 16, global = true)]
    pub max_depth: usize,
    /// Most complexity points (`COMPLEXITY_LIMIT`): a field counts 1, a connection counts its
    /// page size (`first`, default 20) times what is selected per edge.
    #[arg(
        long,
        env = "MAX_QUERY_COMPLEXITY",
        default_value_t = 500_000,
        global = true
    )]
    pub max_complexity: usize,
    /// Most aliases in one document (`ALIAS_LIMIT`).
    #[arg(long, env = "MAX_ALIASES", default_value_t = 30, global = true)]
    pub max_aliases: usize,
    /// Most field selections in one document (`FIELD_LIMIT`).
    #[arg(long, env = "MAX_FIELDS", default_value_t = 1_000, global = true)]
    pub max_fields: usize,
    /// Most directives on one field (`DIRECTIVE_LIMIT`).
    #[arg(long, env = "MAX_DIRECTIVES", default_value_t = 10, global = true)]
    pub max_directives: usize,
    /// Force introspection on or off (default: on, except in production).
    #[arg(long, env = "GRAPHQL_INTROSPECTION", global = true)]
    pub introspection: Option<bool>,
}

impl Limits {
    /// Whether the schema answers introspection: as forced, else everywhere but in
    /// production.
    pub fn introspection_in(&self, environment: super::Environment) -> bool {
        self.introspection
            .unwrap_or(environment != super::Environment::Production)
    }
}

/// The defaults of the flags above, read from no environment variable.
impl Default for Limits {
    fn default() -> Self {
        from_flags()
    }
}
