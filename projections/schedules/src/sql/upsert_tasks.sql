-- The tasks a batch changed, all at once; depends_on travels as array literals ('{a,b}').
INSERT INTO schedules_tasks (
    id, project_id, title, status, blocked_from, assignee, estimate_hours, logged_hours, priority,
    milestone_id, due_date, depends_on, created_at, created_position, started_at, completed_at, predicted_hours,
    forecast_finish_p50, forecast_finish_p90
)
SELECT
    id, project_id, title, status, blocked_from, assignee, estimate_hours, logged_hours, priority,
    milestone_id, due_date, depends_on::uuid[], created_at, created_position, started_at, completed_at, predicted_hours,
    forecast_finish_p50, forecast_finish_p90
FROM unnest(
    $1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::uuid[], $7::float8[], $8::float8[], $9::int2[],
    $10::uuid[], $11::timestamptz[], $12::text[], $13::timestamptz[], $14::int8[], $15::timestamptz[], $16::timestamptz[],
    $17::float8[], $18::timestamptz[], $19::timestamptz[]
) AS changed (
    id, project_id, title, status, blocked_from, assignee, estimate_hours, logged_hours, priority,
    milestone_id, due_date, depends_on, created_at, created_position, started_at, completed_at, predicted_hours,
    forecast_finish_p50, forecast_finish_p90
)
ON CONFLICT (id) DO UPDATE SET
    project_id = EXCLUDED.project_id,
    title = EXCLUDED.title,
    status = EXCLUDED.status,
    blocked_from = EXCLUDED.blocked_from,
    assignee = EXCLUDED.assignee,
    estimate_hours = EXCLUDED.estimate_hours,
    logged_hours = EXCLUDED.logged_hours,
    priority = EXCLUDED.priority,
    milestone_id = EXCLUDED.milestone_id,
    due_date = EXCLUDED.due_date,
    depends_on = EXCLUDED.depends_on,
    created_at = EXCLUDED.created_at,
    created_position = EXCLUDED.created_position,
    started_at = EXCLUDED.started_at,
    completed_at = EXCLUDED.completed_at,
    predicted_hours = EXCLUDED.predicted_hours,
    forecast_finish_p50 = EXCLUDED.forecast_finish_p50,
    forecast_finish_p90 = EXCLUDED.forecast_finish_p90
