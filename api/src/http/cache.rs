//! The response cache: whole query responses, per viewer scope and per document, operation
//! and variables, keyed by the tenant's data version.
//!
//! Every committed write increments its tenant's `data_version` in the write's own
//! transaction, and every request reads the version with the viewer (one statement it runs
//! anyway). A response computed at version `v` is therefore served only to requests that
//! began at `v`; once a write commits, every replica reads `v + 1` and misses. The scope in
//! the key is what a response can depend on: tenant, role and org unit (the unit subtree
//! follows from it), and the token's subject and name when the document reads `me`; and the
//! day, since what is overdue changes at midnight without any write. Keys
//! hold their parts in full, so two scopes can never share an entry by a hash collision.
//! Mutations, responses with errors and requests without a viewer are never cached.
//!
//! Bounded twice: by the number of entries (`RESPONSE_CACHE_ENTRIES`, 0 turns it off) and by
//! the size of the stored JSON (`RESPONSE_CACHE_MB`). Per replica and in memory.
//!
//! Identical requests that miss at the same time are computed once: after a write, everyone
//! whose dashboard refreshes asks for the same new version at once, and without this each of
//! them would compute it. The first becomes the leader ([`Lookup::Compute`]); the others
//! wait until the leader has stored its answer (or given up) and look again.

use std::{
    collections::HashMap,
    num::NonZeroUsize,
    sync::{Arc, Mutex},
};

use axum::body::Bytes;
use lru::LruCache;
use tokio::sync::Notify;

use crate::auth::{Role, Viewer};

/// What a cached response is for.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Key {
    tenant_id: i32,
    data_version: i64,
    /// Today: what is overdue, and every figure "as of today", changes at midnight.
    day: chrono::NaiveDate,
    role: Role,
    org_unit_id: Option<i32>,
    /// Subject and name, when the document reads `me`.
    identity: Option<(String, Option<String>)>,
    query: String,
    operation_name: Option<String>,
    variables: String,
}

impl Key {
    /// The key of `request` for `viewer`.
    pub fn of(viewer: &Viewer, request: &async_graphql::Request) -> Self {
        Self {
            tenant_id: viewer.tenant_id,
            data_version: viewer.data_version,
            day: crate::graphql::scalar::today(),
            role: viewer.role,
            org_unit_id: viewer.org_unit_id,
            identity: reads_identity(&request.query)
                .then(|| (viewer.sub.clone(), viewer.name.clone())),
            query: request.query.clone(),
            operation_name: request.operation_name.clone(),
            variables: serde_json::to_string(&request.variables).unwrap_or_default(),
        }
    }

    fn weight(&self) -> usize {
        self.query.len() + self.variables.len() + 128
    }
}

/// Whether a document may read the caller's own identity: it names a field `me`. A word
/// test on the text over-approximates (a string or alias `me` also counts), never misses.
fn reads_identity(query: &str) -> bool {
    query
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .any(|word| word == "me")
}

struct Store {
    /// The encoded JSON body of each response, shared with the requests it is served to.
    entries: LruCache<Key, (Bytes, usize)>,
    bytes: usize,
}

/// Cached responses of this replica.
pub struct ResponseCache {
    store: Option<Mutex<Store>>,
    max_bytes: usize,
    /// Keys being computed, and how their waiters learn that the computation ended.
    computing: Mutex<HashMap<Key, Arc<Notify>>>,
}

/// What a request does after looking up its key.
pub enum Lookup<'a> {
    /// Serve this body.
    Hit(Bytes),
    /// Compute the response (and [`ResponseCache::put`] it); waiters wake when this drops.
    Compute(Computing<'a>),
}

/// The leader's claim on a key being computed.
pub struct Computing<'a> {
    cache: &'a ResponseCache,
    key: Key,
}

impl Computing<'_> {
    /// Stores the computed body; the waiters then find it.
    pub fn store(self, body: Bytes) {
        self.cache.put(self.key.clone(), body);
    }
}

impl Drop for Computing<'_> {
    fn drop(&mut self) {
        // Stored, failed or cancelled: waiters look again, and one of them leads if nothing
        // was stored.
        let notify = self
            .cache
            .computing
            .lock()
            .ok()
            .and_then(|mut computing| computing.remove(&self.key));
        if let Some(notify) = notify {
            notify.notify_waiters();
        }
    }
}

impl ResponseCache {
    /// A cache of at most `entries` responses and `megabytes` of JSON; 0 entries: off.
    pub fn new(entries: usize, megabytes: usize) -> Self {
        Self {
            store: NonZeroUsize::new(entries).map(|capacity| {
                Mutex::new(Store {
                    entries: LruCache::new(capacity),
                    bytes: 0,
                })
            }),
            max_bytes: megabytes.saturating_mul(1024 * 1024),
            computing: Mutex::new(HashMap::new()),
        }
    }

    pub fn enabled(&self) -> bool {
        self.store.is_some()
    }

    /// The cached body of `key`, or the claim to compute it; waits while the same key is
    /// being computed by another request.
    pub async fn lookup(&self, key: Key) -> Lookup<'_> {
        loop {
            if let Some(body) = self.get(&key) {
                return Lookup::Hit(body);
            }
            let notify = {
                let Ok(mut computing) = self.computing.lock() else {
                    return Lookup::Compute(Computing { cache: self, key });
                };
                match computing.get(&key) {
                    Some(notify) => notify.clone(),
                    None => {
                        computing.insert(key.clone(), Arc::new(Notify::new()));
                        return Lookup::Compute(Computing { cache: self, key });
                    }
                }
            };
            let notified = notify.notified();
            let mut notified = std::pin::pin!(notified);
            // Registered before the leader can be done: it notifies after removing the key,
            // and checking again below catches a removal that came first.
            notified.as_mut().enable();
            let still_computing = self.computing.lock().is_ok_and(|computing| {
                computing.get(&key).is_some_and(|n| Arc::ptr_eq(n, &notify))
            });
            if still_computing {
                notified.await;
            }
        }
    }

    /// The encoded body of a cached response (a reference-counted handle, not a copy).
    pub fn get(&self, key: &Key) -> Option<Bytes> {
        let mut store = self.store.as_ref()?.lock().ok()?;
        store.entries.get(key).map(|(body, _)| body.clone())
    }

    /// Keeps the encoded body of an error-free response.
    pub fn put(&self, key: Key, body: Bytes) {
        let Some(store) = &self.store else { return };
        let size = body.len() + key.weight();
        // One response larger than a quarter of the budget would push out everything else.
        if size > self.max_bytes / 4 {
            return;
        }
        let Ok(mut store) = store.lock() else { return };
        if let Some((_, old)) = store.entries.put(key, (body, size)) {
            store.bytes -= old;
        }
        store.bytes += size;
        while store.bytes > self.max_bytes {
            match store.entries.pop_lru() {
                Some((_, (_, evicted))) => store.bytes -= evicted,
                None => break,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::{collections::HashSet, sync::Arc};

    use super::*;

    fn viewer(role: Role, unit: Option<i32>, version: i64) -> Viewer {
        Viewer {
            sub: "s".into(),
            name: None,
            role,
            tenant_id: 1,
            tenant_key: "aachen".into(),
            org_unit_id: unit,
            units: Arc::new(HashSet::new()),
            data_version: version,
            settings: Default::default(),
            shares: Default::default(),
            unit: None,
        }
    }

    fn request(query: &str) -> async_graphql::Request {
        async_graphql::Request::new(query)
    }

    #[test]
    fn scopes_and_versions_never_share_entries() {
        let cache = ResponseCache::new(10, 1);
        let query = request("{ measures { totalCount } }");
        let central = Key::of(&viewer(Role::CentralIt, None, 3), &query);
        cache.put(central.clone(), Bytes::from_static(b"42"));
        assert_eq!(cache.get(&central), Some(Bytes::from_static(b"42")));
        for other in [
            viewer(Role::Council, None, 3),
            viewer(Role::Department, Some(7), 3),
            viewer(Role::CentralIt, None, 4),
        ] {
            assert_eq!(cache.get(&Key::of(&other, &query)), None);
        }
        let mut variables = request("{ measures { totalCount } }");
        variables.variables = async_graphql::Variables::from_json(serde_json::json!({ "a": 1 }));
        assert_eq!(
            cache.get(&Key::of(&viewer(Role::CentralIt, None, 3), &variables)),
            None
        );
    }

    #[test]
    fn identity_is_in_the_key_only_when_the_document_reads_me() {
        let me = request("{ x: me { sub } }");
        let mut other = viewer(Role::CentralIt, None, 1);
        other.sub = "t".into();
        assert_ne!(
            Key::of(&viewer(Role::CentralIt, None, 1), &me),
            Key::of(&other, &me)
        );
        let list = request("{ measures { totalCount } }");
        assert_eq!(
            Key::of(&viewer(Role::CentralIt, None, 1), &list),
            Key::of(&other, &list)
        );
        assert!(!reads_identity("{ measures { edges { node { name } } } }"));
    }

    #[test]
    fn the_byte_budget_evicts_the_oldest() {
        let cache = ResponseCache::new(100, 1);
        let big = Bytes::from("x".repeat(200_000));
        let keys: Vec<Key> = (0..8)
            .map(|i| Key::of(&viewer(Role::CentralIt, None, i), &request("{ a }")))
            .collect();
        for key in &keys {
            cache.put(key.clone(), big.clone());
        }
        assert_eq!(cache.get(&keys[0]), None, "evicted");
        assert!(cache.get(&keys[7]).is_some());
        // Off: nothing is kept.
        let off = ResponseCache::new(0, 1);
        off.put(keys[0].clone(), big);
        assert_eq!(off.get(&keys[0]), None);
        assert!(!off.enabled());
    }

    #[tokio::test]
    async fn identical_misses_are_computed_once() {
        let cache = Arc::new(ResponseCache::new(10, 1));
        let key = Key::of(&viewer(Role::CentralIt, None, 1), &request("{ a }"));
        let Lookup::Compute(leader) = cache.lookup(key.clone()).await else {
            panic!("the first lookup computes");
        };
        let waiters: Vec<_> = (0..4)
            .map(|_| {
                let (cache, key) = (cache.clone(), key.clone());
                tokio::spawn(async move {
                    match cache.lookup(key).await {
                        Lookup::Hit(body) => Some(body),
                        Lookup::Compute(_) => None,
                    }
                })
            })
            .collect();
        tokio::task::yield_now().await;
        leader.store(Bytes::from_static(b"{}"));
        for waiter in waiters {
            assert_eq!(
                waiter.await.unwrap(),
                Some(Bytes::from_static(b"{}")),
                "waiters are served the leader's answer"
            );
        }
        // A leader that stores nothing (an error, a cancelled request) hands over.
        let other = Key::of(&viewer(Role::Council, None, 1), &request("{ a }"));
        let Lookup::Compute(failed) = cache.lookup(other.clone()).await else {
            panic!("computes");
        };
        let next = tokio::spawn({
            let cache = cache.clone();
            async move { matches!(cache.lookup(other).await, Lookup::Compute(_)) }
        });
        tokio::task::yield_now().await;
        drop(failed);
        assert!(next.await.unwrap(), "a waiter takes over");
    }
}
