//! A real SMTP server on loopback for the e-mail tests: aiosmtpd (PyPI, installed by `.ci/run`
//! into `target/mail-venv`) running `tests/mail/receiver.py`, which reads every message back
//! with Python's own `email` package and leaves it as JSON for the test to read.

use std::{
    path::{Path, PathBuf},
    process::Stdio,
    sync::atomic::{AtomicU32, Ordering},
    time::Duration,
};

use serde_json::Value;
use tokio::{
    io::{AsyncBufReadExt, BufReader},
    process::{Child, Command},
};

/// The receiver, with the messages it has accepted.
pub(crate) struct SmtpServer {
    _child: Child,
    port: u16,
    dir: PathBuf,
}

/// The virtual environment's Python with aiosmtpd; `None` (the test skips) outside CI when it
/// is missing. In CI it must be there.
fn python() -> Option<PathBuf> {
    let python = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/mail-venv/bin/python");
    if python.exists() {
        return Some(python);
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "the e-mail tests must run in CI, but {} is missing (.ci/run installs aiosmtpd there)",
        python.display()
    );
    eprintln!(
        "skipping an e-mail test: no aiosmtpd in {} (python3 -m venv target/mail-venv && target/mail-venv/bin/pip install aiosmtpd==1.4.6)",
        python.display()
    );
    None
}

impl SmtpServer {
    /// A receiver that accepts every message.
    pub(crate) async fn start() -> Option<Self> {
        Self::refusing_first(0).await
    }

    /// A receiver that refuses the first `count` messages with a temporary error (451).
    pub(crate) async fn refusing_first(count: u32) -> Option<Self> {
        let python = python()?;
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let dir = std::env::temp_dir().join(format!(
            "digidash_mail_{}_{}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        let mut child = Command::new(python)
            .arg(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/tests/mail/receiver.py"
            ))
            .arg(&dir)
            .args(["--fail-first", &count.to_string()])
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .expect("start the SMTP receiver");
        let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
        let port = tokio::time::timeout(Duration::from_secs(30), async {
            let line = lines
                .next_line()
                .await
                .expect("receiver output")
                .expect("the receiver says where it listens");
            line.strip_prefix("listening on ")
                .and_then(|port| port.trim().parse::<u16>().ok())
                .unwrap_or_else(|| panic!("unexpected receiver output: {line}"))
        })
        .await
        .expect("the receiver listens within 30 s");
        Some(Self {
            _child: child,
            port,
            dir,
        })
    }

    /// `SMTP_URL` of the receiver.
    pub(crate) fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// The messages accepted so far, in order.
    pub(crate) fn messages(&self) -> Vec<Value> {
        let mut found: Vec<(u32, Value)> = std::fs::read_dir(&self.dir)
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .filter_map(|entry| {
                        let name = entry.file_name().into_string().ok()?;
                        let number = name.strip_suffix(".json")?.parse().ok()?;
                        let text = std::fs::read_to_string(entry.path()).ok()?;
                        Some((number, serde_json::from_str(&text).expect("receiver JSON")))
                    })
                    .collect()
            })
            .unwrap_or_default();
        found.sort_by_key(|(number, _)| *number);
        found.into_iter().map(|(_, message)| message).collect()
    }

    /// How many messages arrived, each to another recipient: fails when one got two.
    pub(crate) fn one_per_recipient(&self) -> usize {
        let mut recipients: Vec<String> = self
            .messages()
            .iter()
            .map(|m| m["rcpt_tos"].to_string())
            .collect();
        recipients.sort_unstable();
        let all = recipients.len();
        recipients.dedup();
        assert_eq!(
            recipients.len(),
            all,
            "a digest went out twice: {recipients:?}"
        );
        all
    }

    /// The messages to `address` (the envelope's recipient).
    pub(crate) fn to(&self, address: &str) -> Vec<Value> {
        self.messages()
            .into_iter()
            .filter(|m| {
                m["rcpt_tos"]
                    .as_array()
                    .is_some_and(|to| to.iter().any(|a| a.as_str() == Some(address)))
            })
            .collect()
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// An `SMTP_URL` where nothing listens.
pub(crate) async fn unreachable_url() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let port = listener.local_addr().expect("address").port();
    drop(listener);
    format!("smtp://127.0.0.1:{port}")
}
