//! A request that got no answer, said so a person can act on it: "Can't reach 127.0.0.1:18765
//! (connection refused). Is the endpoint right?". The raw cause chain goes beside it, as the
//! error's detail, for whoever needs it.

use super::describe::describe;

/// Why no answer came, in the words the message uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NoAnswer {
    Refused,
    NameNotResolved,
    Tls,
    ConnectTimeout,
    ConnectFailed,
    /// Connected, then the server stopped answering within the read timeout.
    ReadTimeout,
    /// Connected, then the connection broke.
    BrokeOff,
}

impl NoAnswer {
    fn of(err: &reqwest::Error) -> Self {
        let chain = describe(err).to_ascii_lowercase();
        let io_kind = io_error_kind(err);
        if io_kind == Some(std::io::ErrorKind::ConnectionRefused) || chain.contains("connection refused") {
            NoAnswer::Refused
        } else if chain.contains("dns error") || chain.contains("failed to lookup address") {
            NoAnswer::NameNotResolved
        } else if looks_like_tls(&chain) || (err.is_connect() && io_kind == Some(std::io::ErrorKind::InvalidData)) {
            NoAnswer::Tls
        } else if err.is_timeout() && err.is_connect() {
            NoAnswer::ConnectTimeout
        } else if err.is_timeout() {
            NoAnswer::ReadTimeout
        } else if err.is_connect() {
            NoAnswer::ConnectFailed
        } else {
            NoAnswer::BrokeOff
        }
    }
}

/// rustls reaches us as text inside an I/O error: a certificate, an alert or a message that is not TLS.
fn looks_like_tls(chain: &str) -> bool {
    ["certificate", "tls", "handshake", "alert", "corrupt message"].iter().any(|word| chain.contains(word))
}

fn io_error_kind(err: &reqwest::Error) -> Option<std::io::ErrorKind> {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(current) = source {
        if let Some(io) = current.downcast_ref::<std::io::Error>() {
            return Some(io.kind());
        }
        source = current.source();
    }
    None
}

/// `host[:port]` the request went to, from its URL (never the path or query, which may be signed).
fn authority(err: &reqwest::Error) -> String {
    match err.url() {
        Some(url) => match (url.host_str(), url.port()) {
            (Some(host), Some(port)) => format!("{host}:{port}"),
            (Some(host), None) => host.to_owned(),
            (None, _) => "the server".to_owned(),
        },
        None => "the server".to_owned(),
    }
}

/// The readable message for a request that got no answer, and the raw chain for its detail.
pub(crate) fn no_answer_message(err: &reqwest::Error) -> (String, String) {
    let host = authority(err);
    let raw = describe(err);
    let message = match NoAnswer::of(err) {
        NoAnswer::Refused => format!("Can't reach {host} (connection refused). Is the endpoint right?"),
        NoAnswer::NameNotResolved => {
            format!("Can't reach {host} (the name does not resolve). Is the endpoint right, and is the network up?")
        }
        NoAnswer::Tls => format!(
            "Can't reach {host} securely (the TLS handshake failed). Is the endpoint right, and does it serve HTTPS?"
        ),
        NoAnswer::ConnectTimeout => {
            format!("Can't reach {host} (timed out). Is the endpoint right, and is a proxy needed?")
        }
        NoAnswer::ConnectFailed => format!("Can't reach {host} (the connection failed). Is the endpoint right?"),
        NoAnswer::ReadTimeout => format!("{host} stopped answering (timed out). Try again later."),
        NoAnswer::BrokeOff => format!("The connection to {host} broke off. Try again."),
    };
    (message, raw)
}
