-- Projects created or renamed by the batch, whole rows folded in memory.
INSERT INTO analytics_projects (id, name, start_date, deadline)
SELECT * FROM unnest($1::uuid[], $2::text[], $3::date[], $4::date[])
ON CONFLICT (id) DO UPDATE SET
    name = EXCLUDED.name,
    start_date = EXCLUDED.start_date,
    deadline = EXCLUDED.deadline
