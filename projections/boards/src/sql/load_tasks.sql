-- The current rows of the tasks a batch touches.
SELECT task_id, project_id, title, description, status, blocked_from, assignee,
       estimate_hours, logged_hours, priority, labels, skills, milestone_id, due_date,
       depends_on, reopen_count, created_at, started_at, completed_at, updated_at,
       risk, forecast, risk_detail, recommendation, last_position
FROM boards_tasks
WHERE task_id = ANY($1)
