//! `bus::connect` against NATS servers of the tests' own: each way of authenticating is
//! accepted with the right secret and refused with a wrong one, and TLS with a private CA
//! and client certificates works. (A `.creds` file needs a server in operator mode, with
//! its operator and account JWTs: not tested here.)

use std::path::Path;

use bus::{NatsAuth, NatsOptions};
use rcgen::{BasicConstraints, CertificateParams, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair};
use secrecy::SecretString;
use testkit::NatsServer;

fn options(server: &NatsServer, auth: NatsAuth) -> NatsOptions {
    let mut options = NatsOptions::new(&server.url(), "foresight-connect-test");
    options.auth = auth;
    options
}

/// Connected, and the server answers a round trip.
async fn works(options: &NatsOptions) {
    let client = bus::connect(options).await.expect("connects");
    client.flush().await.expect("a round trip");
}

/// Refused; the message names the server, never the secret.
async fn refused(options: &NatsOptions, secret: &str) {
    let error = bus::connect(options)
        .await
        .expect_err("the server refuses these credentials");
    let message = format!("{error:#}");
    assert!(message.contains("connecting to NATS"), "{message}");
    assert!(!message.contains(secret), "{message}");
}

#[tokio::test]
async fn a_user_and_password_connect_and_a_wrong_password_does_not() {
    let server = NatsServer::start(
        NatsServer::prepare(),
        "authorization { users: [ { user: svc, password: $PASSWORD } ] }",
        &[("PASSWORD", "right-horse-battery")],
    );
    let with = |password: &str| {
        options(
            &server,
            NatsAuth::UserPassword {
                user: "svc".into(),
                password: SecretString::from(password),
            },
        )
    };
    works(&with("right-horse-battery")).await;
    refused(&with("wrong-horse-battery"), "wrong-horse-battery").await;
    refused(&options(&server, NatsAuth::None), "right-horse-battery").await;
}

#[tokio::test]
async fn a_token_connects_and_a_wrong_one_does_not() {
    let server = NatsServer::start(
        NatsServer::prepare(),
        "authorization { token: $TOKEN }",
        &[("TOKEN", "s3cret-token-value")],
    );
    let with = |token: &str| options(&server, NatsAuth::Token(SecretString::from(token)));
    works(&with("s3cret-token-value")).await;
    refused(&with("another-token-value"), "another-token-value").await;
}

#[tokio::test]
async fn an_nkey_seed_file_connects_and_another_seed_does_not() {
    let dir = NatsServer::prepare();
    let (known, unknown) = (nkeys::KeyPair::new_user(), nkeys::KeyPair::new_user());
    let (known_file, unknown_file) = (dir.path().join("known.nk"), dir.path().join("unknown.nk"));
    // A seed file as `nk -gen user` writes it: the seed and a newline.
    std::fs::write(&known_file, format!("{}\n", known.seed().expect("seed"))).expect("write");
    std::fs::write(&unknown_file, unknown.seed().expect("seed")).expect("write");
    let server = NatsServer::start(
        dir,
        "authorization { users: [ { nkey: $NKEY } ] }",
        &[("NKEY", known.public_key().as_str())],
    );
    works(&options(&server, NatsAuth::NkeySeedFile(known_file))).await;
    let seed = unknown.seed().expect("seed");
    refused(
        &options(&server, NatsAuth::NkeySeedFile(unknown_file)),
        &seed,
    )
    .await;
    let missing = options(
        &server,
        NatsAuth::NkeySeedFile("/nonexistent/seed.nk".into()),
    );
    let error = bus::connect(&missing).await.expect_err("no seed file");
    assert!(format!("{error:#}").contains("/nonexistent/seed.nk"));
}

/// A private CA, a server certificate for 127.0.0.1 and a client certificate, as PEM files.
fn write_certificates(dir: &Path) {
    let ca_key = KeyPair::generate().expect("key");
    let mut ca = CertificateParams::new(Vec::<String>::new()).expect("params");
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca_cert = ca.self_signed(&ca_key).expect("CA certificate");
    let issuer = Issuer::new(ca, &ca_key);
    let leaf = |names: Vec<String>, usage: ExtendedKeyUsagePurpose, file: &str| {
        let key = KeyPair::generate().expect("key");
        let mut params = CertificateParams::new(names).expect("params");
        params.extended_key_usages = vec![usage];
        let cert = params.signed_by(&key, &issuer).expect("certificate");
        std::fs::write(dir.join(format!("{file}.pem")), cert.pem()).expect("write");
        std::fs::write(dir.join(format!("{file}-key.pem")), key.serialize_pem()).expect("write");
    };
    leaf(
        vec!["127.0.0.1".into(), "localhost".into()],
        ExtendedKeyUsagePurpose::ServerAuth,
        "server",
    );
    leaf(
        vec!["client".into()],
        ExtendedKeyUsagePurpose::ClientAuth,
        "client",
    );
    std::fs::write(dir.join("ca.pem"), ca_cert.pem()).expect("write");
}

#[tokio::test]
async fn tls_with_a_private_ca_and_a_client_certificate_connects() {
    let dir = NatsServer::prepare();
    write_certificates(dir.path());
    let file = |name: &str| dir.path().join(name);
    let config = format!(
        "tls {{ cert_file: {:?}, key_file: {:?}, ca_file: {:?}, verify: true }}",
        file("server.pem"),
        file("server-key.pem"),
        file("ca.pem")
    );
    let (ca, cert, key) = (file("ca.pem"), file("client.pem"), file("client-key.pem"));
    let server = NatsServer::start(dir, &config, &[]);

    let mut mutual = options(&server, NatsAuth::None);
    mutual.tls = bus::NatsTls {
        required: true,
        ca_file: Some(ca.clone()),
        client_cert: Some((cert, key)),
    };
    works(&mutual).await;

    // The server verifies clients: no certificate, no connection.
    let mut anonymous = mutual.clone();
    anonymous.tls.client_cert = None;
    refused(&anonymous, "client-key").await;
    // The client verifies the server: the system's roots do not know the private CA.
    let mut unverified = mutual.clone();
    unverified.tls.ca_file = None;
    refused(&unverified, "client-key").await;
}
