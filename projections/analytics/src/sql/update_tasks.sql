-- Stored tasks the batch changed, whole rows folded in memory: only the columns that events
-- change (project, labels, milestone, creation and original estimate never do).
UPDATE analytics_tasks AS t SET
    assignee = u.assignee,
    estimate_hours = u.estimate_hours,
    logged_hours = u.logged_hours,
    status = u.status,
    blocked_from = u.blocked_from,
    started_at = u.started_at,
    completed_at = u.completed_at,
    reopen_count = u.reopen_count,
    cancelled_at = u.cancelled_at,
    risk = u.risk
FROM unnest($1::uuid[], $2::uuid[], $3::float8[], $4::float8[], $5::text[], $6::text[],
            $7::timestamptz[], $8::timestamptz[], $9::int4[], $10::timestamptz[], $11::float8[])
     AS u(id, assignee, estimate_hours, logged_hours, status, blocked_from,
          started_at, completed_at, reopen_count, cancelled_at, risk)
WHERE t.id = u.id
