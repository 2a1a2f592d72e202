//! Which rows a batch may change, so that `load` reads them in one query per table.

use std::collections::BTreeSet;

use domain::Event;
use uuid::Uuid;

/// The ids of the rows a batch may change, to load them in one query per table.
#[derive(Debug, Default, PartialEq)]
pub struct Keys {
    pub tasks: BTreeSet<Uuid>,
    pub projects: BTreeSet<Uuid>,
    pub members: BTreeSet<Uuid>,
    /// `(project_id, milestone_id)`.
    pub milestones: BTreeSet<(Uuid, Uuid)>,
}

impl Keys {
    pub fn of<'a>(events: impl IntoIterator<Item = &'a Event>) -> Keys {
        let mut keys = Keys::default();
        for event in events {
            keys.add(event);
        }
        keys
    }

    fn add(&mut self, event: &Event) {
        use Event as E;
        let task = match event {
            E::MemberRegistered(e) => return self.member(e.member_id.0),
            E::MemberCapacityChanged(e) => return self.member(e.member_id.0),
            // Time off shapes schedules, not boards.
            E::MemberTimeOffAdded(_) => return,
            E::MilestoneAdded(e) => return self.milestone(e.project_id.0, e.milestone_id.0),
            E::MilestoneMoved(e) => return self.milestone(e.project_id.0, e.milestone_id.0),
            E::MilestoneCompleted(e) => return self.milestone(e.project_id.0, e.milestone_id.0),
            E::ProjectCreated(e) => return self.project(e.project_id.0),
            E::ProjectRenamed(e) => return self.project(e.project_id.0),
            E::ProjectStatusChanged(e) => return self.project(e.project_id.0),
            // Memberships are replaced whole, not loaded; their project must be known.
            E::MemberJoinedProject(e) => return self.project(e.project_id.0),
            E::MemberLeftProject(e) => return self.project(e.project_id.0),
            E::TaskCreated(e) => e.task_id,
            E::TaskAssigned(e) => e.task_id,
            E::TaskUnassigned(e) => e.task_id,
            E::TaskStarted(e) | E::TaskUnblocked(e) | E::TaskCompleted(e) => e.task_id,
            E::TaskBlocked(e) | E::TaskReopened(e) | E::TaskCancelled(e) => e.task_id,
            E::TaskEstimateChanged(e) => e.task_id,
            E::TaskDueDateChanged(e) => e.task_id,
            E::TaskDependencyAdded(e) | E::TaskDependencyRemoved(e) => e.task_id,
            E::TaskWorkLogged(e) => e.task_id,
            E::TaskForecasted(e) => e.task_id,
            E::TaskRiskAssessed(e) => e.task_id,
            E::ProjectForecasted(_)
            | E::AssignmentRecommended(_)
            | E::ModelTrained(_)
            | E::ModelPromoted(_) => return,
        };
        self.tasks.insert(task.0);
    }

    fn member(&mut self, id: Uuid) {
        self.members.insert(id);
    }

    fn project(&mut self, id: Uuid) {
        self.projects.insert(id);
    }

    /// A milestone event needs its project too: milestones of unknown projects are skipped.
    fn milestone(&mut self, project: Uuid, milestone: Uuid) {
        self.projects.insert(project);
        self.milestones.insert((project, milestone));
    }
}

#[cfg(test)]
mod tests {
    use domain::{
        Event, MemberId, MemberLeftProject, MilestoneCompleted, MilestoneId, ProjectId,
        TaskChanged, TaskCreated, TaskId,
    };
    use uuid::Uuid;

    use super::Keys;

    const PROJECT: ProjectId = ProjectId(Uuid::from_u128(1));
    const TASK: TaskId = TaskId(Uuid::from_u128(10));
    const OTHER_TASK: TaskId = TaskId(Uuid::from_u128(11));
    const MEMBER: MemberId = MemberId(Uuid::from_u128(20));

    fn created(task: TaskId) -> Event {
        Event::TaskCreated(TaskCreated {
            task_id: task,
            project_id: PROJECT,
            title: "t".into(),
            description: None,
            estimate_hours: 1.0,
            priority: 1,
            labels: vec![],
            skills: vec![],
            milestone_id: None,
            due_date: None,
            depends_on: vec![],
        })
    }

    fn ids(task: TaskId) -> TaskChanged {
        TaskChanged {
            task_id: task,
            project_id: PROJECT,
        }
    }

    #[test]
    fn keys_name_every_row_a_batch_may_touch() {
        let milestone = MilestoneId(Uuid::from_u128(40));
        let events = [
            created(TASK),
            Event::TaskStarted(ids(OTHER_TASK)),
            Event::MilestoneCompleted(MilestoneCompleted {
                project_id: PROJECT,
                milestone_id: milestone,
            }),
            Event::MemberLeftProject(MemberLeftProject {
                project_id: PROJECT,
                member_id: MEMBER,
            }),
        ];
        let keys = Keys::of(&events);
        assert_eq!(
            keys.tasks.into_iter().collect::<Vec<_>>(),
            vec![TASK.0, OTHER_TASK.0]
        );
        assert_eq!(
            keys.projects.into_iter().collect::<Vec<_>>(),
            vec![PROJECT.0]
        );
        assert_eq!(
            keys.milestones.into_iter().collect::<Vec<_>>(),
            vec![(PROJECT.0, milestone.0)]
        );
        assert!(
            keys.members.is_empty(),
            "membership rows are replaced, not loaded"
        );
    }
}
