//! Property tests: random command sequences over a small pool of ids, decided and folded as a
//! handler would; the invariants of the aggregates hold after every step.

use std::collections::{BTreeMap, BTreeSet};

#[path = "properties/strategies.rs"]
mod strategies;

use domain::*;
use proptest::prelude::*;

use self::strategies::{command, prelude};

/// The log, the folded states, and what the accepted commands imply.
#[derive(Default)]
struct World {
    streams: BTreeMap<StreamId, Vec<Event>>,
    states: BTreeMap<StreamId, State>,
    reopens: BTreeMap<TaskId, u32>,
    logged: BTreeMap<TaskId, f64>,
    blocked_from: BTreeMap<TaskId, TaskStatus>,
}

impl World {
    /// What a handler loads: the references, then dependencies until closure.
    fn references(&self, command: &Command, current: Option<&State>) -> References {
        let mut refs = References::new();
        for stream in command.references(current) {
            if let Some(state) = self.states.get(&stream) {
                refs.insert(stream, state.clone());
            }
        }
        let mut tried = BTreeSet::new();
        loop {
            let missing: Vec<TaskId> = refs
                .unresolved_dependencies()
                .into_iter()
                .filter(|t| tried.insert(*t))
                .collect();
            if missing.is_empty() {
                return refs;
            }
            for id in missing {
                if let Some(state) = self.states.get(&StreamId::task(id)) {
                    refs.insert(StreamId::task(id), state.clone());
                }
            }
        }
    }

    fn tasks(&self) -> impl Iterator<Item = &TaskState> {
        self.states.values().filter_map(State::as_task)
    }

    fn step(&mut self, command: &Command) -> Result<(), TestCaseError> {
        let target = command.target();
        let current = self.states.get(&target).cloned();
        let refs = self.references(command, current.as_ref());
        let outcome = decide(command, current.as_ref(), &refs);
        prop_assert_eq!(
            &outcome,
            &decide(command, current.as_ref(), &refs),
            "decide is pure"
        );
        let events = match outcome {
            Ok(events) => events,
            Err(rejection) => {
                prop_assert!(
                    rejection.field.is_some() && !rejection.message.is_empty(),
                    "{}",
                    rejection
                );
                return Ok(());
            }
        };
        prop_assert!(!events.is_empty());
        prop_assert!(events.iter().all(|e| e.stream() == target));
        let before = current.as_ref().and_then(State::as_task).map(|t| t.status);
        let after = events.iter().fold(current, evolve);
        let Some(after) = after else {
            return Err(TestCaseError::fail("accepted events left no state"));
        };
        if let State::Task(task) = &after {
            self.check_transition(task, before, command)?;
        }
        match command {
            Command::ReopenTask(c) => *self.reopens.entry(c.task_id).or_default() += 1,
            Command::LogWork(c) => *self.logged.entry(c.task_id).or_default() += c.hours,
            _ => {}
        }
        self.states.insert(target.clone(), after);
        self.streams.entry(target).or_default().extend(events);
        self.check_invariants()
    }

    fn check_transition(
        &mut self,
        task: &TaskState,
        before: Option<TaskStatus>,
        command: &Command,
    ) -> Result<(), TestCaseError> {
        use TaskStatus::*;
        let Some(before) = before else {
            prop_assert_eq!(task.status, Todo);
            return Ok(());
        };
        let allowed = [
            (Todo, InProgress),
            (Todo, Blocked),
            (InProgress, Blocked),
            (Blocked, InProgress),
            (Blocked, Todo),
            (InProgress, Done),
            (Done, Todo),
            (Todo, Cancelled),
            (InProgress, Cancelled),
            (Blocked, Cancelled),
        ];
        let after = task.status;
        prop_assert!(
            before == after || allowed.contains(&(before, after)),
            "{:?} -> {:?}",
            before,
            after
        );
        if before == Done && after != Done {
            prop_assert!(
                matches!(command, Command::ReopenTask(_)),
                "left done without a reopen"
            );
        }
        if after == Blocked && before != Blocked {
            self.blocked_from.insert(task.id, before);
        }
        if before == Blocked && !matches!(after, Blocked | Cancelled) {
            prop_assert_eq!(
                Some(&after),
                self.blocked_from.get(&task.id),
                "unblock returns where it was"
            );
        }
        Ok(())
    }

    fn check_invariants(&self) -> Result<(), TestCaseError> {
        let mut all = References::new();
        for (stream, state) in &self.states {
            all.insert(stream.clone(), state.clone());
        }
        for task in self.tasks() {
            prop_assert_eq!(
                task.reopen_count,
                self.reopens.get(&task.id).copied().unwrap_or(0)
            );
            let logged = self.logged.get(&task.id).copied().unwrap_or(0.0);
            prop_assert!((task.logged_hours - logged).abs() < 1e-9);
            prop_assert!(
                !task.depends_on.contains(&task.id),
                "a task depends on itself"
            );
            for dep in &task.depends_on {
                prop_assert!(
                    !reachable(*dep, task.id, &all),
                    "dependency cycle through {}",
                    task.id
                );
                prop_assert_eq!(all.task(*dep).map(|d| d.project_id), Some(task.project_id));
            }
            if let Some(member) = task.assignee {
                prop_assert!(all.member(member).is_some());
            }
        }
        Ok(())
    }

    /// Folding each stream from scratch, twice, gives the states kept step by step.
    fn check_replay(&self) -> Result<(), TestCaseError> {
        for (stream, events) in &self.streams {
            let once = fold(events);
            prop_assert_eq!(&once, &fold(events));
            prop_assert_eq!(once.as_ref(), self.states.get(stream));
        }
        Ok(())
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn invariants_hold_over_any_command_sequence(commands in proptest::collection::vec(command(), 1..80)) {
        let mut world = World::default();
        for command in prelude().iter().chain(&commands) {
            world.step(command)?;
        }
        world.check_replay()?;
    }

    #[test]
    fn parse_never_panics_and_accepts_what_payload_gives(command in command()) {
        let payload = command.payload();
        let parsed = Command::parse(command.command_type().as_str(), &payload);
        // NaN serializes as null, which is not a number: refused, never a panic.
        if payload.to_string().contains("null") {
            prop_assert!(parsed.is_err());
        } else {
            prop_assert_eq!(parsed, Ok(command));
        }
    }
}
