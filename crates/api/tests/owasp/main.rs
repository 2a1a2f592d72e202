//! The query API against the OWASP API Security Top 10 (2023): one file per item that
//! applies (API6, API7 and API10 do not; docs/ARCHITECTURE.md says why). Each test runs on
//! a namespace of its own, with projections built from a real log.

mod api1_object_level_authorization;
mod api2_broken_authentication;
mod api3_object_property_level_authorization;
mod api4_unrestricted_resource_consumption;
mod api5_function_level_authorization;
mod api8_security_misconfiguration;
mod api9_improper_inventory_management;
mod world;
