-- Writes every member a batch changed. Skills travel as one jsonb array per member: a
-- PostgreSQL array parameter cannot hold arrays of different lengths.
INSERT INTO boards_members (member_id, name, skills, capacity_hours_per_week, registered_at, updated_at)
SELECT m.member_id, m.name, ARRAY(SELECT jsonb_array_elements_text(m.skills)),
       m.capacity_hours_per_week, m.registered_at, m.updated_at
FROM unnest($1::uuid[], $2::text[], $3::jsonb[], $4::float8[], $5::timestamptz[], $6::timestamptz[])
     AS m(member_id, name, skills, capacity_hours_per_week, registered_at, updated_at)
ON CONFLICT (member_id) DO UPDATE SET
    name = EXCLUDED.name,
    skills = EXCLUDED.skills,
    capacity_hours_per_week = EXCLUDED.capacity_hours_per_week,
    registered_at = EXCLUDED.registered_at,
    updated_at = EXCLUDED.updated_at
