//! End-to-end tests of the roles, in-process, against the real PostgreSQL and NATS.

mod api;
mod catch_up;
mod commands;
mod harness;
mod nats_permissions;
mod predictions;
mod rebuild;
mod relay;
mod workload;
