//! Requests that get no answer are told in words a person can act on ("Can't reach HOST
//! (connection refused). Is the endpoint right?"), with the raw cause chain kept apart as the
//! error's detail, which the UI shows only behind "Details".

use std::time::Duration;

use osslite_core::client::{Client, ClientConfig, RetryPolicy};
use osslite_core::error::ErrorPayload;
use osslite_core::{Addressing, Credentials, Endpoint, ErrorKind, Secret};

fn client(endpoint: &str) -> Client {
    let endpoint = Endpoint::parse(endpoint, Addressing::Path).unwrap();
    let credentials = Credentials::new("LTAI5tNetworkTest", Secret::new("CANARY-network-secret")).unwrap();
    let config = ClientConfig::builder(endpoint, "cn-hangzhou", credentials)
        .with_retry(RetryPolicy::none())
        .with_connect_timeout(Duration::from_secs(5))
        .build()
        .unwrap();
    Client::new(config).unwrap()
}

/// A port nothing listens on: bound, read, closed.
fn closed_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

#[tokio::test]
async fn a_closed_port_reads_cant_reach_with_the_raw_chain_only_in_the_detail() {
    let port = closed_port();
    let err = client(&format!("http://127.0.0.1:{port}")).head_object("some-bucket", "k").await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Network);
    assert_eq!(err.message(), format!("Can't reach 127.0.0.1:{port} (connection refused). Is the endpoint right?"));
    let detail = err.detail().expect("the raw chain is kept as the detail");
    assert!(detail.starts_with("HeadObject oss://some-bucket/k: "), "{detail}");
    assert!(detail.to_ascii_lowercase().contains("refused"), "{detail}");
    assert!(!detail.contains("http://"), "the detail never holds the URL: {detail}");

    let payload = serde_json::to_value(ErrorPayload::from(&err)).unwrap();
    assert_eq!(payload["kind"], "network");
    assert_eq!(payload["message"], err.message());
    assert_eq!(payload["detail"], detail);
    assert!(!payload.to_string().contains("CANARY"));
}

#[tokio::test]
async fn https_to_a_plain_http_server_is_a_failed_tls_handshake() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let server = tokio::spawn(async move {
        use tokio::io::AsyncWriteExt;
        while let Ok((mut socket, _)) = listener.accept().await {
            let _ = socket.write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n").await;
        }
    });
    let err = client(&format!("https://127.0.0.1:{port}")).list_buckets(&Default::default()).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Network);
    assert!(
        err.message().starts_with(&format!("Can't reach 127.0.0.1:{port} securely (the TLS handshake failed)")),
        "{err:?}"
    );
    assert!(err.detail().is_some_and(|d| d.starts_with("ListBuckets")), "{err:?}");
    server.abort();
}
