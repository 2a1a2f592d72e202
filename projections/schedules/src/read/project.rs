//! A project's schedule: its tasks planned with their members' whole workload, its milestones,
//! a weekly plan and the critical path.

use std::collections::BTreeSet;

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::PgPool;
use uuid::Uuid;

use super::forecast::project_forecast;
use super::inputs::{plan_input, plan_task, task_views};
use super::view::{CriticalPath, MilestonePlan, ProjectSchedule, ScheduledTask, UnscheduledTask};
use crate::plan::{PlanTask, critical_path, plan, weekly_plan};
use crate::rows::{MilestoneRow, ProjectRow, TaskRow};

const PROJECT: &str =
    "SELECT id, name, start_date, deadline, status FROM schedules_projects WHERE id = $1";
const MILESTONES: &str = "SELECT project_id, id, name, due_date, completed FROM schedules_milestones WHERE project_id = $1 ORDER BY due_date, id";

/// The plan of `project_id` from `as_of`; `None` for an unknown project.
pub async fn project_schedule(
    pool: &PgPool,
    project_id: Uuid,
    as_of: NaiveDate,
) -> anyhow::Result<Option<ProjectSchedule>> {
    let Some(project) = sqlx::query_as::<_, ProjectRow>(PROJECT)
        .bind(project_id)
        .fetch_optional(pool)
        .await?
    else {
        return Ok(None);
    };
    let milestones: Vec<MilestoneRow> = sqlx::query_as(MILESTONES)
        .bind(project_id)
        .fetch_all(pool)
        .await?;
    let rows: Vec<TaskRow> = sqlx::query_as(include_str!("project_tasks.sql"))
        .bind(project_id)
        .fetch_all(pool)
        .await?;
    let own: Vec<&TaskRow> = rows.iter().filter(|t| t.project_id == project_id).collect();
    // Every member with work here is planned with all their open work, wherever it is.
    let queued: BTreeSet<Uuid> = own.iter().filter_map(|t| t.assignee).collect();
    let input = plan_input(pool, &rows, queued, as_of).await?;
    let plan = plan(&input);
    let (tasks, unscheduled) = task_views(own.iter().copied(), &plan);

    let own_ids: BTreeSet<Uuid> = own.iter().map(|t| t.id).collect();
    let own_tasks: Vec<PlanTask> = own.iter().map(|t| plan_task(t)).collect();
    let (task_ids, hours) = critical_path(&own_tasks, |_| true);
    let cycles: Vec<Vec<Uuid>> = plan
        .cycles
        .into_iter()
        .filter(|c| c.iter().any(|id| own_ids.contains(id)))
        .collect();
    let weeks = weekly_plan(
        project.start_date,
        &milestones
            .iter()
            .map(|m| (m.id, m.due_date))
            .collect::<Vec<_>>(),
        &tasks
            .iter()
            .map(|t| {
                (
                    t.task_id,
                    t.planned_start.date_naive(),
                    t.planned_finish.date_naive(),
                )
            })
            .collect::<Vec<_>>(),
    );
    let planned_finish = finish_of(&tasks, &unscheduled, |_| true);
    let forecast = project_forecast(pool, project_id).await?;
    Ok(Some(ProjectSchedule {
        milestones: milestones
            .iter()
            .map(|m| {
                let mut plan = milestone_plan(m, &tasks, &unscheduled, &own);
                plan.forecast_p85 = forecast.as_ref().and_then(|f| milestone_p85(f, m.id));
                plan
            })
            .collect(),
        late: is_late(planned_finish, project.deadline),
        project_id,
        name: project.name,
        status: project.status,
        start_date: project.start_date,
        deadline: project.deadline,
        as_of,
        planned_finish,
        tasks,
        unscheduled,
        weeks,
        critical_path: CriticalPath { task_ids, hours },
        cycles,
    }))
}

fn milestone_plan(
    m: &MilestoneRow,
    tasks: &[ScheduledTask],
    unscheduled: &[UnscheduledTask],
    own: &[&TaskRow],
) -> MilestonePlan {
    let in_milestone: BTreeSet<Uuid> = own
        .iter()
        .filter(|t| t.milestone_id == Some(m.id))
        .map(|t| t.id)
        .collect();
    let planned_finish = finish_of(tasks, unscheduled, |id| in_milestone.contains(&id));
    MilestonePlan {
        milestone_id: m.id,
        name: m.name.clone(),
        due_date: m.due_date,
        completed: m.completed,
        open_tasks: u32::try_from(in_milestone.len()).unwrap_or(u32::MAX),
        planned_finish,
        late: is_late(planned_finish, Some(m.due_date)),
        forecast_p85: None,
    }
}

/// The day of a milestone's P85 in a stored project forecast.
fn milestone_p85(forecast: &serde_json::Value, milestone: Uuid) -> Option<NaiveDate> {
    let milestones = forecast.get("milestones")?.as_array()?;
    let entry = milestones.iter().find(|m| {
        m.get("milestone_id").and_then(|id| id.as_str()) == Some(&milestone.to_string())
    })?;
    let p85: DateTime<Utc> = serde_json::from_value(entry.get("p85")?.clone()).ok()?;
    Some(p85.date_naive())
}

/// The last planned finish of the tasks `wanted` picks; none if there are none or one is unplanned.
fn finish_of(
    tasks: &[ScheduledTask],
    unscheduled: &[UnscheduledTask],
    wanted: impl Fn(Uuid) -> bool,
) -> Option<DateTime<Utc>> {
    if unscheduled.iter().any(|t| wanted(t.task_id)) {
        return None;
    }
    tasks
        .iter()
        .filter(|t| wanted(t.task_id))
        .map(|t| t.planned_finish)
        .max()
}

/// A finish is late when it falls on a day after the date it was due.
fn is_late(finish: Option<DateTime<Utc>>, due: Option<NaiveDate>) -> bool {
    matches!((finish, due), (Some(finish), Some(due)) if finish.date_naive() > due)
}
