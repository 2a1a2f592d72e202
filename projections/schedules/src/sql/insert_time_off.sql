INSERT INTO schedules_time_off (member_id, from_date, to_date)
SELECT * FROM unnest($1::uuid[], $2::date[], $3::date[])
ON CONFLICT DO NOTHING
