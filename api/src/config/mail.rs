//! The e-mail reminders: the SMTP server digests go through, their sender, the app they link
//! to, and when the daily run is.

use chrono::NaiveTime;
use chrono_tz::Tz;
use clap::Args;
use lettre::message::Mailbox;
use reqwest::Url;
use secrecy::{ExposeSecret, SecretString};

use std::time::Duration;

use super::{defaults::from_flags, seconds::parse_seconds};

/// `SMTP_URL`: the SMTP server, with credentials when it needs them; never logged.
#[derive(Clone)]
pub struct SmtpUrl(SecretString);

impl SmtpUrl {
    /// The URL with its credentials, for the transport only.
    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }

    /// Scheme, host and port, for log lines and errors: no user, no password.
    pub fn server(&self) -> String {
        match Url::parse(self.expose()) {
            Ok(url) => format!(
                "{}://{}:{}",
                url.scheme(),
                url.host_str().unwrap_or_default(),
                url.port()
                    .map_or_else(|| "default".to_owned(), |p| p.to_string())
            ),
            Err(_) => "(unreadable SMTP_URL)".into(),
        }
    }
}

impl std::fmt::Debug for SmtpUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SmtpUrl({})", self.server())
    }
}

/// Reads `SMTP_URL`: `smtp://host[:port]` (plain, or `?tls=required` / `?tls=opportunistic`
/// for STARTTLS) or `smtps://[user:password@]host[:port]` (TLS from the start).
pub(super) fn parse_smtp_url(value: &str) -> Result<SmtpUrl, String> {
    let bad = |why: &str| {
        format!(
            "SMTP_URL {why}: expected smtp://host:port, smtp://user:password@host:587?tls=required or smtps://user:password@host:465"
        )
    };
    let url = Url::parse(value.trim()).map_err(|_| bad("is not a URL"))?;
    match url.scheme() {
        "smtp" | "smtps" => {}
        _ => return Err(bad("has an unknown scheme")),
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(bad("names no host"));
    }
    for (key, tls) in url.query_pairs() {
        let known = key == "tls"
            && url.scheme() == "smtp"
            && matches!(tls.as_ref(), "required" | "opportunistic");
        if !known {
            return Err(bad(
                "has an unknown parameter (only tls=required or tls=opportunistic, with smtp://)",
            ));
        }
    }
    Ok(SmtpUrl(SecretString::from(value.trim().to_owned())))
}

/// Reads `MAIL_FROM`: `digidash <digidash@aachen.de>` or a bare address.
pub(super) fn parse_mailbox(value: &str) -> Result<Mailbox, String> {
    value.trim().parse::<Mailbox>().map_err(|_| {
        "MAIL_FROM must be an e-mail address, optionally with a name: `digidash <digidash@aachen.de>`"
            .to_owned()
    })
}

/// Reads `APP_URL`: the app's http(s) address, without query or fragment.
pub(super) fn parse_app_url(value: &str) -> Result<String, String> {
    let bad = || "APP_URL must be the app's address, such as https://digidash.aachen.de".to_owned();
    let url = Url::parse(value.trim()).map_err(|_| bad())?;
    if !matches!(url.scheme(), "http" | "https")
        || url.host_str().is_none()
        || url.query().is_some()
        || url.fragment().is_some()
    {
        return Err(bad());
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

/// Reads `NOTIFY_AT`: `HH:MM`, 24 hours.
pub(super) fn parse_time(value: &str) -> Result<NaiveTime, String> {
    NaiveTime::parse_from_str(value.trim(), "%H:%M").map_err(|_| {
        format!("NOTIFY_AT must be a time of day as HH:MM (such as 07:00), not `{value}`")
    })
}

/// Reads `NOTIFY_TIME_ZONE`: an IANA name such as `Europe/Berlin`.
pub(super) fn parse_zone(value: &str) -> Result<Tz, String> {
    value.trim().parse::<Tz>().map_err(|_| {
        format!("NOTIFY_TIME_ZONE must be an IANA time zone such as Europe/Berlin, not `{value}`")
    })
}

/// The e-mail reminders.
#[derive(Args, Debug, Clone)]
pub struct Mail {
    /// SMTP server the digests go through: `smtp://relay.aachen.de:25`,
    /// `smtp://user:password@host:587?tls=required` (STARTTLS) or
    /// `smtps://user:password@host:465`. Unset: no e-mail is sent and the daily run does not
    /// start.
    #[arg(long, env = "SMTP_URL", hide_env_values = true, global = true, value_parser = parse_smtp_url)]
    pub smtp_url: Option<SmtpUrl>,
    /// Sender of the digests: `digidash <digidash@aachen.de>` or a bare address. Required
    /// with `SMTP_URL`.
    #[arg(long, env = "MAIL_FROM", global = true, value_parser = parse_mailbox)]
    pub mail_from: Option<Mailbox>,
    /// Address of the app the digests link to, e.g. `https://digidash.aachen.de`. Required
    /// with `SMTP_URL`.
    #[arg(long, env = "APP_URL", global = true, value_parser = parse_app_url)]
    pub app_url: Option<String>,
    /// Time of day of the daily run (HH:MM, in `NOTIFY_TIME_ZONE`). A server that starts
    /// later in the day sends the day's digests that are still due at once.
    #[arg(long, env = "NOTIFY_AT", default_value = "07:00", global = true, value_parser = parse_time)]
    pub notify_at: NaiveTime,
    /// Time zone of `NOTIFY_AT` and of a digest's day (IANA name).
    #[arg(long, env = "NOTIFY_TIME_ZONE", default_value = "Europe/Berlin", global = true, value_parser = parse_zone)]
    pub notify_time_zone: Tz,
    /// Seconds the daily run waits before it tries again when it left digests unsent (the
    /// SMTP server down, another process sending at the same time), until the day ends.
    #[arg(long = "notify-retry-secs", env = "NOTIFY_RETRY_SECS", default_value = "600", global = true, value_parser = parse_seconds)]
    pub notify_retry: Duration,
}

/// What sending digests needs, all present.
#[derive(Debug, Clone)]
pub struct Sending {
    pub smtp_url: SmtpUrl,
    pub mail_from: Mailbox,
    pub app_url: String,
}

impl Mail {
    /// What sending needs, when `SMTP_URL` is set; an error naming what is missing when it is
    /// set without the rest.
    pub fn sending(&self) -> anyhow::Result<Option<Sending>> {
        let Some(smtp_url) = self.smtp_url.clone() else {
            return Ok(None);
        };
        let mail_from = self.mail_from.clone().ok_or_else(|| {
            anyhow::anyhow!("SMTP_URL is set, so MAIL_FROM must be too: the address digests are sent from, e.g. `digidash <digidash@aachen.de>`")
        })?;
        let app_url = self.app_url.clone().ok_or_else(|| {
            anyhow::anyhow!("SMTP_URL is set, so APP_URL must be too: the app's address the digests link to, e.g. https://digidash.aachen.de")
        })?;
        Ok(Some(Sending {
            smtp_url,
            mail_from,
            app_url,
        }))
    }
}

/// The defaults of the flags above, read from no environment variable.
impl Default for Mail {
    fn default() -> Self {
        from_flags()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn smtp_urls_are_checked_and_never_shown_with_their_password() {
        let url = parse_smtp_url("smtps://digidash:geheim@mail.aachen.de:465").unwrap();
        assert_eq!(url.server(), "smtps://mail.aachen.de:465");
        assert!(!format!("{url:?}").contains("geheim"));
        assert!(parse_smtp_url("smtp://127.0.0.1:2525").is_ok());
        assert!(parse_smtp_url("smtp://relay:587?tls=required").is_ok());
        for bad in [
            "mail.aachen.de",
            "http://mail.aachen.de",
            "smtps://relay?tls=required",
            "smtp://relay?port=2",
        ] {
            assert!(parse_smtp_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn sender_app_and_schedule_are_checked() {
        assert_eq!(
            parse_mailbox("digidash <digidash@aachen.de>")
                .unwrap()
                .email
                .to_string(),
            "digidash@aachen.de"
        );
        assert!(parse_mailbox("digidash").is_err());
        assert_eq!(
            parse_app_url("https://digidash.aachen.de/").unwrap(),
            "https://digidash.aachen.de"
        );
        assert!(parse_app_url("ftp://x").is_err());
        assert!(parse_app_url("https://x/?a=1").is_err());
        assert_eq!(
            parse_time("07:30").unwrap(),
            NaiveTime::from_hms_opt(7, 30, 0).unwrap()
        );
        assert!(parse_time("7 Uhr").is_err() && parse_time("25:00").is_err());
        assert_eq!(
            parse_zone("Europe/Berlin").unwrap(),
            chrono_tz::Europe::Berlin
        );
        assert!(parse_zone("Mitteleuropa").is_err());
    }

    #[test]
    fn smtp_without_sender_or_app_is_refused_with_what_is_missing() {
        let mut mail = Mail {
            smtp_url: Some(parse_smtp_url("smtp://127.0.0.1:25").unwrap()),
            ..Mail::default()
        };
        assert!(
            mail.sending()
                .unwrap_err()
                .to_string()
                .contains("MAIL_FROM")
        );
        mail.mail_from = Some(parse_mailbox("a@b.de").unwrap());
        assert!(mail.sending().unwrap_err().to_string().contains("APP_URL"));
        mail.app_url = Some("https://app".into());
        assert!(mail.sending().unwrap().is_some());
        assert!(Mail::default().sending().unwrap().is_none());
        assert_eq!(Mail::default().notify_time_zone, chrono_tz::Europe::Berlin);
        assert_eq!(Mail::default().notify_retry, Duration::from_secs(600));
    }
}
