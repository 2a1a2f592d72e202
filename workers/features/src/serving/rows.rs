//! A task's row and a project's context, from the folded state.

use chrono::{DateTime, Utc};
use domain::ProjectId;

use super::TaskRow;
use crate::store::{
    CandidateFeatures, MemberContext, MilestoneContext, ProjectContext, QUEUE_LIMIT, QueuedTask,
    TaskContext,
};
use crate::{FeatureState, MemberView, TaskView};

pub(super) fn task_row(state: &FeatureState, task: &TaskView, as_of: DateTime<Utc>) -> TaskRow {
    let features = state
        .task_features(task.id, as_of)
        .map(|features| features.0)
        .unwrap_or_default();
    let candidates = if task.is_open() && task.assignee.is_none() {
        state
            .project_members(task.project_id)
            .filter_map(|(member, _role)| candidate(state, task, member, as_of))
            .collect()
    } else {
        Vec::new()
    };
    TaskRow {
        task_id: task.id.0,
        project_id: task.project_id.0,
        open: task.is_open(),
        as_of,
        features,
        context: TaskContext {
            status: task.status.as_str().to_owned(),
            assignee: task.assignee.map(|member| member.0),
            milestone_id: task.milestone_id.map(|milestone| milestone.0),
            depends_on: task.depends_on.iter().map(|dep| dep.0).collect(),
            due_date: task.due_date,
            started_at: task.started_at,
            estimate_hours: task.estimate_hours,
            priority: task.priority,
            skills: task.skills.clone(),
        },
        candidates,
    }
}

fn candidate(
    state: &FeatureState,
    task: &TaskView,
    member: &MemberView,
    as_of: DateTime<Utc>,
) -> Option<CandidateFeatures> {
    let features = state.task_features_for(task.id, member.id, as_of)?;
    Some(CandidateFeatures {
        member_id: member.id.0,
        skill_match: features.get("skill_match").unwrap_or(0.0),
        features: features.0,
        queued_open_hours: member.open_estimate_hours(),
        capacity_hours_per_week: member.capacity_hours_per_week,
        queue: queue(state, member),
    })
}

/// The member's open tasks in the order they are worked: started first, then by priority
/// (1 first), then by due date (none last), then by id; the first [`QUEUE_LIMIT`].
fn queue(state: &FeatureState, member: &MemberView) -> Vec<QueuedTask> {
    let mut queue: Vec<QueuedTask> = member
        .open_tasks
        .iter()
        .filter_map(|id| state.task(*id))
        .map(|task| QueuedTask {
            task_id: task.id.0,
            estimate_hours: task.estimate_hours,
            priority: task.priority,
            due_date: task.due_date,
            started_at: task.started_at,
        })
        .collect();
    queue.sort_by_key(|q| {
        (
            q.started_at.is_none(),
            q.priority,
            q.due_date.is_none(),
            q.due_date,
            q.task_id,
        )
    });
    queue.truncate(QUEUE_LIMIT);
    queue
}

pub(super) fn project_context(state: &FeatureState, id: ProjectId) -> Option<ProjectContext> {
    let project = state.project(id)?;
    Some(ProjectContext {
        start_date: project.start_date,
        deadline: project.deadline,
        milestones: project
            .milestones
            .iter()
            .map(|(id, milestone)| MilestoneContext {
                milestone_id: id.0,
                due_date: milestone.due_date,
                completed: milestone.completed,
            })
            .collect(),
        members: state
            .project_members(id)
            .map(|(member, _role)| MemberContext {
                member_id: member.id.0,
                capacity_hours_per_week: member.capacity_hours_per_week,
                queued_open_hours: member.open_estimate_hours(),
            })
            .collect(),
    })
}
