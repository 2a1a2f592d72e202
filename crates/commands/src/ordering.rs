//! Per-stream ordering: commands that touch a common stream run in arrival order; the rest
//! run concurrently. A command for a new project and the tasks created in it right after
//! must not overtake each other, while commands on unrelated tasks should not wait in line.

use std::collections::HashMap;

use tokio::sync::watch;

/// Hands out, for each command, what it must wait for and what it releases when done.
/// Per stream: a command that writes it waits for every earlier command on it; one that
/// only reads it (a task's project, a member being assigned) waits only for earlier writers,
/// so the tasks of one project are created side by side.
#[derive(Default)]
pub struct Ordering {
    streams: HashMap<String, StreamTurns>,
}

#[derive(Default)]
struct StreamTurns {
    writer: Option<watch::Receiver<bool>>,
    readers: Vec<watch::Receiver<bool>>,
}

fn pending(receiver: &watch::Receiver<bool>) -> bool {
    !*receiver.borrow()
}

/// Released (marked done) when dropped, so a task that fails still unblocks those behind it.
pub struct Turn {
    done: watch::Sender<bool>,
    waits: Vec<watch::Receiver<bool>>,
}

impl Ordering {
    /// Beyond this many remembered streams, finished ones are forgotten.
    const PRUNE_AT: usize = 50_000;

    pub fn enter(&mut self, writes: &[String], reads: &[String]) -> Turn {
        let (done, receiver) = watch::channel(false);
        let mut waits = Vec::new();
        for key in writes {
            let turns = self.streams.entry(key.clone()).or_default();
            waits.extend(turns.writer.take().filter(pending));
            waits.extend(turns.readers.drain(..).filter(pending));
            turns.writer = Some(receiver.clone());
        }
        for key in reads.iter().filter(|k| !writes.contains(k)) {
            let turns = self.streams.entry(key.clone()).or_default();
            waits.extend(turns.writer.iter().filter(|w| pending(w)).cloned());
            turns.readers.retain(pending);
            turns.readers.push(receiver.clone());
        }
        if self.streams.len() > Self::PRUNE_AT {
            self.streams.retain(|_, turns| {
                turns.writer.as_ref().is_some_and(pending) || turns.readers.iter().any(pending)
            });
        }
        Turn { done, waits }
    }
}

impl Turn {
    /// Waits until every earlier command that shares a key has finished.
    pub async fn wait(&mut self) {
        for previous in &mut self.waits {
            // A dropped sender means the earlier command is gone: that counts as finished.
            let _ = previous.wait_for(|done| *done).await;
        }
        self.waits.clear();
    }
}

impl Drop for Turn {
    fn drop(&mut self) {
        let _ = self.done.send(true);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn keys(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    #[tokio::test]
    async fn commands_on_a_shared_stream_wait_for_each_other() {
        let mut ordering = Ordering::default();
        let first = ordering.enter(&keys(&["project-1"]), &[]);
        let mut second = ordering.enter(&keys(&["task-1"]), &keys(&["project-1"]));
        let mut unrelated = ordering.enter(&keys(&["task-2"]), &[]);

        tokio::time::timeout(Duration::from_secs(1), unrelated.wait())
            .await
            .expect("unrelated runs at once");
        let blocked = tokio::time::timeout(Duration::from_millis(50), second.wait()).await;
        assert!(blocked.is_err(), "second must wait for first");

        drop(first);
        tokio::time::timeout(Duration::from_secs(1), second.wait())
            .await
            .expect("released");
    }
}
