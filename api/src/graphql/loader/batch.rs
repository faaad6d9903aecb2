//! Deterministic batching: a request's loader batches run on the request's own task.
//!
//! async-graphql's DataLoader starts a batch after a short timer on another task, so how
//! many keys land in one batch depends on how fast the resolvers ran. Here the batches are
//! queued and polled by the request future itself, and only once the resolvers can go no
//! further: every key a level of the query asks for is in that level's one batch, so the
//! number of statements depends on the query's shape alone, never on timing or list length.

use std::{
    future::Future,
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
    task::{Context, Poll, Wake, Waker},
};

use async_graphql::futures_util::{StreamExt, future::BoxFuture, stream::FuturesUnordered};
use tokio::sync::mpsc;

/// Hands batches to the request that created it.
#[derive(Clone)]
pub struct BatchSpawner(mpsc::UnboundedSender<BoxFuture<'static, ()>>);

impl BatchSpawner {
    /// Queues a batch; after the request has ended there is nobody left to ask for it.
    pub fn spawn(&self, batch: BoxFuture<'static, ()>) {
        let _ = self.0.send(batch);
    }
}

/// The batches queued by one request's loaders.
pub struct BatchQueue(mpsc::UnboundedReceiver<BoxFuture<'static, ()>>);

/// A connected spawner and queue.
pub fn batch_channel() -> (BatchSpawner, BatchQueue) {
    let (sender, receiver) = mpsc::unbounded_channel();
    (BatchSpawner(sender), BatchQueue(receiver))
}

impl BatchQueue {
    /// Runs `request` together with the batches its loaders queue.
    ///
    /// The request is polled whenever it can go on (so its own queries finish and give their
    /// connections back), but a queued batch starts only when no batch is running and the
    /// request can go no further: by then every key of that pass has been asked for, so each
    /// loader runs one statement per pass, whatever order the database answers in.
    pub async fn run<F: Future>(mut self, request: F) -> F::Output {
        let mut request = std::pin::pin!(request);
        let mut running = FuturesUnordered::new();
        let mut queued: Vec<BoxFuture<'static, ()>> = Vec::new();
        // Tokio's cooperative budget would make the request yield with a deferred wake-up
        // that cannot be told from waiting; the request waits on I/O often enough anyway.
        tokio::task::unconstrained(std::future::poll_fn(|cx| {
            loop {
                // A request woken while it ran (it yields on its own while resolving long
                // lists) may not be done asking for keys.
                let woken = Arc::new(YieldWaker {
                    woken: AtomicBool::new(false),
                    inner: cx.waker().clone(),
                });
                let waker = Waker::from(woken.clone());
                if let Poll::Ready(output) = request.as_mut().poll(&mut Context::from_waker(&waker))
                {
                    return Poll::Ready(output);
                }
                while let Poll::Ready(Some(batch)) = self.0.poll_recv(cx) {
                    queued.push(batch);
                }
                while let Poll::Ready(Some(())) = running.poll_next_unpin(cx) {}
                if woken.woken.load(Ordering::Acquire) {
                    return Poll::Pending;
                }
                if !running.is_empty() || queued.is_empty() {
                    return Poll::Pending;
                }
                running.extend(queued.drain(..));
                // Started batches take their keys now; poll them (and the request) again.
            }
        }))
        .await
    }
}

/// Notes whether the request woke itself while it was being polled.
struct YieldWaker {
    woken: AtomicBool,
    inner: Waker,
}

impl Wake for YieldWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.woken.store(true, Ordering::Release);
        self.inner.wake_by_ref();
    }
}
