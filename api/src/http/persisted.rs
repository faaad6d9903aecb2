//! Automatic persisted queries (Apollo's APQ protocol): a client sends
//! `extensions.persistedQuery { version: 1, sha256Hash }` without the query; a hash the server
//! does not know is answered with `PERSISTED_QUERY_NOT_FOUND`, and the client sends the query
//! with its hash once, which stores it after the hash is checked.
//!
//! The store is a least-recently-used cache bounded twice: by the number of documents
//! (`APQ_CACHE_SIZE`) and by their total size ([`MAX_CACHED_BYTES`]).

use std::{num::NonZeroUsize, sync::Mutex};

use lru::LruCache;
use sha2::{Digest, Sha256};

use crate::error::ErrorCode;

/// Total size of the stored documents; older ones are dropped beyond it.
pub const MAX_CACHED_BYTES: usize = 8 * 1024 * 1024;

/// Why a persisted-query request cannot run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PersistedError {
    /// The hash is unknown (or was evicted): send the query along.
    NotFound,
    /// `APQ_CACHE_SIZE=0`.
    NotSupported,
    /// The hash is malformed or is not the SHA-256 of the query.
    HashMismatch,
}

impl PersistedError {
    /// The `extensions.code` of the refusal.
    pub fn code(self) -> ErrorCode {
        match self {
            Self::NotFound => ErrorCode::PersistedQueryNotFound,
            Self::NotSupported => ErrorCode::PersistedQueryNotSupported,
            Self::HashMismatch => ErrorCode::PersistedQueryHashMismatch,
        }
    }

    /// The message; Apollo clients also look for the first two literally.
    pub fn message(self) -> &'static str {
        match self {
            Self::NotFound => "PersistedQueryNotFound",
            Self::NotSupported => "PersistedQueryNotSupported",
            Self::HashMismatch => "persistedQuery.sha256Hash is not the SHA-256 of the query",
        }
    }
}

struct Store {
    documents: LruCache<String, String>,
    bytes: usize,
}

/// The documents clients registered by hash.
pub struct PersistedQueries {
    store: Option<Mutex<Store>>,
}

impl PersistedQueries {
    /// A store for `capacity` documents; `0` switches persisted queries off.
    pub fn new(capacity: usize) -> Self {
        Self {
            store: NonZeroUsize::new(capacity).map(|capacity| {
                Mutex::new(Store {
                    documents: LruCache::new(capacity),
                    bytes: 0,
                })
            }),
        }
    }

    /// The document to run for a request with `hash`: the stored one when `query` is empty,
    /// else `query` itself once it matches the hash (and is then stored).
    pub fn resolve(&self, hash: &str, query: &str) -> Result<Option<String>, PersistedError> {
        let Some(store) = &self.store else {
            return Err(PersistedError::NotSupported);
        };
        let hash = hash.to_ascii_lowercase();
        if hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(PersistedError::HashMismatch);
        }
        // A poisoned lock only means another request panicked mid-update of a cache.
        let mut store = store
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if query.is_empty() {
            return store
                .documents
                .get(&hash)
                .cloned()
                .map(Some)
                .ok_or(PersistedError::NotFound);
        }
        if sha256_hex(query) != hash {
            return Err(PersistedError::HashMismatch);
        }
        if query.len() <= MAX_CACHED_BYTES && !store.documents.contains(&hash) {
            store.bytes += query.len();
            if let Some((_, evicted)) = store.documents.push(hash, query.to_owned()) {
                store.bytes -= evicted.len();
            }
            while store.bytes > MAX_CACHED_BYTES {
                match store.documents.pop_lru() {
                    Some((_, evicted)) => store.bytes -= evicted.len(),
                    None => break,
                }
            }
        }
        Ok(None)
    }

    /// Documents stored now.
    pub fn len(&self) -> usize {
        self.store.as_ref().map_or(0, |store| {
            store
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .documents
                .len()
        })
    }

    /// Whether no document is stored.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The lowercase hex SHA-256 of a document, as APQ clients compute it.
pub fn sha256_hex(document: &str) -> String {
    format!("{:x}", Sha256::digest(document.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_hashes_are_asked_for_and_matching_queries_stored() {
        let store = PersistedQueries::new(2);
        let query = "{ me { sub } }";
        let hash = sha256_hex(query);
        assert_eq!(store.resolve(&hash, ""), Err(PersistedError::NotFound));
        assert_eq!(store.resolve(&hash, query), Ok(None));
        assert_eq!(store.resolve(&hash, ""), Ok(Some(query.to_owned())));
        assert_eq!(
            store.resolve(&hash, "{ other }"),
            Err(PersistedError::HashMismatch)
        );
        assert_eq!(store.resolve("xyz", ""), Err(PersistedError::HashMismatch));
        assert_eq!(
            PersistedQueries::new(0).resolve(&hash, query),
            Err(PersistedError::NotSupported)
        );
    }

    #[test]
    fn the_store_is_bounded_by_count_and_bytes() {
        let store = PersistedQueries::new(2);
        for query in ["{ a }", "{ b }", "{ c }"] {
            store.resolve(&sha256_hex(query), query).unwrap();
        }
        assert_eq!(store.len(), 2);
        assert_eq!(
            store.resolve(&sha256_hex("{ a }"), ""),
            Err(PersistedError::NotFound),
            "the least recently used document went first"
        );
        let big = PersistedQueries::new(100);
        let large = |i: usize| format!("# {i}\n{{ a }}{}", " ".repeat(MAX_CACHED_BYTES / 3));
        for i in 0..5 {
            let query = large(i);
            big.resolve(&sha256_hex(&query), &query).unwrap();
        }
        assert!(big.len() <= 3, "{} documents kept", big.len());
    }
}
