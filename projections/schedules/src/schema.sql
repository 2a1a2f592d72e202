-- The schedules projection's tables: what scheduling needs, kept current from the log.
-- Run on every start and again in a fresh schema for a rebuild, so every statement is idempotent.

CREATE TABLE IF NOT EXISTS schedules_projects (
    id          uuid PRIMARY KEY,
    name        text NOT NULL,
    start_date  date NOT NULL,
    deadline    date NULL,
    status      text NOT NULL
);

CREATE TABLE IF NOT EXISTS schedules_milestones (
    project_id  uuid NOT NULL,
    id          uuid NOT NULL,
    name        text NOT NULL,
    due_date    date NOT NULL,
    completed   boolean NOT NULL,
    PRIMARY KEY (project_id, id)
);

CREATE TABLE IF NOT EXISTS schedules_members (
    id                       uuid PRIMARY KEY,
    name                     text NOT NULL,
    capacity_hours_per_week  double precision NOT NULL
);

-- Both days included; a range added twice is kept once.
CREATE TABLE IF NOT EXISTS schedules_time_off (
    member_id  uuid NOT NULL,
    from_date  date NOT NULL,
    to_date    date NOT NULL,
    PRIMARY KEY (member_id, from_date, to_date)
);

CREATE TABLE IF NOT EXISTS schedules_project_members (
    project_id  uuid NOT NULL,
    member_id   uuid NOT NULL,
    role        text NULL,
    PRIMARY KEY (project_id, member_id)
);

CREATE TABLE IF NOT EXISTS schedules_tasks (
    id                uuid PRIMARY KEY,
    project_id        uuid NOT NULL,
    title             text NOT NULL,
    status            text NOT NULL,
    -- While blocked: the status an unblock returns to.
    blocked_from      text NULL,
    assignee          uuid NULL,
    estimate_hours    double precision NOT NULL,
    logged_hours      double precision NOT NULL,
    priority          smallint NOT NULL,
    milestone_id      uuid NULL,
    due_date          timestamptz NULL,
    depends_on        uuid[] NOT NULL,
    created_at        timestamptz NOT NULL,
    -- The log position of task.created: creation order when business times tie.
    created_position  bigint NOT NULL,
    -- First start and last completion, in business time.
    started_at        timestamptz NULL,
    completed_at      timestamptz NULL,
    -- Filled from prediction events; the planner prefers it to the estimate.
    predicted_hours   double precision NULL
);

-- Added after the first release, for schemas created before: the latest forecast finish dates.
ALTER TABLE schedules_tasks ADD COLUMN IF NOT EXISTS forecast_finish_p50 timestamptz NULL;
ALTER TABLE schedules_tasks ADD COLUMN IF NOT EXISTS forecast_finish_p90 timestamptz NULL;

-- The latest Monte Carlo completion forecast of each project, as `/v1/projects/{id}/forecast`
-- shows it, and the log position it came from.
CREATE TABLE IF NOT EXISTS schedules_forecasts (
    project_id  uuid PRIMARY KEY,
    forecast    jsonb NOT NULL,
    position    bigint NOT NULL
);

CREATE INDEX IF NOT EXISTS schedules_tasks_project ON schedules_tasks (project_id);
CREATE INDEX IF NOT EXISTS schedules_tasks_assignee ON schedules_tasks (assignee) WHERE assignee IS NOT NULL;
