//! The tenant's portfolio as the viewer sees it, row by row in the canonical values of the
//! workbook's columns: what the export writes and what the import compares a file with.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::NaiveDate;
use entity::{
    budget_line, category, funding, goal, indicator, indicator_target, indicator_value, measure,
    measure_goal, milestone, org_unit, project, project_category, project_link, strategy,
    sub_project,
};
use rust_decimal::Decimal;
use sea_orm::{ConnectionTrait, QueryOrder};

use super::sheet::Sheet;
use crate::{
    error::ApiResult,
    export::labels::Labelled,
    policy::{self, FindVisible},
    viewer::Viewer,
};

/// A row of the tenant in the columns of its sheet.
pub struct Existing {
    pub id: i32,
    pub version: i32,
    /// Archived rows are not exported, and the import does not write to them.
    pub archived: bool,
    /// One canonical value per column of the sheet.
    pub values: Vec<Option<String>>,
}

/// The tenant's rows of every sheet.
pub struct Current {
    pub rows: BTreeMap<Sheet, Vec<Existing>>,
}

pub(super) fn text(value: &str) -> Option<String> {
    Some(value.trim().to_owned()).filter(|v| !v.is_empty())
}

pub(super) fn opt(value: Option<&String>) -> Option<String> {
    value.and_then(|v| text(v))
}

pub(super) fn day(value: Option<NaiveDate>) -> Option<String> {
    value.map(|d| d.to_string())
}

pub(super) fn num(value: Option<Decimal>) -> Option<String> {
    value.map(|v| v.normalize().to_string())
}

/// A weight in a roll-up, to the cent (SQLite keeps decimals as floating point).
fn weight(value: Decimal) -> Option<String> {
    num(Some(value.round_dp(2)))
}

fn name(value: impl Labelled) -> Option<String> {
    Some(value.api_name().to_owned())
}

fn int(value: i32) -> Option<String> {
    Some(value.to_string())
}

pub(super) fn yes(value: bool) -> Option<String> {
    Some(value.to_string())
}

/// A sorted list cell.
fn list(mut items: Vec<String>) -> Option<String> {
    items.sort_unstable();
    items.dedup();
    Some(items.join(", ")).filter(|l| !l.is_empty())
}

/// What a project or sub-project is known by: its code, else its title.
pub fn known_as(code: Option<&String>, title: &str) -> String {
    opt(code).unwrap_or_else(|| title.trim().to_owned())
}

/// A goal's code, with its strategy's title when several goals have the code.
pub fn goal_ref(code: &str, strategy: &str, ambiguous: bool) -> String {
    if ambiguous {
        format!("{} ({})", code.trim(), strategy.trim())
    } else {
        code.trim().to_owned()
    }
}

pub(super) fn row(id: i32, version: i32, archived: bool, values: Vec<Option<String>>) -> Existing {
    Existing {
        id,
        version,
        archived,
        values,
    }
}

async fn all<E, C>(db: &C, viewer: &Viewer) -> ApiResult<Vec<E::Model>>
where
    E: FindVisible,
    C: ConnectionTrait,
{
    Ok(E::find_visible_to(viewer).all(db).await?)
}

impl Current {
    /// Reads every row the viewer may see. Contact details follow the field rules.
    pub async fn load<C: ConnectionTrait>(db: &C, viewer: &Viewer) -> ApiResult<Self> {
        let units = org_unit::Entity::find_visible_to(viewer)
            .order_by_asc(org_unit::Column::Position)
            .order_by_asc(org_unit::Column::Code)
            .all(db)
            .await?;
        let categories = all::<category::Entity, _>(db, viewer).await?;
        let strategies = all::<strategy::Entity, _>(db, viewer).await?;
        let goals = goal::Entity::find_visible_to(viewer)
            .order_by_asc(goal::Column::StrategyId)
            .order_by_asc(goal::Column::Position)
            .order_by_asc(goal::Column::Code)
            .all(db)
            .await?;
        let indicators = all::<indicator::Entity, _>(db, viewer).await?;
        let values = indicator_value::Entity::find_visible_to(viewer)
            .order_by_asc(indicator_value::Column::IndicatorId)
            .order_by_asc(indicator_value::Column::MeasuredOn)
            .all(db)
            .await?;
        let targets = indicator_target::Entity::find_visible_to(viewer)
            .order_by_asc(indicator_target::Column::IndicatorId)
            .order_by_asc(indicator_target::Column::TargetDate)
            .all(db)
            .await?;
        let measures = measure::Entity::find_visible_to(viewer)
            .order_by_asc(measure::Column::Number)
            .all(db)
            .await?;
        let measure_goals = all::<measure_goal::Entity, _>(db, viewer).await?;
        let projects = project::Entity::find_visible_to(viewer)
            .order_by_asc(project::Column::Code)
            .order_by_asc(project::Column::Title)
            .all(db)
            .await?;
        let project_categories = all::<project_category::Entity, _>(db, viewer).await?;
        let links = all::<project_link::Entity, _>(db, viewer).await?;
        let subs = sub_project::Entity::find_visible_to(viewer)
            .order_by_asc(sub_project::Column::ProjectId)
            .order_by_asc(sub_project::Column::Code)
            .all(db)
            .await?;
        let milestones = milestone::Entity::find_visible_to(viewer)
            .order_by_asc(milestone::Column::ProjectId)
            .order_by_asc(milestone::Column::DueDate)
            .all(db)
            .await?;
        let budget = budget_line::Entity::find_visible_to(viewer)
            .order_by_asc(budget_line::Column::ProjectId)
            .order_by_asc(budget_line::Column::Year)
            .all(db)
            .await?;
        let funding = all::<funding::Entity, _>(db, viewer).await?;

        let unit_code: HashMap<i32, String> =
            units.iter().map(|u| (u.id, u.code.clone())).collect();
        let unit = |id: i32| unit_code.get(&id).cloned();
        let strategy_title: HashMap<i32, String> =
            strategies.iter().map(|s| (s.id, s.title.clone())).collect();
        let strategy_of = |id: i32| strategy_title.get(&id).cloned();
        let goal_by_id: HashMap<i32, &goal::Model> = goals.iter().map(|g| (g.id, g)).collect();
        let mut code_count: HashMap<String, usize> = HashMap::new();
        for g in &goals {
            *code_count.entry(g.code.trim().to_lowercase()).or_default() += 1;
        }
        let goal_name = |g: &goal::Model| {
            goal_ref(
                &g.code,
                strategy_title
                    .get(&g.strategy_id)
                    .map_or("", String::as_str),
                code_count.get(&g.code.trim().to_lowercase()).copied() > Some(1),
            )
        };
        let measure_number: HashMap<i32, String> = measures
            .iter()
            .map(|m| (m.id, m.number.trim().to_owned()))
            .collect();
        let project_by_id: HashMap<i32, &project::Model> =
            projects.iter().map(|p| (p.id, p)).collect();
        let project_name = |id: i32| {
            project_by_id
                .get(&id)
                .map(|p| known_as(p.code.as_ref(), &p.title))
        };
        let sub_name: HashMap<i32, String> = subs
            .iter()
            .map(|s| (s.id, known_as(s.code.as_ref(), &s.title)))
            .collect();
        let category_name: HashMap<i32, String> =
            categories.iter().map(|c| (c.id, c.name.clone())).collect();
        let mut goals_of: HashMap<i32, Vec<String>> = HashMap::new();
        for link in &measure_goals {
            if let Some(g) = goal_by_id.get(&link.goal_id) {
                goals_of
                    .entry(link.measure_id)
                    .or_default()
                    .push(goal_name(g));
            }
        }
        let mut categories_of: HashMap<i32, Vec<String>> = HashMap::new();
        for link in &project_categories {
            if let Some(name) = category_name.get(&link.category_id) {
                categories_of
                    .entry(link.project_id)
                    .or_default()
                    .push(name.clone());
            }
        }

        let mut rows = BTreeMap::new();
        rows.insert(
            Sheet::OrgUnits,
            units
                .iter()
                .map(|u| {
                    let contact = policy::can_see_contact(viewer, u.id);
                    row(
                        u.id,
                        u.version,
                        u.archived_at.is_some(),
                        vec![
                            text(&u.code),
                            text(&u.name),
                            name(u.kind),
                            u.parent_id.and_then(unit),
                            int(u.position),
                            opt(u.lead_name.as_ref()),
                            opt(u.lead_email.as_ref()).filter(|_| contact),
                        ],
                    )
                })
                .collect(),
        );
        rows.insert(
            Sheet::Categories,
            categories
                .iter()
                .map(|c| {
                    row(
                        c.id,
                        c.version,
                        false,
                        vec![text(&c.name), opt(c.description.as_ref())],
                    )
                })
                .collect(),
        );
        rows.insert(
            Sheet::Strategies,
            strategies
                .iter()
                .map(|s| {
                    row(
                        s.id,
                        s.version,
                        s.archived_at.is_some(),
                        vec![
                            text(&s.title),
                            unit(s.org_unit_id),
                            day(Some(s.period_start)),
                            day(Some(s.period_end)),
                            name(s.status),
                            day(s.adopted_on),
                            name(s.visibility),
                            int(s.revision),
                            opt(s.description.as_ref()),
                        ],
                    )
                })
                .collect(),
        );
        rows.insert(
            Sheet::Goals,
            goals
                .iter()
                .map(|g| {
                    row(
                        g.id,
                        g.version,
                        g.archived_at.is_some(),
                        vec![
                            strategy_of(g.strategy_id),
                            text(&g.code),
                            text(&g.title),
                            g.parent_id
                                .and_then(|p| goal_by_id.get(&p))
                                .map(|p| p.code.trim().to_owned()),
                            unit(g.org_unit_id),
                            name(g.status),
                            name(g.visibility),
                            int(g.position),
                            opt(g.description.as_ref()),
                            weight(g.weight),
                        ],
                    )
                })
                .collect(),
        );
        let goal_key = |id: i32| {
            goal_by_id
                .get(&id)
                .map(|g| (strategy_of(g.strategy_id), text(&g.code)))
                .unwrap_or_default()
        };
        let parent = |i: &indicator::Model| {
            let (strategy, goal) = i.goal_id.map(goal_key).unwrap_or_default();
            [
                strategy,
                goal,
                i.measure_id.and_then(|m| measure_number.get(&m).cloned()),
                i.project_id.and_then(project_name),
            ]
        };
        rows.extend(super::indicators::rows(
            &indicators,
            &values,
            &targets,
            parent,
        ));
        rows.insert(
            Sheet::Measures,
            measures
                .iter()
                .map(|m| {
                    row(
                        m.id,
                        m.version,
                        m.archived_at.is_some(),
                        vec![
                            text(&m.number),
                            text(&m.title),
                            name(m.kind),
                            name(m.priority),
                            name(m.status),
                            name(m.rag),
                            int(m.progress),
                            unit(m.org_unit_id),
                            list(goals_of.remove(&m.id).unwrap_or_default()),
                            day(m.start_date),
                            day(m.due_date),
                            name(m.visibility),
                            opt(m.description.as_ref()),
                            num(m.planned_effort_days),
                            num(m.actual_effort_days),
                            opt(m.target_group.as_ref()),
                            opt(m.channel.as_ref()),
                            opt(m.organiser.as_ref()),
                            weight(m.weight),
                        ],
                    )
                })
                .collect(),
        );
        rows.insert(
            Sheet::Projects,
            projects
                .iter()
                .map(|p| {
                    let contact = policy::can_see_contact(viewer, p);
                    let private = |v: Option<&String>| opt(v).filter(|_| contact);
                    row(
                        p.id,
                        p.version,
                        p.archived_at.is_some(),
                        vec![
                            opt(p.code.as_ref()),
                            text(&p.title),
                            p.measure_id.and_then(|m| measure_number.get(&m).cloned()),
                            unit(p.org_unit_id),
                            name(p.status),
                            name(p.rag),
                            int(p.progress),
                            day(p.start_date),
                            day(p.end_date),
                            name(p.visibility),
                            list(categories_of.remove(&p.id).unwrap_or_default()),
                            opt(p.summary.as_ref()),
                            opt(p.description.as_ref()),
                            private(p.contact_name.as_ref()),
                            private(p.contact_email.as_ref()),
                            private(p.contact_phone.as_ref()),
                            opt(p.unique_selling_point.as_ref()),
                            opt(p.benefit_for_all.as_ref()),
                            yes(p.transferable),
                            opt(p.transferable_results.as_ref()),
                            day(p.transferable_from),
                            opt(p.funding_recipient.as_ref()),
                            opt(p.model_region.as_ref()),
                            opt(p.pilot_areas.as_ref()),
                            day(p.application_approved_on),
                            day(p.implementation_commissioned_on),
                            day(p.go_live_on),
                            day(p.closed_on),
                            weight(p.weight),
                        ],
                    )
                })
                .collect(),
        );
        rows.insert(
            Sheet::Links,
            links
                .iter()
                .map(|l| {
                    row(
                        l.id,
                        l.version,
                        false,
                        vec![
                            project_name(l.project_id),
                            text(&l.url),
                            name(l.kind),
                            text(&l.title),
                        ],
                    )
                })
                .collect(),
        );
        rows.insert(
            Sheet::SubProjects,
            subs.iter()
                .map(|s| {
                    row(
                        s.id,
                        s.version,
                        s.archived_at.is_some(),
                        vec![
                            project_name(s.project_id),
                            opt(s.code.as_ref()),
                            text(&s.title),
                            unit(s.org_unit_id),
                            name(s.status),
                            name(s.rag),
                            int(s.progress),
                            day(s.start_date),
                            day(s.end_date),
                            name(s.visibility),
                            opt(s.description.as_ref()),
                            weight(s.weight),
                        ],
                    )
                })
                .collect(),
        );
        rows.insert(
            Sheet::Milestones,
            milestones
                .iter()
                .map(|m| {
                    row(
                        m.id,
                        m.version,
                        m.archived_at.is_some(),
                        vec![
                            project_name(m.project_id),
                            text(&m.code),
                            m.sub_project_id.and_then(|s| sub_name.get(&s).cloned()),
                            text(&m.title),
                            day(Some(m.due_date)),
                            day(m.achieved_on),
                            opt(m.description.as_ref()),
                        ],
                    )
                })
                .collect(),
        );
        rows.insert(
            Sheet::BudgetLines,
            budget
                .iter()
                .map(|b| {
                    row(
                        b.id,
                        b.version,
                        false,
                        vec![
                            project_name(b.project_id),
                            int(b.year),
                            name(b.source),
                            num(Some(b.planned)),
                            num(Some(b.approved)),
                            num(Some(b.spent)),
                            opt(b.note.as_ref()),
                        ],
                    )
                })
                .collect(),
        );
        rows.insert(
            Sheet::Funding,
            funding
                .iter()
                .map(|f| {
                    row(
                        f.id,
                        f.version,
                        false,
                        vec![
                            project_name(f.project_id),
                            text(&f.programme),
                            text(&f.funder),
                            num(Some(f.amount)),
                            num(f.rate),
                            opt(f.note.as_ref()),
                        ],
                    )
                })
                .collect(),
        );
        rows.extend(super::risks::load(db, viewer, &projects, &measures).await?);
        let (sheet, participants) =
            super::participants::load(db, viewer, &projects, &subs, &units).await?;
        rows.insert(sheet, participants);
        Ok(Self { rows })
    }

    /// The goals by code: which strategy titles have a goal of each (lower-case) code.
    pub fn goal_strategies(&self) -> HashMap<String, BTreeSet<String>> {
        let mut codes: HashMap<String, BTreeSet<String>> = HashMap::new();
        for g in &self.rows[&Sheet::Goals] {
            if let (Some(strategy), Some(code)) = (&g.values[0], &g.values[1]) {
                codes
                    .entry(code.to_lowercase())
                    .or_default()
                    .insert(strategy.clone());
            }
        }
        codes
    }
}
