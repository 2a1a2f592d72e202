-- Members registered or re-capacitated by the batch, whole rows folded in memory.
INSERT INTO analytics_members (id, name, capacity_hours_per_week)
SELECT * FROM unnest($1::uuid[], $2::text[], $3::float8[])
ON CONFLICT (id) DO UPDATE SET
    name = EXCLUDED.name,
    capacity_hours_per_week = EXCLUDED.capacity_hours_per_week
