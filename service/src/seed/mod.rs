//! Demo data: four tenants drawn from real programmes (Aachen, TU Kaiserslautern, KISA,
//! Saxony), kept as TOML files beside this module and loaded into an empty database; and
//! synthetic tenants at state scale for benchmarks ([`synthetic`]).

pub mod format;
mod history;
pub mod synthetic;

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use entity::{
    application, budget_line, category, funding, goal, indicator, indicator_value, measure,
    measure_goal, milestone, org_unit, project, project_category, project_link, status_report,
    steering_meeting, strategy, sub_project, tenant,
};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseConnection,
    EntityTrait, PaginatorTrait, QueryFilter, TransactionTrait,
};

use format::{DemoTenant, MilestoneSpec, ReportSpec};

/// The demo files, in load order.
const DEMO: [(&str, &str); 4] = [
    ("aachen", include_str!("demo/aachen.toml")),
    ("tuk", include_str!("demo/tuk.toml")),
    ("kisa", include_str!("demo/kisa.toml")),
    ("sachsen", include_str!("demo/sachsen.toml")),
];

/// Author of generated status reports.
const SEED_AUTHOR: &str = "seed";

/// Whether the database holds no tenant yet.
pub async fn is_empty(db: &DatabaseConnection) -> anyhow::Result<bool> {
    Ok(tenant::Entity::find().count(db).await? == 0)
}

/// Parses every demo file (also run by the tests, so a broken file fails CI).
pub fn demo_tenants() -> anyhow::Result<Vec<DemoTenant>> {
    DEMO.iter()
        .map(|(name, text)| {
            toml::from_str(text).map_err(|err| anyhow::anyhow!("demo/{name}.toml: {err}"))
        })
        .collect()
}

/// Loads the demo tenants that are not in the database yet, each in one transaction.
/// Returns the keys of the tenants loaded.
pub async fn load_demo(db: &DatabaseConnection) -> anyhow::Result<Vec<String>> {
    let mut loaded = Vec::new();
    for demo in demo_tenants()? {
        let exists = tenant::Entity::find()
            .filter(tenant::Column::Key.eq(demo.tenant.key.as_str()))
            .count(db)
            .await?
            > 0;
        if exists {
            continue;
        }
        let txn = db.begin().await?;
        Loader::new(&txn, Utc::now()).tenant(&demo).await?;
        txn.commit().await?;
        loaded.push(demo.tenant.key.clone());
    }
    Ok(loaded)
}

/// Resolves the references of one demo file while inserting it.
struct Loader<'c, C> {
    db: &'c C,
    now: DateTime<Utc>,
    tenant: i32,
    units: HashMap<String, i32>,
    categories: HashMap<String, i32>,
    strategies: HashMap<String, i32>,
    goals: HashMap<String, i32>,
    measures: HashMap<String, i32>,
    projects: HashMap<String, i32>,
    meetings: HashMap<String, i32>,
}

fn lookup(map: &HashMap<String, i32>, key: &str, what: &str) -> anyhow::Result<i32> {
    map.get(key)
        .copied()
        .ok_or_else(|| anyhow::anyhow!("demo data refers to unknown {what} {key:?}"))
}

/// The subject of a status report.
#[derive(Clone, Copy)]
enum Subject {
    Measure(i32),
    Project(i32),
    SubProject(i32),
}

impl<'c, C: ConnectionTrait> Loader<'c, C> {
    fn new(db: &'c C, now: DateTime<Utc>) -> Self {
        Self {
            db,
            now,
            tenant: 0,
            units: HashMap::new(),
            categories: HashMap::new(),
            strategies: HashMap::new(),
            goals: HashMap::new(),
            measures: HashMap::new(),
            projects: HashMap::new(),
            meetings: HashMap::new(),
        }
    }

    fn unit(&self, code: &str) -> anyhow::Result<i32> {
        lookup(&self.units, code, "org unit")
    }

    async fn tenant(&mut self, demo: &DemoTenant) -> anyhow::Result<()> {
        let now = self.now;
        let t = &demo.tenant;
        self.tenant = tenant::ActiveModel {
            key: Set(t.key.clone()),
            name: Set(t.name.clone()),
            kind: Set(t.kind),
            description: Set(t.description.clone()),
            council_live_report: Set(false),
            data_version: Set(0),
            created_at: Set(now),
            updated_at: Set(now),
            version: Set(1),
            ..Default::default()
        }
        .insert(self.db)
        .await?
        .id;
        // Parents come before their children in the files; a second pass is not needed.
        for (position, unit) in demo.org_units.iter().enumerate() {
            let parent = unit
                .parent
                .as_deref()
                .map(|code| self.unit(code))
                .transpose()?;
            let id = org_unit::ActiveModel {
                tenant_id: Set(self.tenant),
                parent_id: Set(parent),
                code: Set(unit.code.clone()),
                name: Set(unit.name.clone()),
                kind: Set(unit.kind),
                position: Set(position as i32),
                archived_at: Set(None),
                created_at: Set(now),
                updated_at: Set(now),
                version: Set(1),
                ..Default::default()
            }
            .insert(self.db)
            .await?
            .id;
            self.units.insert(unit.code.clone(), id);
        }
        for c in &demo.categories {
            let id = category::ActiveModel {
                tenant_id: Set(self.tenant),
                name: Set(c.name.clone()),
                description: Set(c.description.clone()),
                created_at: Set(now),
                updated_at: Set(now),
                version: Set(1),
                ..Default::default()
            }
            .insert(self.db)
            .await?
            .id;
            self.categories.insert(c.name.clone(), id);
        }
        self.strategies_and_goals(demo).await?;
        self.measures(demo).await?;
        for m in &demo.meetings {
            let id = steering_meeting::ActiveModel {
                tenant_id: Set(self.tenant),
                title: Set(m.title.clone()),
                held_on: Set(m.held_on),
                location: Set(m.location.clone()),
                notes: Set(m.notes.clone()),
                created_at: Set(now),
                updated_at: Set(now),
                version: Set(1),
                ..Default::default()
            }
            .insert(self.db)
            .await?
            .id;
            self.meetings.insert(m.key.clone(), id);
        }
        // Applications before projects: an approved application is the origin of its project.
        let mut origin: HashMap<String, i32> = HashMap::new();
        for a in &demo.applications {
            let meeting = a
                .meeting
                .as_deref()
                .map(|key| lookup(&self.meetings, key, "meeting"))
                .transpose()?;
            let id = application::ActiveModel {
                tenant_id: Set(self.tenant),
                org_unit_id: Set(self.unit(&a.org_unit)?),
                title: Set(a.title.clone()),
                description: Set(a.description.clone()),
                expected_benefit: Set(a.expected_benefit.clone()),
                estimated_cost: Set(a.estimated_cost),
                status: Set(a.status),
                submitted_by: Set(SEED_AUTHOR.into()),
                submitted_by_name: Set(a.submitted_by_name.clone()),
                submitted_on: Set(a.submitted_on),
                meeting_id: Set(meeting),
                decided_on: Set(a.decided_on),
                decision_number: Set(a.decision_number.clone()),
                decision_note: Set(a.decision_note.clone()),
                conditions: Set(a.conditions.clone()),
                budget_released: Set(a.budget_released),
                created_at: Set(now),
                updated_at: Set(now),
                version: Set(1),
                ..Default::default()
            }
            .insert(self.db)
            .await?
            .id;
            if let Some(project) = &a.project {
                origin.insert(project.clone(), id);
            }
        }
        for p in &demo.projects {
            self.project(p, origin.get(&p.code).copied()).await?;
        }
        if let Some(code) = origin
            .keys()
            .find(|code| !self.projects.contains_key(*code))
        {
            anyhow::bail!("an application refers to unknown project {code:?}");
        }
        Ok(())
    }

    async fn strategies_and_goals(&mut self, demo: &DemoTenant) -> anyhow::Result<()> {
        let now = self.now;
        for s in &demo.strategies {
            let predecessor = s
                .predecessor
                .as_deref()
                .map(|key| lookup(&self.strategies, key, "strategy"))
                .transpose()?;
            let id = strategy::ActiveModel {
                tenant_id: Set(self.tenant),
                org_unit_id: Set(self.unit(&s.org_unit)?),
                predecessor_id: Set(predecessor),
                title: Set(s.title.clone()),
                description: Set(s.description.clone()),
                period_start: Set(s.period_start),
                period_end: Set(s.period_end),
                status: Set(s.status),
                adopted_on: Set(s.adopted_on),
                revision: Set(s.revision),
                visibility: Set(s.visibility),
                archived_at: Set(None),
                created_at: Set(now),
                updated_at: Set(now),
                version: Set(1),
                ..Default::default()
            }
            .insert(self.db)
            .await?
            .id;
            self.strategies.insert(s.key.clone(), id);
        }
        for (position, g) in demo.goals.iter().enumerate() {
            let parent = g
                .parent
                .as_deref()
                .map(|code| lookup(&self.goals, code, "goal"))
                .transpose()?;
            let goal_id = goal::ActiveModel {
                tenant_id: Set(self.tenant),
                strategy_id: Set(lookup(&self.strategies, &g.strategy, "strategy")?),
                parent_id: Set(parent),
                org_unit_id: Set(self.unit(&g.org_unit)?),
                code: Set(g.code.clone()),
                title: Set(g.title.clone()),
                description: Set(g.description.clone()),
                status: Set(g.status),
                visibility: Set(g.visibility),
                position: Set(position as i32),
                archived_at: Set(None),
                created_at: Set(now),
                updated_at: Set(now),
                version: Set(1),
                ..Default::default()
            }
            .insert(self.db)
            .await?
            .id;
            self.goals.insert(g.code.clone(), goal_id);
            for i in &g.indicators {
                let indicator_id = indicator::ActiveModel {
                    tenant_id: Set(self.tenant),
                    goal_id: Set(goal_id),
                    name: Set(i.name.clone()),
                    description: Set(i.description.clone()),
                    unit: Set(i.unit.clone()),
                    baseline: Set(i.baseline),
                    baseline_date: Set(i.baseline_date),
                    target: Set(i.target),
                    target_date: Set(i.target_date),
                    higher_is_better: Set(i.higher_is_better),
                    archived_at: Set(None),
                    created_at: Set(now),
                    updated_at: Set(now),
                    version: Set(1),
                    ..Default::default()
                }
                .insert(self.db)
                .await?
                .id;
                for v in &i.values {
                    indicator_value::ActiveModel {
                        tenant_id: Set(self.tenant),
                        indicator_id: Set(indicator_id),
                        measured_on: Set(v.on),
                        value: Set(v.value),
                        note: Set(v.note.clone()),
                        created_at: Set(now),
                        updated_at: Set(now),
                        version: Set(1),
                        ..Default::default()
                    }
                    .insert(self.db)
                    .await?;
                }
            }
        }
        Ok(())
    }

    async fn measures(&mut self, demo: &DemoTenant) -> anyhow::Result<()> {
        let now = self.now;
        for m in &demo.measures {
            let id = measure::ActiveModel {
                tenant_id: Set(self.tenant),
                org_unit_id: Set(self.unit(&m.org_unit)?),
                number: Set(m.number.clone()),
                title: Set(m.title.clone()),
                description: Set(m.description.clone()),
                kind: Set(m.kind),
                priority: Set(m.priority),
                start_date: Set(m.start_date),
                due_date: Set(m.due_date),
                completed_on: Set(m.completed_on),
                status: Set(m.status),
                rag: Set(m.rag),
                progress: Set(m.progress.clamp(0, 100)),
                planned_effort_days: Set(m.planned_effort_days),
                actual_effort_days: Set(m.actual_effort_days),
                target_group: Set(m.target_group.clone()),
                channel: Set(m.channel.clone()),
                organiser: Set(m.organiser.clone()),
                visibility: Set(m.visibility),
                archived_at: Set(None),
                created_at: Set(now),
                updated_at: Set(now),
                version: Set(1),
                ..Default::default()
            }
            .insert(self.db)
            .await?
            .id;
            self.measures.insert(m.number.clone(), id);
            for code in &m.goals {
                measure_goal::ActiveModel {
                    measure_id: Set(id),
                    goal_id: Set(lookup(&self.goals, code, "goal")?),
                    tenant_id: Set(self.tenant),
                }
                .insert(self.db)
                .await?;
            }
            let work = history::Work {
                status: m.status,
                rag: m.rag,
                progress: m.progress,
                start: m.start_date,
                end: m.completed_on.or(m.due_date),
            };
            self.reports(Subject::Measure(id), &m.reports, &work)
                .await?;
        }
        Ok(())
    }

    async fn project(
        &mut self,
        p: &format::ProjectSpec,
        application: Option<i32>,
    ) -> anyhow::Result<()> {
        let now = self.now;
        let measure = p
            .measure
            .as_deref()
            .map(|number| lookup(&self.measures, number, "measure"))
            .transpose()?;
        let contact = p.contact.as_ref();
        let id = project::ActiveModel {
            tenant_id: Set(self.tenant),
            measure_id: Set(measure),
            org_unit_id: Set(self.unit(&p.org_unit)?),
            application_id: Set(application),
            code: Set(Some(p.code.clone())),
            title: Set(p.title.clone()),
            summary: Set(p.summary.clone()),
            description: Set(p.description.clone()),
            status: Set(p.status),
            rag: Set(p.rag),
            progress: Set(p.progress.clamp(0, 100)),
            visibility: Set(p.visibility),
            contact_name: Set(contact.map(|c| c.name.clone())),
            contact_email: Set(contact.and_then(|c| c.email.clone())),
            contact_phone: Set(contact.and_then(|c| c.phone.clone())),
            unique_selling_point: Set(p.unique_selling_point.clone()),
            benefit_for_all: Set(p.benefit_for_all.clone()),
            transferable: Set(p.transferable),
            transferable_results: Set(p.transferable_results.clone()),
            transferable_from: Set(p.transferable_from),
            funding_recipient: Set(p.funding_recipient.clone()),
            model_region: Set(p.model_region.clone()),
            pilot_areas: Set(p.pilot_areas.clone()),
            start_date: Set(p.start_date),
            end_date: Set(p.end_date),
            application_approved_on: Set(p.application_approved_on),
            implementation_commissioned_on: Set(p.implementation_commissioned_on),
            go_live_on: Set(p.go_live_on),
            closed_on: Set(p.closed_on),
            archived_at: Set(None),
            created_at: Set(now),
            updated_at: Set(now),
            version: Set(1),
            ..Default::default()
        }
        .insert(self.db)
        .await?
        .id;
        self.projects.insert(p.code.clone(), id);
        for name in &p.categories {
            project_category::ActiveModel {
                project_id: Set(id),
                category_id: Set(lookup(&self.categories, name, "category")?),
                tenant_id: Set(self.tenant),
            }
            .insert(self.db)
            .await?;
        }
        for l in &p.links {
            project_link::ActiveModel {
                tenant_id: Set(self.tenant),
                project_id: Set(id),
                kind: Set(l.kind),
                title: Set(l.title.clone()),
                url: Set(l.url.clone()),
                created_at: Set(now),
                updated_at: Set(now),
                version: Set(1),
                ..Default::default()
            }
            .insert(self.db)
            .await?;
        }
        for f in &p.funding {
            funding::ActiveModel {
                tenant_id: Set(self.tenant),
                project_id: Set(id),
                programme: Set(f.programme.clone()),
                funder: Set(f.funder.clone()),
                amount: Set(f.amount),
                rate: Set(f.rate),
                note: Set(f.note.clone()),
                created_at: Set(now),
                updated_at: Set(now),
                version: Set(1),
                ..Default::default()
            }
            .insert(self.db)
            .await?;
        }
        for b in &p.budget {
            budget_line::ActiveModel {
                tenant_id: Set(self.tenant),
                project_id: Set(id),
                year: Set(b.year),
                source: Set(b.source),
                planned: Set(b.planned),
                approved: Set(b.approved),
                spent: Set(b.spent),
                note: Set(b.note.clone()),
                created_at: Set(now),
                updated_at: Set(now),
                version: Set(1),
                ..Default::default()
            }
            .insert(self.db)
            .await?;
        }
        self.milestones(id, None, &p.milestones).await?;
        let work = history::Work {
            status: p.status,
            rag: p.rag,
            progress: p.progress,
            start: p.start_date,
            end: p.closed_on.or(p.end_date),
        };
        self.reports(Subject::Project(id), &p.reports, &work)
            .await?;
        for s in &p.sub_projects {
            let sub_id = sub_project::ActiveModel {
                tenant_id: Set(self.tenant),
                project_id: Set(id),
                org_unit_id: Set(self.unit(&s.org_unit)?),
                code: Set(s.code.clone()),
                title: Set(s.title.clone()),
                description: Set(s.description.clone()),
                status: Set(s.status),
                rag: Set(s.rag),
                progress: Set(s.progress.clamp(0, 100)),
                start_date: Set(s.start_date),
                end_date: Set(s.end_date),
                visibility: Set(s.visibility),
                archived_at: Set(None),
                created_at: Set(now),
                updated_at: Set(now),
                version: Set(1),
                ..Default::default()
            }
            .insert(self.db)
            .await?
            .id;
            self.milestones(id, Some(sub_id), &s.milestones).await?;
            let work = history::Work {
                status: s.status,
                rag: s.rag,
                progress: s.progress,
                start: s.start_date,
                end: s.end_date,
            };
            self.reports(Subject::SubProject(sub_id), &s.reports, &work)
                .await?;
        }
        Ok(())
    }

    async fn milestones(
        &self,
        project: i32,
        sub_project: Option<i32>,
        specs: &[MilestoneSpec],
    ) -> anyhow::Result<()> {
        for m in specs {
            milestone::ActiveModel {
                tenant_id: Set(self.tenant),
                project_id: Set(project),
                sub_project_id: Set(sub_project),
                code: Set(m.code.clone()),
                title: Set(m.title.clone()),
                description: Set(m.description.clone()),
                due_date: Set(m.due_date),
                achieved_on: Set(m.achieved_on),
                archived_at: Set(None),
                created_at: Set(self.now),
                updated_at: Set(self.now),
                version: Set(1),
                ..Default::default()
            }
            .insert(self.db)
            .await?;
        }
        Ok(())
    }

    /// The reports of the file, or a generated quarterly history for running work without any.
    async fn reports(
        &self,
        subject: Subject,
        specs: &[ReportSpec],
        work: &history::Work,
    ) -> anyhow::Result<()> {
        let generated;
        let reports = if specs.is_empty() {
            generated = history::quarterly(work, self.now.date_naive());
            &generated
        } else {
            specs
        };
        for r in reports {
            let (measure_id, project_id, sub_project_id) = match subject {
                Subject::Measure(id) => (Some(id), None, None),
                Subject::Project(id) => (None, Some(id), None),
                Subject::SubProject(id) => (None, None, Some(id)),
            };
            status_report::ActiveModel {
                tenant_id: Set(self.tenant),
                measure_id: Set(measure_id),
                project_id: Set(project_id),
                sub_project_id: Set(sub_project_id),
                reported_on: Set(r.reported_on),
                progress: Set(r.progress.clamp(0, 100)),
                rag: Set(r.rag),
                summary: Set(r.summary.clone()),
                risks: Set(r.risks.clone()),
                internal_notes: Set(r.internal_notes.clone()),
                next_steps: Set(r.next_steps.clone()),
                author_sub: Set(SEED_AUTHOR.into()),
                author_name: Set(r.author.clone()),
                created_at: Set(report_time(r.reported_on, self.now)),
                ..Default::default()
            }
            .insert(self.db)
            .await?;
        }
        Ok(())
    }
}

/// Demo reports are stamped at noon of their reporting date (never in the future).
fn report_time(date: NaiveDate, now: DateTime<Utc>) -> DateTime<Utc> {
    date.and_hms_opt(12, 0, 0)
        .map(|t| t.and_utc())
        .filter(|t| *t < now)
        .unwrap_or(now)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_files_parse() {
        let tenants = demo_tenants().expect("demo files parse");
        let keys: Vec<_> = tenants.iter().map(|t| t.tenant.key.as_str()).collect();
        assert_eq!(keys, ["aachen", "tuk", "kisa", "sachsen"]);
    }
}
