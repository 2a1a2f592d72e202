-- A batch's new training samples, set-wise; the features come flat, $12 values per row (see
-- upsert_tasks.sql). A sample is a pure function of the log: one written before is the same.
INSERT INTO feature_samples (task_id, start_position, completed_position, member_id, started_at,
                             completed_at, features, duration_hours, estimate_hours, late, hours_to_due)
SELECT r.task_id, r.start_position, r.completed_position, r.member_id, r.started_at,
       r.completed_at, ($7::float8[])[((r.i - 1) * $12 + 1)::int : (r.i * $12)::int],
       r.duration_hours, r.estimate_hours, r.late, r.hours_to_due
FROM unnest($1::uuid[], $2::bigint[], $3::bigint[], $4::uuid[], $5::timestamptz[],
            $6::timestamptz[], $8::float8[], $9::float8[], $10::boolean[], $11::float8[])
     WITH ORDINALITY AS r(task_id, start_position, completed_position, member_id, started_at,
                          completed_at, duration_hours, estimate_hours, late, hours_to_due, i)
ON CONFLICT (task_id, start_position) DO NOTHING
