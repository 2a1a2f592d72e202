//! The project aggregate's decisions: creation, renaming, members, milestones, status.

use crate::command::{Command, CreateProject};
use crate::event::{
    Event, MemberJoinedProject, MemberLeftProject, MilestoneAdded, MilestoneCompleted,
    MilestoneMoved, ProjectCreated, ProjectRenamed, ProjectStatusChanged,
};
use crate::ids::MilestoneId;
use crate::project::{Milestone, ProjectState};
use crate::rejection::Rejection;
use crate::state::References;

const MEMBER: &str = "payload.member_id";
const MILESTONE: &str = "payload.milestone_id";

/// `project.create` on a stream with no project yet.
pub(crate) fn create(c: &CreateProject) -> Vec<Event> {
    vec![Event::ProjectCreated(ProjectCreated {
        project_id: c.project_id,
        name: c.name.clone(),
        start_date: c.start_date,
        deadline: c.deadline,
    })]
}

/// Decides a command on an existing project.
pub(crate) fn decide(
    command: &Command,
    project: &ProjectState,
    refs: &References,
) -> Result<Vec<Event>, Rejection> {
    let project_id = project.id;
    let event = match command {
        Command::RenameProject(c) => Event::ProjectRenamed(ProjectRenamed {
            project_id,
            name: c.name.clone(),
        }),
        Command::AddProjectMember(c) => {
            not_closed(project, "add a member to")?;
            let member = refs.member(c.member_id).ok_or_else(|| {
                Rejection::not_found(MEMBER, format!("member {} is not registered", c.member_id))
            })?;
            if project.members.contains_key(&c.member_id) {
                return Err(Rejection::already_exists(
                    MEMBER,
                    format!("member {} is already in project {project_id}", c.member_id),
                ));
            }
            Event::MemberJoinedProject(MemberJoinedProject {
                project_id,
                member_id: c.member_id,
                role: c.role.clone(),
                capacity_hours_per_week: member.capacity_hours_per_week,
                skills: member.skills.clone(),
            })
        }
        Command::RemoveProjectMember(c) => {
            if !project.members.contains_key(&c.member_id) {
                return Err(Rejection::not_found(
                    MEMBER,
                    format!("member {} is not in project {project_id}", c.member_id),
                ));
            }
            Event::MemberLeftProject(MemberLeftProject {
                project_id,
                member_id: c.member_id,
            })
        }
        Command::AddMilestone(c) => {
            not_closed(project, "add a milestone to")?;
            if project.milestones.contains_key(&c.milestone_id) {
                return Err(Rejection::already_exists(
                    MILESTONE,
                    format!(
                        "milestone {} already exists in project {project_id}",
                        c.milestone_id
                    ),
                ));
            }
            Event::MilestoneAdded(MilestoneAdded {
                project_id,
                milestone_id: c.milestone_id,
                name: c.name.clone(),
                due_date: c.due_date,
            })
        }
        Command::MoveMilestone(c) => {
            open_milestone(project, c.milestone_id, "move")?;
            Event::MilestoneMoved(MilestoneMoved {
                project_id,
                milestone_id: c.milestone_id,
                due_date: c.due_date,
            })
        }
        Command::CompleteMilestone(c) => {
            open_milestone(project, c.milestone_id, "complete")?;
            Event::MilestoneCompleted(MilestoneCompleted {
                project_id,
                milestone_id: c.milestone_id,
            })
        }
        Command::ChangeProjectStatus(c) => {
            if c.status == project.status {
                return Err(Rejection::transition(
                    "payload.status",
                    format!("project {project_id} is already {}", c.status.as_str()),
                ));
            }
            Event::ProjectStatusChanged(ProjectStatusChanged {
                project_id,
                status: c.status,
                previous: project.status,
            })
        }
        other => return Err(crate::decide::not_found_target(other)),
    };
    Ok(vec![event])
}

fn not_closed(project: &ProjectState, verb: &str) -> Result<(), Rejection> {
    if project.is_closed() {
        return Err(Rejection::transition(
            "payload.project_id",
            format!("cannot {verb} project {}: it is closed", project.id),
        ));
    }
    Ok(())
}

/// A milestone that exists and is not completed: a completed one is history.
fn open_milestone<'a>(
    project: &'a ProjectState,
    id: MilestoneId,
    verb: &str,
) -> Result<&'a Milestone, Rejection> {
    let milestone = project.milestones.get(&id).ok_or_else(|| {
        Rejection::not_found(
            MILESTONE,
            format!("milestone {id} does not exist in project {}", project.id),
        )
    })?;
    if milestone.completed {
        return Err(Rejection::transition(
            MILESTONE,
            format!("cannot {verb} milestone {id}: it is completed"),
        ));
    }
    Ok(milestone)
}
