-- Tasks created by the batch (the fold found no stored row for them).
INSERT INTO analytics_tasks (id, project_id, assignee, estimate_hours, original_estimate, logged_hours,
                             labels, milestone_id, status, blocked_from, created_at, started_at,
                             completed_at, reopen_count, cancelled_at, risk)
SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::float8[], $5::float8[], $6::float8[],
                     $7::jsonb[], $8::uuid[], $9::text[], $10::text[], $11::timestamptz[], $12::timestamptz[],
                     $13::timestamptz[], $14::int4[], $15::timestamptz[], $16::float8[])
