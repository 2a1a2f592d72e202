-- The model registry, in the namespace's own schema: every trained model with what it was
-- trained on and how it measured; at most one is active. Idempotent: run on every start.
CREATE TABLE IF NOT EXISTS models (
    version            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind               text NOT NULL,             -- "<duration>/<risk>", e.g. forest/logistic
    status             text NOT NULL CHECK (status IN ('candidate', 'active', 'retired')),
    metrics            jsonb NOT NULL,            -- test metrics of the chosen model and every candidate
    parameters         jsonb NOT NULL,            -- the training configuration and split sizes
    training_position  bigint NOT NULL,           -- the last log position the training data saw
    feature_schema     text NOT NULL,             -- features::schema_hash() of the rows it expects
    model              bytea NOT NULL,            -- FittedModel::to_bytes
    checksum           text NOT NULL,             -- md5 of `model`, checked on every load
    trained_at         timestamptz NOT NULL DEFAULT now(),
    promoted_at        timestamptz
);
CREATE UNIQUE INDEX IF NOT EXISTS models_one_active ON models (status) WHERE status = 'active';
