INSERT INTO schedules_project_members (project_id, member_id, role)
SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[])
ON CONFLICT (project_id, member_id) DO UPDATE SET role = EXCLUDED.role
