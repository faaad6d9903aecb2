//! Projects with their categories, links, funding, budget lines, milestones, sub-projects and
//! report histories.

use entity::{
    budget_line, funding, milestone, participant, project, project_category, project_link,
    sub_project,
};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ConnectionTrait};

use super::{Loader, lookup};
use crate::seed::{
    format::{
        BudgetLineSpec, FundingSpec, LinkSpec, MilestoneSpec, ParticipantSpec, ProjectSpec,
        SubProjectSpec,
    },
    history::Work,
    subject::Subject,
};

impl<C: ConnectionTrait> Loader<'_, C> {
    /// A project and everything that hangs from it; `application` is the one it came from.
    pub(super) async fn project(
        &mut self,
        p: &ProjectSpec,
        application: Option<i32>,
    ) -> anyhow::Result<()> {
        let id = self.project_row(p, application).await?;
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
        self.links(id, &p.links).await?;
        self.funding(id, &p.funding).await?;
        self.budget(id, &p.budget).await?;
        self.milestones(id, None, &p.milestones).await?;
        let work = Work {
            status: p.status,
            rag: p.rag,
            progress: p.progress,
            start: p.start_date,
            end: p.closed_on.or(p.end_date),
        };
        self.reports(Subject::Project(id), &p.reports, &work)
            .await?;
        self.participants(Some(id), None, &p.participants).await?;
        for i in &p.indicators {
            self.indicator(crate::indicator::Parent::Project(id), i)
                .await?;
        }
        self.risks(crate::risk::RiskOf::Project(id), &p.risks)
            .await?;
        for s in &p.sub_projects {
            self.sub_project(id, s).await?;
        }
        Ok(())
    }

    /// The units taking part in a project or (with `sub_project`) one of its sub-projects.
    async fn participants(
        &self,
        project: Option<i32>,
        sub_project: Option<i32>,
        specs: &[ParticipantSpec],
    ) -> anyhow::Result<()> {
        for spec in specs {
            participant::ActiveModel {
                tenant_id: Set(self.tenant),
                project_id: Set(project),
                sub_project_id: Set(sub_project),
                org_unit_id: Set(self.unit(&spec.org_unit)?),
                role: Set(spec.role),
                financials_granted: Set(spec.financials_granted),
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

    async fn project_row(&self, p: &ProjectSpec, application: Option<i32>) -> anyhow::Result<i32> {
        let now = self.now;
        let measure = p
            .measure
            .as_deref()
            .map(|number| lookup(&self.measures, number, "measure"))
            .transpose()?;
        let contact = p.contact.as_ref();
        Ok(project::ActiveModel {
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
        .id)
    }

    async fn links(&self, project: i32, links: &[LinkSpec]) -> anyhow::Result<()> {
        for l in links {
            project_link::ActiveModel {
                tenant_id: Set(self.tenant),
                project_id: Set(project),
                kind: Set(l.kind),
                title: Set(l.title.clone()),
                url: Set(l.url.clone()),
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

    async fn funding(&self, project: i32, funding: &[FundingSpec]) -> anyhow::Result<()> {
        for f in funding {
            funding::ActiveModel {
                tenant_id: Set(self.tenant),
                project_id: Set(project),
                programme: Set(f.programme.clone()),
                funder: Set(f.funder.clone()),
                amount: Set(f.amount),
                rate: Set(f.rate),
                note: Set(f.note.clone()),
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

    async fn budget(&self, project: i32, lines: &[BudgetLineSpec]) -> anyhow::Result<()> {
        for b in lines {
            budget_line::ActiveModel {
                tenant_id: Set(self.tenant),
                project_id: Set(project),
                year: Set(b.year),
                source: Set(b.source),
                planned: Set(b.planned),
                approved: Set(b.approved),
                spent: Set(b.spent),
                note: Set(b.note.clone()),
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

    async fn sub_project(&self, project: i32, s: &SubProjectSpec) -> anyhow::Result<()> {
        let now = self.now;
        let id = sub_project::ActiveModel {
            tenant_id: Set(self.tenant),
            project_id: Set(project),
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
        self.milestones(project, Some(id), &s.milestones).await?;
        self.participants(None, Some(id), &s.participants).await?;
        let work = Work {
            status: s.status,
            rag: s.rag,
            progress: s.progress,
            start: s.start_date,
            end: s.end_date,
        };
        self.reports(Subject::SubProject(id), &s.reports, &work)
            .await
    }

    /// Milestones of a project, or of one of its sub-projects.
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
}
