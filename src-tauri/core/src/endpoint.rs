//! Where requests go: scheme, host and addressing style, and the URLs built from them.

use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};
use std::str::FromStr;

use crate::error::{Error, Result};
use crate::sign::encode::push_path_encoded;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum Addressing {
    /// `https://BUCKET.ENDPOINT/KEY`, what OSS expects by default.
    #[default]
    Virtual,
    /// `https://ENDPOINT/BUCKET/KEY`, for IP endpoints and local servers.
    Path,
    /// `https://DOMAIN/KEY`, where DOMAIN is a custom domain bound to the bucket.
    Cname,
}

impl FromStr for Addressing {
    type Err = Error;

    fn from_str(text: &str) -> Result<Self> {
        match text.to_ascii_lowercase().as_str() {
            "virtual" | "virtual-hosted" => Ok(Addressing::Virtual),
            "path" | "path-style" => Ok(Addressing::Path),
            "cname" | "custom-domain" => Ok(Addressing::Cname),
            _ => Err(Error::invalid_input(format!("unknown addressing style '{text}': use virtual, path or cname"))),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scheme {
    Http,
    Https,
}

impl Scheme {
    pub fn as_str(self) -> &'static str {
        match self {
            Scheme::Http => "http",
            Scheme::Https => "https",
        }
    }
}

/// An OSS endpoint: `oss-cn-hangzhou.aliyuncs.com`, `127.0.0.1:9000`, or a bucket's custom domain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    scheme: Scheme,
    /// Host with an optional `:port`, as it goes into URLs.
    authority: String,
    addressing: Addressing,
}

impl Endpoint {
    /// The public endpoint of a region: `https://oss-REGION.aliyuncs.com`.
    pub fn for_region(region: &str, scheme: Scheme) -> Self {
        Self { scheme, authority: format!("oss-{region}.aliyuncs.com"), addressing: Addressing::Virtual }
    }

    /// Parses `HOST[:PORT]` (HTTPS) or `http[s]://HOST[:PORT][/]`. An IP host always uses
    /// path-style addressing, as the official SDKs do, since `bucket.1.2.3.4` cannot resolve.
    pub fn parse(text: &str, addressing: Addressing) -> Result<Self> {
        let text = text.trim();
        let (scheme, rest) = match text.split_once("://") {
            Some((scheme, rest)) => match scheme.to_ascii_lowercase().as_str() {
                "http" => (Scheme::Http, rest),
                "https" => (Scheme::Https, rest),
                other => {
                    return Err(Error::invalid_input(format!(
                        "endpoint '{text}' has scheme '{other}': use http:// or https://"
                    )))
                }
            },
            None => (Scheme::Https, text),
        };
        let authority = rest.strip_suffix('/').unwrap_or(rest);
        validate_authority(authority)
            .map_err(|why| Error::invalid_input(format!("endpoint '{text}' is not HOST[:PORT] or a URL: {why}")))?;
        let mut endpoint = Self { scheme, authority: authority.to_ascii_lowercase(), addressing };
        if endpoint.addressing == Addressing::Virtual && endpoint.host_is_ip() {
            endpoint.addressing = Addressing::Path;
        }
        Ok(endpoint)
    }

    pub fn with_scheme(mut self, scheme: Scheme) -> Self {
        self.scheme = scheme;
        self
    }

    pub fn scheme(&self) -> Scheme {
        self.scheme
    }

    pub fn authority(&self) -> &str {
        &self.authority
    }

    pub fn addressing(&self) -> Addressing {
        self.addressing
    }

    /// The host without its port (an IPv6 address without brackets).
    pub fn host(&self) -> &str {
        if let Some(rest) = self.authority.strip_prefix('[') {
            return rest.split(']').next().unwrap_or(rest);
        }
        self.authority.rsplit_once(':').map_or(&self.authority, |(host, _)| host)
    }

    fn host_is_ip(&self) -> bool {
        let host = self.host();
        host.parse::<Ipv4Addr>().is_ok() || host.parse::<Ipv6Addr>().is_ok()
    }

    /// Whether only path-style addressing can reach this host: an IP address, or `localhost`
    /// itself (a server on it rarely answers for `bucket.localhost`).
    pub fn needs_path_style(&self) -> bool {
        self.host_is_ip() || self.host().trim_end_matches('.') == "localhost"
    }

    /// The same endpoint, switched to path-style addressing when [`Self::needs_path_style`].
    pub fn with_required_addressing(mut self) -> Self {
        if self.addressing == Addressing::Virtual && self.needs_path_style() {
            self.addressing = Addressing::Path;
        }
        self
    }

    /// The `Host` a request for `bucket` goes to.
    pub fn host_for(&self, bucket: Option<&str>) -> String {
        match (self.addressing, bucket) {
            (Addressing::Virtual, Some(bucket)) => format!("{bucket}.{}", self.authority),
            _ => self.authority.clone(),
        }
    }

    /// Appends `scheme://host/path` for a bucket and key (no query) and returns where in `out`
    /// the encoded key stands, so that signing can reuse it.
    pub fn push_url(&self, out: &mut String, bucket: Option<&str>, key: Option<&str>) -> std::ops::Range<usize> {
        out.push_str(self.scheme.as_str());
        out.push_str("://");
        match (self.addressing, bucket) {
            (Addressing::Virtual, Some(bucket)) => {
                out.push_str(bucket);
                out.push('.');
                out.push_str(&self.authority);
                out.push('/');
            }
            (Addressing::Path, Some(bucket)) => {
                out.push_str(&self.authority);
                out.push('/');
                out.push_str(bucket);
                out.push('/');
            }
            _ => {
                out.push_str(&self.authority);
                out.push('/');
            }
        }
        let key_start = out.len();
        if let Some(key) = key {
            push_path_encoded(out, key);
        }
        key_start..out.len()
    }

    /// `scheme://host/path` for a bucket and key (no query).
    pub fn url(&self, bucket: Option<&str>, key: Option<&str>) -> String {
        let mut out = String::with_capacity(self.authority.len() + 16 + key.map_or(0, str::len) * 3 / 2);
        self.push_url(&mut out, bucket, key);
        out
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}://{}", self.scheme.as_str(), self.authority)
    }
}

fn validate_authority(authority: &str) -> std::result::Result<(), &'static str> {
    if authority.is_empty() {
        return Err("the host is empty");
    }
    if authority.contains(['/', '?', '#', '@', ' ']) {
        return Err("give only the host and port, without path, query or user");
    }
    let (host, port) = if let Some(rest) = authority.strip_prefix('[') {
        let (host, after) = rest.split_once(']').ok_or("an IPv6 address needs a closing ']'")?;
        host.parse::<Ipv6Addr>().map_err(|_| "the IPv6 address is malformed")?;
        (host, after.strip_prefix(':'))
    } else {
        match authority.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        }
    };
    if host.is_empty() || !host.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':')) {
        return Err("the host may hold only letters, digits, '.' and '-'");
    }
    if let Some(port) = port {
        port.parse::<u16>().map_err(|_| "the port must be a number from 0 to 65535")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builds_urls_in_all_three_styles() {
        let virtual_hosted = Endpoint::parse("oss-cn-hangzhou.aliyuncs.com", Addressing::Virtual).unwrap();
        assert_eq!(virtual_hosted.url(Some("b"), Some("a b/c")), "https://b.oss-cn-hangzhou.aliyuncs.com/a%20b/c");
        assert_eq!(virtual_hosted.url(Some("b"), None), "https://b.oss-cn-hangzhou.aliyuncs.com/");

        let path = Endpoint::parse("http://localhost:9000/", Addressing::Path).unwrap();
        assert_eq!(path.url(Some("b"), Some("k")), "http://localhost:9000/b/k");
        assert_eq!(path.url(Some("b"), None), "http://localhost:9000/b/");
        assert_eq!(path.url(None, None), "http://localhost:9000/");

        let cname = Endpoint::parse("https://static.example.com", Addressing::Cname).unwrap();
        assert_eq!(cname.url(Some("b"), Some("/x")), "https://static.example.com//x");
    }

    #[test]
    fn ip_endpoints_fall_back_to_path_style() {
        let endpoint = Endpoint::parse("http://127.0.0.1:9000", Addressing::Virtual).unwrap();
        assert_eq!(endpoint.addressing(), Addressing::Path);
        assert_eq!(endpoint.url(Some("b"), Some("k")), "http://127.0.0.1:9000/b/k");
        let v6 = Endpoint::parse("http://[::1]:9000", Addressing::Virtual).unwrap();
        assert_eq!(v6.addressing(), Addressing::Path);
    }

    #[test]
    fn ip_and_localhost_hosts_need_path_style_but_names_under_localhost_do_not() {
        for host in ["http://127.0.0.1:18765", "http://[::1]:9000", "localhost:9000", "http://LOCALHOST:9000"] {
            let endpoint = Endpoint::parse(host, Addressing::Virtual).unwrap().with_required_addressing();
            assert_eq!(endpoint.addressing(), Addressing::Path, "{host}");
        }
        for host in ["oss-cn-hangzhou.aliyuncs.com", "http://minio.localhost:9000"] {
            let endpoint = Endpoint::parse(host, Addressing::Virtual).unwrap().with_required_addressing();
            assert_eq!(endpoint.addressing(), Addressing::Virtual, "{host}");
        }
        let cname = Endpoint::parse("http://localhost:9000", Addressing::Cname).unwrap().with_required_addressing();
        assert_eq!(cname.addressing(), Addressing::Cname);
    }

    #[test]
    fn malformed_endpoints_are_refused_with_the_reason() {
        for bad in ["", "ftp://x", "https://host/path", "host:99999", "ho st", "user@host"] {
            let err = Endpoint::parse(bad, Addressing::Virtual).unwrap_err();
            assert!(err.message().contains("endpoint"), "{bad}: {err}");
        }
    }
}
