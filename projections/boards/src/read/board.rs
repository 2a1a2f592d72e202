//! A project's board: four columns of cards, with counts and work in progress.

use chrono::{DateTime, Utc};
use domain::TaskStatus;
use serde::Serialize;
use sqlx::{PgPool, Row};
use uuid::Uuid;

use crate::order::{SortKey, card_order};
use crate::rows::parse_status;

/// The board of a project. Cancelled tasks are not on it.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Board {
    pub project_id: Uuid,
    pub name: String,
    /// `todo`, `in_progress`, `blocked`, `done`, in this order.
    pub columns: Vec<Column>,
    /// Tasks in progress or blocked.
    pub work_in_progress: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Column {
    /// The status of the column's tasks.
    pub key: String,
    pub count: i64,
    /// By priority (1 first), then due date (none last), then creation, then id.
    pub tasks: Vec<Card>,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Card {
    pub task_id: Uuid,
    pub title: String,
    /// The assigned member, if any.
    pub assignee: Option<Uuid>,
    pub estimate_hours: f64,
    /// 1 (highest) to 4.
    pub priority: i16,
    pub due_date: Option<DateTime<Utc>>,
    /// The latest predicted probability of finishing after the due date, once predicted.
    pub risk: Option<f64>,
}

/// The statuses that have a column, in board order.
const COLUMNS: [TaskStatus; 4] = [
    TaskStatus::Todo,
    TaskStatus::InProgress,
    TaskStatus::Blocked,
    TaskStatus::Done,
];

/// A card as read, with what places it on the board.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Placed {
    pub status: TaskStatus,
    pub key: SortKey,
    pub card: Card,
}

pub async fn board(pool: &PgPool, project_id: Uuid) -> anyhow::Result<Option<Board>> {
    let name: Option<String> =
        sqlx::query_scalar("SELECT name FROM boards_projects WHERE project_id = $1")
            .bind(project_id)
            .fetch_optional(pool)
            .await?;
    let Some(name) = name else { return Ok(None) };
    let rows = sqlx::query(
        "SELECT task_id, title, status, assignee, estimate_hours, priority, due_date, risk, created_at
         FROM boards_tasks WHERE project_id = $1 AND status <> 'cancelled'",
    )
    .bind(project_id)
    .fetch_all(pool)
    .await?;
    let mut placed = Vec::with_capacity(rows.len());
    for row in rows {
        let status: String = row.try_get("status")?;
        let Some(status) = parse_status(&status) else {
            continue;
        };
        let card = Card {
            task_id: row.try_get("task_id")?,
            title: row.try_get("title")?,
            assignee: row.try_get("assignee")?,
            estimate_hours: row.try_get("estimate_hours")?,
            priority: row.try_get("priority")?,
            due_date: row.try_get("due_date")?,
            risk: row.try_get("risk")?,
        };
        let key = SortKey {
            priority: card.priority,
            due_date: card.due_date,
            created_at: row.try_get("created_at")?,
            task_id: card.task_id,
        };
        placed.push(Placed { status, key, card });
    }
    let columns = columns(placed);
    let work_in_progress = columns
        .iter()
        .filter(|c| {
            c.key == TaskStatus::InProgress.as_str() || c.key == TaskStatus::Blocked.as_str()
        })
        .map(|c| c.count)
        .sum();
    Ok(Some(Board {
        project_id,
        name,
        columns,
        work_in_progress,
    }))
}

/// Files cards into the four columns, each in card order; cards of other statuses are left out.
pub(crate) fn columns(mut placed: Vec<Placed>) -> Vec<Column> {
    placed.sort_by(|a, b| card_order(&a.key, &b.key));
    COLUMNS
        .iter()
        .map(|status| {
            let tasks: Vec<Card> = placed
                .iter()
                .filter(|p| p.status == *status)
                .map(|p| p.card.clone())
                .collect();
            Column {
                key: status.as_str().to_owned(),
                count: tasks.len() as i64,
                tasks,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn placed(id: u128, status: TaskStatus, priority: i16) -> Placed {
        let created_at = Utc
            .with_ymd_and_hms(2026, 1, 1, 0, 0, 0)
            .single()
            .unwrap_or_default();
        let task_id = Uuid::from_u128(id);
        let card = Card {
            task_id,
            title: format!("task {id}"),
            assignee: None,
            estimate_hours: 1.0,
            priority,
            due_date: None,
            risk: None,
        };
        Placed {
            status,
            key: SortKey {
                priority,
                due_date: None,
                created_at,
                task_id,
            },
            card,
        }
    }

    #[test]
    fn four_columns_in_board_order_each_sorted_without_cancelled_cards() {
        let columns = columns(vec![
            placed(1, TaskStatus::Done, 2),
            placed(2, TaskStatus::Todo, 4),
            placed(3, TaskStatus::Todo, 1),
            placed(4, TaskStatus::Cancelled, 1),
            placed(5, TaskStatus::Blocked, 3),
        ]);
        let keys: Vec<&str> = columns.iter().map(|c| c.key.as_str()).collect();
        assert_eq!(keys, ["todo", "in_progress", "blocked", "done"]);
        let ids = |c: &Column| {
            c.tasks
                .iter()
                .map(|t| t.task_id.as_u128())
                .collect::<Vec<_>>()
        };
        assert_eq!(ids(&columns[0]), vec![3, 2]);
        assert_eq!(columns[0].count, 2);
        assert!(columns[1].tasks.is_empty());
        assert_eq!(columns[1].count, 0);
        assert_eq!(ids(&columns[2]), vec![5]);
        assert_eq!(ids(&columns[3]), vec![1]);
    }
}
