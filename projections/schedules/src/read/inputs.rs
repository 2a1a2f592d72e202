//! Loading what the planner needs (tasks, calendars, project starts) and turning rows into views.

use std::collections::{BTreeSet, HashMap};

use chrono::NaiveDate;
use sqlx::PgPool;
use uuid::Uuid;

use super::view::{ScheduledTask, UnscheduledTask};
use crate::plan::{Calendar, Plan, PlanInput, PlanTask, work_hours};
use crate::rows::TaskRow;

const MEMBERS: &str =
    "SELECT id, capacity_hours_per_week FROM schedules_members WHERE id = ANY($1)";
const TIME_OFF: &str =
    "SELECT member_id, from_date, to_date FROM schedules_time_off WHERE member_id = ANY($1)";
const PROJECT_STARTS: &str = "SELECT id, start_date FROM schedules_projects WHERE id = ANY($1)";

/// The planner's input for `tasks` (open, with everything they wait for), sequencing `queued`.
pub async fn plan_input(
    pool: &PgPool,
    tasks: &[TaskRow],
    queued: BTreeSet<Uuid>,
    as_of: NaiveDate,
) -> anyhow::Result<PlanInput> {
    let members: Vec<Uuid> = tasks
        .iter()
        .filter_map(|t| t.assignee)
        .chain(queued.iter().copied())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let capacities: Vec<(Uuid, f64)> = sqlx::query_as(MEMBERS)
        .bind(&members)
        .fetch_all(pool)
        .await?;
    let time_off: Vec<(Uuid, NaiveDate, NaiveDate)> = sqlx::query_as(TIME_OFF)
        .bind(&members)
        .fetch_all(pool)
        .await?;
    let mut away: HashMap<Uuid, Vec<(NaiveDate, NaiveDate)>> = HashMap::new();
    for (member, from, to) in time_off {
        away.entry(member).or_default().push((from, to));
    }
    let calendars = capacities
        .into_iter()
        .map(|(member, capacity)| {
            (
                member,
                Calendar::new(capacity, away.get(&member).map_or(&[][..], Vec::as_slice)),
            )
        })
        .collect();
    let projects: Vec<Uuid> = tasks
        .iter()
        .map(|t| t.project_id)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let starts: Vec<(Uuid, NaiveDate)> = sqlx::query_as(PROJECT_STARTS)
        .bind(&projects)
        .fetch_all(pool)
        .await?;
    Ok(PlanInput {
        as_of,
        tasks: tasks.iter().map(plan_task).collect(),
        calendars,
        queued,
        project_starts: starts.into_iter().collect(),
    })
}

pub fn plan_task(row: &TaskRow) -> PlanTask {
    PlanTask {
        id: row.id,
        project_id: row.project_id,
        assignee: row.assignee,
        hours: work_hours(row.estimate_hours, row.logged_hours, row.predicted_hours),
        priority: row.priority,
        due_date: row.due_date,
        created_at: row.created_at,
        created_position: row.created_position,
        depends_on: row.depends_on.clone(),
    }
}

/// The planned tasks among `rows`, in planned order, and the unplanned ones, by id.
pub fn task_views<'a>(
    rows: impl IntoIterator<Item = &'a TaskRow>,
    plan: &Plan,
) -> (Vec<ScheduledTask>, Vec<UnscheduledTask>) {
    let mut scheduled = Vec::new();
    let mut unscheduled = Vec::new();
    for row in rows {
        let hours = work_hours(row.estimate_hours, row.logged_hours, row.predicted_hours);
        if let Some(slot) = plan.slots.get(&row.id) {
            scheduled.push(ScheduledTask {
                task_id: row.id,
                project_id: row.project_id,
                title: row.title.clone(),
                status: row.status.as_str().to_owned(),
                assignee: row.assignee,
                priority: row.priority,
                milestone_id: row.milestone_id,
                due_date: row.due_date,
                hours,
                planned_start: slot.start,
                planned_finish: slot.finish,
                late: row.due_date.is_some_and(|due| slot.finish > due),
                forecast_finish_p50: row.forecast_finish_p50,
                forecast_finish_p90: row.forecast_finish_p90,
            });
        } else if let Some(&reason) = plan.unscheduled.get(&row.id) {
            unscheduled.push(UnscheduledTask {
                task_id: row.id,
                project_id: row.project_id,
                title: row.title.clone(),
                status: row.status.as_str().to_owned(),
                assignee: row.assignee,
                hours,
                reason,
            });
        }
    }
    scheduled.sort_by_key(|t| (t.planned_start, t.planned_finish, t.task_id));
    unscheduled.sort_by_key(|t| t.task_id);
    (scheduled, unscheduled)
}
