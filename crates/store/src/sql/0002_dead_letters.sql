-- Poison events: an event a consumer could not apply after its last attempt. The consumer
-- moves past it (the events behind it go on) and its rebuild skips it too, so a projection
-- stays equal to a replay; an operator reads the error here, fixes the cause, and rebuilds.
CREATE TABLE dead_letters (
    consumer        text NOT NULL,
    global_position bigint NOT NULL,
    transaction_id  xid8 NOT NULL,
    event_id        uuid NOT NULL,
    event_type      text NOT NULL,
    stream_id       text NOT NULL,
    attempts        int NOT NULL,
    error           text NOT NULL,
    dead_at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, global_position)
);
