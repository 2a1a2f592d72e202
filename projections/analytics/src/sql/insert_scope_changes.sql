-- Appended facts, keyed by log position (the consumer applies each event once).
INSERT INTO analytics_scope_changes (position, project_id, milestone_id, task_id, occurred_at,
                                     delta_hours, delta_tasks)
SELECT * FROM unnest($1::int8[], $2::uuid[], $3::uuid[], $4::uuid[], $5::timestamptz[],
                     $6::float8[], $7::int4[])
