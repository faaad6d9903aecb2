//! Reading the request: the media type the client accepts, the type of a POST body, and
//! its parameters (one request or a batch; a GET carries one).

use axum::{http::HeaderMap, response::IntoResponse};

use super::{Incoming, Stop};
use crate::http::protocol::{
    Body, MediaType, check_content_type, negotiate, parse_body, parse_query_string, request_error,
};

/// A request read and ready to run.
pub(super) struct ReadBody {
    /// The media type of the answer.
    pub(super) media: MediaType,
    /// One request or a batch.
    pub(super) body: Body,
    /// Sent with GET: mutations are refused.
    pub(super) by_get: bool,
}

/// Negotiates the answer's media type (`406`), checks a POST's content type (`415`) and
/// reads the parameters (`400` with code `BAD_REQUEST` when they are no GraphQL request).
pub(super) fn read_body(headers: &HeaderMap, incoming: Incoming) -> Result<ReadBody, Stop> {
    let media = negotiate(headers).map_err(|refusal| Box::new(refusal.into_response()))?;
    let (body, by_get) = match incoming {
        Incoming::Post(bytes) => {
            check_content_type(headers).map_err(|refusal| Box::new(refusal.into_response()))?;
            (parse_body(&bytes), false)
        }
        Incoming::Get(query) => (
            parse_query_string(&query).map(|params| Body::Single(Box::new(params))),
            true,
        ),
    };
    let body = body.map_err(|message| Box::new(request_error(media, &message)))?;
    Ok(ReadBody {
        media,
        body,
        by_get,
    })
}
