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
        self.base.map(|base| format!("{}/", base.trim_end_matches('/')))
    }
}

/// A digest ready to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mail {
    pub subject: String,
    pub text: String,
    pub html: String,
}

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
                        milestone.sub_project.as_ref().map(|s| work(Work::SubProject, s)),
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
                        Some(format!("{}, {}", app.unit, words.submitted_on(app.submitted_on))),
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
        out.push_str(&format!("\n{heading}\n{}\n", "=".repeat(heading.chars().count())));
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
