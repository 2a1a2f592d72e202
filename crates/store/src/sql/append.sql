-- One statement, hence one implicit transaction: the guard, the events and the command
-- outcome commit together or not at all. A lost race on (stream_id, stream_version)
-- surfaces as a unique violation, which the caller maps to a version conflict.
WITH input AS (
    SELECT *
    FROM unnest($1::text[], $2::int[], $3::uuid[], $4::text[], $5::int2[], $6::jsonb[], $7::jsonb[], $8::timestamptz[])
        WITH ORDINALITY AS t(stream_id, stream_version, event_id, event_type, schema_version, payload, metadata, occurred_at, ord)
),
-- The first new version of each stream must follow an existing one: no gaps, ever.
-- One row per stream (its first new version), so the check is linear in the batch.
guard AS (
    SELECT coalesce(bool_and(
        f.first_version = 1
        OR EXISTS (SELECT 1 FROM events e WHERE e.stream_id = f.stream_id AND e.stream_version = f.first_version - 1)
    ), true) AS ok
    FROM (SELECT stream_id, min(stream_version) AS first_version FROM input GROUP BY stream_id) f
),
inserted AS (
    INSERT INTO events (stream_id, stream_version, event_id, event_type, schema_version, payload, metadata, occurred_at)
    SELECT i.stream_id, i.stream_version, i.event_id, i.event_type, i.schema_version, i.payload, i.metadata, i.occurred_at
    FROM input i, guard g
    WHERE g.ok
    ORDER BY i.ord
    RETURNING global_position
),
outcome AS (
    INSERT INTO command_results (command_id, command_type, status, outcome)
    SELECT $9::uuid, $10::text, 'accepted', jsonb_build_object(
        'command_id', $9::uuid,
        'status', 'accepted',
        'stream_id', $11::text,
        'version', $12::int,
        'positions', (SELECT coalesce(jsonb_agg(global_position ORDER BY global_position), '[]'::jsonb) FROM inserted))
    FROM guard g
    WHERE g.ok AND $9::uuid IS NOT NULL
)
SELECT (SELECT ok FROM guard) AS ok,
       coalesce((SELECT array_agg(global_position ORDER BY global_position) FROM inserted), '{}') AS positions
