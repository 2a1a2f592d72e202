//! The projection's rows as Rust values: what `load` reads, `fold` changes and `write` stores.

use chrono::{DateTime, NaiveDate, Utc};
use domain::{
    MemberRegistered, MilestoneAdded, ProjectCreated, ProjectStatus, TaskCreated, TaskStatus,
};
use uuid::Uuid;

/// One row of `boards_tasks`.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskRow {
    pub task_id: Uuid,
    pub project_id: Uuid,
    pub title: String,
    pub description: Option<String>,
    pub status: TaskStatus,
    /// While blocked, the status an unblock returns to.
    pub blocked_from: Option<TaskStatus>,
    pub assignee: Option<Uuid>,
    pub estimate_hours: f64,
    pub logged_hours: f64,
    pub priority: i16,
    pub labels: Vec<String>,
    pub skills: Vec<String>,
    pub milestone_id: Option<Uuid>,
    pub due_date: Option<DateTime<Utc>>,
    /// Sorted, without duplicates.
    pub depends_on: Vec<Uuid>,
    pub reopen_count: i32,
    pub created_at: DateTime<Utc>,
    pub started_at: Option<DateTime<Utc>>,
    pub completed_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
    pub risk: Option<f64>,
    /// The latest duration forecast, as `GET /v1/tasks/{id}` shows it.
    pub forecast: Option<serde_json::Value>,
    /// The latest risk with its factors and model version.
    pub risk_detail: Option<serde_json::Value>,
    /// The latest recommendation of who should take the task, with its model version.
    pub recommendation: Option<serde_json::Value>,
    pub last_position: i64,
}

/// One row of `boards_projects`.
#[derive(Debug, Clone, PartialEq)]
pub struct ProjectRow {
    pub project_id: Uuid,
    pub name: String,
    pub status: String,
    pub start_date: NaiveDate,
    pub deadline: Option<NaiveDate>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// One row of `boards_members`.
#[derive(Debug, Clone, PartialEq)]
pub struct MemberRow {
    pub member_id: Uuid,
    pub name: String,
    pub skills: Vec<String>,
    pub capacity_hours_per_week: f64,
    pub registered_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// One row of `boards_milestones`.
#[derive(Debug, Clone, PartialEq)]
pub struct MilestoneRow {
    pub project_id: Uuid,
    pub milestone_id: Uuid,
    pub name: String,
    pub due_date: NaiveDate,
    pub completed: bool,
    pub completed_at: Option<DateTime<Utc>>,
}

/// One row of `boards_project_members`, keyed by `(project_id, member_id)` elsewhere.
#[derive(Debug, Clone, PartialEq)]
pub struct Membership {
    pub role: Option<String>,
    pub joined_at: DateTime<Utc>,
}

impl TaskRow {
    /// A new task is `todo`; it waits for its dependencies, never for itself.
    pub fn created(e: &TaskCreated, at: DateTime<Utc>, position: i64) -> TaskRow {
        let mut depends_on: Vec<Uuid> = e
            .depends_on
            .iter()
            .map(|d| d.0)
            .filter(|d| *d != e.task_id.0)
            .collect();
        depends_on.sort_unstable();
        depends_on.dedup();
        TaskRow {
            task_id: e.task_id.0,
            project_id: e.project_id.0,
            title: e.title.clone(),
            description: e.description.clone(),
            status: TaskStatus::Todo,
            blocked_from: None,
            assignee: None,
            estimate_hours: e.estimate_hours,
            logged_hours: 0.0,
            priority: i16::from(e.priority),
            labels: e.labels.clone(),
            skills: e.skills.clone(),
            milestone_id: e.milestone_id.map(|m| m.0),
            due_date: e.due_date,
            depends_on,
            reopen_count: 0,
            created_at: at,
            started_at: None,
            completed_at: None,
            updated_at: at,
            risk: None,
            forecast: None,
            risk_detail: None,
            recommendation: None,
            last_position: position,
        }
    }

    /// Keeps `depends_on` sorted and without duplicates.
    pub fn add_dependency(&mut self, dep: Uuid) {
        if let Err(i) = self.depends_on.binary_search(&dep)
            && dep != self.task_id
        {
            self.depends_on.insert(i, dep);
        }
    }
}

impl ProjectRow {
    /// A new project is `active`.
    pub fn created(e: &ProjectCreated, at: DateTime<Utc>) -> ProjectRow {
        ProjectRow {
            project_id: e.project_id.0,
            name: e.name.clone(),
            status: ProjectStatus::Active.as_str().to_owned(),
            start_date: e.start_date,
            deadline: e.deadline,
            created_at: at,
            updated_at: at,
        }
    }
}

impl MemberRow {
    pub fn registered(e: &MemberRegistered, at: DateTime<Utc>) -> MemberRow {
        MemberRow {
            member_id: e.member_id.0,
            name: e.name.clone(),
            skills: e.skills.clone(),
            capacity_hours_per_week: e.capacity_hours_per_week,
            registered_at: at,
            updated_at: at,
        }
    }
}

impl MilestoneRow {
    pub fn added(e: &MilestoneAdded) -> MilestoneRow {
        MilestoneRow {
            project_id: e.project_id.0,
            milestone_id: e.milestone_id.0,
            name: e.name.clone(),
            due_date: e.due_date,
            completed: false,
            completed_at: None,
        }
    }
}

/// The status as stored (`TaskStatus::as_str`), read back.
pub fn parse_status(s: &str) -> Option<TaskStatus> {
    TaskStatus::ALL
        .into_iter()
        .find(|status| status.as_str() == s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_reads_back_from_its_name() {
        for status in TaskStatus::ALL {
            assert_eq!(parse_status(status.as_str()), Some(status));
        }
        assert_eq!(parse_status("doing"), None);
    }
}
