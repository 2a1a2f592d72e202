//! The dependency closure a new dependency's cycle check needs: every task the dependency
//! waits for, directly or not, loaded through the state cache.
//!
//! Each round asks the log once for every task found so far: what the cache already knows
//! lies behind a task is asked for in the same round, so a warm cache answers a chain of any
//! length in one query; only tasks the cache has never seen cost a round of their own.

use std::collections::HashSet;

use domain::{References, Rejection, RejectionCode, StreamId, TaskId};
use sqlx::PgPool;

use crate::StateCache;

/// More tasks than this behind one dependency: the cycle check would need them all, so the
/// command is refused rather than decided on a part of the graph.
pub const CLOSURE_LIMIT: usize = 10_000;

/// Loads into `refs` every task that `dependency` waits for, transitively. `Ok(Err(_))` when
/// there are more than [`CLOSURE_LIMIT`].
pub async fn load(
    pool: &PgPool,
    cache: &StateCache,
    dependency: TaskId,
    refs: &mut References,
) -> anyhow::Result<Result<(), Rejection>> {
    let mut asked: HashSet<TaskId> = HashSet::from([dependency]);
    let mut frontier = waits_for(refs, &[dependency], &asked);
    while !frontier.is_empty() {
        let room = (CLOSURE_LIMIT + 1).saturating_sub(asked.len());
        let round = cache.guess_closure(&frontier, |task| asked.contains(task), room);
        asked.extend(round.iter().copied());
        if asked.len() > CLOSURE_LIMIT {
            return Ok(Err(Rejection::new(
                RejectionCode::InvalidCommand,
                format!(
                    "task {dependency} waits for more than {CLOSURE_LIMIT} tasks, directly or not: \
                     too many to check the new dependency for a cycle"
                ),
            )
            .with_field("payload.depends_on")));
        }
        let streams: Vec<StreamId> = round.iter().copied().map(StreamId::task).collect();
        for (stream, (state, _)) in cache.load(pool, &streams).await? {
            if let Some(stream) = StreamId::parse(&stream) {
                refs.insert(stream, state);
            }
        }
        frontier = waits_for(refs, &round, &asked);
    }
    Ok(Ok(()))
}

/// The dependencies of `tasks` (as loaded in `refs`) not asked for yet.
fn waits_for(refs: &References, tasks: &[TaskId], asked: &HashSet<TaskId>) -> Vec<TaskId> {
    let mut next: Vec<TaskId> = tasks
        .iter()
        .filter_map(|task| refs.task(*task))
        .flat_map(|task| task.depends_on.iter().copied())
        .filter(|dep| !asked.contains(dep))
        .collect();
    next.sort_unstable();
    next.dedup();
    next
}
