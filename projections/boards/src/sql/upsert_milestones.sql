-- Writes every milestone a batch changed.
INSERT INTO boards_milestones (project_id, milestone_id, name, due_date, completed, completed_at)
SELECT *
FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::date[], $5::bool[], $6::timestamptz[])
ON CONFLICT (project_id, milestone_id) DO UPDATE SET
    name = EXCLUDED.name,
    due_date = EXCLUDED.due_date,
    completed = EXCLUDED.completed,
    completed_at = EXCLUDED.completed_at
