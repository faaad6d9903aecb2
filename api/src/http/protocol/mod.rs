//! GraphQL over HTTP (graphql.github.io/graphql-over-http): media types, reading the
//! request's parameters, what a document asks for, and the answers.
//!
//! A body that is not a GraphQL request (bad JSON, parameters of the wrong type) gets `400`.
//! A document that does not parse or validate gets `400` without a `data` entry when the
//! client accepts `application/graphql-response+json`, and `200` with the errors when it only
//! knows `application/json`, as GraphQL servers traditionally answer.

mod inspect;
mod media;
mod params;
mod response;

pub(crate) use inspect::{inspect_document, oversized};
pub(crate) use media::{MediaType, check_content_type, negotiate};
pub(crate) use params::{Body, Params, parse_body, parse_query_string};
pub(crate) use response::{Answer, invalid_document, refusal, request_error, respond};
