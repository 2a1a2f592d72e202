//! Telling a failure that will pass (the database or the broker went away) from one that will
//! not (an event the projection cannot apply): only the second counts towards giving up.

/// Whether `error` comes from the infrastructure rather than from the event being applied.
pub fn is_transient(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        if let Some(sql) = cause.downcast_ref::<sqlx::Error>() {
            return is_transient_sql(sql);
        }
        cause.downcast_ref::<std::io::Error>().is_some()
    })
}

fn is_transient_sql(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::Protocol(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed => true,
        sqlx::Error::Database(db) => db.code().is_some_and(|code| {
            // Connection exceptions, operator intervention (a terminated backend, a shutdown),
            // insufficient resources, serialization failures and deadlocks, lock timeouts.
            ["08", "57", "53"]
                .iter()
                .any(|class| code.starts_with(class))
                || ["40001", "40P01", "55P03"].contains(&code.as_ref())
        }),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lost_connection_is_transient_and_a_bad_event_is_not() {
        let io = std::io::Error::new(std::io::ErrorKind::ConnectionReset, "reset");
        let lost = anyhow::Error::from(sqlx::Error::Io(io)).context("applying a batch");
        assert!(is_transient(&lost));
        assert!(is_transient(&anyhow::Error::from(
            sqlx::Error::PoolTimedOut
        )));
        let bad = anyhow::anyhow!("event 7 cannot be read: unknown event type");
        assert!(!is_transient(&bad));
        let decode = anyhow::Error::from(sqlx::Error::ColumnNotFound("x".into()));
        assert!(!is_transient(&decode));
    }
}
