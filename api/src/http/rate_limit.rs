//! Rate limits per token subject and per client address (`RATE_LIMIT_PER_MINUTE`,
//! `RATE_LIMIT_PER_ADDRESS_PER_MINUTE`), with GCRA buckets from `governor`.
//!
//! The client address is the socket's peer, or, when the peer is a trusted proxy
//! (`TRUSTED_PROXIES`), the right-most `X-Forwarded-For` hop that is not one: hops left of it
//! were written by the client and can be forged.
//!
//! Memory stays bounded: buckets that have refilled are dropped every minute, and at once
//! when more than [`MAX_TRACKED_KEYS`] keys are tracked.

use std::{
    net::{IpAddr, Ipv6Addr},
    num::NonZeroU32,
    sync::Mutex,
    time::{Duration, Instant},
};

use axum::http::HeaderMap;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter, clock::Clock};

use crate::config::{Networks, Serving, canonical};

/// Keys tracked before a clean-up runs regardless of the minute.
pub const MAX_TRACKED_KEYS: usize = 100_000;

/// The limiters of one server.
pub struct RateLimits {
    per_subject: Option<DefaultKeyedRateLimiter<String>>,
    per_address: Option<DefaultKeyedRateLimiter<IpAddr>>,
    trusted_proxies: Networks,
    last_sweep: Mutex<Instant>,
}

impl RateLimits {
    /// Limiters as configured; a limit of 0 is off.
    pub fn new(serving: &Serving) -> Self {
        Self {
            per_subject: NonZeroU32::new(serving.rate_limit_per_minute)
                .map(|n| RateLimiter::keyed(Quota::per_minute(n))),
            per_address: NonZeroU32::new(serving.rate_limit_per_address_per_minute)
                .map(|n| RateLimiter::keyed(Quota::per_minute(n))),
            trusted_proxies: serving.trusted_proxies.clone(),
            last_sweep: Mutex::new(Instant::now()),
        }
    }

    /// The address a request comes from (see the module documentation).
    pub fn client_address(&self, peer: IpAddr, headers: &HeaderMap) -> IpAddr {
        client_address(peer, headers, &self.trusted_proxies)
    }

    /// Counts `operations` requests from `address`; `Err` holds how long to wait.
    pub fn check_address(&self, address: IpAddr, operations: u32) -> Result<(), Duration> {
        self.sweep();
        check(self.per_address.as_ref(), &bucket_of(address), operations)
    }

    /// Counts `operations` requests of a token subject; `Err` holds how long to wait.
    pub fn check_subject(&self, subject: &str, operations: u32) -> Result<(), Duration> {
        check(self.per_subject.as_ref(), &subject.to_owned(), operations)
    }

    /// Drops buckets that are full again (they behave as new ones), once a minute or when
    /// too many keys are tracked.
    fn sweep(&self) {
        let tracked = self.per_address.as_ref().map_or(0, |l| l.len())
            + self.per_subject.as_ref().map_or(0, |l| l.len());
        let mut last = self
            .last_sweep
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if tracked <= MAX_TRACKED_KEYS && last.elapsed() < Duration::from_secs(60) {
            return;
        }
        *last = Instant::now();
        drop(last);
        for limiter in self.per_address.iter() {
            limiter.retain_recent();
            limiter.shrink_to_fit();
        }
        for limiter in self.per_subject.iter() {
            limiter.retain_recent();
            limiter.shrink_to_fit();
        }
    }

    /// Keys tracked now (for tests and metrics).
    pub fn tracked(&self) -> usize {
        self.per_address.as_ref().map_or(0, |l| l.len())
            + self.per_subject.as_ref().map_or(0, |l| l.len())
    }
}

fn check<K: Clone + std::hash::Hash + Eq>(
    limiter: Option<&DefaultKeyedRateLimiter<K>>,
    key: &K,
    operations: u32,
) -> Result<(), Duration> {
    let Some(limiter) = limiter else {
        return Ok(());
    };
    let n = NonZeroU32::new(operations).unwrap_or(NonZeroU32::MIN);
    match limiter.check_key_n(key, n) {
        Ok(Ok(())) => Ok(()),
        Ok(Err(not_until)) => Err(not_until.wait_time_from(limiter.clock().now())),
        // More operations than the whole quota: waiting does not help, a minute is honest.
        Err(_) => Err(Duration::from_secs(60)),
    }
}

/// IPv6 clients usually hold a whole /64: they count as one.
fn bucket_of(address: IpAddr) -> IpAddr {
    match canonical(address) {
        IpAddr::V6(v6) => IpAddr::V6(Ipv6Addr::from(u128::from(v6) & (u128::MAX << 64))),
        v4 => v4,
    }
}

/// The client of a request: the peer, or behind trusted proxies the right-most
/// `X-Forwarded-For` hop that is not a trusted proxy.
pub fn client_address(peer: IpAddr, headers: &HeaderMap, trusted: &Networks) -> IpAddr {
    let peer = canonical(peer);
    if !trusted.contains(peer) {
        return peer;
    }
    let hops: Vec<IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(str::trim)
        .map(|hop| hop.parse::<IpAddr>().map(canonical))
        .collect::<Result<_, _>>()
        // A malformed header cannot be trusted in any part: the proxy itself is the client.
        .unwrap_or_default();
    let mut client = peer;
    for hop in hops.into_iter().rev() {
        client = hop;
        if !trusted.contains(hop) {
            break;
        }
    }
    client
}

/// Whole seconds until `wait` is over (at least one): what `Retry-After` and the message say.
pub(crate) fn retry_seconds(wait: Duration) -> u64 {
    (wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1)
}

/// Sets `Retry-After` on a `429` answer.
pub(crate) fn set_retry_after(response: &mut axum::response::Response, seconds: u64) {
    response.headers_mut().insert(
        axum::http::header::RETRY_AFTER,
        axum::http::HeaderValue::from(seconds),
    );
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn networks(list: &[&str]) -> Networks {
        list.join(",").parse().unwrap()
    }

    #[test]
    fn forwarded_for_counts_only_behind_trusted_proxies() {
        let trusted = networks(&["10.0.0.0/8"]);
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-forwarded-for",
            HeaderValue::from_static("6.6.6.6, 203.0.113.9, 10.0.0.2"),
        );
        let proxy: IpAddr = "10.0.0.1".parse().unwrap();
        let stranger: IpAddr = "198.51.100.1".parse().unwrap();
        assert_eq!(
            client_address(proxy, &headers, &trusted),
            "203.0.113.9".parse::<IpAddr>().unwrap(),
            "the right-most untrusted hop, not the forgeable left-most one"
        );
        assert_eq!(client_address(stranger, &headers, &trusted), stranger);
        assert_eq!(
            client_address(proxy, &HeaderMap::new(), &trusted),
            proxy,
            "no header: the proxy is the client"
        );
        headers.insert(
            "x-forwarded-for",
            HeaderValue::from_static("garbage, 1.2.3.4"),
        );
        assert_eq!(client_address(proxy, &headers, &trusted), proxy);
    }

    #[test]
    fn buckets_refuse_with_a_wait_and_ipv6_counts_per_64() {
        let limits = RateLimits::new(&Serving {
            rate_limit_per_minute: 2,
            rate_limit_per_address_per_minute: 3,
            ..Serving::default()
        });
        assert!(limits.check_subject("aachen:a", 1).is_ok());
        assert!(limits.check_subject("aachen:a", 1).is_ok());
        let wait = limits.check_subject("aachen:a", 1).unwrap_err();
        assert!(wait > Duration::ZERO && wait <= Duration::from_secs(60));
        assert!(limits.check_subject("aachen:b", 1).is_ok());
        let a: IpAddr = "2001:db8::1".parse().unwrap();
        let b: IpAddr = "2001:db8::ffff".parse().unwrap();
        assert!(limits.check_address(a, 3).is_ok());
        assert!(limits.check_address(b, 1).is_err(), "same /64");
        assert!(limits.check_address(a, 10).is_err(), "beyond the quota");
        let off = RateLimits::new(&Serving {
            rate_limit_per_minute: 0,
            rate_limit_per_address_per_minute: 0,
            ..Serving::default()
        });
        for _ in 0..1000 {
            assert!(off.check_subject("x", 1).is_ok());
        }
        assert_eq!(off.tracked(), 0);
    }
}
