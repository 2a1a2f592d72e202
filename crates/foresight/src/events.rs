//! `foresight events`: the log in commit order, as JSON lines; `--follow` keeps tailing it.

use std::time::Duration;

use clap::Args;
use sqlx::postgres::PgListener;

use crate::config::Config;

#[derive(Args, Debug)]
pub struct EventsArgs {
    /// Keep printing new events as they are committed.
    #[arg(long)]
    pub follow: bool,
    /// Only this stream (e.g. `task-<uuid>`), in version order.
    #[arg(long, conflicts_with = "follow")]
    pub stream: Option<String>,
    /// Stop after this many events (without --follow).
    #[arg(long)]
    pub limit: Option<usize>,
}

pub async fn events(config: &Config, args: EventsArgs) -> anyhow::Result<()> {
    let pool = store::connect(&config.connect_options("events")).await?;
    if let Some(stream) = &args.stream {
        for event in store::read_stream(&pool, stream).await? {
            println!("{}", serde_json::to_string(&event)?);
        }
        return Ok(());
    }
    let mut listener = PgListener::connect_with(&pool).await?;
    listener
        .listen(&store::notify_channel(&config.namespace))
        .await?;
    let mut after = store::Position::START;
    let mut printed = 0usize;
    loop {
        let batch = store::read_after(&pool, after, 1000).await?;
        for event in &batch {
            println!("{}", serde_json::to_string(event)?);
            printed += 1;
            if !args.follow && args.limit.is_some_and(|limit| printed >= limit) {
                return Ok(());
            }
        }
        if let Some(last) = batch.last() {
            after = last.position();
            continue;
        }
        if !args.follow {
            return Ok(());
        }
        tokio::select! {
            _ = listener.recv() => {}
            _ = tokio::time::sleep(Duration::from_millis(500)) => {}
        }
    }
}
