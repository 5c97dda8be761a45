//! Address bar parsing: what the user pasted → which profile, bucket and prefix (or key).
//! Pure: the caller passes each profile's endpoint authority and bound custom domains.
//!
//! Accepted: `oss://bucket/prefix/`, `bucket/prefix`, `https://bucket.oss-cn-hangzhou.aliyuncs.com/key`
//! (virtual-hosted), `https://oss-cn-hangzhou.aliyuncs.com/bucket/key` (path-style), a custom
//! domain bound to a bucket, and a presigned URL of any of those (its version is kept).

use crate::error::{Error, Result};
use crate::share::check_bucket_name;

/// A custom domain (CNAME) bound to a bucket, as the user registered it for a profile.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct CustomDomain {
    /// `files.example.com` (a port is allowed).
    pub host: String,
    pub bucket: String,
}

/// What the parser knows of a profile.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct AddressProfile {
    pub name: String,
    /// The endpoint's authority: `oss-cn-hangzhou.aliyuncs.com` or `127.0.0.1:9000` ([`crate::Endpoint::authority`]).
    pub endpoint: String,
    #[serde(default)]
    pub custom_domains: Vec<CustomDomain>,
}

impl AddressProfile {
    /// From a saved profile (its endpoint, or its region's public one) and the domains bound to it.
    /// A custom-domain (cname) profile's endpoint is the domain of the bucket its preset path names:
    /// it matches as that domain, and never as an endpoint taking a bucket in the host or path.
    pub fn from_profile(profile: &crate::profiles::Profile, mut custom_domains: Vec<CustomDomain>) -> Result<Self> {
        let endpoint = profile.endpoint()?;
        if endpoint.addressing() != crate::Addressing::Cname {
            return Ok(Self { name: profile.name.clone(), endpoint: endpoint.authority().to_owned(), custom_domains });
        }
        if let Some(preset) = profile.preset()? {
            custom_domains.push(CustomDomain { host: endpoint.authority().to_owned(), bucket: preset.bucket });
        }
        Ok(Self { name: profile.name.clone(), endpoint: String::new(), custom_domains })
    }
}

/// What the parser knows of every saved profile; one whose endpoint does not parse is left out
/// (it cannot connect, so no address leads to it).
pub fn address_profiles(profiles: &[crate::profiles::Profile]) -> Vec<AddressProfile> {
    profiles.iter().filter_map(|profile| AddressProfile::from_profile(profile, Vec::new()).ok()).collect()
}

/// Where an address leads.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Location {
    /// The profile whose endpoint or domain the URL names; `None` for `oss://` and `bucket/…`
    /// addresses, which stay in the current profile.
    pub profile: Option<String>,
    pub bucket: String,
    /// A prefix (empty or ending in `/`) or a key.
    pub path: String,
    /// From a presigned URL's `versionId`.
    pub version_id: Option<String>,
}

impl Location {
    /// Whether `path` names a folder (or the bucket root) rather than an object.
    pub fn is_prefix(&self) -> bool {
        self.path.is_empty() || self.path.ends_with('/')
    }

    /// `oss://bucket/path`.
    pub fn to_oss_url(&self) -> String {
        format!("oss://{}/{}", self.bucket, self.path)
    }
}

/// Parses an address typed or pasted into the address bar.
pub fn parse_address(text: &str, profiles: &[AddressProfile]) -> Result<Location> {
    let text = text.trim();
    if text.is_empty() {
        return Err(Error::invalid_input("the address is empty: type oss://bucket/prefix/ or paste an OSS URL"));
    }
    if let Some(rest) = strip_scheme(text, "oss://") {
        return bucket_and_path(None, rest, None);
    }
    let url = strip_scheme(text, "https://").or_else(|| strip_scheme(text, "http://"));
    let Some(url) = url else {
        if text.contains("://") {
            let scheme = text.split("://").next().unwrap_or_default();
            return Err(Error::invalid_input(format!(
                "a {scheme}:// address is not an OSS address: use oss://bucket/prefix/, bucket/prefix or an http(s) URL"
            )));
        }
        return bucket_and_path(None, text, None);
    };
    let url = url.split('#').next().unwrap_or(url);
    let (before_query, query) = url.split_once('?').unwrap_or((url, ""));
    let (authority, path) = before_query.split_once('/').unwrap_or((before_query, ""));
    let authority = authority.rsplit('@').next().unwrap_or(authority).to_ascii_lowercase();
    let version_id = query_value(query, "versionId")?;
    let path = percent_decode(path)?;

    // A domain bound to a bucket names it more exactly than an endpoint it may sit under.
    for profile in profiles {
        if let Some(domain) = profile.custom_domains.iter().find(|d| d.host.eq_ignore_ascii_case(&authority)) {
            return located(Some(&profile.name), &domain.bucket, &path, version_id);
        }
    }
    for profile in profiles {
        let endpoint = profile.endpoint.trim().trim_end_matches('/').to_ascii_lowercase();
        let endpoint = endpoint.split("://").last().unwrap_or(&endpoint).to_owned();
        if endpoint.is_empty() {
            continue; // a custom-domain profile: only its domain matches
        }
        if authority == endpoint {
            return bucket_and_path(Some(&profile.name), &path, version_id);
        }
        if let Some(bucket) = authority.strip_suffix(&format!(".{endpoint}")) {
            return located(Some(&profile.name), bucket, &path, version_id);
        }
    }
    Err(Error::invalid_input(format!(
        "No saved profile uses {authority}: add one with that endpoint or custom domain, then paste the address again"
    )))
}

fn strip_scheme<'a>(text: &'a str, scheme: &str) -> Option<&'a str> {
    text.get(..scheme.len()).filter(|head| head.eq_ignore_ascii_case(scheme)).map(|_| &text[scheme.len()..])
}

fn bucket_and_path(profile: Option<&str>, rest: &str, version_id: Option<String>) -> Result<Location> {
    let (bucket, path) = rest.split_once('/').unwrap_or((rest, ""));
    located(profile, bucket, path, version_id)
}

fn located(profile: Option<&str>, bucket: &str, path: &str, version_id: Option<String>) -> Result<Location> {
    if bucket.is_empty() {
        return Err(Error::invalid_input("the address names no bucket: use oss://bucket/prefix/"));
    }
    check_bucket_name(bucket)?;
    Ok(Location {
        profile: profile.map(str::to_owned),
        bucket: bucket.to_owned(),
        path: path.trim_start_matches('/').to_owned(),
        version_id,
    })
}

fn query_value(query: &str, name: &str) -> Result<Option<String>> {
    for pair in query.split('&') {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        if key == name && !value.is_empty() {
            return percent_decode(&value.replace('+', " ")).map(Some);
        }
    }
    Ok(None)
}

fn percent_decode(text: &str) -> Result<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3).and_then(|h| u8::from_str_radix(h, 16).ok());
            let byte = hex.ok_or_else(|| Error::invalid_input(format!("'{text}' has a broken %-escape")))?;
            out.push(byte);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| Error::invalid_input(format!("'{text}' does not decode to UTF-8")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profiles() -> Vec<AddressProfile> {
        vec![
            AddressProfile {
                name: "hz".into(),
                endpoint: "oss-cn-hangzhou.aliyuncs.com".into(),
                custom_domains: vec![],
            },
            AddressProfile {
                name: "local".into(),
                endpoint: "127.0.0.1:9000".into(),
                custom_domains: vec![CustomDomain { host: "files.example.com".into(), bucket: "site".into() }],
            },
        ]
    }

    fn parse(text: &str) -> Location {
        parse_address(text, &profiles()).unwrap_or_else(|err| panic!("{text}: {err}"))
    }

    fn at(profile: Option<&str>, bucket: &str, path: &str) -> Location {
        Location { profile: profile.map(str::to_owned), bucket: bucket.into(), path: path.into(), version_id: None }
    }

    #[test]
    fn oss_and_bare_addresses_stay_in_the_current_profile() {
        assert_eq!(parse("oss://photos/2026/dec/"), at(None, "photos", "2026/dec/"));
        assert_eq!(parse("OSS://photos"), at(None, "photos", ""));
        assert_eq!(parse("  photos/a.txt "), at(None, "photos", "a.txt"));
        assert!(parse("oss://photos/").is_prefix() && !parse("photos/a.txt").is_prefix());
        assert_eq!(parse("oss://photos/a b/").to_oss_url(), "oss://photos/a b/");
    }

    #[test]
    fn virtual_hosted_and_path_style_urls_pick_the_profile() {
        assert_eq!(
            parse("https://photos.oss-cn-hangzhou.aliyuncs.com/dir/a%20b.jpg"),
            at(Some("hz"), "photos", "dir/a b.jpg")
        );
        assert_eq!(parse("https://oss-cn-hangzhou.aliyuncs.com/photos/dir/"), at(Some("hz"), "photos", "dir/"));
        assert_eq!(parse("http://127.0.0.1:9000/demo/x/y.txt"), at(Some("local"), "demo", "x/y.txt"));
        assert_eq!(parse("https://files.example.com/index.html#top"), at(Some("local"), "site", "index.html"));
    }

    #[test]
    fn presigned_urls_keep_the_key_and_version() {
        let url = "https://photos.oss-cn-hangzhou.aliyuncs.com/a%2Bb.txt?versionId=CAEQ%2B1&x-oss-signature-version=OSS4-HMAC-SHA256&x-oss-signature=abc";
        let location = parse(url);
        assert_eq!((location.bucket.as_str(), location.path.as_str()), ("photos", "a+b.txt"));
        assert_eq!(location.version_id.as_deref(), Some("CAEQ+1"));
        assert_eq!(location.profile.as_deref(), Some("hz"));
    }

    #[test]
    fn a_saved_profile_gives_its_region_endpoint() {
        let profile = crate::profiles::Profile::new("work", "cn-shanghai").unwrap();
        let candidates = [AddressProfile::from_profile(&profile, vec![]).unwrap()];
        let location = parse_address("https://b12.oss-cn-shanghai.aliyuncs.com/k", &candidates).unwrap();
        assert_eq!((location.profile.as_deref(), location.bucket.as_str()), (Some("work"), "b12"));
    }

    #[test]
    fn a_custom_domain_profile_matches_its_domain_as_its_preset_bucket() {
        let mut cdn = crate::profiles::Profile::new("cdn", "cn-hangzhou").unwrap();
        cdn.endpoint = Some("http://site.localhost:9000".into());
        cdn.addressing = crate::Addressing::Cname;
        cdn.preset_path = Some("oss://site/".into());
        let mut local = crate::profiles::Profile::new("local", "cn-hangzhou").unwrap();
        local.endpoint = Some("http://localhost:9000".into());
        let mut broken = crate::profiles::Profile::new("broken", "cn-hangzhou").unwrap();
        broken.endpoint = Some("http://".into());
        let candidates = address_profiles(&[local, cdn, broken]);
        assert_eq!(candidates.len(), 2, "the profile whose endpoint does not parse is left out");
        let location = parse_address("http://site.localhost:9000/a/b.txt?x-oss-signature=s", &candidates).unwrap();
        assert_eq!(location, at(Some("cdn"), "site", "a/b.txt"));
        let location = parse_address("http://other.localhost:9000/a/", &candidates).unwrap();
        assert_eq!(location, at(Some("local"), "other", "a/"));
    }

    #[test]
    fn errors_never_repeat_a_signature() {
        let err = parse_address("ftp://h/k?x-oss-signature=SECRETSIG", &profiles()).unwrap_err().to_string();
        let unknown =
            parse_address("https://b.example.org/k?x-oss-signature=SECRETSIG", &profiles()).unwrap_err().to_string();
        assert!(!err.contains("SECRETSIG") && !unknown.contains("SECRETSIG"), "{err} / {unknown}");
    }

    #[test]
    fn unknown_hosts_and_bad_input_say_what_to_do() {
        let err = parse_address("https://b.oss-cn-beijing.aliyuncs.com/k", &profiles()).unwrap_err().to_string();
        assert!(err.contains("No saved profile uses b.oss-cn-beijing.aliyuncs.com: add one"), "{err}");
        assert!(parse_address("", &profiles()).is_err());
        assert!(parse_address("ftp://x/y", &profiles())
            .unwrap_err()
            .to_string()
            .contains("a ftp:// address is not an OSS address"));
        assert!(parse_address("oss:///k", &profiles()).unwrap_err().to_string().contains("no bucket"));
        assert!(parse_address("Bad_Bucket/k", &profiles()).is_err());
        assert!(parse_address("https://oss-cn-hangzhou.aliyuncs.com/b12/%zz", &profiles()).is_err());
    }
}
