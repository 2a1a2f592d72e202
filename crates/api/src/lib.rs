//! The read-only query API: axum routes over the projections' read functions, errors as
//! `application/problem+json`, read-your-writes through `min_position` and `wait_ms`, and
//! who may read what (`auth`).

mod answer_cache;
pub mod auth;
mod consistency;
mod error;
mod http_metrics;
mod json_body;
mod limits;
mod openapi;
mod params;
mod positions;
mod routes;
mod security_headers;
mod state;

pub use error::ApiError;
pub use limits::RequestLimits;
pub use openapi::openapi;
pub use routes::{ops_router, router};
pub use state::{ApiState, ensure_projection_schemas};

/// The header every answer carries: the log position the answer reflects.
pub const POSITION_HEADER: &str = "Foresight-Position";
