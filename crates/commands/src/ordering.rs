//! Per-stream ordering: commands that touch a common stream run in arrival order; the rest
//! run concurrently. A command for a new project and the tasks created in it right after
//! must not overtake each other, while commands on unrelated tasks should not wait in line.

use std::collections::HashMap;

use tokio::sync::watch;

/// Hands out, for each command, what it must wait for and what it releases when done.
#[derive(Default)]
pub struct Ordering {
    tails: HashMap<String, watch::Receiver<bool>>,
}

/// Released (marked done) when dropped, so a task that fails still unblocks those behind it.
pub struct Turn {
    done: watch::Sender<bool>,
    waits: Vec<watch::Receiver<bool>>,
}

impl Ordering {
    /// Beyond this many remembered keys, finished ones are forgotten.
    const PRUNE_AT: usize = 50_000;

    pub fn enter(&mut self, keys: &[String]) -> Turn {
        let (done, receiver) = watch::channel(false);
        let mut waits = Vec::new();
        for key in keys {
            if let Some(previous) = self.tails.insert(key.clone(), receiver.clone())
                && !*previous.borrow()
            {
                waits.push(previous);
            }
        }
        if self.tails.len() > Self::PRUNE_AT {
            self.tails.retain(|_, tail| !*tail.borrow());
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
        let first = ordering.enter(&keys(&["project-1"]));
        let mut second = ordering.enter(&keys(&["task-1", "project-1"]));
        let mut unrelated = ordering.enter(&keys(&["task-2"]));

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
