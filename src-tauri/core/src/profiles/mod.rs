//! Connection profiles: what a user signs in with, minus the secrets (those live in the keyring).
//! Stored as TOML in the OS config directory; written atomically (temp file + rename).

mod keys;
mod proxy;
mod sandbox_key;
mod save;
mod session;
mod store;
mod warnings;

pub use keys::NewKeys;
pub use proxy::{join_proxy_password, split_proxy_password};
pub use sandbox_key::{load_profile_secrets, sandbox_key_load, sandbox_key_load_or_create, sandbox_key_path};
pub use save::{connection_changed, save_profile};
pub use session::{AccessReport, Session};
pub use store::{default_config_dir, default_data_dir, ProfileStore};
pub use warnings::{endpoint_warnings, EndpointWarning};

/// The app's demo profile, served by the embedded sandbox on loopback over plain HTTP by design.
pub const SANDBOX_PROFILE: &str = "Local sandbox";

use chrono::{DateTime, Utc};

use crate::endpoint::{Addressing, Endpoint, Scheme};
use crate::error::{Error, Result};
use crate::share::check_bucket_name;
use crate::sign::check_region;

/// A named connection. Holds no secret: `access_key_hint` is the masked AccessKey ID.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Profile {
    pub name: String,
    pub region: String,
    /// `HOST`, `HOST:PORT` or a URL; none means the region's public endpoint.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub endpoint: Option<String>,
    #[serde(default)]
    pub addressing: Addressing,
    /// Used when `endpoint` is a bare host.
    #[serde(default = "yes")]
    pub https: bool,
    /// `oss://bucket/prefix/` to open directly, for keys that may not list buckets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preset_path: Option<String>,
    /// An explicit proxy URL; otherwise HTTPS_PROXY / HTTP_PROXY / NO_PROXY apply.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub proxy: Option<String>,
    /// The AccessKey ID masked but for its last 4 characters, for display without the keyring.
    #[serde(default)]
    pub access_key_hint: String,
    /// Whether the keyring entry holds an STS token, and when it expires if known.
    #[serde(default)]
    pub uses_sts: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sts_expires_at: Option<DateTime<Utc>>,
}

fn yes() -> bool {
    true
}

/// Where a preset path opens: a bucket and a prefix inside it (empty, or ending in '/').
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PresetPath {
    pub bucket: String,
    pub prefix: String,
}

impl Profile {
    pub fn new(name: &str, region: &str) -> Result<Self> {
        check_profile_name(name)?;
        Ok(Self {
            name: name.to_owned(),
            region: region.to_owned(),
            endpoint: None,
            addressing: Addressing::Virtual,
            https: true,
            preset_path: None,
            proxy: None,
            access_key_hint: String::new(),
            uses_sts: false,
            sts_expires_at: None,
        })
    }

    /// Checks every field, so a profile that saves also connects.
    pub fn validate(&self) -> Result<()> {
        check_profile_name(&self.name)?;
        check_region(&self.region)?;
        self.endpoint()?;
        self.preset()?;
        if let Some(proxy) = &self.proxy {
            let scheme_ok = ["http://", "https://", "socks5://", "socks5h://"].iter().any(|s| proxy.starts_with(s));
            if !scheme_ok {
                return Err(Error::invalid_input(format!(
                    "proxy '{proxy}' must be a URL such as http://proxy.example.com:8080"
                )));
            }
        }
        Ok(())
    }

    /// The endpoint requests go to. An IP address or `localhost` is always path-style: a
    /// virtual-hosted `bucket.127.0.0.1` cannot resolve.
    pub fn endpoint(&self) -> Result<Endpoint> {
        let scheme = if self.https { Scheme::Https } else { Scheme::Http };
        match &self.endpoint {
            Some(text) if text.contains("://") => {
                Ok(Endpoint::parse(text, self.addressing)?.with_required_addressing())
            }
            Some(host) => Ok(Endpoint::parse(host, self.addressing)?.with_scheme(scheme).with_required_addressing()),
            None if self.addressing == Addressing::Cname => Err(Error::invalid_input(format!(
                "profile '{}' uses a custom domain (cname) but names no endpoint: set the domain as its endpoint",
                self.name
            ))),
            None => Ok(Endpoint::for_region(&self.region, scheme)),
        }
    }

    /// What to warn about this profile's endpoint; nothing for the Local sandbox, whose loopback
    /// HTTP endpoint is the point. An endpoint that does not parse has no warnings (it has an error).
    pub fn endpoint_warnings(&self) -> Vec<EndpointWarning> {
        if self.name == SANDBOX_PROFILE {
            return Vec::new();
        }
        self.endpoint().map(|e| endpoint_warnings(&e)).unwrap_or_default()
    }

    /// The proxy URL as views show it: without a password, even one a hand-edited or older
    /// `profiles.toml` still holds.
    pub fn proxy_without_password(&self) -> Option<String> {
        self.proxy.as_deref().map(|url| split_proxy_password(url).0)
    }

    /// This profile as views show it (`profile show --json`, `list --json`): the proxy without a password.
    pub fn for_display(&self) -> Profile {
        Profile { proxy: self.proxy_without_password(), ..self.clone() }
    }

    pub fn preset(&self) -> Result<Option<PresetPath>> {
        let Some(text) = &self.preset_path else { return Ok(None) };
        let rest = text.strip_prefix("oss://").ok_or_else(|| {
            Error::invalid_input(format!("preset path '{text}' must look like oss://bucket/ or oss://bucket/folder/"))
        })?;
        let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        check_bucket_name(bucket)?;
        let prefix = if prefix.is_empty() || prefix.ends_with('/') { prefix.to_owned() } else { format!("{prefix}/") };
        Ok(Some(PresetPath { bucket: bucket.to_owned(), prefix }))
    }
}

/// 1 to 64 characters, no control characters or slashes: it names a file entry and a keyring entry.
pub fn check_profile_name(name: &str) -> Result<()> {
    let length = name.chars().count();
    if (1..=64).contains(&length)
        && !name.chars().any(|c| c.is_control() || c == '/' || c == '\\')
        && name.trim() == name
    {
        Ok(())
    } else {
        Err(Error::invalid_input(format!(
            "profile name '{}' must be 1 to 64 characters, without slashes, control characters or surrounding spaces",
            name.escape_debug()
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoint_follows_https_flag_for_bare_hosts_and_the_url_otherwise() {
        let mut profile = Profile::new("work", "cn-hangzhou").unwrap();
        assert_eq!(profile.endpoint().unwrap().to_string(), "https://oss-cn-hangzhou.aliyuncs.com");
        profile.https = false;
        profile.endpoint = Some("oss-cn-hangzhou-internal.aliyuncs.com".into());
        assert_eq!(profile.endpoint().unwrap().to_string(), "http://oss-cn-hangzhou-internal.aliyuncs.com");
        profile.endpoint = Some("https://127.0.0.1:9000".into());
        assert_eq!(profile.endpoint().unwrap().to_string(), "https://127.0.0.1:9000");
        profile.addressing = Addressing::Cname;
        profile.endpoint = None;
        assert!(profile.endpoint().unwrap_err().to_string().contains("custom domain"));
    }

    #[test]
    fn an_ip_or_localhost_endpoint_makes_the_profile_path_style() {
        let mut profile = Profile::new("local", "cn-hangzhou").unwrap();
        profile.endpoint = Some("http://localhost:18765".into());
        assert_eq!(profile.endpoint().unwrap().addressing(), Addressing::Path);
        assert_eq!(profile.endpoint().unwrap().url(Some("b"), Some("k")), "http://localhost:18765/b/k");
        profile.endpoint = Some("10.0.0.8:9000".into());
        assert_eq!(profile.endpoint().unwrap().addressing(), Addressing::Path);
        profile.endpoint = Some("oss-cn-hangzhou-internal.aliyuncs.com".into());
        assert_eq!(profile.endpoint().unwrap().addressing(), Addressing::Virtual);
    }

    #[test]
    fn preset_paths_parse_into_bucket_and_folder_prefix() {
        let mut profile = Profile::new("p", "cn-hangzhou").unwrap();
        profile.preset_path = Some("oss://media-bucket/team/photos".into());
        assert_eq!(
            profile.preset().unwrap(),
            Some(PresetPath { bucket: "media-bucket".into(), prefix: "team/photos/".into() })
        );
        profile.preset_path = Some("oss://media-bucket".into());
        assert_eq!(profile.preset().unwrap().unwrap().prefix, "");
        profile.preset_path = Some("media-bucket/x".into());
        assert!(profile.validate().is_err());
    }

    #[test]
    fn names_and_proxies_are_validated() {
        assert!(Profile::new("", "cn-hangzhou").is_err());
        assert!(Profile::new("a/b", "cn-hangzhou").is_err());
        assert!(Profile::new(" padded", "cn-hangzhou").is_err());
        assert!(Profile::new("工作 account", "cn-hangzhou").is_ok());
        let mut profile = Profile::new("p", "cn-hangzhou").unwrap();
        profile.proxy = Some("proxy:8080".into());
        assert!(profile.validate().unwrap_err().to_string().contains("proxy"));
    }

    #[test]
    fn endpoint_warnings_skip_only_the_local_sandbox() {
        let mut profile = Profile::new("lan", "cn-hangzhou").unwrap();
        assert_eq!(profile.endpoint_warnings(), []);
        profile.endpoint = Some("http://192.168.1.5:9000".into());
        assert_eq!(profile.endpoint_warnings(), [EndpointWarning::PlainHttp, EndpointWarning::PrivateAddress]);
        profile.proxy = Some("http://alice:CANARY-pw@proxy.local:3128".into());
        assert_eq!(profile.for_display().proxy.as_deref(), Some("http://alice@proxy.local:3128"));
        profile.name = SANDBOX_PROFILE.into();
        profile.endpoint = Some("http://127.0.0.1:9000".into());
        assert_eq!(profile.endpoint_warnings(), []);
    }
}
