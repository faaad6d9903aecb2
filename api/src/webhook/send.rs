//! One attempt at one delivery: the signed POST, and what came of it.
//!
//! Redirects are not followed (the specification counts a 3xx as a failure: the URL should
//! be updated instead). Unless private addresses are allowed, names resolve through
//! [`PublicOnly`], which hands the connector public addresses only, at the moment of the
//! attempt: a name that resolved outward when the URL was stored and inward now (DNS
//! rebinding) reaches nothing inside; literal addresses are checked here, since they are not
//! resolved.

use std::{error::Error as _, net::SocketAddr, sync::Arc, time::Duration};

use chrono::Utc;
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use service::webhook::{
    delivery::{Attempt, Claimed},
    destination::is_public,
    signature,
};
use url::Host;

use super::payload;

/// What the receiver sees as the sender.
const USER_AGENT: &str = concat!("digidash-webhooks/", env!("CARGO_PKG_VERSION"));

/// The HTTP client of the deliverer.
pub(crate) fn client(timeout: Duration, allow_private: bool) -> reqwest::Result<reqwest::Client> {
    let builder = reqwest::Client::builder()
        .timeout(timeout)
        .connect_timeout(timeout)
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(USER_AGENT);
    let builder = if allow_private {
        builder
    } else {
        builder.dns_resolver(Arc::new(PublicOnly))
    };
    builder.build()
}

/// Posts `claimed`, signed, and says how it went.
pub(crate) async fn attempt(
    client: &reqwest::Client,
    claimed: &Claimed,
    allow_private: bool,
) -> Attempt {
    let failed = |error: String| Attempt::Failed {
        status: None,
        error,
    };
    let url = match url::Url::parse(&claimed.url) {
        Ok(url) => url,
        Err(_) => return failed("the stored URL does not parse".into()),
    };
    if !allow_private && literal_is_private(&url) {
        return failed("the URL points at a loopback or private address".into());
    }
    let delivery = &claimed.delivery;
    let body = payload::body(delivery, &claimed.tenant);
    let timestamp = Utc::now().timestamp();
    let signature = match signature::sign(&claimed.secret, &delivery.message_id, timestamp, &body) {
        Ok(signature) => signature,
        Err(_) => return failed("the webhook's secret cannot sign".into()),
    };
    let response = client
        .post(url)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .header("webhook-id", &delivery.message_id)
        .header("webhook-timestamp", timestamp.to_string())
        .header("webhook-signature", signature)
        .body(body)
        .send()
        .await;
    match response {
        Ok(response) if response.status().is_success() => Attempt::Delivered {
            status: response.status().as_u16(),
        },
        Ok(response) => Attempt::Failed {
            status: Some(response.status().as_u16()),
            error: format!("the receiver answered {}", response.status()),
        },
        Err(err) => failed(describe(&err)),
    }
}

/// Whether the URL's host is a literal address outside the public internet.
fn literal_is_private(url: &url::Url) -> bool {
    match url.host() {
        Some(Host::Ipv4(ip)) => !is_public(ip.into()),
        Some(Host::Ipv6(ip)) => !is_public(ip.into()),
        Some(Host::Domain(_)) | None => false,
    }
}

/// Why a request failed, with its causes, without the URL (its query may hold a token).
fn describe(err: &reqwest::Error) -> String {
    let kind = if err.is_timeout() {
        "timed out"
    } else if err.is_connect() {
        "could not connect"
    } else {
        "request failed"
    };
    let mut text = kind.to_owned();
    let mut cause = err.source();
    while let Some(inner) = cause {
        text.push_str(": ");
        text.push_str(&inner.to_string());
        cause = inner.source();
    }
    text
}

/// Resolves names to their public addresses only; a name with none fails to resolve.
struct PublicOnly;

impl Resolve for PublicOnly {
    fn resolve(&self, name: Name) -> Resolving {
        Box::pin(async move {
            let host = name.as_str().to_owned();
            let found: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let public: Vec<SocketAddr> = found
                .into_iter()
                .filter(|address| is_public(address.ip()))
                .collect();
            if public.is_empty() {
                return Err(format!("{host} resolves to no public address").into());
            }
            let addresses: Addrs = Box::new(public.into_iter());
            Ok(addresses)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn names_resolving_to_private_addresses_are_not_called() {
        let refused = PublicOnly
            .resolve("localhost".parse().unwrap())
            .await
            .err()
            .expect("localhost is refused");
        assert!(
            refused.to_string().contains("no public address"),
            "{refused}"
        );
        assert!(literal_is_private(&"http://127.0.0.1:9/x".parse().unwrap()));
        assert!(literal_is_private(&"http://[fd00::1]/x".parse().unwrap()));
        assert!(!literal_is_private(
            &"https://hooks.example.org/x".parse().unwrap()
        ));
    }
}
