-- Milestones added, moved or completed by the batch, whole rows folded in memory.
INSERT INTO analytics_milestones (project_id, id, name, due_date, completed_at)
SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::date[], $5::timestamptz[])
ON CONFLICT (project_id, id) DO UPDATE SET
    name = EXCLUDED.name,
    due_date = EXCLUDED.due_date,
    completed_at = EXCLUDED.completed_at
