//! Shared test plumbing: a sandbox on a free port in a temp directory, a client that signs with
//! osslite_core's V4 signer and sends with reqwest, raw TCP for what URLs cannot express, and
//! small readers for OSS's XML.

#![allow(dead_code)]

use std::net::SocketAddr;
use std::time::Duration;

use chrono::{DateTime, Utc};
use osslite_core::sign::encode::uri_encode;
use osslite_core::{Addressing, Credentials, Endpoint, Method, OssRequest, Secret, Signer};
use osslite_sandbox::{AccessKey, Sandbox, SandboxConfig};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

pub const AK: &str = "LTAI5tSandboxTestKey";
pub const SK: &str = "sandbox-test-secret-0123456789";
pub const BUCKET: &str = "test-bucket";
pub const REGION: &str = "cn-hangzhou";

pub struct TestServer {
    pub sandbox: Sandbox,
    pub dir: tempfile::TempDir,
    pub signer: Signer,
    pub http: reqwest::Client,
}

pub fn config(dir: &tempfile::TempDir) -> SandboxConfig {
    SandboxConfig::new(dir.path().join("root")).with_bucket(BUCKET).with_key(AccessKey::new(AK, SK))
}

pub fn signer(id: &str, secret: &str) -> Signer {
    Signer::new(Credentials::new(id, Secret::new(secret)).unwrap(), REGION).unwrap()
}

pub fn http_client() -> reqwest::Client {
    reqwest::Client::builder().timeout(Duration::from_secs(60)).build().unwrap()
}

pub async fn start() -> TestServer {
    start_with(|config| config).await
}

pub async fn start_with(adjust: impl FnOnce(SandboxConfig) -> SandboxConfig) -> TestServer {
    let dir = tempfile::tempdir().unwrap();
    let sandbox = Sandbox::start(adjust(config(&dir))).await.unwrap();
    TestServer { sandbox, dir, signer: signer(AK, SK), http: http_client() }
}

/// A finished response, body read.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// The `<Code>` of an error body, or of the `x-oss-err` header for HEAD.
    pub fn code(&self) -> String {
        let text = if self.body.is_empty() {
            use base64::Engine;
            let encoded = self.header("x-oss-err").unwrap_or("");
            String::from_utf8(base64::engine::general_purpose::STANDARD.decode(encoded).unwrap_or_default()).unwrap()
        } else {
            self.text()
        };
        first_tag(&text, "Code").unwrap_or_default()
    }

    pub fn message(&self) -> String {
        first_tag(&self.text(), "Message").unwrap_or_default()
    }

    pub fn tags(&self, tag: &str) -> Vec<String> {
        tags(&self.text(), tag)
    }

    pub fn tag(&self, tag: &str) -> Option<String> {
        first_tag(&self.text(), tag)
    }

    #[track_caller]
    pub fn assert_error(&self, status: u16, code: &str) {
        assert_eq!((self.status, self.code().as_str()), (status, code), "body: {}", self.text());
    }

    #[track_caller]
    pub fn assert_ok(&self) {
        assert!((200..300).contains(&self.status), "status {}: {}", self.status, self.text());
    }
}

/// Every `<tag>text</tag>` in document order, unescaped.
pub fn tags(xml: &str, tag: &str) -> Vec<String> {
    let (open, close) = (format!("<{tag}>"), format!("</{tag}>"));
    let mut out = Vec::new();
    let mut rest = xml;
    while let Some(start) = rest.find(&open) {
        let after = &rest[start + open.len()..];
        let Some(end) = after.find(&close) else { break };
        out.push(unescape(&after[..end]));
        rest = &after[end + close.len()..];
    }
    out
}

pub fn first_tag(xml: &str, tag: &str) -> Option<String> {
    tags(xml, tag).into_iter().next()
}

fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let end = rest[at..].find(';').map_or(rest.len(), |e| at + e);
        let entity = &rest[at + 1..end];
        let decoded = match entity {
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "amp" => Some('&'),
            _ => entity.strip_prefix('#').and_then(|n| n.parse::<u32>().ok()).and_then(char::from_u32),
        };
        match decoded {
            Some(c) => out.push(c),
            None => out.push_str(&rest[at..(end + 1).min(rest.len())]),
        }
        rest = &rest[(end + 1).min(rest.len())..];
    }
    out.push_str(rest);
    out
}

pub fn query_string(query: &[(String, String)]) -> String {
    query
        .iter()
        .map(|(k, v)| if v.is_empty() { uri_encode(k) } else { format!("{}={}", uri_encode(k), uri_encode(v)) })
        .collect::<Vec<_>>()
        .join("&")
}

impl TestServer {
    pub fn endpoint(&self) -> Endpoint {
        Endpoint::parse(self.sandbox.endpoint(), Addressing::Path).unwrap()
    }

    pub fn addr(&self) -> SocketAddr {
        self.sandbox.local_addr()
    }

    pub fn object(&self, method: Method, key: &str) -> OssRequest {
        OssRequest::object(method, BUCKET, key)
    }

    pub fn bucket_request(&self, method: Method) -> OssRequest {
        OssRequest::new(method, Some(BUCKET), None)
    }

    /// Signs `request` now with the default key and sends it.
    pub async fn send(&self, request: OssRequest, body: impl Into<reqwest::Body>) -> Reply {
        self.send_signed_by(&self.signer, request, Utc::now(), body).await
    }

    pub async fn send_signed_by(
        &self,
        signer: &Signer,
        mut request: OssRequest,
        at: DateTime<Utc>,
        body: impl Into<reqwest::Body>,
    ) -> Reply {
        signer.sign_headers(&mut request, at).unwrap();
        self.send_as_is(&request, body).await
    }

    /// Sends `request` with exactly its headers (signed or not).
    pub async fn send_as_is(&self, request: &OssRequest, body: impl Into<reqwest::Body>) -> Reply {
        let mut url = self.endpoint().url(request.bucket.as_deref(), request.key.as_deref());
        if !request.query.is_empty() {
            url.push('?');
            url.push_str(&query_string(&request.query));
        }
        let mut builder =
            self.http.request(reqwest::Method::from_bytes(request.method.as_str().as_bytes()).unwrap(), url);
        for (name, value) in &request.headers {
            builder = builder.header(name, value);
        }
        finish(builder.body(body).send().await.unwrap()).await
    }

    /// Sends a presigned URL with the given headers.
    pub async fn send_url(
        &self,
        method: Method,
        url: &str,
        headers: &[(&str, &str)],
        body: impl Into<reqwest::Body>,
    ) -> Reply {
        let mut builder = self.http.request(reqwest::Method::from_bytes(method.as_str().as_bytes()).unwrap(), url);
        for (name, value) in headers {
            builder = builder.header(*name, *value);
        }
        finish(builder.body(body).send().await.unwrap()).await
    }

    pub async fn put(&self, key: &str, body: impl Into<Vec<u8>>) -> Reply {
        let reply = self.send(self.object(Method::Put, key), body.into()).await;
        reply.assert_ok();
        reply
    }

    pub async fn get(&self, key: &str) -> Reply {
        self.send(self.object(Method::Get, key), Vec::new()).await
    }

    pub async fn head(&self, key: &str) -> Reply {
        self.send(self.object(Method::Head, key), Vec::new()).await
    }

    pub async fn presign(&self, request: &OssRequest, at: DateTime<Utc>, expires: u64) -> String {
        self.signer.presign(&self.endpoint(), request, at, expires).unwrap().url
    }
}

pub async fn finish(response: reqwest::Response) -> Reply {
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = response.bytes().await.unwrap().to_vec();
    Reply { status, headers, body }
}

/// Writes `request` on a fresh connection and reads until the server closes it or `timeout`.
pub async fn raw_exchange(addr: SocketAddr, request: &[u8]) -> String {
    let mut stream = TcpStream::connect(addr).await.unwrap();
    let _ = stream.write_all(request).await;
    let mut out = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut out)).await;
    String::from_utf8_lossy(&out).into_owned()
}

/// A signed request written by hand, for paths a URL library would normalise (`..`).
pub fn raw_signed_request(server: &TestServer, mut request: OssRequest, body: &[u8]) -> Vec<u8> {
    request.set_header("Content-Length", body.len().to_string());
    server.signer.sign_headers(&mut request, Utc::now()).unwrap();
    let path = server.endpoint().url(request.bucket.as_deref(), request.key.as_deref());
    let path = &path[path.find("//").map_or(0, |i| i + 2)..];
    let path = &path[path.find('/').unwrap_or(0)..];
    let mut text = format!("{} {}", request.method.as_str(), path);
    if !request.query.is_empty() {
        text.push('?');
        text.push_str(&query_string(&request.query));
    }
    text.push_str(" HTTP/1.1\r\n");
    text.push_str(&format!("Host: {}\r\nConnection: close\r\n", server.addr()));
    for (name, value) in &request.headers {
        text.push_str(&format!("{name}: {value}\r\n"));
    }
    text.push_str("\r\n");
    let mut bytes = text.into_bytes();
    bytes.extend_from_slice(body);
    bytes
}

/// The status code of a raw HTTP response.
pub fn raw_status(response: &str) -> u16 {
    response.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0)
}
