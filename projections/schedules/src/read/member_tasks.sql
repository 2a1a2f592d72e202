-- A member's open tasks and, transitively, the open tasks they wait for (anyone's).
-- UNION (not UNION ALL) drops rows already found, so a dependency cycle ends the recursion.
WITH RECURSIVE wanted (id) AS (
    SELECT id FROM schedules_tasks
    WHERE assignee = $1 AND status IN ('todo', 'in_progress', 'blocked')
  UNION
    SELECT dep.id
    FROM wanted
    JOIN schedules_tasks t ON t.id = wanted.id AND t.status IN ('todo', 'in_progress', 'blocked')
    CROSS JOIN LATERAL unnest(t.depends_on) AS dep (id)
)
SELECT t.id, t.project_id, t.title, t.status, t.blocked_from, t.assignee, t.estimate_hours, t.logged_hours,
       t.priority, t.milestone_id, t.due_date, t.depends_on, t.created_at, t.created_position, t.started_at,
       t.completed_at, t.predicted_hours, t.forecast_finish_p50, t.forecast_finish_p90
FROM schedules_tasks t
JOIN wanted ON wanted.id = t.id
WHERE t.status IN ('todo', 'in_progress', 'blocked')
ORDER BY t.id
