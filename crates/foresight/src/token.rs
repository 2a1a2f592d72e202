//! `foresight token`: make a bearer token for the query API, or hash one, offline.

use std::io::BufRead;

use anyhow::Context;
use clap::{ArgGroup, Args, Subcommand, ValueEnum};
use serde_json::json;
use uuid::Uuid;

#[derive(Args, Debug)]
pub struct TokenArgs {
    #[command(subcommand)]
    pub action: TokenAction,
}

#[derive(Subcommand, Debug)]
pub enum TokenAction {
    /// A new random token, printed once, with its entry for FORESIGHT_API_TOKENS_FILE.
    #[command(group(ArgGroup::new("which").required(true).args(["project", "all_projects"])))]
    New {
        /// Who holds it (logs name the holder, never the token).
        #[arg(long)]
        name: String,
        /// What it may do; repeat for several.
        #[arg(long = "scope", value_enum, default_values_t = [ScopeName::Read])]
        scopes: Vec<ScopeName>,
        /// A project it may read; repeat for several.
        #[arg(long)]
        project: Vec<Uuid>,
        /// Every project.
        #[arg(long)]
        all_projects: bool,
    },
    /// The SHA-256 of a token read from standard input, which keeps it out of the shell's
    /// history.
    Hash,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScopeName {
    Read,
    Metrics,
    Admin,
}

impl ScopeName {
    fn as_str(self) -> &'static str {
        match self {
            ScopeName::Read => "read",
            ScopeName::Metrics => "metrics",
            ScopeName::Admin => "admin",
        }
    }
}

pub fn run(args: &TokenArgs) -> anyhow::Result<()> {
    match &args.action {
        TokenAction::New {
            name,
            scopes,
            project,
            all_projects,
        } => {
            let token = api::auth::generate_token()
                .map_err(|_| anyhow::anyhow!("the system's random generator failed"))?;
            let projects = if *all_projects {
                json!("*")
            } else {
                json!(project)
            };
            let scopes: Vec<&str> = scopes.iter().map(|s| s.as_str()).collect();
            let entry = json!({"name": name, "sha256": api::auth::token_sha256(&token),
                               "scopes": scopes, "projects": projects});
            println!("token (shown once; the server keeps only its hash): {token}");
            println!("entry for FORESIGHT_API_TOKENS_FILE (a JSON array of these):");
            println!("{entry}");
        }
        TokenAction::Hash => {
            let mut line = String::new();
            std::io::stdin()
                .lock()
                .read_line(&mut line)
                .context("reading the token from standard input")?;
            let token = line.trim();
            anyhow::ensure!(!token.is_empty(), "no token on standard input");
            println!("{}", api::auth::token_sha256(token));
        }
    }
    Ok(())
}
