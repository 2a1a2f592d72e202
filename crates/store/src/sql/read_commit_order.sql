-- Commit-order read: only transactions below the snapshot's xmin, all of which have ended,
-- so no event can ever appear behind a position this query has returned.
SELECT global_position, transaction_id::text::bigint AS transaction_id, stream_id, stream_version,
       event_id, event_type, schema_version, payload, metadata, occurred_at, recorded_at
FROM events
WHERE (transaction_id, global_position) > ($1::text::xid8, $2)
  AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
ORDER BY events.transaction_id, events.global_position
LIMIT $3
