INSERT INTO schedules_projects (id, name, start_date, deadline, status)
SELECT * FROM unnest($1::uuid[], $2::text[], $3::date[], $4::date[], $5::text[])
ON CONFLICT (id) DO UPDATE SET
    name = EXCLUDED.name,
    start_date = EXCLUDED.start_date,
    deadline = EXCLUDED.deadline,
    status = EXCLUDED.status
