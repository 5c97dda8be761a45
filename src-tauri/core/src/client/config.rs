//! What a [`super::Client`] is made of: endpoint, region, credentials, retries, timeouts,
//! proxy and user agent, set through a builder that checks them.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use super::retry::{Jitter, RandomJitter, RetryPolicy};
use crate::credentials::Credentials;
use crate::endpoint::Endpoint;
use crate::error::{Error, Result};
use crate::sign::Signer;

/// Where requests go through a proxy.
#[derive(Clone, Default, PartialEq, Eq)]
pub enum ProxyConfig {
    /// `HTTPS_PROXY` / `HTTP_PROXY` / `ALL_PROXY` and `NO_PROXY` from the environment, except that
    /// a loopback endpoint (`127.0.0.1`, `localhost`, `*.localhost`) is always reached directly.
    #[default]
    System,
    /// No proxy at all.
    Direct,
    /// This proxy (`http://[user:password@]host:port`), still bypassed for the hosts in `NO_PROXY`.
    Url(String),
}

impl fmt::Debug for ProxyConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ProxyConfig::System => f.write_str("System"),
            ProxyConfig::Direct => f.write_str("Direct"),
            ProxyConfig::Url(url) => f.debug_tuple("Url").field(&redact_userinfo(url)).finish(),
        }
    }
}

/// `http://user:pass@host:3128` → `http://<redacted>@host:3128`.
pub(super) fn redact_userinfo(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    let authority_end = rest.find('/').unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) => {
            let prefix = if scheme.is_empty() { String::new() } else { format!("{scheme}://") };
            format!("{prefix}<redacted>{}", &rest[at..])
        }
        None => url.to_owned(),
    }
}

/// Everything a [`Client`] needs. Build it with [`ClientConfig::builder`].
#[derive(Clone)]
pub struct ClientConfig {
    pub(super) endpoint: Endpoint,
    pub(super) region: String,
    pub(super) credentials: Credentials,
    pub(super) retry: RetryPolicy,
    pub(super) connect_timeout: Duration,
    pub(super) read_timeout: Duration,
    pub(super) timeout: Option<Duration>,
    pub(super) proxy: ProxyConfig,
    pub(super) user_agent: String,
    pub(super) jitter: Arc<dyn Jitter>,
}

impl fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientConfig")
            .field("endpoint", &self.endpoint.to_string())
            .field("addressing", &self.endpoint.addressing())
            .field("region", &self.region)
            .field("credentials", &self.credentials)
            .field("retry", &self.retry)
            .field("connect_timeout", &self.connect_timeout)
            .field("read_timeout", &self.read_timeout)
            .field("timeout", &self.timeout)
            .field("proxy", &self.proxy)
            .field("user_agent", &self.user_agent)
            .finish_non_exhaustive()
    }
}

impl ClientConfig {
    /// Defaults: [`RetryPolicy::default`] (4 attempts, 200 ms base, 5 s cap), connect timeout
    /// 10 s, read timeout (between two reads) 60 s, no overall timeout, the system proxy.
    pub fn builder(endpoint: Endpoint, region: impl Into<String>, credentials: Credentials) -> ClientConfigBuilder {
        ClientConfigBuilder {
            config: ClientConfig {
                endpoint,
                region: region.into(),
                credentials,
                retry: RetryPolicy::default(),
                connect_timeout: Duration::from_secs(10),
                read_timeout: Duration::from_secs(60),
                timeout: None,
                proxy: ProxyConfig::System,
                user_agent: concat!("osslite/", env!("CARGO_PKG_VERSION")).to_owned(),
                jitter: Arc::new(RandomJitter),
            },
        }
    }

    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    pub fn region(&self) -> &str {
        &self.region
    }

    pub fn retry(&self) -> RetryPolicy {
        self.retry
    }
}

/// Sets a [`ClientConfig`]'s options; `build` checks them.
#[derive(Debug)]
pub struct ClientConfigBuilder {
    config: ClientConfig,
}

impl ClientConfigBuilder {
    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.config.retry = retry;
        self
    }

    pub fn with_connect_timeout(mut self, timeout: Duration) -> Self {
        self.config.connect_timeout = timeout;
        self
    }

    /// The longest wait for the next bytes of a response (not for the whole transfer).
    pub fn with_read_timeout(mut self, timeout: Duration) -> Self {
        self.config.read_timeout = timeout;
        self
    }

    /// A limit on each whole request, body included; off by default, since transfers can be long.
    pub fn with_timeout(mut self, timeout: Option<Duration>) -> Self {
        self.config.timeout = timeout;
        self
    }

    pub fn with_proxy(mut self, proxy: ProxyConfig) -> Self {
        self.config.proxy = proxy;
        self
    }

    pub fn with_user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.config.user_agent = user_agent.into();
        self
    }

    /// The source of backoff jitter; tests pass a [`FixedJitter`].
    pub fn with_jitter(mut self, jitter: Arc<dyn Jitter>) -> Self {
        self.config.jitter = jitter;
        self
    }

    pub fn build(self) -> Result<ClientConfig> {
        let config = self.config;
        // The signer checks the region the same way; fail here, where the user sets it.
        Signer::new(config.credentials.clone(), config.region.clone())?;
        if config.retry.max_attempts == 0 {
            return Err(Error::invalid_input("retry.max_attempts counts the first try and must be at least 1"));
        }
        if config.connect_timeout.is_zero()
            || config.read_timeout.is_zero()
            || config.timeout.is_some_and(|t| t.is_zero())
        {
            return Err(Error::invalid_input("timeouts must be longer than zero"));
        }
        if let ProxyConfig::Url(url) = &config.proxy {
            reqwest::Proxy::all(url.as_str()).map_err(|_| {
                Error::invalid_input(format!("proxy '{}' is not a URL such as http://host:3128", redact_userinfo(url)))
            })?;
        }
        Ok(config)
    }
}

#[cfg(test)]
mod tests {
    use super::super::Client;
    use super::*;
    use crate::credentials::Secret;
    use crate::endpoint::Addressing;

    const CANARY: &str = "CANARY-secret-91c2";

    fn config() -> ClientConfigBuilder {
        let credentials = Credentials::new("LTAI5tExampleId9876", Secret::new(CANARY))
            .unwrap()
            .with_security_token(Secret::new("CANARY-token"));
        let endpoint = Endpoint::parse("oss-cn-hangzhou.aliyuncs.com", Addressing::Virtual).unwrap();
        ClientConfig::builder(endpoint, "cn-hangzhou", credentials)
    }

    #[test]
    fn debug_of_config_and_client_never_shows_secrets() {
        let config =
            config().with_proxy(ProxyConfig::Url("http://user:CANARY-proxy@proxy.local:3128".into())).build().unwrap();
        let client = Client::new(config.clone()).unwrap();
        for text in [format!("{config:?}"), format!("{config:#?}"), format!("{client:?}")] {
            assert!(!text.contains("CANARY"), "secret leaked: {text}");
            assert!(text.contains("oss-cn-hangzhou.aliyuncs.com"), "{text}");
        }
        assert!(format!("{config:?}").contains("<redacted>@proxy.local:3128"));
    }

    #[test]
    fn the_builder_refuses_bad_settings() {
        assert!(config().with_retry(RetryPolicy { max_attempts: 0, ..Default::default() }).build().is_err());
        assert!(config().with_connect_timeout(Duration::ZERO).build().is_err());
        assert!(config().with_proxy(ProxyConfig::Url("not a url".into())).build().is_err());
        let credentials = Credentials::new("id", Secret::new("s")).unwrap();
        let endpoint = Endpoint::parse("oss-cn-hangzhou.aliyuncs.com", Addressing::Virtual).unwrap();
        assert!(ClientConfig::builder(endpoint, "CN HZ", credentials).build().is_err());
        let built = config().build().unwrap();
        assert_eq!(built.retry(), RetryPolicy::default());
    }

    #[test]
    fn redaction_keeps_scheme_host_and_port() {
        assert_eq!(redact_userinfo("http://u:p@h:1/x"), "http://<redacted>@h:1/x");
        assert_eq!(redact_userinfo("h:1"), "h:1");
        assert_eq!(redact_userinfo("socks5://a@b"), "socks5://<redacted>@b");
    }
}
