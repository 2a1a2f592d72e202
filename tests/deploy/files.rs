//! Reading the repository's files: paths from its root, YAML documents, and the check that
//! every YAML and JSON file under `deploy/` and `monitoring/` parses.

use std::fs;
use std::path::{Path, PathBuf};

use serde::Deserialize as _;
use serde_yaml_ng::Value;

pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

pub fn read(relative: &str) -> String {
    let path = root().join(relative);
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

/// Every document of a YAML file (Kubernetes files hold several, separated by `---`).
pub fn documents_of(path: &Path) -> Result<Vec<Value>, String> {
    let text = fs::read_to_string(path).map_err(|e| e.to_string())?;
    serde_yaml_ng::Deserializer::from_str(&text)
        .map(|document| Value::deserialize(document).map_err(|e| e.to_string()))
        .filter(|parsed| !matches!(parsed, Ok(Value::Null)))
        .collect()
}

/// The single document of a YAML file in the repository, merge keys (`<<:`) applied.
pub fn yaml(relative: &str) -> Value {
    let mut documents =
        documents_of(&root().join(relative)).unwrap_or_else(|e| panic!("{relative}: {e}"));
    assert_eq!(documents.len(), 1, "{relative} holds one document");
    let mut value = documents.remove(0);
    value
        .apply_merge()
        .unwrap_or_else(|e| panic!("{relative}: {e}"));
    value
}

pub fn json(relative: &str) -> serde_json::Value {
    serde_json::from_str(&read(relative)).unwrap_or_else(|e| panic!("{relative}: {e}"))
}

/// Files under `dir` (relative to the root) whose names end in one of `extensions`, sorted.
pub fn files_under(dir: &str, extensions: &[&str]) -> Vec<PathBuf> {
    fn walk(dir: &Path, extensions: &[&str], found: &mut Vec<PathBuf>) {
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        for entry in entries {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                walk(&path, extensions, found);
            } else if extensions
                .iter()
                .any(|ext| path.to_string_lossy().ends_with(ext))
            {
                found.push(path);
            }
        }
    }
    let mut found = Vec::new();
    walk(&root().join(dir), extensions, &mut found);
    found.sort();
    found
}

/// Looks a key path up in a YAML value: `at(&v, &["spec", "groups"])`.
pub fn at<'v>(value: &'v Value, path: &[&str]) -> &'v Value {
    path.iter()
        .fold(value, |v, key| v.get(*key).unwrap_or(&Value::Null))
}

pub fn str_at<'v>(value: &'v Value, path: &[&str]) -> &'v str {
    at(value, path).as_str().unwrap_or("")
}

#[test]
fn every_yaml_and_json_file_in_deploy_and_monitoring_parses() {
    let mut failures = Vec::new();
    let mut parsed = 0;
    for dir in ["deploy", "monitoring"] {
        for path in files_under(dir, &[".yml", ".yaml"]) {
            match documents_of(&path) {
                Ok(documents) if !documents.is_empty() => parsed += 1,
                Ok(_) => failures.push(format!("{}: empty", path.display())),
                Err(e) => failures.push(format!("{}: {e}", path.display())),
            }
        }
        for path in files_under(dir, &[".json"]) {
            let text = fs::read_to_string(&path).expect("readable");
            match serde_json::from_str::<serde_json::Value>(&text) {
                Ok(_) => parsed += 1,
                Err(e) => failures.push(format!("{}: {e}", path.display())),
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
    assert!(parsed >= 20, "only {parsed} files found");
}
