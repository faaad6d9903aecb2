//! The words of a digest, in German (the default) and English.

use chrono::NaiveDate;
use entity::enums::{ApplicationStatus, Rag};

use crate::{
    calendar::Work,
    export::labels::{Labelled, Lang},
};

/// A date as the language writes it: `31.03.2026`, `2026-03-31`.
pub(super) fn day(lang: Lang, day: NaiveDate) -> String {
    match lang {
        Lang::De => day.format("%d.%m.%Y").to_string(),
        Lang::En => day.format("%Y-%m-%d").to_string(),
    }
}

/// The fixed texts of a digest in one language.
pub(super) struct Words {
    pub lang: Lang,
}

impl Words {
    pub fn of(lang: Lang) -> Self {
        Self { lang }
    }

    fn pick(&self, de: &'static str, en: &'static str) -> &'static str {
        self.lang.pick(de, en)
    }

    pub fn subject(&self, tenant: &str, on: NaiveDate) -> String {
        match self.lang {
            Lang::De => format!(
                "digidash: Ihre Übersicht vom {} – {tenant}",
                day(self.lang, on)
            ),
            Lang::En => format!("digidash: your digest of {} – {tenant}", day(self.lang, on)),
        }
    }

    pub fn greeting(&self, name: Option<&str>) -> String {
        match (self.lang, name) {
            (Lang::De, Some(name)) => format!("Guten Tag {name},"),
            (Lang::De, None) => "Guten Tag,".into(),
            (Lang::En, Some(name)) => format!("Dear {name},"),
            (Lang::En, None) => "Hello,".into(),
        }
    }

    pub fn intro(&self, tenant: &str, units: &[String]) -> String {
        match (self.lang, units.is_empty()) {
            (Lang::De, true) => {
                format!("hier ist Ihre tägliche Übersicht aus digidash für {tenant}.")
            }
            (Lang::De, false) => format!(
                "hier ist Ihre tägliche Übersicht aus digidash für {tenant} ({}).",
                units.join(", ")
            ),
            (Lang::En, true) => format!("here is your daily digest from digidash for {tenant}."),
            (Lang::En, false) => format!(
                "here is your daily digest from digidash for {tenant} ({}).",
                units.join(", ")
            ),
        }
    }

    pub fn reports_due(&self) -> &'static str {
        self.pick(
            "Statusberichte: überfällig oder in den nächsten 14 Tagen fällig",
            "Status reports overdue or due within 14 days",
        )
    }

    pub fn milestones(&self) -> &'static str {
        self.pick(
            "Meilensteine: überfällig oder in den nächsten 14 Tagen fällig",
            "Milestones overdue or due within 14 days",
        )
    }

    pub fn returned(&self) -> &'static str {
        self.pick(
            "Zurückgegebene Statusberichte: bitte neu einreichen",
            "Status reports returned: please submit a new one",
        )
    }

    pub fn pending(&self) -> &'static str {
        self.pick(
            "Statusberichte, die auf Ihre Prüfung warten",
            "Status reports awaiting your review",
        )
    }

    pub fn applications(&self, next: Option<(&str, NaiveDate)>) -> String {
        match (self.lang, next) {
            (Lang::De, Some((title, on))) => format!(
                "Anträge, über die bis zur nächsten Sitzung des Lenkungsausschusses zu entscheiden ist ({title}, {})",
                day(self.lang, on)
            ),
            (Lang::De, None) => {
                "Anträge, über die noch zu entscheiden ist (keine Sitzung des Lenkungsausschusses geplant)".into()
            }
            (Lang::En, Some((title, on))) => format!(
                "Applications awaiting a decision before the steering committee's next meeting ({title}, {})",
                day(self.lang, on)
            ),
            (Lang::En, None) => {
                "Applications awaiting a decision (no steering committee meeting scheduled)".into()
            }
        }
    }

    pub fn light_changes(&self) -> &'static str {
        self.pick(
            "Geänderte Ampeln der letzten 7 Tage",
            "Traffic lights changed in the last 7 days",
        )
    }

    pub fn work(&self, work: Work) -> &'static str {
        match work {
            Work::Measure => self.pick("Maßnahme", "Measure"),
            Work::Project => self.pick("Projekt", "Project"),
            Work::SubProject => self.pick("Teilprojekt", "Sub-project"),
        }
    }

    /// `überfällig seit 01.11.2026`, `fällig am 10.12.2026`, `heute fällig`.
    pub fn due(&self, due: NaiveDate, today: NaiveDate) -> String {
        let on = day(self.lang, due);
        match (self.lang, due.cmp(&today)) {
            (Lang::De, std::cmp::Ordering::Less) => format!("überfällig seit {on}"),
            (Lang::De, std::cmp::Ordering::Equal) => "heute fällig".into(),
            (Lang::De, std::cmp::Ordering::Greater) => format!("fällig am {on}"),
            (Lang::En, std::cmp::Ordering::Less) => format!("overdue since {on}"),
            (Lang::En, std::cmp::Ordering::Equal) => "due today".into(),
            (Lang::En, std::cmp::Ordering::Greater) => format!("due {on}"),
        }
    }

    pub fn last_report(&self, last: Option<NaiveDate>) -> String {
        match (self.lang, last) {
            (Lang::De, Some(on)) => format!("letzter Statusbericht {}", day(self.lang, on)),
            (Lang::De, None) => "noch kein Statusbericht".into(),
            (Lang::En, Some(on)) => format!("last status report {}", day(self.lang, on)),
            (Lang::En, None) => "no status report yet".into(),
        }
    }

    pub fn report_of(&self, on: NaiveDate) -> String {
        match self.lang {
            Lang::De => format!("Bericht vom {}", day(self.lang, on)),
            Lang::En => format!("report of {}", day(self.lang, on)),
        }
    }

    pub fn returned_on(&self, on: Option<NaiveDate>) -> String {
        match (self.lang, on) {
            (Lang::De, Some(on)) => format!("zurückgegeben am {}", day(self.lang, on)),
            (Lang::De, None) => "zurückgegeben".into(),
            (Lang::En, Some(on)) => format!("returned on {}", day(self.lang, on)),
            (Lang::En, None) => "returned".into(),
        }
    }

    pub fn comment(&self) -> &'static str {
        self.pick("Anmerkung", "Comment")
    }

    pub fn submitted(&self, on: NaiveDate, by: &str) -> String {
        match self.lang {
            Lang::De => format!("eingereicht am {} von {by}", day(self.lang, on)),
            Lang::En => format!("submitted on {} by {by}", day(self.lang, on)),
        }
    }

    pub fn submitted_on(&self, on: NaiveDate) -> String {
        match self.lang {
            Lang::De => format!("eingereicht am {}", day(self.lang, on)),
            Lang::En => format!("submitted on {}", day(self.lang, on)),
        }
    }

    pub fn light(&self, rag: Option<Rag>) -> &'static str {
        match rag {
            Some(rag) => rag.label(self.lang),
            None => self.pick("ohne Ampel", "no light"),
        }
    }

    pub fn application_status(&self, status: ApplicationStatus) -> &'static str {
        match status {
            ApplicationStatus::Submitted => self.pick("eingereicht", "submitted"),
            ApplicationStatus::InReview => self.pick("in Prüfung", "in review"),
            ApplicationStatus::Approved => self.pick("bewilligt", "approved"),
            ApplicationStatus::Rejected => self.pick("abgelehnt", "rejected"),
            ApplicationStatus::Deferred => self.pick("zurückgestellt", "deferred"),
        }
    }

    pub fn on_agenda(&self, title: &str, on: NaiveDate) -> String {
        match self.lang {
            Lang::De => format!("auf der Tagesordnung: {title}, {}", day(self.lang, on)),
            Lang::En => format!("on the agenda of {title}, {}", day(self.lang, on)),
        }
    }

    pub fn open_app(&self) -> &'static str {
        self.pick("digidash öffnen", "Open digidash")
    }

    pub fn why(&self) -> &'static str {
        self.pick(
            "Sie erhalten diese E-Mail, weil Ihre Adresse in digidash als Leitung einer Organisationseinheit oder als Adresse der zentralen IT-Steuerung eingetragen ist. Sie kommt höchstens einmal am Tag und nur, wenn etwas ansteht.",
            "You receive this e-mail because your address is entered in digidash as the lead of an org unit or as the central IT steering unit's address. It comes at most once a day, and only when something is due.",
        )
    }
}
