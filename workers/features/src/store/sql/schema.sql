-- The feature store, in the worker's own schema (`<ns>__features`). Idempotent.
CREATE SEQUENCE IF NOT EXISTS feature_seq;

-- The latest features of every task the log named.
CREATE TABLE IF NOT EXISTS feature_tasks (
    task_id     uuid PRIMARY KEY,
    project_id  uuid NOT NULL,
    open        boolean NOT NULL,          -- not done, not cancelled
    as_of       timestamptz NOT NULL,      -- business time the features were computed as of
    features    float8[] NOT NULL,         -- features::FEATURE_NAMES order, current assignee
    context     jsonb NOT NULL,            -- TaskContext
    candidates  jsonb NOT NULL,            -- [CandidateFeatures]: for an open unassigned task, one per member of its project; [] otherwise
    seq         bigint NOT NULL            -- nextval('feature_seq') of the batch that wrote the row
);
CREATE INDEX IF NOT EXISTS feature_tasks_seq ON feature_tasks (seq);
CREATE INDEX IF NOT EXISTS feature_tasks_open_project ON feature_tasks (project_id) WHERE open;

CREATE TABLE IF NOT EXISTS feature_projects (
    project_id uuid PRIMARY KEY,
    context    jsonb NOT NULL,             -- ProjectContext
    seq        bigint NOT NULL
);

-- Training snapshots: one row per completed run (features as of its start), as TrainingLog makes them.
CREATE TABLE IF NOT EXISTS feature_samples (
    task_id uuid NOT NULL, start_position bigint NOT NULL, completed_position bigint NOT NULL,
    member_id uuid, started_at timestamptz NOT NULL, completed_at timestamptz NOT NULL,
    features float8[] NOT NULL, duration_hours float8 NOT NULL, estimate_hours float8 NOT NULL,
    late boolean, hours_to_due float8,
    PRIMARY KEY (task_id, start_position)
);
