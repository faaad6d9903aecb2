//! The council report as a file: which report (`period`, `from`/`to` or a published
//! `report`) and its rendering as CSV, XLSX or PDF.

use axum::{body::Body, response::Response};
use chrono::NaiveDate;
use sea_orm::DatabaseConnection;

use super::{
    ExportParams,
    file::{CSV_CONTENT_TYPE, Format, file_response},
};
use crate::{
    auth::Viewer,
    error::{ApiError, ApiResult},
};
use service::{
    export::{
        council::{self, CouncilReportQuery},
        csv,
        labels::Lang,
        pdf, xlsx,
    },
    report::{model::CouncilReport, period::Period},
};

/// An ISO date parameter.
fn day(text: Option<&str>, field: &str) -> ApiResult<Option<NaiveDate>> {
    text.map(|t| {
        NaiveDate::parse_from_str(t.trim(), "%Y-%m-%d")
            .map_err(|_| ApiError::bad_input(field, "expected a date such as 2026-09-30"))
    })
    .transpose()
}

/// Which report the parameters ask for: a published one, or the live report of a period.
pub(super) fn council_query(params: &ExportParams) -> ApiResult<CouncilReportQuery> {
    if let Some(id) = params.report.as_deref() {
        if params.period.is_some() || params.from.is_some() || params.to.is_some() {
            return Err(ApiError::bad_input(
                "report",
                "give either a published report or a period, not both",
            ));
        }
        let id = crate::graphql::id::decode(
            &async_graphql::ID(id.to_owned()),
            "CouncilReport",
            "report",
        )?;
        return Ok(CouncilReportQuery::Published(id));
    }
    let from = day(params.from.as_deref(), "from")?;
    let to = day(params.to.as_deref(), "to")?;
    Ok(CouncilReportQuery::Live(Period::from_arguments(
        params.period.as_deref(),
        from,
        to,
    )?))
}

/// The report to render: the live report of the period for the caller, or the published
/// report (`NOT_FOUND` for an unknown or invisible id).
pub(super) async fn council_report_for_export(
    db: &DatabaseConnection,
    viewer: &Viewer,
    query: &CouncilReportQuery,
) -> ApiResult<CouncilReport> {
    match query {
        CouncilReportQuery::Live(period) => {
            service::report::council::live(db, viewer, period, None).await
        }
        CouncilReportQuery::Published(id) => {
            service::report::council::published_one(db, viewer, *id).await
        }
    }
}

/// The answer for a council report in `format`.
pub(super) fn render_council_report(
    report: &CouncilReport,
    format: Format,
    lang: Lang,
) -> ApiResult<Response> {
    let file = format!(
        "digidash-{}-{}-{}.{}",
        report.tenant_key,
        lang.pick("ratsbericht", "council-report"),
        council::file_period(report),
        format.extension()
    );
    Ok(match format {
        Format::Csv => {
            let bytes = csv::render(&council::sheets(report, lang), lang)?;
            file_response(CSV_CONTENT_TYPE, &file, Body::from(bytes))
        }
        Format::Xlsx => {
            let bytes = xlsx::render(&council::sheets(report, lang), lang)?;
            file_response(xlsx::CONTENT_TYPE, &file, Body::from(bytes))
        }
        Format::Pdf => file_response(
            pdf::CONTENT_TYPE,
            &file,
            Body::from(pdf::render(report, lang)),
        ),
    })
}

#[cfg(test)]
mod tests {
    use axum::http::header;

    use chrono::{NaiveDate, Utc};
    use service::report::model::{CouncilReportTotals, ReportBudget};

    use super::{super::params, *};

    /// A report of Aachen's third quarter without goals: the files are what is tested here,
    /// their content in `service::export`.
    fn report() -> CouncilReport {
        let day = |m, d| NaiveDate::from_ymd_opt(2026, m, d).unwrap();
        CouncilReport {
            id: None,
            published_at: None,
            published_by: None,
            tenant_key: "aachen".into(),
            tenant_name: "Stadt Aachen".into(),
            title: None,
            issuer: None,
            period: "2026-Q3".into(),
            from: day(7, 1),
            to: day(9, 30),
            as_of: day(9, 30),
            generated_at: Utc::now(),
            goals: Vec::new(),
            totals: CouncilReportTotals {
                goals: 0,
                measures: 0,
                measures_completed: 0,
                milestones_achieved: 0,
                milestones_missed: 0,
                budget: ReportBudget::default(),
            },
        }
    }

    async fn body(response: Response) -> Vec<u8> {
        axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap()
            .to_vec()
    }

    #[tokio::test]
    async fn council_report_files_have_names_types_and_content() {
        let report = report();
        let response = render_council_report(&report, Format::Pdf, Lang::De).unwrap();
        assert_eq!(response.headers()[header::CONTENT_TYPE], "application/pdf");
        assert_eq!(
            response.headers()[header::CONTENT_DISPOSITION],
            "attachment; filename=\"digidash-aachen-ratsbericht-2026-Q3.pdf\"; filename*=UTF-8''digidash-aachen-ratsbericht-2026-Q3.pdf"
        );
        assert!(body(response).await.starts_with(b"%PDF-"));

        let response = render_council_report(&report, Format::Xlsx, Lang::En).unwrap();
        assert_eq!(response.headers()[header::CONTENT_TYPE], xlsx::CONTENT_TYPE);
        assert!(
            response.headers()[header::CONTENT_DISPOSITION]
                .to_str()
                .unwrap()
                .contains("digidash-aachen-council-report-2026-Q3.xlsx")
        );
        let response = render_council_report(&report, Format::Csv, Lang::De).unwrap();
        assert_eq!(response.headers()[header::CONTENT_TYPE], CSV_CONTENT_TYPE);
        assert!(body(response).await.starts_with(csv::BOM));
    }

    #[test]
    fn council_queries_take_a_period_a_range_or_a_report() {
        let params = |q: &str| params(Some(q)).unwrap();
        assert!(matches!(
            council_query(&params("period=2026-Q3")).unwrap(),
            CouncilReportQuery::Live(p) if p.label == "2026-Q3"
        ));
        assert!(matches!(
            council_query(&params("from=2026-07-01&to=2026-08-15")).unwrap(),
            CouncilReportQuery::Live(p) if p.label == "2026-07-01..2026-08-15"
        ));
        assert_eq!(
            council_query(&params("report=Q291bmNpbFJlcG9ydDox")).unwrap(),
            CouncilReportQuery::Published(1)
        );
        for bad in [
            "",
            "period=2026-Q9",
            "report=x&period=2026",
            "from=2026-07-01",
            "from=1.7.2026&to=2026-08-01",
        ] {
            assert_eq!(
                council_query(&params(bad)).unwrap_err().code(),
                "BAD_USER_INPUT",
                "{bad}"
            );
        }
    }
}
