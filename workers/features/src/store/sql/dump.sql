-- Every row of the feature store, in key order, for comparing a live store with a rebuild.
-- `seq` is left out: it counts the batches that wrote a row, which a rebuild cuts differently.
SELECT jsonb_build_object(
    'feature_tasks',
        (SELECT coalesce(jsonb_agg(to_jsonb(t) - 'seq' ORDER BY t.task_id), '[]') FROM feature_tasks t),
    'feature_projects',
        (SELECT coalesce(jsonb_agg(to_jsonb(p) - 'seq' ORDER BY p.project_id), '[]') FROM feature_projects p),
    'feature_samples',
        (SELECT coalesce(jsonb_agg(to_jsonb(s) ORDER BY s.task_id, s.start_position), '[]')
         FROM feature_samples s)
)
