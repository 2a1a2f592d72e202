//! End-to-end tests of the roles, in-process, against the real PostgreSQL and NATS.

use foresight_tests::harness;

mod api;
mod catch_up;
mod commands;
mod lag;
mod poison;
mod predictions;
mod rebuild;
mod relay;
mod workload;
