//! Flags and subcommands; every flag also reads its `FORESIGHT_*` variable.

use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::config::Config;

#[derive(Parser, Debug)]
#[command(
    name = "foresight",
    version,
    about = "Event-sourced project management that predicts."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Args, Debug, Clone)]
pub struct GlobalArgs {
    /// PostgreSQL, where the log and every projection live.
    #[arg(
        long,
        global = true,
        env = "FORESIGHT_DATABASE_URL",
        default_value = "postgres://postgres@127.0.0.1:5432/postgres"
    )]
    pub database_url: String,
    /// NATS with JetStream.
    #[arg(
        long,
        global = true,
        env = "FORESIGHT_NATS_URL",
        default_value = "nats://127.0.0.1:4222"
    )]
    pub nats_url: String,
    /// Schema, subject prefix and stream-name prefix of this deployment.
    #[arg(
        long,
        global = true,
        env = "FORESIGHT_NAMESPACE",
        default_value = "foresight"
    )]
    pub namespace: String,
    /// Where `/healthz`, `/readyz` and `/metrics` are served.
    #[arg(
        long,
        global = true,
        env = "FORESIGHT_HTTP_ADDR",
        default_value = "127.0.0.1:8080"
    )]
    pub http_addr: String,
    /// Commands larger than this many bytes are rejected as `payload_too_large` (from 1 KiB
    /// to 64 MiB; NATS refuses messages above its own `max_payload`, 1 MiB by default, first).
    #[arg(
        long,
        global = true,
        env = "FORESIGHT_MAX_COMMAND_BYTES",
        default_value_t = 256 * 1024
    )]
    pub max_command_bytes: u64,
    /// Log lines as JSON instead of text.
    #[arg(long, global = true, env = "FORESIGHT_LOG_JSON")]
    pub log_json: bool,
    /// Copies of each JetStream stream Foresight creates: 3 on a three-node cluster.
    #[arg(
        long,
        global = true,
        env = "FORESIGHT_STREAM_REPLICAS",
        default_value_t = 1
    )]
    pub stream_replicas: usize,
    #[command(flatten)]
    pub nats: crate::nats_flags::NatsArgs,
    #[command(flatten)]
    pub api: crate::api_flags::ApiArgs,
    /// How long JetStream waits for a consumer's ack before delivering a message again
    /// (`500ms`, `30s`, `2m`); set when a consumer's durable consumer is created.
    #[arg(
        long,
        global = true,
        env = "FORESIGHT_CONSUMER_ACK_WAIT",
        default_value = "30s"
    )]
    pub consumer_ack_wait: String,
    /// How often the API role measures every consumer's lag from the checkpoints table.
    #[arg(
        long,
        global = true,
        env = "FORESIGHT_LAG_INTERVAL",
        default_value = "5s"
    )]
    pub lag_interval: String,
}

impl GlobalArgs {
    pub fn log_format(&self) -> telemetry::LogFormat {
        if self.log_json {
            telemetry::LogFormat::Json
        } else {
            telemetry::LogFormat::Text
        }
    }
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Every role in one process; creates the schema and the streams.
    Up {
        /// Also play a small demo workload through the command path once the roles run.
        #[arg(long)]
        demo: bool,
    },
    /// One role.
    Run {
        #[arg(value_enum)]
        role: Role,
    },
    /// Rebuild a projection from the log into fresh tables and swap them in.
    Replay {
        #[arg(value_enum)]
        projection: ReplayTarget,
        /// Events read and applied per transaction.
        #[arg(long, default_value_t = 20_000)]
        batch_size: i64,
    },
    /// Publish a command and print its outcome.
    Send(crate::send::SendArgs),
    /// Print the log in commit order, or follow it.
    Events(crate::events::EventsArgs),
    /// Play a seeded, realistic history through the command path.
    Simulate(crate::simulate::SimulateArgs),
    /// Replay the log into a dataset, train the candidate models, register the best and
    /// promote it if it beats the active model on the same test rows.
    Train,
    /// List the model registry.
    Models,
    /// Ask this process's `/healthz` (at `--http-addr`); exit 0 when it answers 200.
    /// For container health checks: the image carries no HTTP client.
    Health,
    /// Bearer tokens for the query API: make one, or hash one.
    Token(crate::token::TokenArgs),
    /// Measure, against the local services, and print a table.
    Bench {
        #[arg(value_enum)]
        what: crate::bench::Bench,
        #[command(flatten)]
        options: crate::bench::BenchOptions,
    },
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Commands,
    Relay,
    Boards,
    Schedules,
    Analytics,
    Features,
    Predictor,
    Api,
}

impl Role {
    pub const ALL: &'static [Role] = &[
        Role::Commands,
        Role::Relay,
        Role::Boards,
        Role::Schedules,
        Role::Analytics,
        Role::Features,
        Role::Predictor,
        Role::Api,
    ];

    /// The roles that follow the log; each is named in `checkpoints` as its role is.
    pub const CONSUMERS: &'static [Role] = &[
        Role::Boards,
        Role::Schedules,
        Role::Analytics,
        Role::Features,
    ];

    pub fn name(self) -> String {
        self.to_possible_value()
            .map(|v| v.get_name().to_owned())
            .unwrap_or_default()
    }
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplayTarget {
    Boards,
    Schedules,
    Analytics,
    Features,
    All,
}

pub async fn dispatch(cli: Cli) -> anyhow::Result<ExitCode> {
    // Tokens are made offline: no configuration, no services.
    if let Command::Token(args) = &cli.command {
        return crate::token::run(args).map(|_| ExitCode::SUCCESS);
    }
    let config = Config::from_args(&cli.global)?;
    match cli.command {
        Command::Up { demo } => crate::roles::up(&config, demo)
            .await
            .map(|_| ExitCode::SUCCESS),
        Command::Run { role } => crate::roles::run_one(&config, role)
            .await
            .map(|_| ExitCode::SUCCESS),
        Command::Replay {
            projection,
            batch_size,
        } => crate::replay::replay(&config, projection, batch_size)
            .await
            .map(|_| ExitCode::SUCCESS),
        Command::Send(args) => crate::send::send(&config, args).await,
        Command::Events(args) => crate::events::events(&config, args)
            .await
            .map(|_| ExitCode::SUCCESS),
        Command::Simulate(args) => crate::simulate::run(&config, &args)
            .await
            .map(|_| ExitCode::SUCCESS),
        Command::Train => crate::train::run_train(&config)
            .await
            .map(|_| ExitCode::SUCCESS),
        Command::Models => crate::train::run_models(&config)
            .await
            .map(|_| ExitCode::SUCCESS),
        Command::Health => Ok(crate::health::run(&config).await),
        // Handled above, before any configuration.
        Command::Token(_) => Ok(ExitCode::SUCCESS),
        Command::Bench { what, options } => crate::bench::run(&config, what, options)
            .await
            .map(|_| ExitCode::SUCCESS),
    }
}

#[cfg(test)]
mod tests {
    use consumer::Projection;

    use super::Role;

    #[test]
    fn consumer_roles_are_named_as_their_checkpoints() {
        let names: Vec<String> = Role::CONSUMERS.iter().map(|r| r.name()).collect();
        assert_eq!(
            names,
            [
                boards::Boards.name(),
                schedules::Schedules.name(),
                analytics::Analytics.name(),
                features::store::CONSUMER,
            ]
        );
    }
}
