//! Test environment: a namespace of its own per test on the real PostgreSQL and NATS.
//!
//! Each `TestEnv` gets a fresh namespace (schema, subjects, streams) and removes it when
//! dropped; start-up also sweeps namespaces that a crashed run left behind. `NatsServer`
//! starts a NATS server of a test's own, for permissions, credentials and TLS.

mod commands;
mod nats_server;

pub use commands::{accept, execute};
pub use nats_server::{NatsServer, PreparedDir};

use std::sync::Once;

use std::time::{SystemTime, UNIX_EPOCH};

use async_nats::jetstream;
use bus::Subjects;
use domain::Namespace;
use sqlx::PgPool;
use sqlx::postgres::PgPoolOptions;

const DEFAULT_DATABASE_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";
const DEFAULT_NATS_URL: &str = "nats://127.0.0.1:4222";
/// Namespaces of test runs older than this are assumed abandoned.
const SWEEP_AFTER_SECS: u64 = 3600;

pub fn database_url() -> String {
    std::env::var("FORESIGHT_DATABASE_URL").unwrap_or_else(|_| DEFAULT_DATABASE_URL.to_owned())
}

pub fn nats_url() -> String {
    std::env::var("FORESIGHT_NATS_URL").unwrap_or_else(|_| DEFAULT_NATS_URL.to_owned())
}

/// Logs to the test output only when `TEST_LOG` is set.
pub fn init_logging() {
    static INIT: Once = Once::new();
    INIT.call_once(|| {
        if std::env::var_os("TEST_LOG").is_some() {
            let _ = tracing_subscriber::fmt()
                .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
                .with_test_writer()
                .try_init();
        }
    });
}

pub struct TestEnv {
    pub namespace: Namespace,
    pub subjects: Subjects,
    pub database_url: String,
    pub nats_url: String,
    /// Pool whose search_path is the namespace, with the log migrated.
    pub pool: PgPool,
    pub nats: async_nats::Client,
    pub js: jetstream::Context,
}

impl TestEnv {
    /// A fresh namespace with the log migrated and the streams created.
    pub async fn new() -> Self {
        Self::on_nats(&nats_url()).await
    }

    /// The same, on the NATS server at `nats_url` (a test that runs a server of its own).
    pub async fn on_nats(nats_url: &str) -> Self {
        init_logging();
        let secs = unix_secs();
        let namespace = Namespace::new(&format!("t_{secs}_{:08x}", rand::random::<u32>()))
            .expect("generated namespaces are valid");
        let database_url = database_url();
        sweep_once(&database_url, &self::nats_url()).await;
        let nats_url = nats_url.to_owned();

        let mut options = store::ConnectOptions::new(&database_url, &namespace);
        options.max_connections = 20;
        let pool = store::connect(&options)
            .await
            .expect("PostgreSQL must be running (see README)");
        let nats = bus::connect(&bus::NatsOptions::new(&nats_url, "foresight-test"))
            .await
            .expect("NATS must be running (see README)");
        let js = jetstream::new(nats.clone());
        let subjects = Subjects::new(&namespace);
        bus::ensure_streams(&js, &subjects, &bus::StreamOptions::default())
            .await
            .expect("creating the test streams");
        Self {
            namespace,
            subjects,
            database_url,
            nats_url,
            pool,
            nats,
            js,
        }
    }

    pub fn connect_options(&self) -> store::ConnectOptions {
        store::ConnectOptions::new(&self.database_url, &self.namespace)
    }

    pub fn nats_options(&self) -> bus::NatsOptions {
        bus::NatsOptions::new(&self.nats_url, "foresight-test")
    }
}

impl Drop for TestEnv {
    fn drop(&mut self) {
        let namespace = self.namespace.clone();
        let (database_url, nats_url) = (self.database_url.clone(), self.nats_url.clone());
        // Drop cannot await, and the test's runtime may be shutting down: clean up on a
        // runtime of our own, with connections of our own.
        let cleanup = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            runtime.block_on(remove_namespace(&database_url, &nats_url, &namespace));
        });
        let _ = cleanup.join();
    }
}

async fn remove_namespace(database_url: &str, nats_url: &str, namespace: &Namespace) {
    if let Ok(pool) = PgPoolOptions::new()
        .max_connections(1)
        .connect(database_url)
        .await
    {
        let _ = store::drop_namespace(&pool, namespace).await;
        pool.close().await;
    }
    if let Ok(client) = async_nats::connect(nats_url).await {
        let js = jetstream::new(client);
        let _ = bus::delete_streams(&js, &Subjects::new(namespace)).await;
    }
}

fn unix_secs() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// Removes test namespaces (`t_<unix secs>_<random>`) that are older than an hour.
async fn sweep_once(database_url: &str, nats_url: &str) {
    static SWEPT: tokio::sync::OnceCell<()> = tokio::sync::OnceCell::const_new();
    SWEPT
        .get_or_init(|| async {
            let Ok(pool) = PgPoolOptions::new()
                .max_connections(1)
                .connect(database_url)
                .await
            else {
                return;
            };
            let schemas: Vec<String> = sqlx::query_scalar(
                "SELECT nspname::text FROM pg_namespace WHERE nspname LIKE 't\\_%'",
            )
            .fetch_all(&pool)
            .await
            .unwrap_or_default();
            pool.close().await;
            // A projection's schema (`<ns>__boards`) belongs to its namespace.
            let mut names: std::collections::BTreeSet<String> = schemas
                .into_iter()
                .filter_map(|s| s.split("__").next().map(str::to_owned))
                .collect();

            // Streams can outlive their schema when a run dies between the two removals.
            if let Ok(client) = async_nats::connect(nats_url).await {
                let mut streams = jetstream::new(client).stream_names();
                while let Some(Ok(stream)) = futures::StreamExt::next(&mut streams).await {
                    if let Some(namespace) = stream
                        .strip_suffix("_COMMANDS")
                        .or(stream.strip_suffix("_EVENTS"))
                        && namespace.starts_with("T_")
                    {
                        names.insert(namespace.to_lowercase());
                    }
                }
            }
            let cutoff = unix_secs().saturating_sub(SWEEP_AFTER_SECS);
            for schema in names {
                let secs = schema.split('_').nth(1).and_then(|s| s.parse::<u64>().ok());
                if let (Some(secs), Ok(namespace)) = (secs, Namespace::new(&schema))
                    && secs < cutoff
                {
                    remove_namespace(database_url, nats_url, &namespace).await;
                }
            }
        })
        .await;
}
