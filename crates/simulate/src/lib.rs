//! A pure, seeded, realistic workload: weeks of project work played in business time, as the
//! commands a team would have sent, and the truth about how long each task really took.
//!
//! No I/O and no async: [`simulate`] returns the commands in business-time order (each one
//! accepted when handled in that order) and the truth; the binary publishes the first through
//! the real command path and writes the second out ([`Simulation::truth_csv`]).
//!
//! # The world
//!
//! - **Members** are hired as projects need them: skills from `rust, sql, frontend, ops, ml,
//!   design`, a capacity of 20–40 h/week (sometimes changed later), time off (announced 5–30
//!   days ahead), and two hidden traits: a speed (effort multiplier, log-normal around 1, log-sd
//!   0.3) and how many tasks they run at once (1–3).
//! - **Projects** start spread over the history (the last one about half-way through its plan at
//!   the present), each with a team of 3–8, a deadline, 2–5 milestones and a hidden estimation
//!   bias (log-normal, log-sd 0.15). 60% of the tasks are created at the start, the rest in
//!   weekly planning; the plan's length follows from the team's throughput. Some projects are
//!   put on hold a while, renamed, grow their team; finished ones are closed.
//! - **Tasks** have an estimate (2–40 h, skewed), a label with a hidden difficulty (`feature`
//!   1.0, `bug` 1.25, `chore` 0.8, `research` 1.6, `docs` 0.7, `refactor` 1.15), skills from the
//!   project's, a priority 1–4, maybe a milestone, a due date (the milestone's, or a planned
//!   date with tight or loose slack), and dependencies on earlier tasks of the project. Half are
//!   assigned at creation (mostly to a member with the skills); the rest wait in the backlog.
//!   Before they start, some are re-estimated, get a later due date, a new or dropped
//!   dependency, are blocked a few days, or are cancelled.
//! - A member with a free slot, at work (weekdays 08:00–18:00 UTC, not away), starts their own
//!   most urgent ready task (priority, then due date), else takes one from a backlog, mostly one
//!   they have the skills for, else takes over a ready task from the busiest teammate. A task
//!   is ready when its dependencies are completed or cancelled.
//!
//! # The duration model
//!
//! Elapsed hours from start to completion are drawn when a task starts (module `duration`):
//! - `effort = estimate × speed × difficulty(label) × 1.4 if the member lacks a required skill ×
//!   project bias` (work hours);
//! - `A = effort × (1 + 0.35·k) × 50 / capacity`: `k` is the member's other tasks in progress or
//!   blocked at the start, `capacity` their hours per week then, 50 the working hours of a week;
//! - the run takes `W = A·N + X` hours of the member's own clock, which runs in working hours
//!   (weekdays 08:00–18:00 UTC) and stands still during their time off: `N` is log-normal noise
//!   (median 1, log-sd 0.35), `X` the bad luck: blocked for a log-normal while (median 16 h,
//!   probability 6–20% by label) and reopened after completion, with gap and rework of
//!   log-normal `4 + 0.3·A` hours (probability 3–10% by label);
//! - `T` maps the member's clock to business time; the task completes at `T(W)`.
//!
//! `TruthRow::expected_hours` is `T(m) − start`, `m` the exact median of `W` (solved numerically
//! over the mixture). `T` is increasing, so this is the true conditional median of the elapsed
//! duration given everything the simulator knows at the start (hidden speed, difficulty and
//! bias, load, capacity, planned time off, also that announced later), but not the luck drawn
//! then: the best predictor under absolute error, and half of the actual durations end before
//! it. `actual_hours` is `T(W) − start` when the task completed by the present. Work is logged
//! along the run (in total `effort × N` hours, plus rework); a few runs are re-estimated midway
//! (the truth keeps the estimate at the start) and a few (1.2%) are cancelled.
//!
//! # Assignment policies and the replay
//!
//! [`replay`] plays the workload [`simulate`] would size for a config once per
//! [`AssignmentPolicy`]: who gets a task assigned at its creation (half of the tasks; the rest
//! are pulled from the backlog as above, under every policy). The policies are the simulated
//! planner's habit (the default history), Jira's balanced workload, and a ranking from outside
//! that sees only what the log shows ([`TaskView`], [`CandidateView`]). In a replay each task's
//! attributes, planned changes and luck come from random streams keyed by the task, and every
//! other happening's from a stream keyed by what it is and when, so a task is the same, with
//! the same luck, whoever does it; [`score`] then compares lateness over the tasks judged under
//! every policy, and the spread of the members' load. Teams are still recruited from whoever is
//! free, which the policies change, so the pairing is close but not exact.
//!
//! # Size
//!
//! `target_events` sets the number of tasks (about 7 commands each, with the projects' and
//! members' own); the history is replayed with a corrected number of tasks until the count is
//! within 3% of the target. A million commands take about two seconds in release mode.

mod assignment;
mod clock;
mod command;
mod config;
mod duration;
mod engine;
mod envelope;
mod history;
mod output;
mod random;
mod replay;
mod words;
mod world;

pub use assignment::{
    AssigneeRanking, AssignmentPolicy, CandidateView, CompletedRun, OpenTaskView, TaskView,
    fewest_open_tasks,
};
pub use config::SimConfig;
pub use history::simulate;
pub use output::{SimCommand, Simulation, TRUTH_CSV_HEADER, TruthRow};
pub use replay::{
    PolicyRun, PolicyScore, TaskOutcome, coefficient_of_variation, mean_weekly_cv, replay, score,
};
