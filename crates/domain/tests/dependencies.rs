//! Tidy test: the domain crate stays pure — no I/O or async crate among its dependencies.

const FORBIDDEN: [&str; 7] = [
    "tokio",
    "sqlx",
    "async-nats",
    "axum",
    "reqwest",
    "hyper",
    "futures",
];

/// The names in every `[…dependencies…]` table of a manifest, in either TOML spelling.
fn dependency_names(manifest: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut in_table = false;
    for line in manifest.lines().map(str::trim) {
        if let Some(header) = line.strip_prefix('[') {
            let header = header.trim_end_matches(']');
            in_table = header.ends_with("dependencies");
            if let Some((_, name)) = header.split_once("dependencies.") {
                names.push(name.trim_matches('"').to_owned());
            }
            continue;
        }
        if in_table && let Some((key, _)) = line.split_once('=') {
            let key = key.trim();
            let name = key.split_once('.').map_or(key, |(name, _)| name);
            if !name.is_empty() && !name.starts_with('#') {
                names.push(name.trim_matches('"').to_owned());
            }
        }
    }
    names
}

#[test]
fn domain_depends_on_no_io_crate() {
    let manifest = include_str!("../Cargo.toml");
    let names = dependency_names(manifest);
    assert!(
        names.iter().any(|n| n == "serde"),
        "the manifest scan found no dependencies: {names:?}"
    );
    let offending: Vec<&String> = names
        .iter()
        .filter(|n| FORBIDDEN.contains(&n.as_str()))
        .collect();
    assert!(
        offending.is_empty(),
        "domain must stay free of I/O, yet depends on {offending:?}"
    );
}

#[test]
fn the_manifest_scan_sees_both_spellings() {
    let manifest = "[dependencies]\ntokio = { workspace = true }\nserde.workspace = true\n\n\
                    [target.'cfg(unix)'.dependencies.sqlx]\nversion = \"1\"\n[features]\nx = []\n";
    assert_eq!(dependency_names(manifest), ["tokio", "serde", "sqlx"]);
}
