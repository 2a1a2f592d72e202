//! Arriving with the projections issue.
