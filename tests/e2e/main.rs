//! End-to-end tests of the roles, in-process, against the real PostgreSQL and NATS.

mod commands;
mod harness;
mod relay;
