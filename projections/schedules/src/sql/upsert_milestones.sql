INSERT INTO schedules_milestones (project_id, id, name, due_date, completed)
SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::date[], $5::bool[])
ON CONFLICT (project_id, id) DO UPDATE SET
    name = EXCLUDED.name,
    due_date = EXCLUDED.due_date,
    completed = EXCLUDED.completed
