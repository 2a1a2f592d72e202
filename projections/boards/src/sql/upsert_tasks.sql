-- Writes every task a batch changed, one row per element of the parallel arrays.
-- Labels, skills and dependencies travel as one jsonb array per row: a PostgreSQL array
-- parameter cannot hold arrays of different lengths.
INSERT INTO boards_tasks (
    task_id, project_id, title, description, status, blocked_from, assignee,
    estimate_hours, logged_hours, priority, labels, skills, milestone_id, due_date,
    depends_on, reopen_count, created_at, started_at, completed_at, updated_at,
    risk, forecast, risk_detail, recommendation, last_position
)
SELECT t.task_id, t.project_id, t.title, t.description, t.status, t.blocked_from, t.assignee,
       t.estimate_hours, t.logged_hours, t.priority,
       ARRAY(SELECT jsonb_array_elements_text(t.labels)),
       ARRAY(SELECT jsonb_array_elements_text(t.skills)),
       t.milestone_id, t.due_date,
       ARRAY(SELECT jsonb_array_elements_text(t.depends_on)::uuid),
       t.reopen_count, t.created_at, t.started_at, t.completed_at, t.updated_at,
       t.risk, t.forecast, t.risk_detail, t.recommendation, t.last_position
FROM unnest(
    $1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::uuid[],
    $8::float8[], $9::float8[], $10::int2[], $11::jsonb[], $12::jsonb[], $13::uuid[], $14::timestamptz[],
    $15::jsonb[], $16::int4[], $17::timestamptz[], $18::timestamptz[], $19::timestamptz[], $20::timestamptz[],
    $21::float8[], $22::jsonb[], $23::jsonb[], $24::jsonb[], $25::int8[]
) AS t(
    task_id, project_id, title, description, status, blocked_from, assignee,
    estimate_hours, logged_hours, priority, labels, skills, milestone_id, due_date,
    depends_on, reopen_count, created_at, started_at, completed_at, updated_at,
    risk, forecast, risk_detail, recommendation, last_position
)
ON CONFLICT (task_id) DO UPDATE SET
    project_id = EXCLUDED.project_id,
    title = EXCLUDED.title,
    description = EXCLUDED.description,
    status = EXCLUDED.status,
    blocked_from = EXCLUDED.blocked_from,
    assignee = EXCLUDED.assignee,
    estimate_hours = EXCLUDED.estimate_hours,
    logged_hours = EXCLUDED.logged_hours,
    priority = EXCLUDED.priority,
    labels = EXCLUDED.labels,
    skills = EXCLUDED.skills,
    milestone_id = EXCLUDED.milestone_id,
    due_date = EXCLUDED.due_date,
    depends_on = EXCLUDED.depends_on,
    reopen_count = EXCLUDED.reopen_count,
    created_at = EXCLUDED.created_at,
    started_at = EXCLUDED.started_at,
    completed_at = EXCLUDED.completed_at,
    updated_at = EXCLUDED.updated_at,
    risk = EXCLUDED.risk,
    forecast = EXCLUDED.forecast,
    risk_detail = EXCLUDED.risk_detail,
    recommendation = EXCLUDED.recommendation,
    last_position = EXCLUDED.last_position
