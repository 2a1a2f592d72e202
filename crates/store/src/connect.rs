//! Pools whose `search_path` is the namespace, and the namespace's schema itself.

use std::str::FromStr;
use std::time::Duration;

use anyhow::Context;
use domain::Namespace;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{Executor, PgPool};

/// How to reach PostgreSQL for one namespace.
#[derive(Debug, Clone)]
pub struct ConnectOptions {
    pub database_url: String,
    pub namespace: Namespace,
    pub max_connections: u32,
    /// `foresight@<ns>`, or `foresight-<role>@<ns>` once a role is named: in
    /// `pg_stat_activity`, every connection says which deployment and which role it serves.
    pub application_name: String,
    /// Schemas searched before the namespace's own (a projection's tables, say).
    pub schemas_first: Vec<String>,
}

impl ConnectOptions {
    pub fn new(database_url: &str, namespace: &Namespace) -> Self {
        Self {
            database_url: database_url.to_owned(),
            namespace: namespace.clone(),
            max_connections: 10,
            application_name: format!("foresight@{namespace}"),
            schemas_first: Vec::new(),
        }
    }

    /// Names the connections after `role` (`foresight-<role>@<ns>`).
    pub fn set_role(&mut self, role: &str) {
        self.application_name = format!("foresight-{role}@{}", self.namespace);
    }

    /// `schemas_first`, then the namespace: every name the pool's SQL uses is unqualified.
    pub fn search_path(&self) -> String {
        let mut path = self.schemas_first.clone();
        path.push(self.namespace.as_str().to_owned());
        path.join(",")
    }

    pub fn pg_options(&self) -> anyhow::Result<PgConnectOptions> {
        let search_path = self.search_path();
        let options = PgConnectOptions::from_str(&self.database_url)
            .with_context(|| "parsing the database URL")?
            .application_name(&self.application_name)
            .options([
                ("search_path", search_path.as_str()),
                // An idle transaction that holds an id stalls every commit-order reader.
                ("idle_in_transaction_session_timeout", "30s"),
                // Every statement here is prepared once per connection and runs with
                // parameters whose values do not change the best plan; planning the
                // append's CTEs again for each call would cost as much as running them.
                ("plan_cache_mode", "force_generic_plan"),
            ]);
        Ok(options)
    }
}

/// Connects a pool for the namespace and applies the log's migrations.
pub async fn connect(options: &ConnectOptions) -> anyhow::Result<PgPool> {
    // The log's migrations run with the namespace alone on the search path: with a
    // projection's schema first, unqualified names would land in that schema instead.
    let mut log_only = options.clone();
    log_only.schemas_first.clear();
    log_only.max_connections = 1;
    let migrations = open(&log_only).await?;
    crate::migrate(&migrations, &options.namespace).await?;
    migrations.close().await;
    open(options).await
}

async fn open(options: &ConnectOptions) -> anyhow::Result<PgPool> {
    PgPoolOptions::new()
        .max_connections(options.max_connections)
        .acquire_timeout(Duration::from_secs(10))
        .connect_with(options.pg_options()?)
        .await
        .with_context(|| {
            format!(
                "connecting to PostgreSQL for namespace {}",
                options.namespace
            )
        })
}

/// Removes a namespace's schema, its projections' schemas (`<ns>__…`) and everything in
/// them. For tests and tear-down only.
pub async fn drop_namespace(pool: &PgPool, namespace: &Namespace) -> anyhow::Result<()> {
    let schemas: Vec<String> = sqlx::query_scalar(
        "SELECT nspname::text FROM pg_namespace WHERE nspname = $1 OR starts_with(nspname::text, $1 || '__')",
    )
    .bind(namespace.as_str())
    .fetch_all(pool)
    .await?;
    for schema in schemas {
        // Names from the catalogue that begin with a validated namespace: quoted anyway.
        let sql = format!(
            "DROP SCHEMA IF EXISTS \"{}\" CASCADE",
            schema.replace('"', "")
        );
        pool.execute(sql.as_str())
            .await
            .context("dropping a namespace schema")?;
    }
    Ok(())
}
