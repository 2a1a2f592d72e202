-- The analytics projection's facts. Answers (throughput, cycle time, flow, burn charts, accuracy,
-- load) are computed from these at read time, as of any day, by business time (`occurred_at`).

CREATE TABLE IF NOT EXISTS analytics_projects (
    id          uuid PRIMARY KEY,
    name        text NOT NULL,
    start_date  date NOT NULL,
    deadline    date
);

CREATE TABLE IF NOT EXISTS analytics_milestones (
    project_id    uuid NOT NULL,
    id            uuid NOT NULL,
    name          text NOT NULL,
    due_date      date NOT NULL,
    completed_at  timestamptz,
    PRIMARY KEY (project_id, id)
);

CREATE TABLE IF NOT EXISTS analytics_members (
    id                       uuid PRIMARY KEY,
    name                     text NOT NULL,
    capacity_hours_per_week  float8 NOT NULL
);

-- One row per task, as it stands now. `risk` is filled by prediction events. Rows are updated
-- often and no updated column is indexed: the free space lets PostgreSQL update in place (HOT).
CREATE TABLE IF NOT EXISTS analytics_tasks (
    id                 uuid PRIMARY KEY,
    project_id         uuid NOT NULL,
    assignee           uuid,
    estimate_hours     float8 NOT NULL,
    original_estimate  float8 NOT NULL,
    logged_hours       float8 NOT NULL,
    labels             jsonb NOT NULL,     -- a JSON array of strings; labels never change
    milestone_id       uuid,
    status             text NOT NULL,
    blocked_from       text,
    created_at         timestamptz NOT NULL,
    started_at         timestamptz,
    completed_at       timestamptz,
    reopen_count       int NOT NULL,
    cancelled_at       timestamptz,
    risk               float8
) WITH (fillfactor = 80);
CREATE INDEX IF NOT EXISTS analytics_tasks_project ON analytics_tasks (project_id);

-- Every change of a task's status, creation included (from NULL to 'todo'), keyed by the log
-- position of the event. `estimate_hours` is the task's estimate at that moment, so the done
-- line of a burn-up can be drawn for any day.
CREATE TABLE IF NOT EXISTS analytics_transitions (
    position        bigint PRIMARY KEY,
    task_id         uuid NOT NULL,
    project_id      uuid NOT NULL,
    milestone_id    uuid,
    from_status     text,
    to_status       text NOT NULL,
    occurred_at     timestamptz NOT NULL,
    estimate_hours  float8 NOT NULL
);
CREATE INDEX IF NOT EXISTS analytics_transitions_project ON analytics_transitions (project_id, occurred_at);

-- Every change of a project's scope: a task created (+), re-estimated (±), cancelled (−).
CREATE TABLE IF NOT EXISTS analytics_scope_changes (
    position      bigint PRIMARY KEY,
    project_id    uuid NOT NULL,
    milestone_id  uuid,
    task_id       uuid NOT NULL,
    occurred_at   timestamptz NOT NULL,
    delta_hours   float8 NOT NULL,
    delta_tasks   int NOT NULL
);
CREATE INDEX IF NOT EXISTS analytics_scope_changes_project ON analytics_scope_changes (project_id, occurred_at);
