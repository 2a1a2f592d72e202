//! Forecasts on hand-made projects.

use super::*;
use chrono::TimeZone;

fn id(n: u128) -> Uuid {
    Uuid::from_u128(n)
}

fn as_of() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 3, 3, 9, 0, 0).unwrap()
}

fn task(n: u128, deps: &[u128]) -> RemainingTask {
    RemainingTask {
        id: id(n),
        milestone: None,
        depends_on: deps.iter().map(|&d| id(d)).collect(),
        assignee: None,
        already_elapsed_hours: 0.0,
    }
}

fn input(tasks: Vec<RemainingTask>) -> ForecastInput {
    ForecastInput {
        tasks,
        members: vec![Member {
            id: id(100),
            capacity_hours_per_week: 40.0,
        }],
        milestones: Vec::new(),
        as_of: as_of(),
        deadline: None,
        runs: 200,
        seed: 42,
        working_hours: None,
        scope_growth: Vec::new(),
    }
}

fn hours(h: f64) -> Duration {
    Duration::milliseconds((h * 3_600_000.0) as i64)
}

/// Fixed durations by task index.
fn fixed(durations: &'static [f64]) -> impl Fn(usize, &mut StdRng) -> f64 {
    move |i, _| durations[i]
}

#[test]
fn scope_growth_adds_work_in_proportion_to_the_open_tasks() {
    // One lane (20 h a week), a chain of two 10-hour tasks in milestone 7.
    let mut chain = input(vec![task(1, &[]), task(2, &[1])]);
    chain.members[0].capacity_hours_per_week = 20.0;
    chain.tasks[1].milestone = Some(id(7));
    let sampler = fixed(&[10.0, 10.0]);
    let at = |growth: &[f64]| {
        let mut input = chain.clone();
        input.scope_growth = growth.to_vec();
        forecast(&input, &sampler).unwrap()
    };
    assert_eq!(at(&[]).completion.p95, as_of() + hours(20.0));
    assert_eq!(at(&[0.0]).completion.p95, as_of() + hours(20.0));
    // One added task per open task: two more 10-hour tasks on the one lane.
    let doubled = at(&[1.0]);
    assert_eq!(doubled.completion.p50, as_of() + hours(40.0));
    // The added tasks join no milestone, but are ready at once: they take the lane before
    // task 2, which waits for task 1, so the milestone finishes last.
    assert_eq!(doubled.milestones[0].completion.p50, as_of() + hours(40.0));
    // Half a task per open task: one more.
    assert_eq!(at(&[0.5]).completion.p50, as_of() + hours(30.0));
    // A run draws one ratio: some runs add nothing, some two.
    let mixed = at(&[0.0, 1.0]);
    assert_eq!(mixed.completion.p95, as_of() + hours(40.0));
    assert!(mixed.completion.p50 >= as_of() + hours(20.0));
    // Growth is bounded: at most four added tasks per open task.
    assert_eq!(at(&[9.0]).completion.p50, as_of() + hours(100.0));
}

#[test]
fn a_chain_finishes_after_the_sum_of_its_durations() {
    // A → B → C, listed out of order: 2 h, 3 h, 5 h
    let tasks = vec![task(3, &[2]), task(1, &[]), task(2, &[1])];
    let result = forecast(&input(tasks), &fixed(&[5.0, 2.0, 3.0])).unwrap();
    let expected = as_of() + hours(10.0);
    assert_eq!(result.completion.p50, expected);
    assert_eq!(result.completion.p95, expected);
    assert_eq!(result.health, Health::OnTrack);
}

#[test]
fn on_working_hours_a_chain_crosses_the_weekends_its_runs_meet() {
    // From Monday 09:00, 30 working hours then 30 more on the team's calendar: the first ends
    // Thursday 09:00 (9 + 10 + 10 + 1), the second the next Tuesday 09:00 (49 by Friday 18:00,
    // then 10 on Monday and 1 on Tuesday).
    let tasks = vec![task(1, &[]), task(2, &[1])];
    let mut input = input(tasks);
    input.working_hours = Some(WorkingHours::default());
    input.tasks[0].milestone = Some(id(7));
    let result = forecast(&input, &fixed(&[30.0, 30.0])).unwrap();
    assert_eq!(result.completion.p50, as_of() + Duration::days(8));
    assert_eq!(
        result.milestones[0].completion.p50,
        as_of() + Duration::days(3)
    );
    // A started task has run 20 of its 30 working hours: 10 are left, 9 on Monday and 1 on
    // Tuesday.
    input.tasks.truncate(1);
    input.tasks[0].already_elapsed_hours = 20.0;
    let result = forecast(&input, &fixed(&[30.0])).unwrap();
    assert_eq!(result.completion.p50, as_of() + Duration::days(1));
}

#[test]
fn done_dependencies_are_satisfied_and_lanes_limit_parallel_work() {
    // three independent 4 h tasks (one depends on a finished task) for one member with two
    // lanes (40 h/week): two run together, the third follows.
    let mut tasks = vec![task(1, &[]), task(2, &[99]), task(3, &[])];
    for t in &mut tasks {
        t.assignee = Some(id(100));
    }
    let result = forecast(&input(tasks), &fixed(&[4.0, 4.0, 4.0])).unwrap();
    assert_eq!(result.completion.p50, as_of() + hours(8.0));
    assert_eq!(lanes_for(40.0), 2);
    assert_eq!(lanes_for(5.0), 1);
}

#[test]
fn a_started_task_needs_only_its_remaining_hours() {
    let mut started = task(1, &[]);
    started.already_elapsed_hours = 6.0;
    let mut overrun = task(2, &[]);
    overrun.already_elapsed_hours = 50.0;
    let members = Vec::new();
    let mut input = input(vec![started.clone()]);
    input.members = members;
    // 10 h task, 6 h elapsed: 4 h remain
    let result = forecast(&input, &fixed(&[10.0])).unwrap();
    assert_eq!(result.completion.p50, as_of() + hours(4.0));
    // a task past every draw is slower than predicted: its distribution is stretched so that
    // its longest draw meets the 50 h spent (here 10 h × 5), and what is left drawn from that
    input.tasks = vec![overrun];
    let result = forecast(&input, &fixed(&[10.0])).unwrap();
    assert_eq!(result.completion.p50, as_of() + hours(50.0));
}

#[test]
fn same_seed_same_forecast_and_spread_orders_the_percentiles() {
    use rand::Rng;
    let tasks = vec![task(1, &[]), task(2, &[1]), task(3, &[1]), task(4, &[2, 3])];
    let random = |_: usize, rng: &mut StdRng| rng.random_range(1.0..20.0);
    let first = forecast(&input(tasks.clone()), &random).unwrap();
    let again = forecast(&input(tasks.clone()), &random).unwrap();
    assert_eq!(first, again);
    let c = first.completion;
    assert!(c.p50 < c.p85 && c.p85 < c.p95, "{c:?}");
    let mut other_seed = input(tasks);
    other_seed.seed = 43;
    assert_ne!(forecast(&other_seed, &random).unwrap(), first);
}

#[test]
fn a_cycle_is_reported_not_looped_on() {
    // 1 → 2 → 3 → 1, and 4 depends on the cycle
    let tasks = vec![task(1, &[3]), task(2, &[1]), task(3, &[2]), task(4, &[3])];
    match forecast(&input(tasks), &fixed(&[1.0; 4])) {
        Err(ForecastError::Cycle(ids)) => {
            let mut got = ids.clone();
            got.sort();
            assert_eq!(got, vec![id(1), id(2), id(3)]);
        }
        other => panic!("expected a cycle, got {other:?}"),
    }
    let self_loop = vec![task(1, &[1])];
    assert_eq!(
        forecast(&input(self_loop), &fixed(&[1.0])),
        Err(ForecastError::Cycle(vec![id(1)]))
    );
}

#[test]
fn duplicate_tasks_and_zero_runs_are_errors() {
    let dup = vec![task(1, &[]), task(1, &[])];
    assert_eq!(
        forecast(&input(dup), &fixed(&[1.0, 1.0])),
        Err(ForecastError::DuplicateTask(id(1)))
    );
    let mut none = input(vec![task(1, &[])]);
    none.runs = 0;
    assert_eq!(forecast(&none, &fixed(&[1.0])), Err(ForecastError::NoRuns));
}

#[test]
fn health_compares_p50_and_p85_with_the_deadline() {
    // durations 10 h (60%) or 30 h (40%): P50 = 10 h, P85 = 30 h
    let durations = |_: usize, rng: &mut StdRng| {
        use rand::Rng;
        if rng.random_bool(0.6) { 10.0 } else { 30.0 }
    };
    let check = |deadline_hours: f64| {
        let mut input = input(vec![task(1, &[])]);
        input.runs = 1000;
        input.deadline = Some(as_of() + hours(deadline_hours));
        forecast(&input, &durations).unwrap().health
    };
    assert_eq!(check(31.0), Health::OnTrack);
    assert_eq!(check(29.0), Health::AtRisk);
    assert_eq!(check(5.0), Health::OffTrack);
    assert_eq!(Health::AtRisk.as_str(), "at_risk");
}

#[test]
fn milestones_finish_with_their_last_task() {
    let mut a = task(1, &[]);
    a.milestone = Some(id(50));
    let mut b = task(2, &[1]);
    b.milestone = Some(id(60));
    let mut input = input(vec![a, b]);
    input.milestones = vec![Milestone {
        id: id(60),
        due: Some(as_of() + hours(4.0)),
    }];
    let result = forecast(&input, &fixed(&[2.0, 3.0])).unwrap();
    let got: Vec<(Uuid, DateTime<Utc>, Health)> = result
        .milestones
        .iter()
        .map(|m| (m.milestone, m.completion.p50, m.health))
        .collect();
    assert_eq!(
        got,
        vec![
            (id(60), as_of() + hours(5.0), Health::OffTrack),
            (id(50), as_of() + hours(2.0), Health::OnTrack),
        ]
    );
}

#[test]
fn unassigned_tasks_share_the_pool_of_all_lanes() {
    // two members with one lane each (20 h/week): four unassigned 3 h tasks take 6 h
    let mut input = input((1..=4).map(|n| task(n, &[])).collect());
    input.members = vec![
        Member {
            id: id(100),
            capacity_hours_per_week: 20.0,
        },
        Member {
            id: id(101),
            capacity_hours_per_week: 20.0,
        },
    ];
    let result = forecast(&input, &fixed(&[3.0; 4])).unwrap();
    assert_eq!(result.completion.p50, as_of() + hours(6.0));
}

#[test]
fn the_model_sampler_draws_around_each_tasks_p50() {
    let names = ["estimate_hours", "assignee_log_overrun"]
        .map(String::from)
        .to_vec();
    let model = crate::model::FittedModel::baseline(names, "s".into()).unwrap();
    // one task estimated at 10 h by someone who historically takes twice as long
    let rows = vec![vec![10.0, 2.0_f64.ln()]];
    let sampler = model.duration_sampler(&rows).unwrap();
    let mut input = input(vec![task(1, &[])]);
    input.runs = 2000;
    let result = forecast(&input, &sampler).unwrap();
    let p50_hours = (result.completion.p50 - as_of()).num_minutes() as f64 / 60.0;
    assert!((p50_hours - 20.0).abs() < 1.5, "{p50_hours}");
    assert!(result.completion.p95 > result.completion.p85);
    assert!(model.duration_sampler(&[vec![1.0]]).is_err());
}

#[test]
fn a_member_gives_a_project_the_share_of_capacity_its_open_work_has() {
    let capacity = |here: f64, everywhere: f64| {
        Member::in_project(id(1), 40.0, here, everywhere).capacity_hours_per_week
    };
    // A quarter of their open work is here: a quarter of their week.
    assert_eq!(capacity(10.0, 40.0), 10.0);
    // All of it, or none anywhere: the whole week.
    assert_eq!(capacity(10.0, 10.0), 40.0);
    assert_eq!(capacity(0.0, 0.0), 40.0);
    // Work elsewhere only: nothing here, yet one lane (for unassigned tasks) at the least.
    assert_eq!(capacity(0.0, 20.0), 0.0);
    assert_eq!(lanes_for(capacity(0.0, 20.0)), 1);
    assert_eq!(lanes_for(capacity(40.0, 80.0)), 1);
}
