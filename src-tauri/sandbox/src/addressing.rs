//! Which bucket and object a request addresses: path-style (`/bucket/key`) on an IP or plain
//! `localhost`, virtual-hosted (`Host: BUCKET.localhost:PORT`, path `/key`) otherwise.

use osslite_core::sign::encode::percent_decode;

use crate::error::{OssError, OssResult};
use crate::names::{check_bucket_name, check_object_key};

/// The host suffix that marks virtual-hosted addressing.
const VIRTUAL_HOST_SUFFIX: &str = ".localhost";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub bucket: Option<String>,
    pub key: Option<String>,
}

/// `host` is the Host header (with port), `raw_path` the undecoded request path.
pub fn resolve(host: Option<&str>, raw_path: &str) -> OssResult<Target> {
    let path = percent_decode(raw_path)
        .map_err(|err| OssError::invalid_argument(format!("The request path is not valid: {err}.")))?;
    let Some(path) = path.strip_prefix('/') else {
        return Err(OssError::invalid_argument("The request path must start with '/'."));
    };
    let target = match host.and_then(virtual_hosted_bucket) {
        Some(bucket) => Target { bucket: Some(bucket.to_owned()), key: non_empty(path) },
        None => match path.split_once('/') {
            None => Target { bucket: non_empty(path), key: None },
            Some((bucket, key)) => Target { bucket: Some(bucket.to_owned()), key: non_empty(key) },
        },
    };
    if let Some(bucket) = &target.bucket {
        check_bucket_name(bucket)?;
    }
    if let Some(key) = &target.key {
        check_object_key(key)?;
    }
    Ok(target)
}

fn non_empty(text: &str) -> Option<String> {
    (!text.is_empty()).then(|| text.to_owned())
}

/// `BUCKET` from `BUCKET.localhost[:PORT]`.
fn virtual_hosted_bucket(host: &str) -> Option<&str> {
    if host.starts_with('[') {
        return None;
    }
    let name = host.rsplit_once(':').map_or(host, |(name, _)| name);
    let suffix_start = name.len().checked_sub(VIRTUAL_HOST_SUFFIX.len())?;
    let suffix = name.get(suffix_start..)?;
    if !suffix.eq_ignore_ascii_case(VIRTUAL_HOST_SUFFIX) || suffix_start == 0 {
        return None;
    }
    name.get(..suffix_start)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(bucket: Option<&str>, key: Option<&str>) -> Target {
        Target { bucket: bucket.map(str::to_owned), key: key.map(str::to_owned) }
    }

    #[test]
    fn path_style_on_ips_and_plain_localhost() {
        assert_eq!(resolve(Some("127.0.0.1:9000"), "/").unwrap(), target(None, None));
        assert_eq!(resolve(Some("127.0.0.1:9000"), "/bkt").unwrap(), target(Some("bkt"), None));
        assert_eq!(resolve(Some("localhost:9000"), "/bkt/").unwrap(), target(Some("bkt"), None));
        assert_eq!(resolve(Some("[::1]:9000"), "/bkt/a%20b/c").unwrap(), target(Some("bkt"), Some("a b/c")));
        assert_eq!(resolve(None, "/bkt/a/../b").unwrap(), target(Some("bkt"), Some("a/../b")));
    }

    #[test]
    fn virtual_hosted_on_bucket_dot_localhost() {
        assert_eq!(resolve(Some("bkt.localhost:9000"), "/").unwrap(), target(Some("bkt"), None));
        assert_eq!(resolve(Some("bkt.LOCALHOST"), "/k%2Fx").unwrap(), target(Some("bkt"), Some("k/x")));
        assert_eq!(resolve(Some("bkt.localhost:1"), "/%E4%B8%AD").unwrap(), target(Some("bkt"), Some("中")));
    }

    #[test]
    fn bad_names_and_encodings_are_refused() {
        assert_eq!(resolve(Some("a.b.localhost"), "/").unwrap_err().code, "InvalidBucketName");
        assert_eq!(resolve(Some("127.0.0.1"), "/Bad_Bucket/k").unwrap_err().code, "InvalidBucketName");
        assert_eq!(resolve(Some("127.0.0.1"), "/bkt/%zz").unwrap_err().code, "InvalidArgument");
        assert_eq!(resolve(Some("127.0.0.1"), "/bkt//lead").unwrap_err().code, "InvalidObjectName");
        assert_eq!(resolve(Some("127.0.0.1"), "bkt").unwrap_err().code, "InvalidArgument");
    }
}
