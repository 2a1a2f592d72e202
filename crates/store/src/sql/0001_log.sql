-- The event log and the tables that travel with it. Applied once per namespace schema;
-- every name is unqualified because the pool's search_path is the namespace.

CREATE TABLE events (
    global_position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    transaction_id  xid8 NOT NULL DEFAULT pg_current_xact_id(),
    stream_id       text NOT NULL,
    stream_version  int  NOT NULL CHECK (stream_version > 0),
    event_id        uuid NOT NULL UNIQUE,
    event_type      text NOT NULL,
    schema_version  smallint NOT NULL,
    payload         jsonb NOT NULL,
    metadata        jsonb NOT NULL,
    occurred_at     timestamptz NOT NULL,
    recorded_at     timestamptz NOT NULL DEFAULT now(),
    UNIQUE (stream_id, stream_version)
);

-- Commit-order reads walk this index: (transaction_id, global_position) is the checkpoint.
CREATE INDEX events_commit_order ON events (transaction_id, global_position);

-- Events are never updated or deleted.
CREATE FUNCTION events_are_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the event log is append-only';
END $$;
CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events
    FOR EACH ROW EXECUTE FUNCTION events_are_immutable();

CREATE TABLE command_results (
    command_id   uuid PRIMARY KEY,
    command_type text NOT NULL,
    status       text NOT NULL CHECK (status IN ('accepted', 'rejected')),
    outcome      jsonb NOT NULL,
    recorded_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE checkpoints (
    consumer        text PRIMARY KEY,
    transaction_id  xid8 NOT NULL,
    global_position bigint NOT NULL,
    updated_at      timestamptz NOT NULL DEFAULT now()
);

-- Messages that could not be answered by command id (not UTF-8, not JSON, no id).
CREATE TABLE rejected_messages (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    subject     text NOT NULL,
    head        bytea NOT NULL,
    size_bytes  int NOT NULL,
    error_code  text NOT NULL,
    error       text NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now()
);
