//! Participants in the workbook: one sheet of the org units taking part in projects and
//! sub-projects beside their owners, keyed by the work and the unit. Written with the rows
//! the caller may see (participations are visible with their work); the import (central
//! IT's) writes them through the participant service.

use std::collections::HashMap;

use entity::{org_unit, participant, project, sub_project};
use sea_orm::{ConnectionTrait, QueryOrder};

use super::{
    column::{Col, Kind, PARTICIPANT_ROLE},
    current::{Existing, known_as, yes},
    sheet::{Sheet, SheetDef, project_ref},
};
use crate::{
    error::ApiResult, export::labels::Header, export::labels::Labelled, policy::FindVisible,
    viewer::Viewer,
};

pub static PARTICIPANTS: SheetDef = SheetDef {
    name: Header::new("Beteiligte", "Participants"),
    columns: &[
        project_ref(),
        // Empty: the unit takes part in the project itself.
        Col::new(
            "Teilprojekt",
            "Sub-project",
            "subProject",
            Kind::Ref(Sheet::SubProjects, &[0]),
        )
        .width(14.0),
        Col::new(
            "Organisationseinheit",
            "Org unit",
            "orgUnit",
            Kind::Ref(Sheet::OrgUnits, &[]),
        )
        .required(),
        Col::new("Rolle", "Role", "role", Kind::Enum(PARTICIPANT_ROLE))
            .required()
            .width(14.0),
        Col::new(
            "Budgets freigegeben",
            "Budgets granted",
            "financialsGranted",
            Kind::Bool,
        )
        .default("false"),
    ],
    key: &[0, 1, 2],
    fallback: None,
    parent: None,
};

/// The participations the viewer may see, in the columns above.
pub async fn load<C: ConnectionTrait>(
    db: &C,
    viewer: &Viewer,
    projects: &[project::Model],
    subs: &[sub_project::Model],
    units: &[org_unit::Model],
) -> ApiResult<(Sheet, Vec<Existing>)> {
    let rows = participant::Entity::find_visible_to(viewer)
        .order_by_asc(participant::Column::Id)
        .all(db)
        .await?;
    let project_name: HashMap<i32, String> = projects
        .iter()
        .map(|p| (p.id, known_as(p.code.as_ref(), &p.title)))
        .collect();
    let sub: HashMap<i32, (i32, String)> = subs
        .iter()
        .map(|s| (s.id, (s.project_id, known_as(s.code.as_ref(), &s.title))))
        .collect();
    let unit: HashMap<i32, String> = units.iter().map(|u| (u.id, u.code.clone())).collect();
    let mut existing = Vec::new();
    for p in &rows {
        // Work or units the viewer's workbook does not hold (archived) have no row.
        let (project, sub_project) = match (p.project_id, p.sub_project_id) {
            (Some(project), _) => (project_name.get(&project).cloned(), None),
            (None, Some(s)) => match sub.get(&s) {
                Some((project, name)) => (project_name.get(project).cloned(), Some(name.clone())),
                None => continue,
            },
            (None, None) => continue,
        };
        let (Some(project), Some(unit)) = (project, unit.get(&p.org_unit_id)) else {
            continue;
        };
        existing.push(Existing {
            id: p.id,
            version: p.version,
            archived: false,
            values: vec![
                Some(project),
                sub_project,
                Some(unit.clone()),
                Some(p.role.api_name().to_owned()),
                yes(p.financials_granted),
            ],
        });
    }
    Ok((Sheet::Participants, existing))
}
