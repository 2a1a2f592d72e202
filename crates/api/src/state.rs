//! What every handler shares.

use std::sync::Arc;

use domain::Namespace;
use sqlx::PgPool;

use crate::answer_cache::AnswerCache;
use crate::auth::Authenticator;
use crate::limits::{InFlight, RequestLimits};
use crate::positions::Positions;

/// The projections the API reads, in search-path order.
const PROJECTIONS: [&str; 3] = ["boards", "schedules", "analytics"];

#[derive(Clone)]
pub struct ApiState {
    /// Its search path holds every projection's schema, then the namespace.
    pub pool: PgPool,
    pub namespace: Namespace,
    pub metrics: telemetry::Metrics,
    pub readiness: telemetry::Readiness,
    pub(crate) positions: Positions,
    pub(crate) answers: AnswerCache,
    pub(crate) auth: Arc<Authenticator>,
    pub(crate) limits: RequestLimits,
    pub(crate) in_flight: InFlight,
}

impl ApiState {
    /// Starts the checkpoint poller; call inside the runtime that serves the API. Without
    /// `with_security`, authentication is off and the default limits hold.
    pub fn new(
        pool: PgPool,
        namespace: Namespace,
        metrics: telemetry::Metrics,
        readiness: telemetry::Readiness,
    ) -> Self {
        let positions = Positions::spawn(pool.clone());
        Self {
            pool,
            namespace,
            metrics,
            readiness,
            positions,
            answers: AnswerCache::default(),
            auth: Arc::new(Authenticator::off()),
            limits: RequestLimits::default(),
            in_flight: InFlight::new(RequestLimits::default().max_in_flight),
        }
    }

    /// Who may read what, and how much a request may cost.
    pub fn with_security(mut self, auth: Authenticator, limits: RequestLimits) -> Self {
        self.auth = Arc::new(auth);
        self.in_flight = InFlight::new(limits.max_in_flight);
        self.limits = limits;
        self
    }

    /// The pool options for the API: every projection's schema on the search path.
    pub fn connect_options(mut options: store::ConnectOptions) -> store::ConnectOptions {
        options.schemas_first = PROJECTIONS
            .iter()
            .map(|p| consumer::projection_schema(&options.namespace, p))
            .collect();
        options.set_role("api");
        options
    }
}

/// Creates every projection's tables if no consumer has yet, so that the API answers 404,
/// not 500, on a fresh installation.
pub async fn ensure_projection_schemas(pool: &PgPool, namespace: &Namespace) -> anyhow::Result<()> {
    use consumer::Projection;
    let projections: [(&str, &str); 3] = [
        (boards::Boards.name(), boards::Boards.schema_sql()),
        (
            schedules::Schedules.name(),
            schedules::Schedules.schema_sql(),
        ),
        (
            analytics::Analytics.name(),
            analytics::Analytics.schema_sql(),
        ),
    ];
    for (name, ddl) in projections {
        consumer::ensure_schema(pool, &consumer::projection_schema(namespace, name), ddl).await?;
    }
    Ok(())
}
