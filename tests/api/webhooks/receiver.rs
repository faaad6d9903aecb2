//! A real webhook receiver on loopback: `tests/webhooks/receiver.py`, which verifies every
//! delivery with the Standard Webhooks reference library (PyPI `standardwebhooks`) and logs
//! what it received. Its Python is the virtual environment `tests/webhooks/venv` makes
//! (`.ci/run` makes it); outside CI a test without it is skipped.

use std::{
    path::PathBuf,
    process::Stdio,
    sync::atomic::{AtomicU32, Ordering},
    time::Duration,
};

use serde_json::Value;
use tokio::{
    io::{AsyncBufReadExt, BufReader},
    process::{Child, Command},
};

static COUNTER: AtomicU32 = AtomicU32::new(0);

/// A receiver with a port of its own, started and stopped at will.
pub(crate) struct Receiver {
    python: PathBuf,
    port: u16,
    dir: PathBuf,
    child: Option<Child>,
}

/// The Python with `standardwebhooks`: `WEBHOOK_RECEIVER_PYTHON`, else the virtual
/// environment in `target/webhooks-venv`. `None` (the test is skipped) outside CI only.
fn python() -> Option<PathBuf> {
    let venv = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/webhooks-venv/bin/python");
    let candidates = std::env::var_os("WEBHOOK_RECEIVER_PYTHON")
        .map(PathBuf::from)
        .into_iter()
        .chain([venv]);
    for candidate in candidates {
        let works = std::process::Command::new(&candidate)
            .args(["-c", "import standardwebhooks"])
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|status| status.success());
        if works {
            return Some(candidate);
        }
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "the webhook tests need the receiver's Python: run tests/webhooks/venv"
    );
    eprintln!("skipping a webhook test: run tests/webhooks/venv for its receiver");
    None
}

/// A port nobody listens on now.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port")
        .port()
}

impl Receiver {
    /// A receiver that is not started yet; `None` when its Python is missing (outside CI).
    pub(crate) fn new() -> Option<Self> {
        let python = python()?;
        let dir = std::env::temp_dir().join(format!(
            "digidash_webhooks_{}_{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).expect("receiver dir");
        Some(Self {
            python,
            port: free_port(),
            dir,
            child: None,
        })
    }

    /// The URL to register.
    pub(crate) fn url(&self) -> String {
        format!("http://127.0.0.1:{}/hooks/digidash", self.port)
    }

    /// The secret deliveries are verified with (`createWebhook` shows it).
    pub(crate) fn set_secret(&self, secret: &str) {
        std::fs::write(self.dir.join("secret"), secret).expect("secret file");
    }

    /// Starts listening, on the same port every time.
    pub(crate) async fn start(&mut self) {
        let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/webhooks/receiver.py");
        let mut child = Command::new(&self.python)
            .arg(script)
            .arg(self.port.to_string())
            .arg(self.dir.join("secret"))
            .arg(self.dir.join("received.jsonl"))
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .expect("start the receiver");
        let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
        let ready = tokio::time::timeout(Duration::from_secs(30), lines.next_line())
            .await
            .expect("the receiver starts within 30 s")
            .expect("receiver output");
        assert!(
            ready.is_some_and(|line| line.starts_with("listening on")),
            "the receiver did not start"
        );
        self.child = Some(child);
    }

    /// Stops listening: deliveries fail to connect.
    pub(crate) async fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            child.kill().await.expect("stop the receiver");
        }
    }

    /// Every request received so far: `path`, `headers`, `body` (as sent), `verified`, `error`.
    pub(crate) fn received(&self) -> Vec<Value> {
        std::fs::read_to_string(self.dir.join("received.jsonl"))
            .unwrap_or_default()
            .lines()
            .map(|line| serde_json::from_str(line).expect("a log line"))
            .collect()
    }

    /// Waits (at most `secs`) until at least `count` requests arrived; returns them all.
    pub(crate) async fn wait_for(&self, count: usize, secs: u64) -> Vec<Value> {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(secs);
        loop {
            let received = self.received();
            if received.len() >= count || tokio::time::Instant::now() > deadline {
                return received;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        if let Some(child) = &mut self.child {
            let _ = child.start_kill();
        }
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The JSON payload of a received request.
pub(crate) fn payload(request: &Value) -> Value {
    serde_json::from_str(request["body"].as_str().expect("a body")).expect("a JSON body")
}
