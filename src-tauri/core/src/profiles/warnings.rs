//! Endpoints that are allowed but deserve a second look: plain HTTP, and hosts inside the user's
//! network or the machine, where a mistyped or planted endpoint would send signed requests.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use crate::endpoint::{Endpoint, Scheme};

/// Alibaba Cloud's instance metadata service (like 169.254.169.254 on other clouds).
const ALIBABA_METADATA: Ipv4Addr = Ipv4Addr::new(100, 100, 100, 200);

/// Why an endpoint is shown with a warning. Serialized as a camelCase kind for the UI's texts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub enum EndpointWarning {
    PlainHttp,
    PrivateAddress,
    Loopback,
    LinkLocal,
    CloudMetadata,
}

impl EndpointWarning {
    pub fn message(self) -> &'static str {
        match self {
            Self::PlainHttp => "the endpoint uses plain HTTP: requests and their signatures travel unencrypted",
            Self::PrivateAddress => "the endpoint is a private network address (10/8, 172.16/12, 192.168/16, fc00::/7)",
            Self::Loopback => "the endpoint is this machine (loopback)",
            Self::LinkLocal => "the endpoint is a link-local address (169.254.0.0/16, fe80::/10)",
            Self::CloudMetadata => "the endpoint is a cloud metadata service address, not OSS",
        }
    }
}

/// The warnings for an endpoint, plain HTTP first. Host names are not resolved: only IP literals
/// and `localhost` are classified.
pub fn endpoint_warnings(endpoint: &Endpoint) -> Vec<EndpointWarning> {
    let mut warnings = Vec::new();
    if endpoint.scheme() == Scheme::Http {
        warnings.push(EndpointWarning::PlainHttp);
    }
    let host = host_of(endpoint.authority());
    let host_warning = if host == "localhost" || host.ends_with(".localhost") {
        Some(EndpointWarning::Loopback)
    } else {
        host.parse::<IpAddr>().ok().and_then(classify_ip)
    };
    warnings.extend(host_warning);
    warnings
}

fn host_of(authority: &str) -> &str {
    if let Some(rest) = authority.strip_prefix('[') {
        return rest.split(']').next().unwrap_or(rest);
    }
    authority.rsplit_once(':').map_or(authority, |(host, _)| host).trim_end_matches('.')
}

fn classify_ip(ip: IpAddr) -> Option<EndpointWarning> {
    match ip {
        IpAddr::V4(v4) => classify_v4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => classify_v4(v4),
            None => classify_v6(v6),
        },
    }
}

fn classify_v4(ip: Ipv4Addr) -> Option<EndpointWarning> {
    if ip == ALIBABA_METADATA {
        Some(EndpointWarning::CloudMetadata)
    } else if ip.is_loopback() || ip.is_unspecified() {
        Some(EndpointWarning::Loopback)
    } else if ip.is_link_local() {
        Some(EndpointWarning::LinkLocal)
    } else if ip.is_private() {
        Some(EndpointWarning::PrivateAddress)
    } else {
        None
    }
}

fn classify_v6(ip: Ipv6Addr) -> Option<EndpointWarning> {
    let first = ip.segments()[0];
    if ip.is_loopback() || ip.is_unspecified() {
        Some(EndpointWarning::Loopback)
    } else if first & 0xffc0 == 0xfe80 {
        Some(EndpointWarning::LinkLocal)
    } else if first & 0xfe00 == 0xfc00 {
        Some(EndpointWarning::PrivateAddress)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::endpoint::Addressing;
    use EndpointWarning::*;

    fn warnings(text: &str) -> Vec<EndpointWarning> {
        endpoint_warnings(&Endpoint::parse(text, Addressing::Virtual).unwrap())
    }

    #[test]
    fn public_https_endpoints_have_no_warning() {
        assert_eq!(warnings("oss-cn-hangzhou.aliyuncs.com"), []);
        assert_eq!(warnings("https://47.96.1.2"), []);
        assert_eq!(warnings("https://172.32.0.1:443"), []);
        assert_eq!(warnings("https://[2408:4001::1]"), []);
        assert_eq!(warnings("https://100.100.100.201"), []);
    }

    #[test]
    fn plain_http_is_flagged_alone_or_with_the_address() {
        assert_eq!(warnings("http://oss-cn-hangzhou-internal.aliyuncs.com"), [PlainHttp]);
        assert_eq!(warnings("http://127.0.0.1:9000"), [PlainHttp, Loopback]);
    }

    #[test]
    fn private_loopback_link_local_and_metadata_addresses_are_classified() {
        for (text, expected) in [
            ("https://10.1.2.3", PrivateAddress),
            ("https://172.16.0.1", PrivateAddress),
            ("https://172.31.255.255:8443", PrivateAddress),
            ("https://192.168.1.10", PrivateAddress),
            ("https://[fd12:3456::1]", PrivateAddress),
            ("https://[fc00::1]:9000", PrivateAddress),
            ("https://127.0.0.1", Loopback),
            ("https://127.8.9.10", Loopback),
            ("https://[::1]:9000", Loopback),
            ("https://localhost:9000", Loopback),
            ("https://oss.localhost", Loopback),
            ("https://0.0.0.0", Loopback),
            ("https://169.254.169.254", LinkLocal),
            ("https://[fe80::1]", LinkLocal),
            ("https://[::ffff:192.168.0.1]", PrivateAddress),
            ("https://100.100.100.200", CloudMetadata),
        ] {
            assert_eq!(warnings(text), [expected], "{text}");
        }
    }
}
