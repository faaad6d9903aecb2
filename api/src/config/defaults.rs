//! The defaults of the settings, taken from the flags' own declarations so that code which
//! builds a configuration (tests, tools, `Default`) never repeats or drifts from them.

use clap::{Args, Command, FromArgMatches};

use super::Config;

/// What a command line without flags gives for the settings `T`, with every environment
/// variable ignored (a test must not pick up the `DATABASE_URL` of the shell it runs in).
pub(super) fn from_flags<T: Args + FromArgMatches>() -> T {
    let command = T::augment_args(Command::new("digidash"))
        .mut_args(|arg| arg.env(None::<&'static str>))
        .no_binary_name(true);
    // No flags and no environment: only the declared defaults are parsed, and the test
    // `every_setting_has_a_default_its_parser_accepts` parses them all, so this cannot fail
    // unless a declaration is broken, which that test catches first.
    let matches = command
        .try_get_matches_from(std::iter::empty::<String>())
        .expect("the declared defaults parse");
    T::from_arg_matches(&matches).expect("the declared defaults parse")
}

impl Config {
    /// The configuration of a `digidash` command line without flags, ignoring environment
    /// variables: for tests and tools that build their settings in code. Set what differs and
    /// take the rest from here, so that a setting added later needs no change to them:
    ///
    /// ```
    /// let config = api::config::Config {
    ///     database_url: Some("sqlite://scratch.db".into()),
    ///     ..api::config::Config::for_tests()
    /// };
    /// assert_eq!(config.serving.apq_cache_size, 1_000);
    /// ```
    pub fn for_tests() -> Self {
        from_flags()
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::config::{Environment, Limits, LogFormat, Networks, PoolSettings, Serving};

    #[test]
    fn every_setting_has_a_default_its_parser_accepts() {
        let config = Config::for_tests();
        assert_eq!(config.database_url, None);
        assert_eq!(config.bind_addr.to_string(), "127.0.0.1:8080");
        assert!(config.jwt_secret.is_none());
        assert_eq!(config.jwt_role_claim, "role");
        assert_eq!(config.environment, Environment::Development);
        assert_eq!(config.reporting_cycle_days, 90);
        assert_eq!(config.log_format, LogFormat::Text);
        assert_eq!(config.limits.max_depth, 16);
        assert_eq!(config.serving.rate_limit_per_minute, 600);
        assert_eq!(config.serving.trusted_proxies, Networks::default());
        assert_eq!(config.serving.request_timeout, Duration::from_secs(30));
        assert_eq!(config.pool.acquire_timeout, Duration::from_secs(5));
        assert_eq!(Limits::default().max_nodes, 500_000);
        assert_eq!(Serving::default().shutdown_timeout, Duration::from_secs(20));
        assert_eq!(PoolSettings::default().max_connections, 10);
    }

    #[test]
    fn the_environment_does_not_leak_into_the_defaults() {
        // Whatever the shell sets, the parse ignores it: every variable is switched off.
        let command = Config::augment_args(Command::new("digidash"))
            .mut_args(|arg| arg.env(None::<&'static str>));
        assert!(command.get_arguments().all(|arg| arg.get_env().is_none()));
    }
}
