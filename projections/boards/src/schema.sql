-- The boards projection's tables. Run on every start and again in a fresh schema for a
-- rebuild, so everything is IF NOT EXISTS. All times are business time (`occurred_at`).

CREATE TABLE IF NOT EXISTS boards_projects (
    project_id  uuid PRIMARY KEY,
    name        text NOT NULL,
    status      text NOT NULL,            -- active | on_hold | closed
    start_date  date NOT NULL,
    deadline    date,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL
);

CREATE TABLE IF NOT EXISTS boards_members (
    member_id                uuid PRIMARY KEY,
    name                     text NOT NULL,
    skills                   text[] NOT NULL,
    capacity_hours_per_week  double precision NOT NULL,
    registered_at            timestamptz NOT NULL,
    updated_at               timestamptz NOT NULL
);

CREATE TABLE IF NOT EXISTS boards_project_members (
    project_id  uuid NOT NULL,
    member_id   uuid NOT NULL,
    role        text,
    joined_at   timestamptz NOT NULL,
    PRIMARY KEY (project_id, member_id)
);
-- A member's projects.
CREATE INDEX IF NOT EXISTS boards_project_members_member ON boards_project_members (member_id);

CREATE TABLE IF NOT EXISTS boards_milestones (
    project_id    uuid NOT NULL,
    milestone_id  uuid NOT NULL,
    name          text NOT NULL,
    due_date      date NOT NULL,
    completed     boolean NOT NULL,
    completed_at  timestamptz,
    PRIMARY KEY (project_id, milestone_id)
);

CREATE TABLE IF NOT EXISTS boards_tasks (
    task_id         uuid PRIMARY KEY,
    project_id      uuid NOT NULL,
    title           text NOT NULL,
    description     text,
    status          text NOT NULL,        -- todo | in_progress | blocked | done | cancelled
    -- While blocked, the status an unblock returns to (the domain's state machine needs it).
    blocked_from    text,
    assignee        uuid,
    estimate_hours  double precision NOT NULL,
    logged_hours    double precision NOT NULL,
    priority        smallint NOT NULL,    -- 1 (highest) .. 4
    labels          text[] NOT NULL,
    skills          text[] NOT NULL,
    milestone_id    uuid,
    due_date        timestamptz,
    depends_on      uuid[] NOT NULL,
    reopen_count    integer NOT NULL,
    created_at      timestamptz NOT NULL,
    started_at      timestamptz,
    completed_at    timestamptz,
    updated_at      timestamptz NOT NULL,
    -- The latest predicted probability of finishing late; written once predictions exist.
    risk            double precision,
    -- The latest duration forecast and risk with its factors, as the API shows them.
    forecast        jsonb,
    risk_detail     jsonb,
    -- The latest recommendation of who should take the task (shown while it is unassigned).
    recommendation  jsonb,
    -- The log position of the last event folded into the row: an event at or below it is
    -- already in, so applying it again changes nothing.
    last_position   bigint NOT NULL
);
-- Columns added after the first release, for schemas created before them.
ALTER TABLE boards_tasks ADD COLUMN IF NOT EXISTS forecast jsonb;
ALTER TABLE boards_tasks ADD COLUMN IF NOT EXISTS risk_detail jsonb;
ALTER TABLE boards_tasks ADD COLUMN IF NOT EXISTS recommendation jsonb;
-- The board of a project.
CREATE INDEX IF NOT EXISTS boards_tasks_project ON boards_tasks (project_id);
-- A member's open work.
CREATE INDEX IF NOT EXISTS boards_tasks_open_assignee ON boards_tasks (assignee)
    WHERE status IN ('todo', 'in_progress', 'blocked');
