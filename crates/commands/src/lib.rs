//! The command-handler role: commands from JetStream, decisions appended to the log,
//! outcomes to `<ns>.result.<command_id>` and `command_results`.

mod appender;
mod dependency_closure;
mod execute;
mod handler;
mod intake;
mod ordering;
mod outcome;
mod schema_check;
mod state_cache;
mod strict_json;

pub use appender::Appender;
pub use execute::{Executed, append_request, execute, reject, rejected};
pub use state_cache::StateCache;

pub use handler::{HandlerConfig, HandlerContext, run};
pub use intake::{Intake, decode};
pub use schema_check::SchemaCheck;
