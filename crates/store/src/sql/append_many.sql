-- Appends in one statement, hence one implicit transaction: the guards, the events and the
-- accepted outcomes commit together or not at all. Several commands' appends may share it
-- (group commit): when one command's guard fails or one of its rows collides, nothing is
-- written and the caller appends each command on its own. A lost race on (stream_id,
-- stream_version) surfaces as a unique violation, which the caller maps to a version conflict.
WITH input AS (
    SELECT *
    FROM unnest($1::int[], $2::text[], $3::int[], $4::uuid[], $5::text[], $6::int2[], $7::jsonb[], $8::jsonb[], $9::timestamptz[])
        WITH ORDINALITY AS t(cmd, stream_id, stream_version, event_id, event_type, schema_version, payload, metadata, occurred_at, ord)
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
    RETURNING global_position, stream_id, stream_version
),
placed AS (
    SELECT i.cmd, array_agg(ins.global_position ORDER BY ins.global_position) AS positions
    FROM inserted ins
    JOIN input i ON i.stream_id = ins.stream_id AND i.stream_version = ins.stream_version
    GROUP BY i.cmd
),
commands AS (
    SELECT *
    FROM unnest($10::uuid[], $11::text[], $12::text[], $13::int[])
        WITH ORDINALITY AS c(command_id, command_type, stream_id, version, cmd)
),
outcome AS (
    INSERT INTO command_results (command_id, command_type, status, outcome)
    SELECT c.command_id, c.command_type, 'accepted', jsonb_build_object(
        'command_id', c.command_id,
        'status', 'accepted',
        'stream_id', c.stream_id,
        'version', c.version,
        'positions', coalesce(to_jsonb(p.positions), '[]'::jsonb))
    FROM commands c
    CROSS JOIN guard g
    LEFT JOIN placed p ON p.cmd = c.cmd
    WHERE g.ok AND c.command_id IS NOT NULL
)
SELECT g.ok, p.cmd::int AS cmd, coalesce(p.positions, '{}') AS positions
FROM guard g
LEFT JOIN placed p ON true
