-- Appended facts, keyed by log position (the consumer applies each event once).
INSERT INTO analytics_transitions (position, task_id, project_id, milestone_id, from_status, to_status,
                                   occurred_at, estimate_hours)
SELECT * FROM unnest($1::int8[], $2::uuid[], $3::uuid[], $4::uuid[], $5::text[], $6::text[],
                     $7::timestamptz[], $8::float8[])
