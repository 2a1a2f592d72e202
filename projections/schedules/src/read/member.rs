//! A member's schedule: their open tasks across all projects, one at a time on their calendar.

use chrono::NaiveDate;
use sqlx::PgPool;
use uuid::Uuid;

use super::inputs::{plan_input, task_views};
use super::view::MemberSchedule;
use crate::plan::plan;
use crate::rows::TaskRow;

const MEMBER: &str = "SELECT name, capacity_hours_per_week FROM schedules_members WHERE id = $1";

/// The plan of `member_id`'s open tasks from `as_of`; `None` for an unknown member. Tasks of
/// others that theirs wait for are planned at their own pace, as early as they can start.
pub async fn member_schedule(
    pool: &PgPool,
    member_id: Uuid,
    as_of: NaiveDate,
) -> anyhow::Result<Option<MemberSchedule>> {
    let Some((name, capacity_hours_per_week)) = sqlx::query_as::<_, (String, f64)>(MEMBER)
        .bind(member_id)
        .fetch_optional(pool)
        .await?
    else {
        return Ok(None);
    };
    let tasks: Vec<TaskRow> = sqlx::query_as(include_str!("member_tasks.sql"))
        .bind(member_id)
        .fetch_all(pool)
        .await?;
    let input = plan_input(pool, &tasks, [member_id].into(), as_of).await?;
    let plan = plan(&input);
    let (tasks, unscheduled) = task_views(
        tasks.iter().filter(|t| t.assignee == Some(member_id)),
        &plan,
    );
    Ok(Some(MemberSchedule {
        member_id,
        name,
        capacity_hours_per_week,
        as_of,
        tasks,
        unscheduled,
        cycles: plan.cycles,
    }))
}
