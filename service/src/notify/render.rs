//! A digest as an e-mail: subject, plain text and HTML, in the tenant's language, each line
//! with a link into the app (`APP_URL`). Both bodies are written from one list of sections,
//! so they say the same; every text from the database is escaped in the HTML.

use super::{
    digest::{Digest, Target},
    words::Words,
};
use crate::calendar::Work;

/// How lines link into the app: its address (`APP_URL`) and how a row's id reads in its
/// paths (the API's global id, which the app hands to `node(id:)`).
pub struct Links<'a> {
    /// The app's address; `None`: the digest has no links.
    pub base: Option<&'a str>,
    /// The id of row `id` of GraphQL type `kind` as the app's paths carry it.
    pub id: &'a dyn Fn(&str, i32) -> String,
}

impl Links<'_> {
    /// `APP_URL/measures/<id>`, `/projects/<id>`, `/sub-projects/<id>`, `/applications/<id>`.
    pub fn to(&self, target: Target) -> Option<String> {
        let base = self.base?.trim_end_matches('/');
        let (path, kind, id) = match target {
            Target::Work(Work::Measure, id) => ("measures", "Measure", id),
            Target::Work(Work::Project, id) => ("projects", "Project", id),
            Target::Work(Work::SubProject, id) => ("sub-projects", "SubProject", id),
            Target::Application(id) => ("applications", "Application", id),
        };
        Some(format!("{base}/{path}/{}", (self.id)(kind, id)))
    }

    fn home(&self) -> Option<String> {
        self.base
            .map(|base| format!("{}/", base.trim_end_matches('/')))
    }
}

/// A digest ready to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mail {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// The longest rule under a heading of the plain text: a line a mail client shows unbroken.
const RULE_MAX: usize = 72;

/// One entry: what is due, details, and where it leads.
struct Line {
    text: String,
    details: Vec<String>,
    link: Option<String>,
}

struct Section {
    heading: String,
    lines: Vec<Line>,
}

/// The e-mail of `digest`.
pub fn render(digest: &Digest, links: &Links<'_>) -> Mail {
    let words = Words::of(digest.lang);
    let sections = sections(digest, &words, links);
    Mail {
        subject: words.subject(&digest.tenant_name, digest.day),
        text: text(digest, &words, &sections, links),
        html: html(digest, &words, &sections, links),
    }
}

fn sections(digest: &Digest, words: &Words, links: &Links<'_>) -> Vec<Section> {
    let today = digest.day;
    let work = |work: Work, title: &str| format!("{} {title}", words.work(work));
    let mut sections = vec![
        Section {
            heading: words.reports_due().into(),
            lines: digest
                .reports_due
                .iter()
                .map(|due| Line {
                    text: work(due.work, &due.title),
                    details: [
                        due.parent.as_ref().map(|p| work(Work::Project, p)),
                        Some(words.due(due.due, today)),
                        Some(words.last_report(due.last_report)),
                    ]
                    .into_iter()
                    .flatten()
                    .collect(),
                    link: links.to(Target::Work(due.work, due.id)),
                })
                .collect(),
        },
        Section {
            heading: words.milestones().into(),
            lines: digest
                .milestones
                .iter()
                .map(|milestone| Line {
                    text: milestone.title.clone(),
                    details: [
                        Some(work(Work::Project, &milestone.project)),
                        milestone
                            .sub_project
                            .as_ref()
                            .map(|s| work(Work::SubProject, s)),
                        Some(words.due(milestone.due, today)),
                    ]
                    .into_iter()
                    .flatten()
                    .collect(),
                    link: links.to(milestone.target),
                })
                .collect(),
        },
        Section {
            heading: words.returned().into(),
            lines: digest
                .returned
                .iter()
                .map(|returned| Line {
                    text: work(returned.work, &returned.title),
                    details: [
                        Some(format!(
                            "{}, {}",
                            words.report_of(returned.reported_on),
                            words.returned_on(returned.returned_on)
                        )),
                        returned
                            .comment
                            .as_ref()
                            .map(|c| format!("{}: {c}", words.comment())),
                    ]
                    .into_iter()
                    .flatten()
                    .collect(),
                    link: links.to(Target::Work(returned.work, returned.work_id)),
                })
                .collect(),
        },
        Section {
            heading: words.pending().into(),
            lines: digest
                .pending
                .iter()
                .map(|pending| Line {
                    text: work(pending.work, &pending.title),
                    details: vec![
                        format!(
                            "{}, {}",
                            words.report_of(pending.reported_on),
                            words.light(Some(pending.rag))
                        ),
                        words.submitted(pending.submitted_on, &pending.author),
                    ],
                    link: links.to(Target::Work(pending.work, pending.work_id)),
                })
                .collect(),
        },
        Section {
            heading: words.applications(
                digest
                    .next_meeting
                    .as_ref()
                    .map(|m| (m.title.as_str(), m.held_on)),
            ),
            lines: digest
                .applications
                .iter()
                .map(|app| Line {
                    text: app.title.clone(),
                    details: [
                        Some(format!(
                            "{}, {}",
                            app.unit,
                            words.submitted_on(app.submitted_on)
                        )),
                        Some(words.application_status(app.status).to_owned()),
                        app.meeting
                            .as_ref()
                            .map(|m| words.on_agenda(&m.title, m.held_on)),
                    ]
                    .into_iter()
                    .flatten()
                    .collect(),
                    link: links.to(Target::Application(app.id)),
                })
                .collect(),
        },
        Section {
            heading: words.light_changes().into(),
            lines: digest
                .light_changes
                .iter()
                .map(|change| Line {
                    text: work(change.work, &change.title),
                    details: vec![format!(
                        "{} → {} ({})",
                        words.light(change.from),
                        words.light(Some(change.to)),
                        words.report_of(change.reported_on)
                    )],
                    link: links.to(Target::Work(change.work, change.work_id)),
                })
                .collect(),
        },
    ];
    sections.retain(|section| !section.lines.is_empty());
    sections
}

fn text(digest: &Digest, words: &Words, sections: &[Section], links: &Links<'_>) -> String {
    let mut out = format!(
        "{}\n\n{}\n",
        words.greeting(digest.name.as_deref()),
        words.intro(&digest.tenant_name, &digest.units)
    );
    for section in sections {
        let heading = format!("{} ({})", section.heading, section.lines.len());
        let rule = "=".repeat(heading.chars().count().min(RULE_MAX));
        out.push_str(&format!("\n{heading}\n{rule}\n"));
        for line in &section.lines {
            out.push_str(&format!("\n- {}\n", line.text));
            for detail in &line.details {
                out.push_str(&format!("  {detail}\n"));
            }
            if let Some(link) = &line.link {
                out.push_str(&format!("  {link}\n"));
            }
        }
    }
    if let Some(home) = links.home() {
        out.push_str(&format!("\n{}: {home}\n", words.open_app()));
    }
    out.push_str(&format!("\n-- \n{}\n", words.why()));
    out
}

fn html(digest: &Digest, words: &Words, sections: &[Section], links: &Links<'_>) -> String {
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head><meta charset=\"utf-8\"><title>{}</title></head>\n<body style=\"font-family: sans-serif; line-height: 1.4\">\n<p>{}</p>\n<p>{}</p>\n",
        digest.lang.code(),
        escape(&words.subject(&digest.tenant_name, digest.day)),
        escape(&words.greeting(digest.name.as_deref())),
        escape(&words.intro(&digest.tenant_name, &digest.units)),
    );
    for section in sections {
        out.push_str(&format!(
            "<h2 style=\"font-size: 1.1em\">{} ({})</h2>\n<ul>\n",
            escape(&section.heading),
            section.lines.len()
        ));
        for line in &section.lines {
            let title = match &line.link {
                Some(link) => format!("<a href=\"{}\">{}</a>", escape(link), escape(&line.text)),
                None => escape(&line.text),
            };
            out.push_str(&format!("<li><strong>{title}</strong>"));
            for detail in &line.details {
                out.push_str(&format!("<br>{}", escape(detail)));
            }
            out.push_str("</li>\n");
        }
        out.push_str("</ul>\n");
    }
    if let Some(home) = links.home() {
        out.push_str(&format!(
            "<p><a href=\"{}\">{}</a></p>\n",
            escape(&home),
            escape(words.open_app())
        ));
    }
    out.push_str(&format!(
        "<hr>\n<p style=\"color: #555; font-size: 0.9em\">{}</p>\n</body>\n</html>\n",
        escape(words.why())
    ));
    out
}

/// Text as HTML: the five characters that can open markup or end an attribute, escaped.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use entity::enums::Rag;

    use super::*;
    use crate::{
        export::labels::Lang,
        notify::{
            central::LightChange,
            digest::{MilestoneDue, ReportDue},
        },
    };

    fn date(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, d).expect("a date")
    }

    fn digest(lang: Lang) -> Digest {
        Digest {
            tenant_name: "Stadt Aachen".into(),
            lang,
            day: date(3),
            address: "anna@aachen.de".into(),
            name: Some("Anna \"Ann\" <Schmidt>".into()),
            units: vec!["FB 36 Klima und Umwelt".into()],
            reports_due: vec![ReportDue {
                work: Work::SubProject,
                id: 9,
                title: "TP-2 Posteingang".into(),
                parent: Some("P-7 E-Akte".into()),
                due: date(1),
                last_report: None,
            }],
            milestones: vec![MilestoneDue {
                title: "M_50 <script>alert(1)</script> & Go-live".into(),
                due: date(10),
                project: "P-7 E-Akte".into(),
                sub_project: None,
                target: Target::Work(Work::Project, 7),
            }],
            returned: Vec::new(),
            pending: Vec::new(),
            next_meeting: None,
            applications: Vec::new(),
            light_changes: vec![LightChange {
                work: Work::Project,
                work_id: 7,
                title: "P-7 E-Akte".into(),
                from: Some(Rag::Green),
                to: Rag::Red,
                reported_on: date(2),
            }],
        }
    }

    fn links() -> Links<'static> {
        Links {
            base: Some("https://app.example/"),
            id: &|kind, id| format!("{kind}-{id}"),
        }
    }

    #[test]
    fn text_and_html_say_the_same_and_html_escapes_every_text() {
        let mail = render(&digest(Lang::De), &links());
        assert_eq!(
            mail.subject,
            "digidash: Ihre Übersicht vom 03.12.2026 – Stadt Aachen"
        );
        for needle in [
            "Teilprojekt TP-2 Posteingang",
            "überfällig seit 01.12.2026",
            "noch kein Statusbericht",
            "https://app.example/sub-projects/SubProject-9",
            "M_50 <script>alert(1)</script> & Go-live",
            "fällig am 10.12.2026",
            "grün → rot (Bericht vom 02.12.2026)",
        ] {
            assert!(
                mail.text.contains(needle),
                "{needle} missing in\n{}",
                mail.text
            );
        }
        assert!(
            !mail.text.contains("Zurückgegebene"),
            "empty sections are left out"
        );
        assert!(
            mail.html
                .contains("M_50 &lt;script&gt;alert(1)&lt;/script&gt; &amp; Go-live")
        );
        assert!(
            mail.html
                .contains("Guten Tag Anna &quot;Ann&quot; &lt;Schmidt&gt;,")
        );
        assert!(!mail.html.contains("<script>"));
        assert!(
            mail.html
                .contains("<a href=\"https://app.example/projects/Project-7\">")
        );
        assert!(mail.html.starts_with("<!DOCTYPE html>\n<html lang=\"de\">"));
    }

    #[test]
    fn a_tenant_that_speaks_english_gets_english() {
        let mail = render(&digest(Lang::En), &links());
        assert_eq!(
            mail.subject,
            "digidash: your digest of 2026-12-03 – Stadt Aachen"
        );
        assert!(
            mail.text.contains("overdue since 2026-12-01"),
            "{}",
            mail.text
        );
        assert!(mail.text.contains("green → red"), "{}", mail.text);
    }

    #[test]
    fn without_an_app_address_there_are_no_links() {
        let mail = render(
            &digest(Lang::De),
            &Links {
                base: None,
                id: &|kind, id| format!("{kind}-{id}"),
            },
        );
        assert!(!mail.text.contains("https://"));
        assert!(!mail.html.contains("href"));
        assert_eq!(digest(Lang::De).items(), 3);
    }
}
