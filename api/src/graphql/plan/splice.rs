//! Planned pages carried through async-graphql's response as tokens, and put in place when
//! the response is encoded.
//!
//! async-graphql builds a response as a tree of values; a planned page is JSON already. The
//! page is kept here and its place in the tree holds a string token, unique to the request
//! (a random nonce and the page's number), which [`Splices::encode`] replaces by the page's
//! JSON in the encoded body. Only the HTTP endpoint, which encodes through `encode`, puts
//! a `Splices` into a request; without one, pages go through the resolvers.

use std::sync::{
    Mutex, PoisonError,
    atomic::{AtomicBool, AtomicUsize, Ordering},
};

use async_graphql::Value;
use memchr::memmem;

/// The planned pages of one request.
pub struct Splices {
    /// `"dd-page-<nonce>-`: a token is this and the page's number, closed by a quote.
    prefix: String,
    pages: Mutex<Vec<Vec<u8>>>,
    /// Planned pages still resolving fields through async-graphql, which may hold tokens.
    resolving: AtomicUsize,
    /// Whether a page may hold another's token: then pages are searched for tokens too.
    nested: AtomicBool,
    /// Pages of work left to the resolvers.
    resolved: AtomicUsize,
}

impl Default for Splices {
    fn default() -> Self {
        Self {
            prefix: format!("\"dd-page-{:032x}-", rand::random::<u128>()),
            pages: Mutex::new(Vec::new()),
            resolving: AtomicUsize::new(0),
            nested: AtomicBool::new(false),
            resolved: AtomicUsize::new(0),
        }
    }
}

/// Held while a planned page resolves fields through async-graphql (see [`Splices::resolving`]).
pub struct Resolving<'a>(&'a Splices);

impl Drop for Resolving<'_> {
    fn drop(&mut self) {
        self.0.resolving.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Splices {
    /// Marks a planned page as resolving fields, whose values may hold the tokens of pages
    /// planned inside them, until the guard is dropped.
    pub fn resolving(&self) -> Resolving<'_> {
        self.resolving.fetch_add(1, Ordering::SeqCst);
        Resolving(self)
    }

    /// Keeps a page's JSON; the token returned stands for it in the response.
    pub fn push(&self, json: Vec<u8>) -> Value {
        if self.resolving.load(Ordering::SeqCst) > 0 {
            self.nested.store(true, Ordering::SeqCst);
        }
        let mut pages = self.pages.lock().unwrap_or_else(PoisonError::into_inner);
        pages.push(json);
        let token = &self.prefix[1..];
        Value::String(format!("{token}{}", pages.len() - 1))
    }

    /// Counts a page of work left to the resolvers.
    pub fn left_to_resolvers(&self) {
        self.resolved.fetch_add(1, Ordering::Relaxed);
    }

    /// Pages of work answered as planned wholes and through the resolvers.
    pub fn counts(&self) -> (usize, usize) {
        let planned = self
            .pages
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len();
        (planned, self.resolved.load(Ordering::Relaxed))
    }

    /// The encoded response `body` with every token replaced by its page.
    pub fn encode(&self, body: &[u8]) -> Vec<u8> {
        let pages = self.pages.lock().unwrap_or_else(PoisonError::into_inner);
        let size = body.len() + pages.iter().map(Vec::len).sum::<usize>();
        let mut out = Vec::with_capacity(size);
        let finder = memmem::Finder::new(self.prefix.as_bytes());
        let nested = self.nested.load(Ordering::SeqCst);
        splice(&mut out, body, &pages, &finder, nested, 0);
        out
    }
}

/// Pages nest at most as deep as the document; this bounds the search whatever happens.
const MAX_DEPTH: usize = 64;

fn splice(
    out: &mut Vec<u8>,
    mut text: &[u8],
    pages: &[Vec<u8>],
    finder: &memmem::Finder<'_>,
    nested: bool,
    depth: usize,
) {
    while let Some(at) = finder.find(text) {
        out.extend_from_slice(&text[..at]);
        let rest = &text[at + finder.needle().len()..];
        let digits = rest.iter().take_while(|byte| byte.is_ascii_digit()).count();
        let page = std::str::from_utf8(&rest[..digits])
            .ok()
            .and_then(|number| number.parse::<usize>().ok())
            .and_then(|number| pages.get(number));
        match (page, rest.get(digits)) {
            (Some(page), Some(b'"')) => {
                if nested && depth < MAX_DEPTH {
                    splice(out, page, pages, finder, nested, depth + 1);
                } else {
                    out.extend_from_slice(page);
                }
                text = &rest[digits + 1..];
            }
            // Not a token after all: copied as it is.
            _ => {
                out.extend_from_slice(finder.needle());
                text = rest;
            }
        }
    }
    out.extend_from_slice(text);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(value: &Value) -> String {
        serde_json::to_string(value).unwrap()
    }

    #[test]
    fn tokens_are_replaced_by_their_pages() {
        let splices = Splices::default();
        let first = splices.push(br#"{"a":1}"#.to_vec());
        let second = splices.push(br#"[true]"#.to_vec());
        let body = format!(
            r#"{{"data":{{"x":{},"y":{}}}}}"#,
            token(&first),
            token(&second)
        );
        let encoded = splices.encode(body.as_bytes());
        assert_eq!(encoded, br#"{"data":{"x":{"a":1},"y":[true]}}"#);
    }

    #[test]
    fn a_page_inside_a_page_is_replaced_too() {
        let splices = Splices::default();
        let resolving = splices.resolving();
        let inner = splices.push(b"[1]".to_vec());
        drop(resolving);
        let outer = splices.push(format!(r#"{{"inner":{}}}"#, token(&inner)).into_bytes());
        let encoded = splices.encode(format!(r#"{{"data":{}}}"#, token(&outer)).as_bytes());
        assert_eq!(encoded, br#"{"data":{"inner":[1]}}"#);
    }

    #[test]
    fn text_like_a_token_without_a_page_is_kept() {
        let splices = Splices::default();
        let real = splices.push(b"1".to_vec());
        let fake = format!("{}99\"", &splices.prefix);
        let body = format!(r#"[{},{fake}]"#, token(&real));
        let encoded = splices.encode(body.as_bytes());
        assert_eq!(String::from_utf8(encoded).unwrap(), format!("[1,{fake}]"));
    }
}
