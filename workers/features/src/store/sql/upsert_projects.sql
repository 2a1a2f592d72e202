-- A batch's project contexts, set-wise.
INSERT INTO feature_projects (project_id, context, seq)
SELECT r.project_id, r.context, $3
FROM unnest($1::uuid[], $2::jsonb[]) AS r(project_id, context)
ON CONFLICT (project_id) DO UPDATE SET context = excluded.context, seq = excluded.seq
