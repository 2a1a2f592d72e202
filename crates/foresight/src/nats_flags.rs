//! NATS credentials and TLS flags, validated into `bus::NatsAuth` and `bus::NatsTls`.

use std::path::PathBuf;

use clap::Args;
use secrecy::SecretString;

#[derive(Args, Debug, Clone)]
pub struct NatsArgs {
    /// NATS user (with --nats-password).
    #[arg(long, global = true, env = "FORESIGHT_NATS_USER")]
    pub nats_user: Option<String>,
    /// NATS password; prefer the variable to the flag, which `ps` shows.
    #[arg(long, global = true, env = "FORESIGHT_NATS_PASSWORD", hide_env_values = true, value_parser = secret)]
    pub nats_password: Option<SecretString>,
    /// NATS token.
    #[arg(long, global = true, env = "FORESIGHT_NATS_TOKEN", hide_env_values = true, value_parser = secret)]
    pub nats_token: Option<SecretString>,
    /// A file holding an nkey seed (`SU…`).
    #[arg(long, global = true, env = "FORESIGHT_NATS_NKEY")]
    pub nats_nkey: Option<PathBuf>,
    /// A `.creds` file (user JWT and seed), for servers in operator mode.
    #[arg(long, global = true, env = "FORESIGHT_NATS_CREDS")]
    pub nats_creds: Option<PathBuf>,
    /// Require TLS (implied by the other --nats-tls-* flags and by a tls:// URL).
    #[arg(long, global = true, env = "FORESIGHT_NATS_TLS")]
    pub nats_tls: bool,
    /// PEM file of the authorities that sign the server's certificate.
    #[arg(long, global = true, env = "FORESIGHT_NATS_TLS_CA")]
    pub nats_tls_ca: Option<PathBuf>,
    /// PEM client certificate, for servers that verify clients (with --nats-tls-key).
    #[arg(long, global = true, env = "FORESIGHT_NATS_TLS_CERT")]
    pub nats_tls_cert: Option<PathBuf>,
    /// PEM key of the client certificate.
    #[arg(long, global = true, env = "FORESIGHT_NATS_TLS_KEY")]
    pub nats_tls_key: Option<PathBuf>,
}

pub fn secret(raw: &str) -> Result<SecretString, std::convert::Infallible> {
    Ok(SecretString::from(raw))
}

impl NatsArgs {
    /// One way of authenticating at most, each complete.
    pub fn auth(&self) -> anyhow::Result<bus::NatsAuth> {
        let given = [
            self.nats_user.is_some() || self.nats_password.is_some(),
            self.nats_token.is_some(),
            self.nats_nkey.is_some(),
            self.nats_creds.is_some(),
        ];
        if given.iter().filter(|g| **g).count() > 1 {
            anyhow::bail!(
                "NATS credentials: give one of --nats-user/--nats-password, --nats-token, --nats-nkey, --nats-creds"
            );
        }
        match (&self.nats_user, &self.nats_password) {
            (Some(user), Some(password)) => {
                return Ok(bus::NatsAuth::UserPassword {
                    user: user.clone(),
                    password: password.clone(),
                });
            }
            (Some(_), None) | (None, Some(_)) => anyhow::bail!(
                "--nats-user / FORESIGHT_NATS_USER and --nats-password / FORESIGHT_NATS_PASSWORD go together"
            ),
            (None, None) => {}
        }
        Ok(if let Some(token) = &self.nats_token {
            bus::NatsAuth::Token(token.clone())
        } else if let Some(path) = &self.nats_nkey {
            bus::NatsAuth::NkeySeedFile(path.clone())
        } else if let Some(path) = &self.nats_creds {
            bus::NatsAuth::CredentialsFile(path.clone())
        } else {
            bus::NatsAuth::None
        })
    }

    pub fn tls(&self) -> anyhow::Result<bus::NatsTls> {
        let client_cert = match (&self.nats_tls_cert, &self.nats_tls_key) {
            (Some(cert), Some(key)) => Some((cert.clone(), key.clone())),
            (None, None) => None,
            _ => anyhow::bail!(
                "--nats-tls-cert / FORESIGHT_NATS_TLS_CERT and --nats-tls-key / FORESIGHT_NATS_TLS_KEY go together"
            ),
        };
        Ok(bus::NatsTls {
            required: self.nats_tls || self.nats_tls_ca.is_some() || client_cert.is_some(),
            ca_file: self.nats_tls_ca.clone(),
            client_cert,
        })
    }
}
