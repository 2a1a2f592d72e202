//! Connecting to NATS: where the server is, how this client proves who it is, and TLS.

use std::path::PathBuf;

use anyhow::Context;
use secrecy::{ExposeSecret, SecretString};

/// How to reach NATS.
#[derive(Debug, Clone)]
pub struct NatsOptions {
    /// May hold `user:password@`; messages show it with the password hidden (`redacted_url`).
    pub url: String,
    pub client_name: String,
    pub auth: NatsAuth,
    pub tls: NatsTls,
    /// The first token of this client's reply subjects; `None` is the NATS default `_INBOX`.
    /// Services take one of their own (`Subjects::service_inbox_prefix`), so that no client
    /// allowed to subscribe to `_INBOX.>` for its own replies can read what the broker
    /// delivers to a service (events fetched by a consumer arrive on such subjects).
    pub inbox_prefix: Option<String>,
}

impl NatsOptions {
    /// No credentials, no TLS, the default inbox: a developer machine's server.
    pub fn new(url: &str, client_name: &str) -> Self {
        Self {
            url: url.to_owned(),
            client_name: client_name.to_owned(),
            auth: NatsAuth::None,
            tls: NatsTls::default(),
            inbox_prefix: None,
        }
    }
}

/// How the client authenticates. Secrets are wrapped so that `Debug` never shows them;
/// the nkey seed and the credentials file are read at connect time and not kept.
#[derive(Debug, Clone, Default)]
pub enum NatsAuth {
    #[default]
    None,
    UserPassword {
        user: String,
        password: SecretString,
    },
    Token(SecretString),
    /// A file holding an nkey seed (`SU…`), whose public key the server lists.
    NkeySeedFile(PathBuf),
    /// A `.creds` file (a user JWT and its seed) for servers run in operator mode.
    CredentialsFile(PathBuf),
}

/// TLS towards the server. A `tls://` URL asks for TLS as well.
#[derive(Debug, Clone, Default)]
pub struct NatsTls {
    pub required: bool,
    /// PEM certificates of the authorities that sign the server's certificate, in place of
    /// the system's roots.
    pub ca_file: Option<PathBuf>,
    /// PEM certificate and key for servers that verify clients (mutual TLS).
    pub client_cert: Option<(PathBuf, PathBuf)>,
}

pub async fn connect(options: &NatsOptions) -> anyhow::Result<async_nats::Client> {
    let mut connect = async_nats::ConnectOptions::new().name(&options.client_name);
    connect = match &options.auth {
        NatsAuth::None => connect,
        NatsAuth::UserPassword { user, password } => {
            connect.user_and_password(user.clone(), password.expose_secret().to_owned())
        }
        NatsAuth::Token(token) => connect.token(token.expose_secret().to_owned()),
        NatsAuth::NkeySeedFile(path) => {
            let seed = tokio::fs::read_to_string(path)
                .await
                .with_context(|| format!("reading the nkey seed file {}", path.display()))?;
            connect.nkey(seed.trim().to_owned())
        }
        NatsAuth::CredentialsFile(path) => connect
            .credentials_file(path)
            .await
            .with_context(|| format!("reading the NATS credentials file {}", path.display()))?,
    };
    if let Some(prefix) = &options.inbox_prefix {
        connect = connect.custom_inbox_prefix(prefix);
    }
    let tls = &options.tls;
    if tls.required {
        connect = connect.require_tls(true);
    }
    if let Some(ca) = &tls.ca_file {
        connect = connect.add_root_certificates(ca.clone());
    }
    if let Some((cert, key)) = &tls.client_cert {
        connect = connect.add_client_certificate(cert.clone(), key.clone());
    }
    connect
        .connect(options.url.as_str())
        .await
        .with_context(|| format!("connecting to NATS at {}", redacted_url(&options.url)))
}

/// The URL (or comma-separated URLs) with any password replaced by `***`, for messages.
pub fn redacted_url(url: &str) -> String {
    url.split(',')
        .map(|one| {
            let (scheme, rest) = one.split_once("://").unwrap_or(("", one));
            let Some((userinfo, host)) = rest.rsplit_once('@') else {
                return one.to_owned();
            };
            let user = match userinfo.split_once(':') {
                Some((user, _)) => format!("{user}:***"),
                // A lone token in the user position is a secret too.
                None => "***".to_owned(),
            };
            let prefix = if scheme.is_empty() {
                String::new()
            } else {
                format!("{scheme}://")
            };
            format!("{prefix}{user}@{host}")
        })
        .collect::<Vec<_>>()
        .join(",")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_lose_their_passwords_and_tokens() {
        assert_eq!(
            redacted_url("nats://svc:s3cret@nats:4222"),
            "nats://svc:***@nats:4222"
        );
        assert_eq!(
            redacted_url("nats://t0ken@nats:4222"),
            "nats://***@nats:4222"
        );
        assert_eq!(
            redacted_url("nats://a:b@one:4222,tls://two:4222"),
            "nats://a:***@one:4222,tls://two:4222"
        );
        assert_eq!(redacted_url("127.0.0.1:4222"), "127.0.0.1:4222");
    }

    #[test]
    fn debug_never_shows_a_secret() {
        let mut options = NatsOptions::new("nats://127.0.0.1:4222", "test");
        options.auth = NatsAuth::UserPassword {
            user: "svc".into(),
            password: SecretString::from("hunter2-password"),
        };
        let shown = format!("{options:?}");
        assert!(shown.contains("svc"), "{shown}");
        assert!(!shown.contains("hunter2"), "{shown}");
        options.auth = NatsAuth::Token(SecretString::from("tok-abcdef"));
        let shown = format!("{options:?}");
        assert!(!shown.contains("tok-abcdef"), "{shown}");
    }
}
