-- Writes every project a batch changed, one row per element of the parallel arrays.
INSERT INTO boards_projects (project_id, name, status, start_date, deadline, created_at, updated_at)
SELECT *
FROM unnest($1::uuid[], $2::text[], $3::text[], $4::date[], $5::date[],
            $6::timestamptz[], $7::timestamptz[])
ON CONFLICT (project_id) DO UPDATE SET
    name = EXCLUDED.name,
    status = EXCLUDED.status,
    start_date = EXCLUDED.start_date,
    deadline = EXCLUDED.deadline,
    created_at = EXCLUDED.created_at,
    updated_at = EXCLUDED.updated_at
