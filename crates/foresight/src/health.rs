//! `foresight health`: asks this process's own `/healthz`, for a container's health check
//! (the runtime image carries no HTTP client).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::process::ExitCode;
use std::time::Duration;

use anyhow::Context as _;
use tokio::io::{AsyncBufReadExt as _, AsyncReadExt as _, AsyncWriteExt as _, BufReader};
use tokio::net::TcpStream;

use crate::config::Config;

/// A health check that takes longer than this has failed.
const TIMEOUT: Duration = Duration::from_secs(3);

pub async fn run(config: &Config) -> ExitCode {
    match check(config.http_addr, TIMEOUT).await {
        Ok(()) => {
            println!("ok");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("unhealthy: {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// `Ok` when `GET /healthz` on `addr` answers 200 within `timeout`.
pub async fn check(addr: SocketAddr, timeout: Duration) -> anyhow::Result<()> {
    let target = reachable(addr);
    tokio::time::timeout(timeout, status_of_healthz(target))
        .await
        .with_context(|| format!("no answer from {target} within {timeout:?}"))?
        .and_then(|status| match status {
            200 => Ok(()),
            other => anyhow::bail!("{target}/healthz answered {other}"),
        })
}

/// A server bound to every interface (`0.0.0.0:8080` in a container) is asked on loopback.
fn reachable(addr: SocketAddr) -> SocketAddr {
    match addr.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => (Ipv4Addr::LOCALHOST, addr.port()).into(),
        IpAddr::V6(ip) if ip.is_unspecified() => (Ipv6Addr::LOCALHOST, addr.port()).into(),
        _ => addr,
    }
}

async fn status_of_healthz(target: SocketAddr) -> anyhow::Result<u16> {
    let mut stream = TcpStream::connect(target)
        .await
        .with_context(|| format!("connecting to {target}"))?;
    stream
        .write_all(
            format!("GET /healthz HTTP/1.1\r\nHost: {target}\r\nConnection: close\r\n\r\n")
                .as_bytes(),
        )
        .await
        .context("sending the request")?;
    // Only the status line matters: `HTTP/1.1 200 OK`.
    let mut line = String::new();
    BufReader::new(stream.take(256))
        .read_line(&mut line)
        .await
        .context("reading the status line")?;
    line.split(' ')
        .nth(1)
        .and_then(|code| code.parse().ok())
        .with_context(|| format!("not an HTTP status line: {line:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::net::TcpListener;

    async fn serve(router: axum::Router) -> SocketAddr {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(telemetry::serve(
            listener,
            router,
            std::future::pending::<()>(),
        ));
        addr
    }

    #[tokio::test]
    async fn a_serving_process_is_healthy_also_when_bound_to_every_interface() {
        let metrics = telemetry::Metrics::new();
        let addr = serve(telemetry::ops_router(metrics, Default::default())).await;
        check(addr, TIMEOUT).await.unwrap();
        let everywhere = SocketAddr::from((Ipv4Addr::UNSPECIFIED, addr.port()));
        check(everywhere, TIMEOUT).await.unwrap();
    }

    #[tokio::test]
    async fn another_status_or_nobody_listening_is_unhealthy() {
        let failing = axum::Router::new().route(
            "/healthz",
            axum::routing::get(|| async { axum::http::StatusCode::SERVICE_UNAVAILABLE }),
        );
        let addr = serve(failing).await;
        let error = check(addr, TIMEOUT).await.unwrap_err();
        assert!(error.to_string().contains("503"), "{error:#}");

        let closed = TcpListener::bind("127.0.0.1:0")
            .await
            .unwrap()
            .local_addr()
            .unwrap();
        assert!(check(closed, TIMEOUT).await.is_err());
    }
}
