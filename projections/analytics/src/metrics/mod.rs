//! The answers, computed at read time from the stored facts by pure functions, all as of the end
//! of a day (UTC) and by business time. One module per family of metrics.

mod accuracy;
mod burn;
mod cycle;
mod flow;
mod load;
mod percentile;
mod period;
mod risk;
mod states;
mod throughput;

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use uuid::Uuid;

pub(crate) use load::member_load;

use crate::model::{MilestoneRow, ProjectRow, ScopeChange, TaskRow, Transition};
use crate::view::ProjectAnalytics;
use period::{Period, end_of};

/// Everything stored about one project.
#[derive(Debug, Clone)]
pub(crate) struct ProjectFacts {
    pub project: ProjectRow,
    pub milestones: Vec<MilestoneRow>,
    pub tasks: Vec<TaskRow>,
    pub transitions: Vec<Transition>,
    pub scope: Vec<ScopeChange>,
    /// Names of the members the tasks are assigned to.
    pub member_names: HashMap<Uuid, String>,
}

pub(crate) fn project_analytics(facts: ProjectFacts, as_of: NaiveDate) -> ProjectAnalytics {
    let ProjectFacts {
        project,
        mut milestones,
        tasks,
        mut transitions,
        mut scope,
        member_names,
    } = facts;
    states::chronological(&mut transitions);
    scope.sort_by_key(|s| (s.occurred_at, s.position));
    let first_event = transitions
        .first()
        .map(|t| t.occurred_at)
        .into_iter()
        .chain(scope.first().map(|s| s.occurred_at))
        .min();
    let period = Period::of_project(
        project.start_date,
        first_event.map(|t| t.date_naive()),
        as_of,
    );
    let cutoff = end_of(as_of);
    let states = states::states_before(&transitions, cutoff);
    let cycle_hours = cycle::cycle_hours(&states);
    let cycle_time = cycle::cycle_time(&cycle_hours);
    let assignees: BTreeMap<Uuid, Option<Uuid>> =
        tasks.iter().map(|t| (t.id, t.assignee)).collect();
    milestones.sort_by(|a, b| {
        a.due_date
            .cmp(&b.due_date)
            .then_with(|| a.name.cmp(&b.name))
            .then(a.id.cmp(&b.id))
    });
    let task_rows: BTreeMap<Uuid, TaskRow> = tasks.iter().map(|t| (t.id, t.clone())).collect();
    ProjectAnalytics {
        project_id: project.id,
        name: project.name,
        as_of,
        from: period.from,
        throughput: throughput::throughput(period, &states),
        ageing_wip: cycle::ageing_wip(&states, &assignees, cutoff, cycle_time.p85_hours),
        cycle_time,
        cumulative_flow: flow::cumulative_flow(period, &transitions),
        burn_up: burn::burn_up(period, &transitions, &scope),
        burn_down: milestones
            .iter()
            .map(|m| burn::burn_down(m, period.from, as_of, &transitions, &scope))
            .collect(),
        estimate_accuracy: accuracy::estimate_accuracy(&states, &task_rows, &member_names),
        risk_distribution: risk::risk_distribution(&tasks),
    }
}
