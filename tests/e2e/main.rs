//! End-to-end tests of the roles.
