use super::*;

/// `away`: `(days until, days long)`.
fn calendar(weekday: usize, hour: f64, away: [(f64, f64); 2]) -> RunCalendar {
    RunCalendar::new(WorkingHours::default(), weekday as f64, hour, away)
}

const NONE: [(f64, f64); 2] = [(365.0, 0.0); 2];

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

#[test]
fn three_working_days_from_monday_and_from_thursday() {
    let monday = calendar(0, 8.0, NONE);
    // Monday, Tuesday, Wednesday until 18:00.
    assert!(close(monday.elapsed_hours(30.0), 2.0 * 24.0 + 10.0));
    assert!(close(monday.working_hours(58.0), 30.0));
    let thursday = calendar(3, 8.0, NONE);
    // Thursday, Friday, then the weekend, then Monday until 18:00.
    assert!(close(thursday.elapsed_hours(30.0), 4.0 * 24.0 + 10.0));
    assert!(close(thursday.working_hours(106.0), 30.0));
    // Within the weekend nothing is worked.
    assert!(close(thursday.working_hours(60.0), 20.0));
    assert!(close(thursday.working_hours(96.0), 20.0));
}

#[test]
fn a_start_outside_working_hours_waits_for_the_next_working_day() {
    // Saturday 10:00: one hour of work ends Monday 09:00.
    assert!(close(calendar(5, 10.0, NONE).elapsed_hours(1.0), 47.0));
    // Monday 20:00: Tuesday 09:00.
    assert!(close(calendar(0, 20.0, NONE).elapsed_hours(1.0), 13.0));
    // Monday 12:00: six hours left that day.
    assert!(close(calendar(0, 12.0, NONE).elapsed_hours(6.0), 6.0));
    assert!(close(calendar(0, 12.0, NONE).elapsed_hours(7.0), 21.0));
    assert!(close(calendar(0, 12.0, NONE).working_hours(21.0), 7.0));
}

#[test]
fn time_off_stops_the_working_clock() {
    // Away Tuesday and Wednesday (days 1 and 2 from a Monday start).
    let away = calendar(0, 8.0, [(1.0, 2.0), (365.0, 0.0)]);
    // Monday 10 h, then Thursday 2 h.
    assert!(close(away.elapsed_hours(12.0), 3.0 * 24.0 + 2.0));
    assert!(close(away.working_hours(3.0 * 24.0 + 2.0), 12.0));
    // A second period: Friday too (day 4).
    let both = calendar(0, 8.0, [(1.0, 2.0), (4.0, 1.0)]);
    // Monday 10, Thursday 10, then the next Monday 1.
    assert!(close(both.elapsed_hours(21.0), 7.0 * 24.0 + 1.0));
}

#[test]
fn the_two_maps_are_inverse_and_increasing() {
    for weekday in 0..7 {
        for hour in [0.0, 7.5, 8.0, 13.25, 18.0, 23.0] {
            let cal = calendar(weekday, hour, [(2.0, 2.0), (9.0, 7.0)]);
            let mut last = 0.0;
            for step in 1..400 {
                let working = f64::from(step) * 0.7;
                let elapsed = cal.elapsed_hours(working);
                assert!(elapsed > last, "{weekday} {hour} {working}");
                assert!(close(cal.working_hours(elapsed), working));
                last = elapsed;
            }
        }
    }
}

#[test]
fn nothing_takes_no_time_and_long_runs_end() {
    let cal = calendar(2, 9.0, NONE);
    assert_eq!(cal.elapsed_hours(0.0), 0.0);
    assert_eq!(cal.working_hours(-3.0), 0.0);
    assert_eq!(cal.elapsed_hours(f64::NAN), 0.0);
    // Two years of working hours: 50 a week.
    let weeks = cal.elapsed_hours(50.0 * 104.0) / (7.0 * 24.0);
    assert!((weeks - 104.0).abs() < 1.0, "{weeks}");
}

#[test]
fn a_run_starting_at_a_moment_reads_its_weekday_and_hour() {
    use chrono::TimeZone;
    // Thursday 6 March 2025, 08:00 UTC.
    let start = chrono::Utc.with_ymd_and_hms(2025, 3, 6, 8, 0, 0).unwrap();
    let run = RunCalendar::starting(WorkingHours::default(), start, NONE);
    assert_eq!(run, calendar(3, 8.0, NONE));
    assert!(close(run.elapsed_hours(30.0), 106.0));
}
