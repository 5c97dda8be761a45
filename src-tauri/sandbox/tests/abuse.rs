//! The sandbox under abuse on loopback: many connections at once, clients that stall or trickle
//! in their head or body, and a connection limit. Every wait has a deadline, so the test ends by
//! itself even if the server misbehaves.

mod common;

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use common::*;
use osslite_core::Method;
use osslite_sandbox::Limits;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::timeout;

const SHORT: Duration = Duration::from_secs(2);
/// Far beyond any timeout the server is given here: reaching it means the server held on.
const DEADLINE: Duration = Duration::from_secs(20);

fn limits(max_connections: usize) -> Limits {
    Limits { max_connections, header_read_timeout: SHORT, body_idle_timeout: SHORT }
}

/// Reads until the server closes the connection; returns what it said and how long that took.
async fn read_until_closed(stream: &mut TcpStream, started: Instant) -> (String, Duration) {
    let mut out = Vec::new();
    let read = timeout(DEADLINE, stream.read_to_end(&mut out)).await;
    assert!(read.is_ok(), "the server kept a slow client's connection open past {DEADLINE:?}");
    (String::from_utf8_lossy(&out).into_owned(), started.elapsed())
}

enum Slow {
    /// Sends half a request head, then nothing.
    StalledHead,
    /// Sends a PUT's head and 10 of its 1000 body bytes, then nothing.
    StalledBody,
    /// Sends a PUT's head, then a body byte every 3 s (longer than the idle timeout).
    TricklingBody,
}

async fn slow_client(addr: SocketAddr, request: Vec<u8>, kind: Slow) -> (String, Duration) {
    let head_end = request.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
    let mut stream = timeout(DEADLINE, TcpStream::connect(addr)).await.unwrap().unwrap();
    let started = Instant::now();
    match kind {
        Slow::StalledHead => stream.write_all(&request[..head_end / 2]).await.unwrap(),
        Slow::StalledBody => stream.write_all(&request[..head_end + 10]).await.unwrap(),
        Slow::TricklingBody => {
            stream.write_all(&request[..head_end]).await.unwrap();
            let (mut reader, mut writer) = stream.into_split();
            let trickle = tokio::spawn(async move {
                for byte in &request[head_end..] {
                    if writer.write_all(std::slice::from_ref(byte)).await.is_err() {
                        return;
                    }
                    tokio::time::sleep(Duration::from_secs(3)).await;
                }
            });
            let mut out = Vec::new();
            let read = timeout(DEADLINE, reader.read_to_end(&mut out)).await;
            trickle.abort();
            assert!(read.is_ok(), "the server kept a trickling client past {DEADLINE:?}");
            return (String::from_utf8_lossy(&out).into_owned(), started.elapsed());
        }
    }
    read_until_closed(&mut stream, started).await
}

async fn join_all<T>(tasks: Vec<tokio::task::JoinHandle<T>>) -> Vec<T> {
    let mut out = Vec::with_capacity(tasks.len());
    for task in tasks {
        out.push(task.await.unwrap());
    }
    out
}

async fn quick_get(addr: SocketAddr, request: Vec<u8>) -> (u16, Duration) {
    let started = Instant::now();
    let mut stream = timeout(DEADLINE, TcpStream::connect(addr)).await.unwrap().unwrap();
    stream.write_all(&request).await.unwrap();
    let (response, _) = read_until_closed(&mut stream, started).await;
    (raw_status(&response), started.elapsed())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_clients_are_cut_off_while_500_connections_are_served() {
    let server = start_with(|config| config.with_limits(limits(600))).await;
    server.put("probe.txt", b"still here".to_vec()).await;

    let addr = server.addr();
    let get = raw_signed_request(&server, server.object(Method::Get, "probe.txt"), b"");

    let slow: Vec<_> = (0..50)
        .map(|i| {
            let kind = match i % 3 {
                0 => Slow::StalledHead,
                1 => Slow::StalledBody,
                _ => Slow::TricklingBody,
            };
            let put = raw_signed_request(&server, server.object(Method::Put, &format!("slow/{i}")), &[b'x'; 1000]);
            tokio::spawn(slow_client(addr, put, kind))
        })
        .collect();
    let busy = async {
        // Let the slow clients take their connections first.
        tokio::time::sleep(Duration::from_millis(300)).await;
        let (status, took) = quick_get(addr, get.clone()).await;
        let crowd: Vec<_> = (0..500).map(|_| tokio::spawn(quick_get(addr, get.clone()))).collect();
        (status, took, join_all(crowd).await)
    };
    let (slow, (status, took, crowd)) = timeout(Duration::from_secs(60), async { tokio::join!(join_all(slow), busy) })
        .await
        .expect("the abuse test ran past its minute");

    assert_eq!(status, 200);
    assert!(took < Duration::from_secs(3), "a request behind 50 slow clients took {took:?}");
    assert!(crowd.iter().all(|(status, _)| *status == 200), "not every one of 500 connections got 200");
    let slowest = crowd.iter().map(|(_, took)| *took).max().unwrap();
    assert!(slowest < Duration::from_secs(10), "the slowest of 500 requests took {slowest:?}");

    for (i, (response, took)) in slow.iter().enumerate() {
        assert!(*took < SHORT * 4, "slow client {i} held its connection {took:?}");
        if i % 3 != 0 {
            // A stalled or trickled body fails its request before the connection closes.
            assert_eq!(raw_status(response), 400, "slow client {i}: {response}");
            assert!(response.contains("RequestTimeout"), "slow client {i}: {response}");
        }
    }
    for i in (0..50).filter(|i| i % 3 != 0) {
        assert_eq!(server.head(&format!("slow/{i}")).await.status, 404, "a cut-off upload was stored");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connections_beyond_the_limit_wait_until_one_closes() {
    let server =
        start_with(|config| config.with_limits(Limits { header_read_timeout: Duration::from_secs(10), ..limits(4) }))
            .await;
    // Not through `server.http`: its pool would keep a connection, and so a slot, open.
    let put = raw_signed_request(&server, server.object(Method::Put, "probe.txt"), b"still here");
    assert_eq!(raw_status(&raw_exchange(server.addr(), &put).await), 200);

    let mut idle = Vec::new();
    for _ in 0..4 {
        idle.push(timeout(DEADLINE, TcpStream::connect(server.addr())).await.unwrap().unwrap());
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    let waiting = tokio::spawn({
        let request = raw_signed_request(&server, server.object(Method::Get, "probe.txt"), b"");
        let addr = server.addr();
        async move {
            let mut stream = TcpStream::connect(addr).await.unwrap();
            stream.write_all(&request).await.unwrap();
            let mut out = Vec::new();
            let _ = timeout(DEADLINE, stream.read_to_end(&mut out)).await;
            String::from_utf8_lossy(&out).into_owned()
        }
    });
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert!(!waiting.is_finished(), "a fifth connection was served while the limit is four");

    drop(idle.remove(0));
    let response = timeout(Duration::from_secs(5), waiting).await.expect("not served once a slot was free").unwrap();
    assert_eq!(raw_status(&response), 200, "{response}");
}
