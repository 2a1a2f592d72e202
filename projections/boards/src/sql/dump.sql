-- Every row of the projection, in key order, for comparing a live projection with a rebuild.
SELECT jsonb_build_object(
    'boards_projects',
        (SELECT coalesce(jsonb_agg(to_jsonb(p) ORDER BY p.project_id), '[]') FROM boards_projects p),
    'boards_members',
        (SELECT coalesce(jsonb_agg(to_jsonb(m) ORDER BY m.member_id), '[]') FROM boards_members m),
    'boards_project_members',
        (SELECT coalesce(jsonb_agg(to_jsonb(pm) ORDER BY pm.project_id, pm.member_id), '[]')
         FROM boards_project_members pm),
    'boards_milestones',
        (SELECT coalesce(jsonb_agg(to_jsonb(ms) ORDER BY ms.project_id, ms.milestone_id), '[]')
         FROM boards_milestones ms),
    'boards_tasks',
        (SELECT coalesce(jsonb_agg(to_jsonb(t) ORDER BY t.task_id), '[]') FROM boards_tasks t)
)
