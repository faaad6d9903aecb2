//! The daily run in the server: at `NOTIFY_AT` in `NOTIFY_TIME_ZONE`, and at start when that
//! time has passed today (a server down at seven still sends the day's digests once it is
//! up). A run that left digests unsent (the SMTP server down, another process holding the
//! lock, a database error) is tried again every `NOTIFY_RETRY_SECS` until the day ends; the
//! sent-log keeps the tries from sending anything twice.

use std::{sync::Arc, time::Duration};

use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use tokio::task::JoinHandle;

use super::run::Notifier;

/// The longest the scheduler sleeps at once, so a changed clock (daylight saving, a
/// corrected system time) is noticed within the hour.
const LONGEST_SLEEP: Duration = Duration::from_secs(60 * 60);

/// When the daily run is, and how soon an incomplete one is tried again.
#[derive(Debug, Clone, Copy)]
pub struct Schedule {
    pub at: NaiveTime,
    pub zone: Tz,
    pub retry: Duration,
}

/// Starts the daily run on its own task.
pub fn start(notifier: Arc<Notifier>, schedule: Schedule) -> JoinHandle<()> {
    let Schedule { at, zone, retry } = schedule;
    tracing::info!(at = %at.format("%H:%M"), zone = %zone.name(), "e-mail reminders: the daily run is scheduled");
    tokio::spawn(async move {
        let mut done: Option<NaiveDate> = None;
        loop {
            let now = Utc::now();
            let today = now.with_timezone(&zone).date_naive();
            let due = due_at(zone, today, at);
            if done != Some(today) && now >= due {
                if run_once(&notifier, retry).await {
                    done = Some(today);
                } else {
                    tokio::time::sleep(retry).await;
                    continue;
                }
            }
            let next = if now < due {
                due
            } else {
                due_at(zone, today.succ_opt().unwrap_or(today), at)
            };
            let wait = (next - Utc::now()).to_std().unwrap_or_default();
            tokio::time::sleep(wait.clamp(Duration::from_secs(1), LONGEST_SLEEP)).await;
        }
    })
}

/// Runs once; whether every digest of the day is out.
async fn run_once(notifier: &Notifier, retry: Duration) -> bool {
    match notifier.send(None).await {
        Ok(summary) if summary.complete() => {
            tracing::info!(%summary, "e-mail reminders: the day's digests are out");
            true
        }
        Ok(summary) => {
            tracing::warn!(%summary, retry_in_secs = retry.as_secs_f64(), "e-mail reminders: digests left unsent; trying again");
            false
        }
        Err(err) => {
            tracing::error!(error = %err, retry_in_secs = retry.as_secs_f64(), "e-mail reminders: the run failed; trying again");
            false
        }
    }
}

/// The moment of `at` on `day` in `zone`: on the day clocks go forward, a time that does not
/// exist is taken an hour later; on the day they go back, the first of the two.
fn due_at(zone: Tz, day: NaiveDate, at: NaiveTime) -> DateTime<Utc> {
    let local = day.and_time(at);
    zone.from_local_datetime(&local)
        .earliest()
        .or_else(|| {
            zone.from_local_datetime(&(local + chrono::Duration::hours(1)))
                .earliest()
        })
        .map_or_else(|| local.and_utc(), |moment| moment.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn the_daily_time_is_local_time_across_daylight_saving() {
        let seven = NaiveTime::from_hms_opt(7, 0, 0).unwrap();
        let berlin = chrono_tz::Europe::Berlin;
        assert_eq!(
            due_at(berlin, date(2026, 12, 3), seven).to_rfc3339(),
            "2026-12-03T06:00:00+00:00"
        );
        assert_eq!(
            due_at(berlin, date(2026, 7, 3), seven).to_rfc3339(),
            "2026-07-03T05:00:00+00:00"
        );
        // 02:30 does not exist on 29 March 2026 in Berlin: 03:30 summer time is taken.
        let half_past_two = NaiveTime::from_hms_opt(2, 30, 0).unwrap();
        assert_eq!(
            due_at(berlin, date(2026, 3, 29), half_past_two).to_rfc3339(),
            "2026-03-29T01:30:00+00:00"
        );
        // 02:30 comes twice on 25 October 2026: the first.
        assert_eq!(
            due_at(berlin, date(2026, 10, 25), half_past_two).to_rfc3339(),
            "2026-10-25T00:30:00+00:00"
        );
    }
}
