//! The `foresight` binary: flags in, one subcommand run.

mod api_flags;
mod bench;
mod cli;
mod config;
mod demo;
mod events;
mod health;
mod nats_flags;
mod replay;
mod roles;
mod send;
mod shutdown;
mod simulate;
mod token;
mod train;
mod workload;

use clap::Parser;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = cli::Cli::parse();
    telemetry::init_logging(
        cli.global.log_format(),
        "info,sqlx=warn,sqlx::pool::acquire=error,async_nats=warn",
    );
    match cli::dispatch(cli).await {
        Ok(code) => code,
        Err(error) => {
            tracing::error!(error = %format!("{error:#}"), "foresight failed");
            eprintln!("error: {error:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
