//! Where a webhook may post. A URL central IT enters is called by the server from inside the
//! city's network, so it must not reach what the internet cannot (server-side request
//! forgery): no loopback, private, link-local or otherwise reserved address, by literal or by
//! name, unless the installation allows it (`WEBHOOK_ALLOW_PRIVATE`, for tests and closed
//! networks). The check runs when a URL is stored and, on the addresses a name resolves to,
//! again at every delivery ([`is_public`]), so a name that later resolves inward (DNS
//! rebinding) reaches nothing.

use std::{
    net::{IpAddr, SocketAddr},
    sync::LazyLock,
    time::Duration,
};

use ipnet::IpNet;
use url::{Host, Url};

use crate::error::{ApiError, ApiResult};

/// The input field a URL comes in.
const FIELD: &str = "url";

/// Longest URL stored (the column's width).
const MAX_LEN: usize = 2048;

/// How long the name of a new URL may take to resolve.
const RESOLVE_TIMEOUT: Duration = Duration::from_secs(5);

/// What the installation allows webhooks to post to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Destinations {
    /// Only `https` (production).
    pub require_https: bool,
    /// Loopback and private addresses too (`WEBHOOK_ALLOW_PRIVATE`).
    pub allow_private: bool,
}

/// Networks the public internet does not route to: loopback, private, shared (CGNAT),
/// link-local, documentation, benchmarking, multicast and reserved ranges (RFC 6890).
static NOT_PUBLIC: LazyLock<Vec<IpNet>> = LazyLock::new(|| {
    [
        "0.0.0.0/8",
        "10.0.0.0/8",
        "100.64.0.0/10",
        "127.0.0.0/8",
        "169.254.0.0/16",
        "172.16.0.0/12",
        "192.0.0.0/24",
        "192.0.2.0/24",
        "192.88.99.0/24",
        "192.168.0.0/16",
        "198.18.0.0/15",
        "198.51.100.0/24",
        "203.0.113.0/24",
        "224.0.0.0/4",
        "240.0.0.0/4",
        "::/128",
        "::1/128",
        "64:ff9b::/96",
        "100::/64",
        "2001:db8::/32",
        "fc00::/7",
        "fe80::/10",
        "fec0::/10",
        "ff00::/8",
    ]
    .iter()
    .filter_map(|net| net.parse().ok())
    .collect()
});

/// Whether `ip` is an address of the public internet. An IPv4 address written as IPv6
/// (`::ffff:10.0.0.1`) is judged as the IPv4 address it is.
pub fn is_public(ip: IpAddr) -> bool {
    let ip = match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        IpAddr::V4(_) => ip,
    };
    !NOT_PUBLIC.iter().any(|net| net.contains(&ip))
}

/// Checks a webhook URL against `rules`: an absolute `https` URL (`http` too outside
/// production) without user name, password or fragment, whose host is a public address or a
/// name that resolves to public addresses only. Returns it as it is stored.
pub async fn check(url: &str, rules: Destinations) -> ApiResult<Url> {
    let url = parse(url, rules)?;
    if !rules.allow_private {
        refuse_private_host(&url).await?;
    }
    Ok(url)
}

/// The checks that need no network.
fn parse(text: &str, rules: Destinations) -> ApiResult<Url> {
    let text = text.trim();
    if text.len() > MAX_LEN {
        return Err(ApiError::bad_input(
            FIELD,
            format!("must be at most {MAX_LEN} characters"),
        ));
    }
    let url = Url::parse(text)
        .map_err(|_| ApiError::bad_input(FIELD, "must be an absolute URL (https://…)"))?;
    match url.scheme() {
        "https" => {}
        "http" if !rules.require_https => {}
        "http" => {
            return Err(ApiError::bad_input(
                FIELD,
                "must use https: deliveries carry signatures and data of the tenant",
            ));
        }
        _ => return Err(ApiError::bad_input(FIELD, "must be an https URL")),
    }
    if url.host().is_none() {
        return Err(ApiError::bad_input(FIELD, "must name a host"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(ApiError::bad_input(
            FIELD,
            "must not carry a user name or password (every listing would show them)",
        ));
    }
    if url.fragment().is_some() {
        return Err(ApiError::bad_input(FIELD, "must not have a #fragment"));
    }
    Ok(url)
}

/// Refuses a host that is, or resolves to, an address outside the public internet.
async fn refuse_private_host(url: &Url) -> ApiResult<()> {
    let private = || {
        ApiError::bad_input(
            FIELD,
            "points at a loopback or private address, which webhooks may not reach",
        )
    };
    let name = match url.host() {
        Some(Host::Ipv4(ip)) => return is_public(ip.into()).then_some(()).ok_or_else(private),
        Some(Host::Ipv6(ip)) => return is_public(ip.into()).then_some(()).ok_or_else(private),
        Some(Host::Domain(name)) => name.to_ascii_lowercase(),
        None => return Err(ApiError::bad_input(FIELD, "must name a host")),
    };
    if name == "localhost" || name.ends_with(".localhost") {
        return Err(private());
    }
    let port = url.port_or_known_default().unwrap_or(443);
    let addresses: Vec<SocketAddr> = match tokio::time::timeout(
        RESOLVE_TIMEOUT,
        tokio::net::lookup_host((name.as_str(), port)),
    )
    .await
    {
        Ok(Ok(addresses)) => addresses.collect(),
        _ => Vec::new(),
    };
    if addresses.is_empty() {
        return Err(ApiError::bad_input(
            FIELD,
            format!("the host {name} does not resolve"),
        ));
    }
    if addresses.iter().all(|address| is_public(address.ip())) {
        Ok(())
    } else {
        Err(private())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PRODUCTION: Destinations = Destinations {
        require_https: true,
        allow_private: false,
    };

    #[test]
    fn every_listed_network_parses() {
        assert_eq!(NOT_PUBLIC.len(), 24);
    }

    #[test]
    fn private_loopback_and_reserved_addresses_are_not_public() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "172.20.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "255.255.255.255",
            "::1",
            "::",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
        ] {
            assert!(!is_public(ip.parse().unwrap()), "{ip}");
        }
        for ip in ["93.184.216.34", "194.25.2.129", "2a00:1450:4001:82a::200e"] {
            assert!(is_public(ip.parse().unwrap()), "{ip}");
        }
    }

    #[test]
    fn only_https_in_production_and_no_credentials() {
        assert!(parse("https://hooks.example.org/digidash", PRODUCTION).is_ok());
        let refused = |url: &str, rules| parse(url, rules).unwrap_err().to_string();
        assert!(refused("http://hooks.example.org/", PRODUCTION).contains("https"));
        assert!(
            parse(
                "http://hooks.example.org/",
                Destinations {
                    require_https: false,
                    ..PRODUCTION
                }
            )
            .is_ok()
        );
        assert!(refused("ftp://hooks.example.org/", PRODUCTION).contains("https"));
        assert!(refused("hooks.example.org/x", PRODUCTION).contains("absolute"));
        assert!(refused("https://user:pw@hooks.example.org/", PRODUCTION).contains("password"));
        assert!(refused("https://hooks.example.org/#x", PRODUCTION).contains("fragment"));
        assert!(
            refused(
                &format!("https://a.org/{}", "x".repeat(MAX_LEN)),
                PRODUCTION
            )
            .contains("at most")
        );
    }

    #[tokio::test]
    async fn loopback_and_private_hosts_are_refused_unless_allowed() {
        for url in [
            "https://127.0.0.1/hook",
            "https://[::1]/hook",
            "https://10.0.0.7/hook",
            "https://localhost:8443/hook",
            "https://api.localhost/hook",
            "https://169.254.169.254/latest/meta-data",
        ] {
            let err = check(url, PRODUCTION).await.unwrap_err();
            assert!(err.to_string().contains("private address"), "{url}: {err}");
        }
        let allowed = Destinations {
            require_https: false,
            allow_private: true,
        };
        assert!(check("http://127.0.0.1:9000/hook", allowed).await.is_ok());
    }
}
