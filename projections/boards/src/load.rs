//! Loads the rows a batch touches, one `= ANY($1)` query per table.

use anyhow::Context;
use sqlx::postgres::PgRow;
use sqlx::{PgConnection, Row};
use uuid::Uuid;

use crate::fold::Working;
use crate::keys::Keys;
use crate::rows::{MemberRow, MilestoneRow, ProjectRow, TaskRow, parse_status};

/// A `Working` set holding the current rows named by `keys`.
pub async fn working(conn: &mut PgConnection, keys: &Keys) -> anyhow::Result<Working> {
    let mut working = Working::default();
    if !keys.tasks.is_empty() {
        let ids: Vec<Uuid> = keys.tasks.iter().copied().collect();
        let rows = sqlx::query(include_str!("sql/load_tasks.sql"))
            .bind(&ids)
            .fetch_all(&mut *conn)
            .await?;
        for row in rows {
            let task = task_row(&row).context("reading a boards_tasks row")?;
            working.tasks.insert(task.task_id, task);
        }
    }
    if !keys.projects.is_empty() {
        let ids: Vec<Uuid> = keys.projects.iter().copied().collect();
        let rows = sqlx::query(
            "SELECT project_id, name, status, start_date, deadline, created_at, updated_at
             FROM boards_projects WHERE project_id = ANY($1)",
        )
        .bind(&ids)
        .fetch_all(&mut *conn)
        .await?;
        for row in rows {
            let project = ProjectRow {
                project_id: row.try_get("project_id")?,
                name: row.try_get("name")?,
                status: row.try_get("status")?,
                start_date: row.try_get("start_date")?,
                deadline: row.try_get("deadline")?,
                created_at: row.try_get("created_at")?,
                updated_at: row.try_get("updated_at")?,
            };
            working.projects.insert(project.project_id, project);
        }
    }
    if !keys.members.is_empty() {
        let ids: Vec<Uuid> = keys.members.iter().copied().collect();
        let rows = sqlx::query(
            "SELECT member_id, name, skills, capacity_hours_per_week, registered_at, updated_at
             FROM boards_members WHERE member_id = ANY($1)",
        )
        .bind(&ids)
        .fetch_all(&mut *conn)
        .await?;
        for row in rows {
            let member = MemberRow {
                member_id: row.try_get("member_id")?,
                name: row.try_get("name")?,
                skills: row.try_get("skills")?,
                capacity_hours_per_week: row.try_get("capacity_hours_per_week")?,
                registered_at: row.try_get("registered_at")?,
                updated_at: row.try_get("updated_at")?,
            };
            working.members.insert(member.member_id, member);
        }
    }
    if !keys.milestones.is_empty() {
        let (projects, milestones): (Vec<Uuid>, Vec<Uuid>) =
            keys.milestones.iter().copied().unzip();
        let rows = sqlx::query(
            "SELECT m.project_id, m.milestone_id, m.name, m.due_date, m.completed, m.completed_at
             FROM boards_milestones m
             JOIN unnest($1::uuid[], $2::uuid[]) AS k(project_id, milestone_id)
               ON k.project_id = m.project_id AND k.milestone_id = m.milestone_id",
        )
        .bind(&projects)
        .bind(&milestones)
        .fetch_all(&mut *conn)
        .await?;
        for row in rows {
            let milestone = MilestoneRow {
                project_id: row.try_get("project_id")?,
                milestone_id: row.try_get("milestone_id")?,
                name: row.try_get("name")?,
                due_date: row.try_get("due_date")?,
                completed: row.try_get("completed")?,
                completed_at: row.try_get("completed_at")?,
            };
            working
                .milestones
                .insert((milestone.project_id, milestone.milestone_id), milestone);
        }
    }
    Ok(working)
}

fn task_row(row: &PgRow) -> anyhow::Result<TaskRow> {
    let status: String = row.try_get("status")?;
    let blocked_from: Option<String> = row.try_get("blocked_from")?;
    Ok(TaskRow {
        task_id: row.try_get("task_id")?,
        project_id: row.try_get("project_id")?,
        title: row.try_get("title")?,
        description: row.try_get("description")?,
        status: parse_status(&status).with_context(|| format!("unknown task status {status:?}"))?,
        blocked_from: blocked_from.as_deref().and_then(parse_status),
        assignee: row.try_get("assignee")?,
        estimate_hours: row.try_get("estimate_hours")?,
        logged_hours: row.try_get("logged_hours")?,
        priority: row.try_get("priority")?,
        labels: row.try_get("labels")?,
        skills: row.try_get("skills")?,
        milestone_id: row.try_get("milestone_id")?,
        due_date: row.try_get("due_date")?,
        depends_on: row.try_get("depends_on")?,
        reopen_count: row.try_get("reopen_count")?,
        created_at: row.try_get("created_at")?,
        started_at: row.try_get("started_at")?,
        completed_at: row.try_get("completed_at")?,
        updated_at: row.try_get("updated_at")?,
        risk: row.try_get("risk")?,
        forecast: row.try_get("forecast")?,
        risk_detail: row.try_get("risk_detail")?,
        recommendation: row.try_get("recommendation")?,
        last_position: row.try_get("last_position")?,
    })
}
