//! The boards projection: columns per project, cards, counts, work in progress; each member's open work.
//!
//! `apply` loads the rows a batch touches (`load`), folds the batch in memory (`fold`, pure)
//! and writes the changed rows back set-wise (`write`); `read` answers the query API.

mod fold;
mod keys;
mod load;
mod order;
mod projection;
mod read;
mod rows;
mod write;

pub use order::{SortKey, card_order, work_order};
pub use projection::Boards;
pub use read::{
    Board, Card, Column, MemberProject, MemberView, MemberWork, MilestoneView, ProjectMember,
    ProjectSummary, ProjectView, TaskCounts, TaskView, WorkItem, board, member, member_work,
    project, projects, projects_among, task,
};
