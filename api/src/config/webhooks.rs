//! How webhooks are delivered: where they may post, how long an attempt may take, how often
//! failed ones are tried again, how often the outbox and overdue milestones are looked at.

use std::time::Duration;

use clap::Args;
use service::webhook::{Destinations, delivery::Schedule};

use super::{Environment, defaults::from_flags, seconds::parse_seconds};

/// How webhooks are delivered.
#[derive(Args, Debug, Clone)]
pub struct Webhooks {
    /// Let webhooks post to loopback and private addresses: for tests and closed networks.
    /// Off, such URLs are refused with `BAD_USER_INPUT`, and a name that resolves to such an
    /// address is not called. (Plain http is refused in production either way.)
    #[arg(long, env = "WEBHOOK_ALLOW_PRIVATE", default_value_t = false, action = clap::ArgAction::Set, global = true)]
    pub webhook_allow_private: bool,
    /// Longest one delivery attempt may take, connecting included (seconds).
    #[arg(long = "webhook-timeout-secs", env = "WEBHOOK_TIMEOUT_SECS", default_value = "15", global = true, value_parser = parse_seconds)]
    pub webhook_timeout: Duration,
    /// Wait after a first failed attempt (seconds); it doubles after each further one, up
    /// to an hour.
    #[arg(long = "webhook-retry-secs", env = "WEBHOOK_RETRY_SECS", default_value = "5", global = true, value_parser = parse_seconds)]
    pub webhook_retry: Duration,
    /// How long after an event its delivery is tried (seconds; a day), then it is `FAILED`.
    #[arg(long = "webhook-retry-window-secs", env = "WEBHOOK_RETRY_WINDOW_SECS", default_value = "86400", global = true, value_parser = parse_seconds)]
    pub webhook_retry_window: Duration,
    /// How often the outbox is looked at for due deliveries (seconds).
    #[arg(long = "webhook-poll-secs", env = "WEBHOOK_POLL_SECS", default_value = "1", global = true, value_parser = parse_seconds)]
    pub webhook_poll: Duration,
    /// How often milestones that became overdue are looked for (seconds).
    #[arg(long = "webhook-overdue-check-secs", env = "WEBHOOK_OVERDUE_CHECK_SECS", default_value = "300", global = true, value_parser = parse_seconds)]
    pub webhook_overdue_check: Duration,
}

impl Webhooks {
    /// Where webhooks may post in `environment`: `https` only in production, and private
    /// addresses only when allowed.
    pub fn destinations(&self, environment: Environment) -> Destinations {
        Destinations {
            require_https: environment == Environment::Production,
            allow_private: self.webhook_allow_private,
        }
    }

    /// When failed deliveries are tried again.
    pub fn schedule(&self) -> Schedule {
        Schedule {
            first_retry: self.webhook_retry,
            window: self.webhook_retry_window,
        }
    }
}

/// The defaults of the flags above, read from no environment variable.
impl Default for Webhooks {
    fn default() -> Self {
        from_flags()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_only_in_production_private_only_when_allowed() {
        let webhooks = Webhooks::default();
        assert_eq!(webhooks.webhook_retry_window, Duration::from_secs(86_400));
        assert_eq!(
            webhooks.destinations(Environment::Production),
            Destinations {
                require_https: true,
                allow_private: false
            }
        );
        let allowed = Webhooks {
            webhook_allow_private: true,
            ..Webhooks::default()
        };
        assert!(!allowed.destinations(Environment::Development).require_https);
        assert!(allowed.destinations(Environment::Development).allow_private);
    }
}
