//! End-to-end tests of the roles, in-process, against the real PostgreSQL and NATS.

use foresight_tests::harness;

mod api;
mod catch_up;
mod commands;
mod dependencies;
mod hostile;
mod hostile_burst;
mod lag;
mod nats_permissions;
mod poison;
mod predictions;
mod prometheus;
mod rebuild;
mod relay;
mod workload;
