//! The iCalendar text of a feed (RFC 5545), written with the `icalendar` crate: one all-day
//! event per entry, with a UID that stays the same from fetch to fetch (a moved due date moves
//! the event instead of adding one), in the tenant's language.

use chrono::{DateTime, Days, NaiveDate, Utc};
use icalendar::{Calendar, Component, Event, EventLike, Property};

use super::events::{Entry, Work};
use crate::export::labels::Lang;

/// `Content-Type` of a feed.
pub const CONTENT_TYPE: &str = "text/calendar; charset=utf-8";

/// How often clients should fetch the feed again (`REFRESH-INTERVAL`, `X-PUBLISHED-TTL`):
/// Outlook and Thunderbird otherwise pick days or a week.
const REFRESH: &str = "PT1H";

/// What the calendar is and whose.
pub struct Heading<'a> {
    /// The feed's name, as its owner gave it.
    pub feed: &'a str,
    /// The tenant's name and key (UIDs carry the key).
    pub tenant_name: &'a str,
    pub tenant_key: &'a str,
    pub lang: Lang,
    pub cycle_days: u32,
    /// The moment of the fetch (`DTSTAMP`).
    pub now: DateTime<Utc>,
}

/// The feed as iCalendar text, CRLF line ends and folded lines included.
pub fn render(heading: &Heading<'_>, entries: &[Entry]) -> String {
    let words = Words::of(heading.lang);
    let mut calendar = Calendar::empty();
    for (key, value) in [
        ("VERSION", "2.0"),
        ("PRODID", "-//digidash//Kalender//DE"),
        ("CALSCALE", "GREGORIAN"),
        ("METHOD", "PUBLISH"),
    ] {
        calendar.append_property(Property::new(key, value));
    }
    calendar.name(&format!("{} – {}", heading.tenant_name, heading.feed));
    calendar.description(words.calendar);
    calendar.append_property(
        Property::new("REFRESH-INTERVAL", REFRESH)
            .add_parameter("VALUE", "DURATION")
            .done(),
    );
    calendar.append_property(Property::new("X-PUBLISHED-TTL", REFRESH));
    for entry in entries {
        calendar.push(event(heading, &words, entry));
    }
    calendar.to_string()
}

fn event(heading: &Heading<'_>, words: &Words, entry: &Entry) -> Event {
    let (uid, summary, description) = match entry {
        Entry::Milestone {
            id,
            title,
            due,
            achieved_on,
            project,
            sub_project,
            ..
        } => {
            let mut lines = vec![format!("{}: {project}", words.project)];
            if let Some(sub) = sub_project {
                lines.push(format!("{}: {sub}", words.sub_project));
            }
            lines.push(format!("{}: {}", words.due, day(heading.lang, *due)));
            let summary = match achieved_on {
                Some(on) => {
                    lines.push(format!("{}: {}", words.achieved_on, day(heading.lang, *on)));
                    format!("{}: {title}", words.milestone_achieved)
                }
                None => format!("{}: {title}", words.milestone),
            };
            (format!("milestone-{id}"), summary, lines)
        }
        Entry::ReportDue {
            work,
            id,
            title,
            due: _,
            last_report,
            parent,
        } => {
            let mut lines = vec![format!("{}: {title}", words.work(*work))];
            if let Some(project) = parent {
                lines.push(format!("{}: {project}", words.project));
            }
            lines.push(match last_report {
                Some(on) => format!("{}: {}", words.last_report, day(heading.lang, *on)),
                None => words.no_report.to_owned(),
            });
            lines.push(words.cycle(heading.cycle_days));
            (
                format!("report-{}-{id}", work.key()),
                format!("{}: {title}", words.report_due),
                lines,
            )
        }
    };
    let start = entry.day();
    // All-day: DTEND is the day after, exclusive (RFC 5545, 3.6.1).
    let end = start.checked_add_days(Days::new(1)).unwrap_or(start);
    Event::new()
        .uid(&format!("{uid}@{}.digidash", heading.tenant_key))
        .timestamp(heading.now)
        .starts(start)
        .ends(end)
        .summary(&summary)
        .description(&description.join("\n"))
        // Reminders in the calendar, not appointments: the day stays free.
        .add_property("TRANSP", "TRANSPARENT")
        .done()
}

fn day(lang: Lang, day: NaiveDate) -> String {
    match lang {
        Lang::De => day.format("%d.%m.%Y").to_string(),
        Lang::En => day.format("%Y-%m-%d").to_string(),
    }
}

/// The words of a feed in one language.
struct Words {
    calendar: &'static str,
    milestone: &'static str,
    milestone_achieved: &'static str,
    report_due: &'static str,
    project: &'static str,
    sub_project: &'static str,
    measure: &'static str,
    due: &'static str,
    achieved_on: &'static str,
    last_report: &'static str,
    no_report: &'static str,
    lang: Lang,
}

impl Words {
    fn of(lang: Lang) -> Self {
        match lang {
            Lang::De => Self {
                calendar: "Meilensteine und fällige Statusberichte aus digidash",
                milestone: "Meilenstein",
                milestone_achieved: "Meilenstein erreicht",
                report_due: "Statusbericht fällig",
                project: "Projekt",
                sub_project: "Teilprojekt",
                measure: "Maßnahme",
                due: "Fällig",
                achieved_on: "Erreicht am",
                last_report: "Letzter Statusbericht",
                no_report: "Noch kein Statusbericht",
                lang,
            },
            Lang::En => Self {
                calendar: "Milestones and status reports due, from digidash",
                milestone: "Milestone",
                milestone_achieved: "Milestone achieved",
                report_due: "Status report due",
                project: "Project",
                sub_project: "Sub-project",
                measure: "Measure",
                due: "Due",
                achieved_on: "Achieved on",
                last_report: "Last status report",
                no_report: "No status report yet",
                lang,
            },
        }
    }

    fn work(&self, work: Work) -> &'static str {
        match work {
            Work::Measure => self.measure,
            Work::Project => self.project,
            Work::SubProject => self.sub_project,
        }
    }

    fn cycle(&self, days: u32) -> String {
        match self.lang {
            Lang::De => format!("Berichtszyklus: {days} Tage"),
            Lang::En => format!("Reporting cycle: {days} days"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn heading(lang: Lang) -> Heading<'static> {
        Heading {
            feed: "Meilensteine FB 36",
            tenant_name: "Stadt Aachen",
            tenant_key: "aachen",
            lang,
            cycle_days: 90,
            now: DateTime::from_timestamp(1_790_000_000, 0).expect("a time"),
        }
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("a date")
    }

    fn entries() -> Vec<Entry> {
        vec![
            Entry::Milestone {
                id: 4,
                work: Work::SubProject,
                work_id: 9,
                title: "M_50 Inbetriebnahme der E-Akte, Pilotbereich Bürgerservice; Stufe 2 (Übergabe an Fachämter)".into(),
                due: date(2026, 12, 31),
                achieved_on: None,
                project: "P-7 E-Akte".into(),
                sub_project: Some("TP-2 Posteingang".into()),
            },
            Entry::ReportDue {
                work: Work::SubProject,
                id: 9,
                title: "TP-2 Posteingang".into(),
                due: date(2026, 11, 1),
                last_report: Some(date(2026, 8, 3)),
                parent: Some("P-7 E-Akte".into()),
            },
        ]
    }

    #[test]
    fn a_feed_is_rfc_5545_text() {
        let text = render(&heading(Lang::De), &entries());
        assert!(text.starts_with("BEGIN:VCALENDAR\r\n") && text.ends_with("END:VCALENDAR\r\n"));
        for line in text.split("\r\n") {
            assert!(line.len() <= 75, "{line:?} has {} octets", line.len());
            assert!(!line.contains('\n'), "{line:?}");
        }
        for needle in [
            "UID:milestone-4@aachen.digidash",
            "UID:report-sub-project-9@aachen.digidash",
            "DTSTART;VALUE=DATE:20261231",
            "DTEND;VALUE=DATE:20270101",
            "REFRESH-INTERVAL;VALUE=DURATION:PT1H",
            "X-PUBLISHED-TTL:PT1H",
            "X-WR-CALNAME:Stadt Aachen – Meilensteine FB 36",
            "SUMMARY:Statusbericht fällig: TP-2 Posteingang",
            "DTSTAMP:",
        ] {
            assert!(text.contains(needle), "{needle} missing in\n{text}");
        }
        assert_eq!(text.matches("BEGIN:VEVENT").count(), 2);
        assert_eq!(text.matches("END:VEVENT").count(), 2);
        // Commas and semicolons of a title are escaped.
        let unfolded = text.replace("\r\n ", "");
        assert!(
            unfolded.contains("Pilotbereich Bürgerservice\\; Stufe 2"),
            "{unfolded}"
        );
    }

    #[test]
    fn a_feed_speaks_the_tenants_language() {
        let text = render(&heading(Lang::En), &entries()).replace("\r\n ", "");
        assert!(text.contains("SUMMARY:Milestone: M_50"), "{text}");
        assert!(text.contains("Last status report: 2026-08-03"), "{text}");
    }
}
