-- Every row of every table, in key order, as one JSON document.
SELECT jsonb_build_object(
    'projects', (SELECT coalesce(jsonb_agg(to_jsonb(r) ORDER BY r.id), '[]') FROM analytics_projects r),
    'milestones', (SELECT coalesce(jsonb_agg(to_jsonb(r) ORDER BY r.project_id, r.id), '[]') FROM analytics_milestones r),
    'members', (SELECT coalesce(jsonb_agg(to_jsonb(r) ORDER BY r.id), '[]') FROM analytics_members r),
    'tasks', (SELECT coalesce(jsonb_agg(to_jsonb(r) ORDER BY r.id), '[]') FROM analytics_tasks r),
    'transitions', (SELECT coalesce(jsonb_agg(to_jsonb(r) ORDER BY r.position), '[]') FROM analytics_transitions r),
    'scope_changes', (SELECT coalesce(jsonb_agg(to_jsonb(r) ORDER BY r.position), '[]') FROM analytics_scope_changes r)
)
