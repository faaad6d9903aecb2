//! The risk registers in the workbook: one sheet for the risks of projects, one for those of
//! measures, each keyed by its work and the risk's title. Only the rows the caller may see
//! (`risk`'s row rule: central IT, or the department owning the work) are written; the
//! import (central IT's) writes them through the risk service.

use std::collections::HashMap;

use entity::{measure, project, risk};
use sea_orm::{ConnectionTrait, QueryOrder};

use super::{
    column::{Col, Kind, RISK_STATUS},
    current::{Existing, known_as},
    sheet::{Sheet, SheetDef, date, description, project_ref, text},
};
use crate::{
    error::ApiResult, export::labels::Header, export::labels::Labelled, policy::FindVisible,
    viewer::Viewer,
};

/// The columns after the work's, the same on both sheets.
macro_rules! risk_columns {
    ($work:expr) => {
        &[
            $work,
            text("Risiko", "Risk", "title").required().width(40.0),
            Col::new(
                "Wahrscheinlichkeit (1-5)",
                "Probability (1-5)",
                "probability",
                Kind::Int,
            )
            .required()
            .width(12.0),
            Col::new("Auswirkung (1-5)", "Impact (1-5)", "impact", Kind::Int)
                .required()
                .width(12.0),
            text("Verantwortlich", "Owner", "owner").width(24.0),
            text("Gegenmaßnahmen", "Mitigation", "mitigation").width(40.0),
            Col::new("Status", "Status", "status", Kind::Enum(RISK_STATUS)).default("OPEN"),
            date("Überprüfung am", "Review date", "reviewDate"),
            description(),
        ]
    };
}

pub static PROJECT_RISKS: SheetDef = SheetDef {
    name: Header::new("Projektrisiken", "Project risks"),
    columns: risk_columns!(project_ref()),
    key: &[0, 1],
    fallback: None,
    parent: None,
};

pub static MEASURE_RISKS: SheetDef = SheetDef {
    name: Header::new("Maßnahmenrisiken", "Measure risks"),
    columns: risk_columns!(
        Col::new(
            "Maßnahme-Nr.",
            "Measure no.",
            "measure",
            Kind::Ref(Sheet::Measures, &[]),
        )
        .required()
    ),
    key: &[0, 1],
    fallback: None,
    parent: None,
};

/// The risks the viewer may see, on the sheet of their work, in the columns above.
pub async fn load<C: ConnectionTrait>(
    db: &C,
    viewer: &Viewer,
    projects: &[project::Model],
    measures: &[measure::Model],
) -> ApiResult<[(Sheet, Vec<Existing>); 2]> {
    let risks = risk::Entity::find_visible_to(viewer)
        .order_by_asc(risk::Column::Title)
        .order_by_asc(risk::Column::Id)
        .all(db)
        .await?;
    let project_name: HashMap<i32, String> = projects
        .iter()
        .map(|p| (p.id, known_as(p.code.as_ref(), &p.title)))
        .collect();
    let measure_number: HashMap<i32, String> = measures
        .iter()
        .map(|m| (m.id, m.number.trim().to_owned()))
        .collect();
    let mut on_projects = Vec::new();
    let mut on_measures = Vec::new();
    for r in &risks {
        // Work the viewer cannot see (an archived project, for a department) has no row.
        let (rows, work) = match (r.project_id, r.measure_id) {
            (Some(p), _) => (&mut on_projects, project_name.get(&p)),
            (None, Some(m)) => (&mut on_measures, measure_number.get(&m)),
            (None, None) => continue,
        };
        let Some(work) = work else { continue };
        let text = |v: Option<&String>| v.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
        rows.push(Existing {
            id: r.id,
            version: r.version,
            archived: false,
            values: vec![
                Some(work.clone()),
                text(Some(&r.title)),
                Some(r.probability.to_string()),
                Some(r.impact.to_string()),
                text(r.owner_name.as_ref()),
                text(r.mitigation.as_ref()),
                Some(r.status.api_name().to_owned()),
                r.review_on.map(|d| d.to_string()),
                text(r.description.as_ref()),
            ],
        });
    }
    Ok([
        (Sheet::ProjectRisks, on_projects),
        (Sheet::MeasureRisks, on_measures),
    ])
}
