//! The rate limits of the endpoint: per client address before anything is read, per token
//! subject once the body says how many operations it asks for.

use std::{net::IpAddr, time::Duration};

use axum::{http::HeaderMap, response::Response};

use super::Stop;
use crate::{
    auth::{Access, Role},
    error::ErrorCode,
    http::{
        AppState, RequestLog,
        protocol::{MediaType, refusal},
        rate_limit::{retry_seconds, set_retry_after},
    },
};

/// Counts the request against its client address's limit; `429` beyond it.
pub(super) fn limit_client(
    state: &AppState,
    peer: IpAddr,
    headers: &HeaderMap,
    media: MediaType,
    log: &mut RequestLog,
) -> Result<(), Stop> {
    let address = state.rate_limits.client_address(peer, headers);
    state.rate_limits.check_address(address, 1).map_err(|wait| {
        tracing::debug!(%address, "rate limit of the client address");
        Box::new(rate_limited(media, wait, log))
    })
}

/// Counts `operations` against the token subject's limit (anonymous readers have none, their
/// address does); `429` beyond it.
pub(super) fn limit_subject(
    state: &AppState,
    access: &Access,
    operations: usize,
    media: MediaType,
    log: &mut RequestLog,
) -> Result<(), Stop> {
    let checked = match access {
        Access::Granted(viewer) if viewer.role != Role::Public => state.rate_limits.check_subject(
            &format!("{}:{}", viewer.tenant_key, viewer.sub),
            u32::try_from(operations).unwrap_or(u32::MAX),
        ),
        Access::Operator(operator) => state.rate_limits.check_subject(
            &format!(":{}", operator.sub),
            u32::try_from(operations).unwrap_or(u32::MAX),
        ),
        _ => Ok(()),
    };
    checked.map_err(|wait| Box::new(rate_limited(media, wait, log)))
}

/// `429` with `Retry-After` and a GraphQL-shaped body.
fn rate_limited(media: MediaType, wait: Duration, log: &mut RequestLog) -> Response {
    log.codes.push(ErrorCode::RateLimited.as_str().to_owned());
    let seconds = retry_seconds(wait);
    let mut response = refusal(
        media,
        ErrorCode::RateLimited,
        &format!("too many requests; retry in {seconds} s"),
    );
    set_retry_after(&mut response, seconds);
    response
}
