//! The simulation against the domain: every command accepted in order, as a handler would decide
//! it; determinism, size, order in time, and a truth that looks like the history.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, Utc};
use domain::{
    Command, CommandEnvelope, Event, References, Rejection, State, StreamId, TaskId, TaskStatus,
    decide, evolve,
};
use simulate::{SimConfig, Simulation, TRUTH_CSV_HEADER, simulate};

fn present() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-03-02T12:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

fn run(seed: u64, target: usize) -> Simulation {
    simulate(&SimConfig::new(seed, target, present()))
}

/// The streams' folded states, and a handler's way of deciding a command against them.
#[derive(Default)]
struct Log {
    states: HashMap<StreamId, State>,
}

impl Log {
    fn handle(&mut self, body: &[u8]) -> Result<Vec<Event>, Rejection> {
        let envelope = CommandEnvelope::from_slice(body)?;
        let command = envelope.command()?;
        let current = self.states.get(&command.target()).cloned();
        let mut refs = References::new();
        for stream in command.references(current.as_ref()) {
            if let Some(state) = self.states.get(&stream) {
                refs.insert(stream, state.clone());
            }
        }
        self.load_dependencies(&command, &mut refs);
        let events = decide(&command, current.as_ref(), &refs)?;
        for event in &events {
            let stream = event.stream();
            let state = evolve(self.states.remove(&stream), event);
            if let Some(state) = state {
                self.states.insert(stream, state);
            }
        }
        Ok(events)
    }

    /// For `task.add_dependency`, every task the loaded tasks depend on, transitively.
    fn load_dependencies(&self, command: &Command, refs: &mut References) {
        if !matches!(command, Command::AddDependency(_)) {
            return;
        }
        let mut tried = BTreeSet::new();
        loop {
            let missing: Vec<TaskId> = refs
                .unresolved_dependencies()
                .into_iter()
                .filter(|id| tried.insert(*id))
                .collect();
            if missing.is_empty() {
                return;
            }
            for id in missing {
                if let Some(state) = self.states.get(&StreamId::task(id)) {
                    refs.insert(StreamId::task(id), state.clone());
                }
            }
        }
    }

    fn tasks(&self) -> impl Iterator<Item = &domain::TaskState> {
        self.states.values().filter_map(State::as_task)
    }
}

fn replay(simulation: &Simulation) -> Log {
    let mut log = Log::default();
    for (i, command) in simulation.commands.iter().enumerate() {
        let body = serde_json::to_vec(&command.envelope).unwrap();
        match log.handle(&body) {
            Ok(events) => assert_eq!(events.len(), 1, "command {i}: {}", command.envelope),
            Err(rejection) => panic!("command {i} rejected: {rejection}\n{}", command.envelope),
        }
    }
    log
}

#[test]
fn every_command_is_accepted_in_order() {
    let simulation = run(1, 2_000);
    let log = replay(&simulation);

    let statuses: BTreeSet<TaskStatus> = log.tasks().map(|task| task.status).collect();
    for status in [
        TaskStatus::Todo,
        TaskStatus::InProgress,
        TaskStatus::Done,
        TaskStatus::Cancelled,
    ] {
        assert!(
            statuses.contains(&status),
            "no task is {status:?} at the present"
        );
    }
    let unassigned_open = log
        .tasks()
        .filter(|task| task.status == TaskStatus::Todo && task.assignee.is_none())
        .count();
    assert!(
        unassigned_open > 0,
        "no unassigned open task at the present"
    );
    assert!(log.tasks().any(|task| task.reopen_count > 0));
    assert!(
        log.tasks()
            .filter(|task| task.status == TaskStatus::InProgress)
            .all(|task| task.assignee.is_some()),
        "work in progress has someone doing it"
    );
}

#[test]
fn small_and_bigger_histories_are_accepted_too() {
    replay(&run(2, 300));
    let mut blocked_at_present = 0;
    for seed in [3, 4] {
        let log = replay(&run(seed, 12_000));
        blocked_at_present += log
            .tasks()
            .filter(|task| task.status == TaskStatus::Blocked)
            .count();
    }
    assert!(blocked_at_present > 0);
}

#[test]
fn envelopes_follow_the_contract() {
    let simulation = run(4, 1_000);
    let mut ids = BTreeSet::new();
    for command in &simulation.commands {
        let envelope = command.envelope.as_object().unwrap();
        let keys: BTreeSet<&str> = envelope.keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            BTreeSet::from(["command_id", "type", "actor", "occurred_at", "payload"])
        );
        assert_eq!(envelope["type"], command.command_type);
        assert_eq!(envelope["command_id"], command.command_id.to_string());
        let occurred_at: DateTime<Utc> = envelope["occurred_at"].as_str().unwrap().parse().unwrap();
        assert_eq!(occurred_at, command.occurred_at);
        assert!(ids.insert(command.command_id), "command ids are unique");
    }
    let types: BTreeSet<&str> = simulation.commands.iter().map(|c| c.command_type).collect();
    for expected in [
        "member.register",
        "project.create",
        "task.create",
        "task.log_work",
    ] {
        assert!(types.contains(expected), "{expected}");
    }
}

#[test]
fn the_same_seed_gives_the_same_history_and_another_seed_another() {
    let first = run(7, 1_500);
    assert_eq!(first, run(7, 1_500));
    let other = run(8, 1_500);
    assert_ne!(first.commands[0].command_id, other.commands[0].command_id);
    assert_ne!(first.truth, other.truth);
}

#[test]
fn the_size_is_near_the_target() {
    for (seed, target) in [(1, 300), (2, 800), (3, 3_000), (4, 25_000)] {
        let count = run(seed, target).commands.len() as f64;
        let ratio = count / target as f64;
        assert!((0.9..=1.1).contains(&ratio), "{target}: {count}");
    }
}

#[test]
fn commands_are_in_business_time_order_up_to_the_present() {
    let simulation = run(5, 5_000);
    let times: Vec<_> = simulation.commands.iter().map(|c| c.occurred_at).collect();
    assert!(times.windows(2).all(|pair| pair[0] <= pair[1]));
    assert!(times.last().is_some_and(|last| *last <= present()));
    assert!(
        simulation
            .truth
            .iter()
            .all(|row| row.started_at <= present())
    );
}

#[test]
fn the_truth_has_a_row_per_started_task_and_honest_medians() {
    let simulation = run(6, 40_000);
    let started: BTreeSet<String> = simulation
        .commands
        .iter()
        .filter(|c| c.command_type == "task.start")
        .map(|c| {
            c.envelope["payload"]["task_id"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    let rows: BTreeSet<String> = simulation
        .truth
        .iter()
        .map(|r| r.task_id.to_string())
        .collect();
    assert_eq!(started, rows);

    // Runs started long before the present have almost all ended: their ratios are uncensored.
    let cutoff = present() - chrono::Duration::weeks(8);
    let mut ratios: Vec<f64> = simulation
        .truth
        .iter()
        .filter(|r| r.started_at < cutoff)
        .filter_map(|r| Some(r.actual_hours? / r.expected_hours))
        .collect();
    assert!(ratios.len() > 1_000, "{}", ratios.len());
    ratios.sort_by(f64::total_cmp);
    let median = ratios[ratios.len() / 2];
    assert!((0.95..=1.05).contains(&median), "median ratio {median}");

    let count = |pred: &dyn Fn(&simulate::TruthRow) -> bool| {
        simulation.truth.iter().filter(|r| pred(r)).count()
    };
    let done = count(&|r| r.completed_at.is_some());
    let late = count(&|r| r.late == Some(true) && r.completed_at.is_some());
    assert!(late * 20 > done && late * 2 < done, "{late} late of {done}");
    assert!(count(&|r| r.reopened) > 0);
    assert!(count(&|r| r.blocked) > 0);
    assert!(count(&|r| r.completed_at.is_none() && r.status == "in_progress") > 0);
    for row in &simulation.truth {
        if let (Some(done), Some(due)) = (row.completed_at, row.due_date) {
            assert_eq!(row.late, Some(done > due));
        }
        if let Some(done) = row.completed_at {
            let hours = (done - row.started_at).num_seconds() as f64 / 3600.0;
            assert!((row.actual_hours.unwrap() - hours).abs() < 1e-9);
        }
        assert!(row.expected_hours >= 0.0 && row.estimate_hours > 0.0);
    }
}

#[test]
fn the_truth_csv_has_a_header_and_a_line_per_row() {
    let simulation = run(9, 1_200);
    let csv = simulation.truth_csv();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], TRUTH_CSV_HEADER);
    assert_eq!(lines.len(), simulation.truth.len() + 1);
    let columns = TRUTH_CSV_HEADER.split(',').count();
    assert!(lines.iter().all(|line| line.split(',').count() == columns));
}
