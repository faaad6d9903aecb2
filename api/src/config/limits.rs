//! How much one GraphQL request may ask for.

use clap::Args;

use super::defaults::from_flags;

/// How much one GraphQL request may ask for; every refusal has its own error code.
#[derive(Args, Debug, Clone)]
pub struct Limits {
    /// Deepest nesting of selections (`DEPTH_LIMIT`).
    #[arg(long, env = "MAX_QUERY_DEPTH", default_value_t = 16, global = true)]
    pub max_depth: usize,
    /// Most nodes one query could fetch (`COMPLEXITY_LIMIT`), counted as GitHub counts them:
    /// every connection its page size (`first` or `last`, default 20) times the page sizes of
    /// the connections (and plain lists, as 20) around it. GitHub's figure: the deep
    /// page of the benchmark (50 x 20 x 20 x 20, 421,050 nodes) passes, three nested pages of
    /// 100 (1,010,100) do not. The variable keeps its name (`MAX_QUERY_COMPLEXITY`) and the
    /// flag its old spelling as an alias: deployments set them.
    #[arg(
        long = "max-nodes",
        visible_alias = "max-complexity",
        env = "MAX_QUERY_COMPLEXITY",
        default_value_t = 500_000,
        global = true
    )]
    pub max_nodes: u64,
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

#[cfg(test)]
mod tests {
    use clap::{Args, Command, FromArgMatches};

    use super::Limits;

    #[test]
    fn the_node_limit_keeps_the_variable_and_the_flag_deployments_set() {
        let command = Limits::augment_args(Command::new("digidash"));
        let env = command
            .get_arguments()
            .find(|arg| arg.get_id() == "max_nodes")
            .and_then(|arg| arg.get_env())
            .and_then(|env| env.to_str());
        assert_eq!(env, Some("MAX_QUERY_COMPLEXITY"));
        for flag in ["--max-complexity", "--max-nodes"] {
            let matches = command
                .clone()
                .try_get_matches_from(["digidash", flag, "7"])
                .unwrap();
            assert_eq!(Limits::from_arg_matches(&matches).unwrap().max_nodes, 7);
        }
    }
}
