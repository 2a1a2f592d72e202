//! The kit the black-box tests share: roles started in-process on a test namespace
//! (`harness`), a client that keeps sending commands through faults (`load`), a projection
//! wrapper that records every event it applies (`audit`), and the check every fault test
//! ends with (`convergence`). The tests themselves live in `e2e/` and in the binary's
//! `tests/faults/`.

pub mod audit;
pub mod convergence;
pub mod harness;
pub mod load;
