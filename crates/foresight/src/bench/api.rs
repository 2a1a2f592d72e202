//! The query API under load: a 500-task board, 32 keep-alive connections, against the same
//! rows read directly with SQL in the same run.

use std::time::{Duration, Instant};

use tokio::net::TcpListener;

use super::table::Table;
use super::{BenchOptions, bulk_log, http_load, quantile};
use crate::config::Config;

const CONNECTIONS: usize = 32;

pub async fn run(config: &Config, options: &BenchOptions) -> anyhow::Result<()> {
    let mut connect = config.connect_options("bench");
    connect.max_connections = 4;
    let pool = store::connect(&connect).await?;
    let (project, _) = bulk_log::write_project(&pool, 1, 500).await?;
    consumer::replay(&config.connect_options("replay"), &boards::Boards, 5000).await?;

    let mut api_connect = api::ApiState::connect_options(config.connect_options("api"));
    api_connect.max_connections = 8;
    let api_pool = store::connect(&api_connect).await?;
    let metrics = telemetry::Metrics::new();
    let router = api::router(api::ApiState::new(
        api_pool.clone(),
        config.namespace.clone(),
        metrics,
        telemetry::Readiness::default(),
    ));
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let (stop, mut stopped) = tokio::sync::watch::channel(false);
    let server = tokio::spawn(telemetry::serve(listener, router, async move {
        let _ = stopped.wait_for(|s| *s).await;
    }));
    let duration = Duration::from_secs(options.seconds);
    let path = format!("/v1/projects/{project}/board");
    let started = Instant::now();
    let (mut latencies, body_bytes) = http_load::run(addr, &path, CONNECTIONS, duration).await?;
    let api_rate = latencies.len() as f64 / started.elapsed().as_secs_f64();
    latencies.sort_by(f64::total_cmp);
    let _ = stop.send(true);
    server.await??;

    // The baseline: the board's rows, straight from PostgreSQL, as many readers at once.
    let started = Instant::now();
    let mut readers = Vec::new();
    for _ in 0..CONNECTIONS {
        let pool = api_pool.clone();
        readers.push(tokio::spawn(async move {
            let mut times = Vec::new();
            while started.elapsed() < duration {
                let t = Instant::now();
                let rows: Vec<(uuid::Uuid, String, String)> = sqlx::query_as(
                    "SELECT task_id, title, status FROM boards_tasks WHERE project_id = $1 AND status <> 'cancelled'",
                )
                .bind(project)
                .fetch_all(&pool)
                .await?;
                anyhow::ensure!(rows.len() == 500, "the board has {} rows", rows.len());
                times.push(t.elapsed().as_secs_f64() * 1000.0);
            }
            anyhow::Ok(times)
        }));
    }
    let mut sql = Vec::new();
    for reader in readers {
        sql.extend(reader.await??);
    }
    let sql_rate = sql.len() as f64 / started.elapsed().as_secs_f64();
    sql.sort_by(f64::total_cmp);

    let mut table = Table::new(&["reader", "answers/s", "p50 ms", "p99 ms", "target"]);
    table.row(vec![
        "GET /v1/projects/{id}/board".into(),
        format!("{api_rate:.0}"),
        format!("{:.2}", quantile(&latencies, 0.5)),
        format!("{:.2}", quantile(&latencies, 0.99)),
        ">= 5000/s, p99 < 10 ms".into(),
    ]);
    table.row(vec![
        "the same rows with SQL".into(),
        format!("{sql_rate:.0}"),
        format!("{:.2}", quantile(&sql, 0.5)),
        format!("{:.2}", quantile(&sql, 0.99)),
        String::new(),
    ]);
    table.row(vec![
        "ratio API / SQL".into(),
        format!("{:.2}", api_rate / sql_rate),
        String::new(),
        String::new(),
        String::new(),
    ]);
    table.print(&format!(
        "bench api: a 500-task board ({body_bytes} bytes of JSON), {CONNECTIONS} keep-alive connections, {} s each",
        options.seconds
    ));
    pool.close().await;
    Ok(())
}
