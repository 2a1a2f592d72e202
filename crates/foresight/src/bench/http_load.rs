//! A small HTTP/1.1 load generator: keep-alive connections, each sending GETs back to back.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use anyhow::Context;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Runs `connections` connections for `duration`; returns each answer's latency in ms and
/// the size of the last answer's body.
pub async fn run(
    addr: SocketAddr,
    path: &str,
    connections: usize,
    duration: Duration,
) -> anyhow::Result<(Vec<f64>, usize)> {
    let deadline = Instant::now() + duration;
    let mut tasks = Vec::new();
    for _ in 0..connections {
        let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\n\r\n");
        tasks.push(tokio::spawn(async move {
            let mut stream = TcpStream::connect(addr).await?;
            stream.set_nodelay(true)?;
            let mut latencies = Vec::new();
            let mut buffer = Vec::with_capacity(64 * 1024);
            let mut size = 0;
            while Instant::now() < deadline {
                let sent = Instant::now();
                stream.write_all(request.as_bytes()).await?;
                size = read_response(&mut stream, &mut buffer).await?;
                latencies.push(sent.elapsed().as_secs_f64() * 1000.0);
            }
            anyhow::Ok((latencies, size))
        }));
    }
    let mut all = Vec::new();
    let mut size = 0;
    for task in tasks {
        let (latencies, body) = task.await??;
        all.extend(latencies);
        size = body;
    }
    Ok((all, size))
}

/// Reads one response (headers, then `Content-Length` bytes); fails on a non-200. Returns
/// the body's size.
async fn read_response(stream: &mut TcpStream, buffer: &mut Vec<u8>) -> anyhow::Result<usize> {
    buffer.clear();
    let mut chunk = [0u8; 16 * 1024];
    let header_end = loop {
        let n = stream.read(&mut chunk).await?;
        anyhow::ensure!(n > 0, "the server closed the connection");
        buffer.extend_from_slice(&chunk[..n]);
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break end + 4;
        }
    };
    let head = std::str::from_utf8(&buffer[..header_end]).context("response headers")?;
    anyhow::ensure!(
        head.starts_with("HTTP/1.1 200"),
        "unexpected answer: {}",
        head.lines().next().unwrap_or("")
    );
    let length: usize = head
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("content-length:")
                .map(|v| v.trim().to_owned())
        })
        .context("no content-length")?
        .parse()?;
    while buffer.len() < header_end + length {
        let n = stream.read(&mut chunk).await?;
        anyhow::ensure!(n > 0, "the server closed the connection");
        buffer.extend_from_slice(&chunk[..n]);
    }
    Ok(length)
}
