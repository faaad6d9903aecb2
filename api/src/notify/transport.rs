//! Sending one digest over SMTP (`lettre`, async on tokio, TLS by rustls), with retries.
//!
//! A temporary failure (the server unreachable, a timeout, a `4xx` answer) is retried after
//! [`BACKOFF`], doubling, [`ATTEMPTS`] times in all; a permanent one (`5xx`, such as an address
//! the server refuses) is not. Each retry is counted in `/metrics`.

use std::time::Duration;

use lettre::{
    Address, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
    message::{Mailbox, MultiPart, header},
};
use sha2::{Digest as _, Sha256};

use crate::{config::Sending, http::metrics::Metrics};
use service::notify::Mail;

/// Attempts per digest, the first included.
pub const ATTEMPTS: u32 = 3;

/// The wait before the first retry; each further retry waits twice as long.
pub const BACKOFF: Duration = Duration::from_secs(1);

/// Longest one SMTP conversation may take.
const TIMEOUT: Duration = Duration::from_secs(30);

/// Why a digest was not sent.
#[derive(Debug)]
pub struct Failure {
    /// What went wrong, without credentials.
    pub reason: String,
    /// The server could not be reached (or did not answer) at all: the digests after this one
    /// would fail alike.
    pub unreachable: bool,
}

/// An SMTP server and the sender of the digests.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    /// `scheme://host:port` of the server, for log lines.
    server: String,
}

impl Mailer {
    /// The mailer of the settings; an error when the SMTP URL cannot make a transport.
    pub fn new(sending: &Sending) -> anyhow::Result<Self> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(sending.smtp_url.expose())
            .map_err(|err| anyhow::anyhow!("SMTP_URL cannot be used: {err}"))?
            .timeout(Some(TIMEOUT))
            .build();
        Ok(Self {
            transport,
            from: sending.mail_from.clone(),
            server: sending.smtp_url.server(),
        })
    }

    /// The server, for log lines.
    pub fn server(&self) -> &str {
        &self.server
    }

    /// Sends `mail` to `to` (named `name`), retrying temporary failures; `message_id` keys
    /// the digest (tenant, recipient, day), so a digest sent again has the same id.
    pub async fn send(
        &self,
        to: &str,
        name: Option<&str>,
        mail: &Mail,
        message_id: &str,
        metrics: &Metrics,
    ) -> Result<(), Failure> {
        let message = self.message(to, name, mail, message_id)?;
        let mut wait = BACKOFF;
        let mut attempt = 1;
        loop {
            let err = match self.transport.send(message.clone()).await {
                Ok(_) => return Ok(()),
                Err(err) => err,
            };
            if err.is_permanent() || attempt >= ATTEMPTS {
                return Err(Failure {
                    reason: format!("{} ({}): {err}", self.server, attempts(attempt)),
                    unreachable: !err.is_transient() && !err.is_permanent(),
                });
            }
            tracing::warn!(server = %self.server, attempt, error = %err, retry_in_secs = wait.as_secs_f64(), "sending a digest failed; retrying");
            metrics.mail_retried();
            tokio::time::sleep(wait).await;
            wait *= 2;
            attempt += 1;
        }
    }

    fn message(
        &self,
        to: &str,
        name: Option<&str>,
        mail: &Mail,
        message_id: &str,
    ) -> Result<Message, Failure> {
        let refused = |what: &str| Failure {
            reason: what.to_owned(),
            unreachable: false,
        };
        let address: Address = to
            .parse()
            .map_err(|_| refused("the recipient's address is not one the mail system accepts"))?;
        Message::builder()
            .from(self.from.clone())
            .to(Mailbox::new(name.map(str::to_owned), address))
            .subject(mail.subject.clone())
            .date_now()
            .message_id(Some(message_id.to_owned()))
            .header(header::UserAgent::from("digidash".to_owned()))
            .multipart(MultiPart::alternative_plain_html(
                mail.text.clone(),
                mail.html.clone(),
            ))
            .map_err(|_| refused("the digest could not be made into a message"))
    }

    /// The Message-ID of the digest of `recipient` in `tenant` on `day`: the same for the
    /// same digest, so a mail system can tell one sent twice; the address only as a hash.
    pub fn message_id(&self, tenant: &str, recipient: &str, day: chrono::NaiveDate) -> String {
        let hash = Sha256::digest(recipient.as_bytes());
        let short: String = hash.iter().take(8).map(|b| format!("{b:02x}")).collect();
        format!(
            "<digest.{day}.{tenant}.{short}@{}>",
            self.from.email.domain()
        )
    }
}

fn attempts(n: u32) -> String {
    if n == 1 {
        "1 attempt".into()
    } else {
        format!("{n} attempts")
    }
}
