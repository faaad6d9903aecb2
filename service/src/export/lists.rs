//! The rows of `/exports/measures` and `/exports/projects`: exactly what the `measures` and
//! `projects` lists give the same caller with the same filter and order, read page by page.
//!
//! Rows come from the policy's scoped selects; related rows (goals, org units, measures,
//! budget lines) from scoped selects too, so a goal or measure the caller may not see never
//! shows up; restricted fields are blank where the policy nulls them in GraphQL.

use std::collections::{BTreeMap, HashMap};

use entity::{budget_line, goal, measure, measure_goal, org_unit, project};
use sea_orm::{ColumnTrait, DatabaseConnection, QueryFilter, QuerySelect, Select};

use super::{
    labels::{Labelled, Lang},
    table::{Cell, Column},
};
use crate::{
    error::ApiResult,
    policy::{self, FindVisible},
    report::budget::BudgetSum,
    viewer::Viewer,
};

/// Rows read per statement: memory stays bounded whatever the size of the tenant.
pub const PAGE_SIZE: u64 = 500;

/// The columns of the measures export, in order. The import reads the same headers.
pub const MEASURE_COLUMNS: [Column; 12] = [
    Column::new("Nr.", "No.", 10.0),
    Column::new("Maßnahme", "Measure", 48.0),
    Column::new("Art", "Kind", 16.0),
    Column::new("Priorität", "Priority", 10.0),
    Column::new("Status", "Status", 15.0),
    Column::new("Ampel", "Traffic light", 8.0),
    Column::new("Fortschritt", "Progress", 11.0),
    Column::new("Organisationseinheit", "Org unit", 18.0),
    Column::new("Ziele", "Goals", 20.0),
    Column::new("Beginn", "Start", 12.0),
    Column::new("Fällig", "Due", 12.0),
    Column::new("Sichtbarkeit", "Visibility", 12.0),
];

/// The columns of the projects export, in order.
pub const PROJECT_COLUMNS: [Column; 15] = [
    Column::new("Kennung", "Code", 12.0),
    Column::new("Projekt", "Project", 48.0),
    Column::new("Maßnahme-Nr.", "Measure no.", 12.0),
    Column::new("Organisationseinheit", "Org unit", 18.0),
    Column::new("Status", "Status", 15.0),
    Column::new("Ampel", "Traffic light", 8.0),
    Column::new("Fortschritt", "Progress", 11.0),
    Column::new("Beginn", "Start", 12.0),
    Column::new("Ende", "End", 12.0),
    Column::new("Budget geplant", "Budget planned", 16.0),
    Column::new("Budget genehmigt", "Budget approved", 16.0),
    Column::new("Budget ausgegeben", "Budget spent", 16.0),
    Column::new("Ansprechperson", "Contact", 22.0),
    Column::new("Sichtbarkeit", "Visibility", 12.0),
    Column::new("Übertragbar", "Transferable", 12.0),
];

/// What a list export reads: the caller's filtered and ordered select.
pub enum ListExport {
    Measures(Select<measure::Entity>),
    Projects(Select<project::Entity>),
}

impl ListExport {
    /// Name of the worksheet.
    pub fn sheet_name(&self, lang: Lang) -> &'static str {
        match self {
            Self::Measures(_) => lang.pick("Maßnahmen", "Measures"),
            Self::Projects(_) => lang.pick("Projekte", "Projects"),
        }
    }

    /// The word for the file name.
    pub fn file_word(&self, lang: Lang) -> &'static str {
        match self {
            Self::Measures(_) => lang.pick("massnahmen", "measures"),
            Self::Projects(_) => lang.pick("projekte", "projects"),
        }
    }

    pub fn columns(&self) -> &'static [Column] {
        match self {
            Self::Measures(_) => &MEASURE_COLUMNS,
            Self::Projects(_) => &PROJECT_COLUMNS,
        }
    }

    /// Page `page` (from 0) of the rows; fewer than [`PAGE_SIZE`] rows means the last page.
    pub async fn page(
        &self,
        db: &DatabaseConnection,
        viewer: &Viewer,
        page: u64,
        lang: Lang,
    ) -> ApiResult<Vec<Vec<Cell>>> {
        match self {
            Self::Measures(select) => {
                let rows = select
                    .clone()
                    .offset(page * PAGE_SIZE)
                    .limit(PAGE_SIZE)
                    .all(db)
                    .await?;
                measure_rows(db, viewer, rows, lang).await
            }
            Self::Projects(select) => {
                let rows = select
                    .clone()
                    .offset(page * PAGE_SIZE)
                    .limit(PAGE_SIZE)
                    .all(db)
                    .await?;
                project_rows(db, viewer, rows, lang).await
            }
        }
    }
}

/// Codes of the org units with these ids.
async fn unit_codes(
    db: &DatabaseConnection,
    viewer: &Viewer,
    ids: impl IntoIterator<Item = i32>,
) -> ApiResult<HashMap<i32, String>> {
    let ids: Vec<i32> = ids.into_iter().collect();
    Ok(org_unit::Entity::find_visible_to(viewer)
        .filter(org_unit::Column::Id.is_in(ids))
        .all(db)
        .await?
        .into_iter()
        .map(|unit| (unit.id, unit.code))
        .collect())
}

/// Codes of the goals each measure is derived from (goals the viewer may see, by code).
pub async fn goal_codes(
    db: &DatabaseConnection,
    viewer: &Viewer,
    measures: &[i32],
) -> ApiResult<HashMap<i32, Vec<String>>> {
    let links = measure_goal::Entity::find_visible_to(viewer)
        .filter(measure_goal::Column::MeasureId.is_in(measures.iter().copied()))
        .all(db)
        .await?;
    let goals: HashMap<i32, String> = goal::Entity::find_visible_to(viewer)
        .filter(goal::Column::Id.is_in(links.iter().map(|link| link.goal_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|goal| (goal.id, goal.code))
        .collect();
    let mut codes: HashMap<i32, Vec<String>> = HashMap::new();
    for link in links {
        if let Some(code) = goals.get(&link.goal_id) {
            codes.entry(link.measure_id).or_default().push(code.clone());
        }
    }
    for list in codes.values_mut() {
        list.sort();
    }
    Ok(codes)
}

/// How a list of goal codes is written into one cell.
pub fn join_codes(codes: &[String]) -> String {
    codes.join(", ")
}

async fn measure_rows(
    db: &DatabaseConnection,
    viewer: &Viewer,
    rows: Vec<measure::Model>,
    lang: Lang,
) -> ApiResult<Vec<Vec<Cell>>> {
    let ids: Vec<i32> = rows.iter().map(|m| m.id).collect();
    let units = unit_codes(db, viewer, rows.iter().map(|m| m.org_unit_id)).await?;
    let goals = goal_codes(db, viewer, &ids).await?;
    Ok(rows
        .into_iter()
        .map(|m| {
            vec![
                Cell::Text(m.number),
                Cell::Text(m.title),
                Cell::Text(m.kind.label(lang).into()),
                Cell::Text(m.priority.label(lang).into()),
                Cell::Text(m.status.label(lang).into()),
                Cell::Text(m.rag.label(lang).into()),
                Cell::Percent(m.progress),
                Cell::text(units.get(&m.org_unit_id).cloned()),
                Cell::Text(join_codes(goals.get(&m.id).map_or(&[][..], Vec::as_slice))),
                Cell::date(m.start_date),
                Cell::date(m.due_date),
                Cell::Text(m.visibility.label(lang).into()),
            ]
        })
        .collect())
}

async fn project_rows(
    db: &DatabaseConnection,
    viewer: &Viewer,
    rows: Vec<project::Model>,
    lang: Lang,
) -> ApiResult<Vec<Vec<Cell>>> {
    let units = unit_codes(db, viewer, rows.iter().map(|p| p.org_unit_id)).await?;
    let measures: HashMap<i32, String> = measure::Entity::find_visible_to(viewer)
        .filter(measure::Column::Id.is_in(rows.iter().filter_map(|p| p.measure_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|m| (m.id, m.number))
        .collect();
    let financial: Vec<i32> = rows
        .iter()
        .filter(|p| policy::can_see_financials(viewer, *p))
        .map(|p| p.id)
        .collect();
    let mut lines: BTreeMap<i32, Vec<budget_line::Model>> = BTreeMap::new();
    if !financial.is_empty() {
        for line in budget_line::Entity::find_visible_to(viewer)
            .filter(budget_line::Column::ProjectId.is_in(financial.iter().copied()))
            .all(db)
            .await?
        {
            lines.entry(line.project_id).or_default().push(line);
        }
    }
    Ok(rows
        .into_iter()
        .map(|p| {
            let budget = financial
                .contains(&p.id)
                .then(|| BudgetSum::of(lines.get(&p.id).map_or(&[][..], Vec::as_slice)));
            let contact = if policy::can_see_contact(viewer, &p) {
                p.contact_name.clone()
            } else {
                None
            };
            vec![
                Cell::text(p.code),
                Cell::Text(p.title),
                Cell::text(p.measure_id.and_then(|id| measures.get(&id).cloned())),
                Cell::text(units.get(&p.org_unit_id).cloned()),
                Cell::Text(p.status.label(lang).into()),
                Cell::Text(p.rag.label(lang).into()),
                Cell::Percent(p.progress),
                Cell::date(p.start_date),
                Cell::date(p.end_date),
                Cell::money(budget.as_ref().map(|b| b.planned)),
                Cell::money(budget.as_ref().map(|b| b.approved)),
                Cell::money(budget.as_ref().map(|b| b.spent)),
                Cell::text(contact),
                Cell::Text(p.visibility.label(lang).into()),
                Cell::Text(
                    lang.pick(
                        if p.transferable { "ja" } else { "nein" },
                        if p.transferable { "yes" } else { "no" },
                    )
                    .into(),
                ),
            ]
        })
        .collect())
}
