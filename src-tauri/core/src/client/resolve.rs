//! Name resolution inside the client: `localhost` and every `*.localhost` name go to loopback
//! without asking the system (RFC 6761 reserves them), so virtual-hosted requests to
//! `BUCKET.localhost:PORT` work without an /etc/hosts entry. Other names use the system resolver.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use reqwest::dns::{Addrs, Name, Resolve, Resolving};

#[derive(Debug, Default, Clone, Copy)]
pub struct LocalhostResolver;

/// Whether `host` (without port) is `localhost` or a name under it, in any letter case,
/// with or without the root's trailing dot.
pub fn is_localhost_name(host: &str) -> bool {
    let host = host.strip_suffix('.').unwrap_or(host).to_ascii_lowercase();
    host == "localhost" || host.ends_with(".localhost")
}

/// Whether `host` (without port, IPv6 without brackets) is a loopback address or a localhost name.
pub fn is_loopback_host(host: &str) -> bool {
    is_localhost_name(host) || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

/// The addresses a localhost name stands for, IPv4 first (local servers usually bind 127.0.0.1).
/// The port is 0: the connector puts the URL's port in.
fn loopback() -> Vec<SocketAddr> {
    vec![SocketAddr::new(Ipv4Addr::LOCALHOST.into(), 0), SocketAddr::new(Ipv6Addr::LOCALHOST.into(), 0)]
}

impl Resolve for LocalhostResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().to_owned();
        Box::pin(async move {
            if is_localhost_name(&host) {
                return Ok(Box::new(loopback().into_iter()) as Addrs);
            }
            let addrs: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            Ok(Box::new(addrs.into_iter()) as Addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn localhost_names_are_recognised() {
        for yes in ["localhost", "LOCALHOST", "bucket.localhost", "a.b.localhost.", "Bucket.LocalHost"] {
            assert!(is_localhost_name(yes), "{yes}");
        }
        for no in ["localhost.com", "mylocalhost", "example.com", "localhost.example"] {
            assert!(!is_localhost_name(no), "{no}");
        }
        assert!(is_loopback_host("127.0.0.1") && is_loopback_host("127.8.9.10") && is_loopback_host("::1"));
        assert!(!is_loopback_host("10.0.0.1") && !is_loopback_host("oss-cn-hangzhou.aliyuncs.com"));
    }

    #[tokio::test]
    async fn bucket_localhost_resolves_to_loopback_without_the_system() {
        let addrs: Vec<SocketAddr> =
            LocalhostResolver.resolve("my-bucket.localhost".parse().unwrap()).await.unwrap().collect();
        assert_eq!(addrs[0], SocketAddr::new(Ipv4Addr::LOCALHOST.into(), 0));
        assert!(addrs.iter().all(|a| a.ip().is_loopback()));
    }
}
