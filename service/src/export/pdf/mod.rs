//! The council report as a printable PDF (A4) that a council office can attach to a
//! Ratsvorlage: a title page with tenant, period and the overview of all goals, then a table
//! per goal with traffic lights drawn as coloured circles, the traffic lights that changed,
//! and "Seite x von y" on every page.
//!
//! Written with `pdf-writer` and the standard fonts Helvetica and Helvetica-Bold (`fonts`).
//! The pages are laid out first (`layout`, `table`, `council`) and written once their
//! number is known (`document`).

mod chart;
mod council;
mod document;
mod figures;
mod fonts;
mod layout;
mod table;

use layout::Layout;

use super::{council::title, labels::Lang};
use crate::report::model::CouncilReport;

/// The content type of PDF files.
pub const CONTENT_TYPE: &str = "application/pdf";

/// Renders the council report as a PDF.
pub fn render(report: &CouncilReport, lang: Lang) -> Vec<u8> {
    let mut layout = Layout::new();
    council::title_page(&mut layout, report, lang);
    if !report.goals.is_empty() {
        layout.new_page();
    }
    for goal in &report.goals {
        council::goal_section(&mut layout, goal, lang);
    }
    let footer = format!(
        "digidash · {} · {} {}",
        report.tenant_name,
        lang.pick("Ratsbericht", "Council report"),
        report.period
    );
    document::write(layout.pages, &footer, lang, &pdf_title(report, lang))
}

/// The title in the document's properties.
fn pdf_title(report: &CouncilReport, lang: Lang) -> String {
    format!(
        "{} – {} {}",
        title(report, lang),
        report.tenant_name,
        report.period
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::council::sample;

    /// The text of every page, as a PDF reader extracts it.
    fn pages_text(bytes: &[u8]) -> Vec<String> {
        let document = lopdf::Document::load_mem(bytes).unwrap();
        let count = document.get_pages().len();
        (1..=u32::try_from(count).unwrap())
            .map(|page| document.extract_text(&[page]).unwrap())
            .collect()
    }

    #[test]
    fn title_page_goal_tables_and_page_numbers_read_back() {
        let report = sample::report(3, 25);
        let bytes = render(&report, Lang::De);
        assert!(bytes.starts_with(b"%PDF-"));
        let pages = pages_text(&bytes);
        assert!(pages.len() >= 4, "{} pages", pages.len());
        let total = pages.len();
        for (i, text) in pages.iter().enumerate() {
            assert!(
                text.contains(&format!("Seite {} von {total}", i + 1)),
                "{text}"
            );
        }
        assert!(pages[0].contains("Stadt Aachen"), "{}", pages[0]);
        assert!(
            pages[0].contains("Berichtszeitraum 2026-Q3"),
            "{}",
            pages[0]
        );
        assert!(pages[0].contains("Überblick"), "{}", pages[0]);
        let all = pages.join("\n");
        for goal in &report.goals {
            assert!(
                all.contains(&format!("{} {}", goal.code, goal.title)),
                "{}",
                goal.code
            );
            for measure in &goal.measures {
                assert!(all.contains(&measure.number), "{}", measure.number);
            }
        }
        assert!(all.contains("150.000,00 €"), "{all}");
        assert!(all.contains("Maßnahme"));
        assert!(all.contains("Lieferverzug beim Dienstleister."));
    }

    #[test]
    fn english_report_speaks_english() {
        let bytes = render(&sample::report(1, 2), Lang::En);
        let text = pages_text(&bytes).join("\n");
        assert!(text.contains("Page 1 of"), "{text}");
        assert!(text.contains("Report to the council"), "{text}");
        assert!(text.contains("€150,000.00"), "{text}");
    }
}
