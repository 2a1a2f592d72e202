DELETE FROM schedules_project_members AS m
USING unnest($1::uuid[], $2::uuid[]) AS gone (project_id, member_id)
WHERE m.project_id = gone.project_id AND m.member_id = gone.member_id
