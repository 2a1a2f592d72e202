-- Every row of every table, in key order: a live projection and a rebuilt one must dump equal.
SELECT jsonb_build_object(
    'projects', (SELECT coalesce(jsonb_agg(to_jsonb(t) ORDER BY t.id), '[]') FROM schedules_projects t),
    'milestones', (SELECT coalesce(jsonb_agg(to_jsonb(t) ORDER BY t.project_id, t.id), '[]') FROM schedules_milestones t),
    'members', (SELECT coalesce(jsonb_agg(to_jsonb(t) ORDER BY t.id), '[]') FROM schedules_members t),
    'time_off', (SELECT coalesce(jsonb_agg(to_jsonb(t) ORDER BY t.member_id, t.from_date, t.to_date), '[]') FROM schedules_time_off t),
    'project_members', (SELECT coalesce(jsonb_agg(to_jsonb(t) ORDER BY t.project_id, t.member_id), '[]') FROM schedules_project_members t),
    'tasks', (SELECT coalesce(jsonb_agg(to_jsonb(t) ORDER BY t.id), '[]') FROM schedules_tasks t),
    'forecasts', (SELECT coalesce(jsonb_agg(to_jsonb(t) ORDER BY t.project_id), '[]') FROM schedules_forecasts t)
)
