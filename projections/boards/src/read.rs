//! The read queries the query API calls, and the views they answer with.
//! Each takes a pool whose search path starts with this projection's schema.

mod board;
mod member;
mod project;
mod task;

pub use board::{Board, Card, Column, board};
pub use member::{MemberProject, MemberView, MemberWork, WorkItem, member, member_work};
pub use project::{
    MilestoneView, ProjectMember, ProjectSummary, ProjectView, TaskCounts, project, projects,
    projects_among,
};
pub use task::{TaskView, task};
