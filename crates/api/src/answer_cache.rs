//! Serialized answers kept while their projection has not moved: a board read a thousand
//! times between two changes is built once.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use store::Position;

/// Beyond this many entries the cache starts over.
const CAPACITY: usize = 10_000;

#[derive(Clone, Default)]
pub struct AnswerCache {
    entries: Arc<Mutex<HashMap<String, (Position, Bytes)>>>,
}

impl AnswerCache {
    /// The answer built at exactly `at`, if there is one.
    pub fn get(&self, key: &str, at: Position) -> Option<Bytes> {
        let entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        entries
            .get(key)
            .filter(|(built_at, _)| *built_at == at)
            .map(|(_, body)| body.clone())
    }

    pub fn put(&self, key: String, at: Position, body: Bytes) {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if entries.len() >= CAPACITY {
            entries.clear();
        }
        entries.insert(key, (at, body));
    }
}
