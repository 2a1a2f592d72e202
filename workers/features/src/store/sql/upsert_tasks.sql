-- A batch's task rows, set-wise. The feature vectors come as one flat array ($5) of $8 values
-- per row, in row order: PostgreSQL cannot unnest an array of arrays row by row.
INSERT INTO feature_tasks (task_id, project_id, open, as_of, features, context, candidates, seq)
SELECT r.task_id, r.project_id, r.open, r.as_of,
       ($5::float8[])[((r.i - 1) * $8 + 1)::int : (r.i * $8)::int],
       r.context, r.candidates, $9
FROM unnest($1::uuid[], $2::uuid[], $3::boolean[], $4::timestamptz[], $6::jsonb[], $7::jsonb[])
     WITH ORDINALITY AS r(task_id, project_id, open, as_of, context, candidates, i)
ON CONFLICT (task_id) DO UPDATE SET
    project_id = excluded.project_id,
    open = excluded.open,
    as_of = excluded.as_of,
    features = excluded.features,
    context = excluded.context,
    candidates = excluded.candidates,
    seq = excluded.seq
