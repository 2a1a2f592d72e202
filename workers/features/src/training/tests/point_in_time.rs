//! The point-in-time property: a sample's features are those a fresh state fed only the events
//! up to the run's start would give. Random valid logs, with many events sharing an instant.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use domain::{
    Event, MemberCapacityChanged, MemberId, Move, ProjectId, TaskId, TaskStatus, next_status,
};
use proptest::prelude::*;

use crate::testing::*;
use crate::{FEATURE_NAMES, FeatureState, TrainingLog};

const LABELS: [&str; 3] = ["api", "ui", "billing"];
const SKILLS: [&str; 4] = ["rust", "sql", "python", "ui"];
/// Hours between two events: ties are common on purpose.
const GAPS: [f64; 8] = [0.0, 0.0, 0.0, 0.25, 1.0, 5.0, 24.0, 200.0];

#[derive(Clone, Debug)]
enum Action {
    Create {
        project: u8,
        estimate: u8,
        priority: u8,
        labels: u8,
        skills: u8,
        due: Option<u16>,
        deps: u8,
    },
    Assign {
        task: u8,
        member: u8,
    },
    Unassign {
        task: u8,
    },
    Step {
        task: u8,
        step: u8,
    },
    Estimate {
        task: u8,
        hours: u8,
    },
    Due {
        task: u8,
        hours: u16,
    },
    AddDependency {
        task: u8,
        dep: u8,
    },
    RemoveDependency {
        task: u8,
        dep: u8,
    },
    Log {
        task: u8,
        hours: u8,
    },
    Capacity {
        member: u8,
        hours: u8,
    },
}

fn action() -> impl Strategy<Value = Action> {
    let create = (
        any::<u8>(),
        1..=40u8,
        1..=4u8,
        any::<u8>(),
        any::<u8>(),
        proptest::option::of(0..400u16),
        any::<u8>(),
    )
        .prop_map(
            |(project, estimate, priority, labels, skills, due, deps)| Action::Create {
                project,
                estimate,
                priority,
                labels,
                skills,
                due,
                deps,
            },
        );
    let pair = || (any::<u8>(), any::<u8>());
    prop_oneof![
        3 => create,
        4 => pair().prop_map(|(task, member)| Action::Assign { task, member }),
        1 => any::<u8>().prop_map(|task| Action::Unassign { task }),
        8 => pair().prop_map(|(task, step)| Action::Step { task, step }),
        1 => pair().prop_map(|(task, hours)| Action::Estimate { task, hours }),
        1 => (any::<u8>(), 0..400u16).prop_map(|(task, hours)| Action::Due { task, hours }),
        1 => pair().prop_map(|(task, dep)| Action::AddDependency { task, dep }),
        1 => pair().prop_map(|(task, dep)| Action::RemoveDependency { task, dep }),
        1 => pair().prop_map(|(task, hours)| Action::Log { task, hours }),
        1 => pair().prop_map(|(member, hours)| Action::Capacity { member, hours }),
    ]
}

struct ModelTask {
    id: TaskId,
    project: ProjectId,
    status: TaskStatus,
    blocked_from: Option<TaskStatus>,
    assignee: Option<MemberId>,
    deps: BTreeSet<usize>,
}

/// Turns actions into a valid log: an action the domain would reject is skipped.
#[derive(Default)]
struct Generator {
    tasks: Vec<ModelTask>,
    events: Vec<(Event, DateTime<Utc>)>,
    hours: f64,
}

fn pick<T>(items: &[T], n: u8) -> Option<usize> {
    (!items.is_empty()).then(|| usize::from(n) % items.len())
}

fn subset(names: &[&str], mask: u8) -> Vec<String> {
    let chosen = names
        .iter()
        .enumerate()
        .filter(|(i, _)| mask & (1 << i) != 0);
    chosen.map(|(_, name)| (*name).to_owned()).collect()
}

impl Generator {
    fn new() -> Self {
        let mut generator = Generator::default();
        for p in 1..=2 {
            generator.emit(project_created(project_id(p)));
        }
        for m in 1..=3u8 {
            let skills = subset(&SKILLS, m | 4);
            let skills: Vec<&str> = skills.iter().map(String::as_str).collect();
            generator.emit(member_registered(
                member_id(m.into()),
                &skills,
                10.0 * f64::from(m),
            ));
            for p in 1..=2 {
                generator.emit(member_joined(project_id(p), member_id(m.into())));
            }
        }
        generator
    }

    fn emit(&mut self, event: Event) {
        self.events.push((event, at(self.hours)));
    }

    fn open_task(&self, n: u8) -> Option<usize> {
        pick(&self.tasks, n).filter(|i| !self.tasks[*i].status.is_closed())
    }

    fn act(&mut self, action: Action) {
        match action {
            Action::Create {
                project,
                estimate,
                priority,
                labels,
                skills,
                due,
                deps,
            } => {
                let project = project_id(u128::from(project % 2) + 1);
                let earlier: Vec<usize> = (0..self.tasks.len())
                    .filter(|i| self.tasks[*i].project == project)
                    .collect();
                let deps: BTreeSet<usize> = earlier
                    .iter()
                    .rev()
                    .take(8)
                    .enumerate()
                    .filter(|(bit, _)| deps & (1 << bit) != 0)
                    .map(|(_, i)| *i)
                    .collect();
                let id = task_id(self.tasks.len() as u128 + 1);
                let new = NewTask {
                    estimate_hours: f64::from(estimate) / 2.0,
                    priority,
                    labels: subset(&LABELS, labels),
                    skills: subset(&SKILLS, skills),
                    due_date: due.map(|h| at(self.hours + f64::from(h) - 100.0)),
                    depends_on: deps.iter().map(|i| self.tasks[*i].id).collect(),
                };
                self.emit(task_created(id, project, new));
                self.tasks.push(ModelTask {
                    id,
                    project,
                    status: TaskStatus::Todo,
                    blocked_from: None,
                    assignee: None,
                    deps,
                });
            }
            Action::Assign { task, member } => {
                let Some(i) = self.open_task(task) else {
                    return;
                };
                let member = member_id(u128::from(member % 3) + 1);
                let task = &mut self.tasks[i];
                if task.assignee.replace(member) != Some(member) {
                    let event = assigned(task.id, task.project, member);
                    self.emit(event);
                }
            }
            Action::Unassign { task } => {
                let Some(i) = self.open_task(task) else {
                    return;
                };
                let task = &mut self.tasks[i];
                if let Some(member) = task.assignee.take() {
                    let event = unassigned(task.id, task.project, member);
                    self.emit(event);
                }
            }
            Action::Step { task, step } => self.step(task, step),
            Action::Estimate { task, hours } => {
                let Some(i) = self.open_task(task) else {
                    return;
                };
                let (id, project) = (self.tasks[i].id, self.tasks[i].project);
                self.emit(estimate_changed(id, project, f64::from(hours) / 4.0 + 0.5));
            }
            Action::Due { task, hours } => {
                let Some(i) = self.open_task(task) else {
                    return;
                };
                let (id, project) = (self.tasks[i].id, self.tasks[i].project);
                let due = at(self.hours + f64::from(hours) - 100.0);
                self.emit(due_date_changed(id, project, due));
            }
            Action::AddDependency { task, dep } => {
                let (Some(i), Some(d)) = (self.open_task(task), pick(&self.tasks, dep)) else {
                    return;
                };
                // Only on earlier tasks: no cycles.
                let same_project = self.tasks[i].project == self.tasks[d].project;
                if d < i && same_project && self.tasks[i].deps.insert(d) {
                    let (id, project) = (self.tasks[i].id, self.tasks[i].project);
                    self.emit(dependency_added(id, project, self.tasks[d].id));
                }
            }
            Action::RemoveDependency { task, dep } => {
                let Some(i) = self.open_task(task) else {
                    return;
                };
                let deps: Vec<usize> = self.tasks[i].deps.iter().copied().collect();
                let Some(d) = pick(&deps, dep).map(|k| deps[k]) else {
                    return;
                };
                self.tasks[i].deps.remove(&d);
                let (id, project) = (self.tasks[i].id, self.tasks[i].project);
                self.emit(dependency_removed(id, project, self.tasks[d].id));
            }
            Action::Log { task, hours } => {
                let Some(i) = pick(&self.tasks, task) else {
                    return;
                };
                if self.tasks[i].status != TaskStatus::Cancelled {
                    let (id, project) = (self.tasks[i].id, self.tasks[i].project);
                    self.emit(work_logged(id, project, f64::from(hours % 40) + 0.5));
                }
            }
            Action::Capacity { member, hours } => {
                self.emit(Event::MemberCapacityChanged(MemberCapacityChanged {
                    member_id: member_id(u128::from(member % 3) + 1),
                    capacity_hours_per_week: f64::from(hours % 60),
                }));
            }
        }
    }

    /// Mostly starts and completions; when the chosen move is forbidden, the first of a start,
    /// an unblock, a completion or a reopen that is allowed.
    fn step(&mut self, task: u8, step: u8) {
        use Move::{Block, Cancel, Complete, Reopen, Start, Unblock};
        const CHOICES: [Move; 16] = [
            Start, Start, Start, Start, Start, Complete, Complete, Complete, Complete, Complete,
            Block, Block, Unblock, Unblock, Reopen, Cancel,
        ];
        let Some(i) = pick(&self.tasks, task) else {
            return;
        };
        let task = &mut self.tasks[i];
        let chosen = CHOICES[usize::from(step) % CHOICES.len()];
        let allowed = [chosen, Start, Unblock, Complete, Reopen]
            .into_iter()
            .find_map(|m| next_status(task.status, m, task.blocked_from).map(|next| (m, next)));
        let Some((step, next)) = allowed else { return };
        task.blocked_from = (next == TaskStatus::Blocked).then_some(task.status);
        task.status = next;
        let event = moved(task.id, task.project, step);
        self.emit(event);
    }
}

fn log() -> impl Strategy<Value = Vec<(Event, DateTime<Utc>)>> {
    proptest::collection::vec((0..GAPS.len(), action()), 1..120).prop_map(|actions| {
        let mut generator = Generator::new();
        for (gap, action) in actions {
            generator.hours += GAPS[gap];
            generator.act(action);
        }
        generator.events
    })
}

proptest! {
    #[test]
    fn samples_see_nothing_after_their_start(events in log()) {
        let mut training = TrainingLog::new();
        for (position, (event, at)) in (1..).zip(&events) {
            training.observe(event, *at, position);
        }
        for sample in training.samples() {
            prop_assert_eq!(sample.features.0.len(), FEATURE_NAMES.len());
            prop_assert!(sample.features.0.iter().all(|v| v.is_finite()));
            let completion = usize::try_from(sample.completed_position - 1).unwrap();
            let mut fresh = FeatureState::new();
            for (event, at) in &events[..completion] {
                if *at <= sample.started_at {
                    fresh.apply(event, *at);
                }
            }
            let expected = fresh.task_features(sample.task_id, sample.started_at);
            prop_assert_eq!(expected.as_ref(), Some(&sample.features));
            let task = fresh.task(sample.task_id).unwrap();
            prop_assert_eq!(task.assignee, sample.member_id);
            prop_assert_eq!(task.estimate_hours, sample.estimate_hours);
            prop_assert_eq!(task.due_date, sample.due_date);
            let hours = (sample.completed_at - sample.started_at).num_milliseconds();
            prop_assert_eq!(sample.duration_hours, hours as f64 / 3_600_000.0);
        }
    }

    #[test]
    fn serving_and_training_fold_alike(events in log()) {
        let mut training = TrainingLog::new();
        let mut serving = FeatureState::new();
        for (position, (event, at)) in (1..).zip(&events) {
            training.observe(event, *at, position);
            serving.apply(event, *at);
        }
        let as_of = events.last().map(|(_, at)| *at).unwrap();
        for n in 1..=events.len() as u128 {
            let task = task_id(n);
            let served = serving.task_features(task, as_of);
            prop_assert_eq!(&served, &training.state().task_features(task, as_of));
            if let Some(member) = serving.task(task).and_then(|t| t.assignee) {
                prop_assert_eq!(&served, &serving.task_features_for(task, member, as_of));
            }
        }
    }
}
