//! `oss://BUCKET[/KEY-OR-PREFIX]` as the commands take it.

use osslite_core::share::check_bucket_name;
use osslite_core::{Error, Result};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OssPath {
    pub bucket: String,
    /// Everything after `oss://BUCKET/`, possibly empty; may hold '/'.
    pub prefix: String,
}

impl OssPath {
    pub fn parse(text: &str) -> Result<Self> {
        let rest = text
            .strip_prefix("oss://")
            .ok_or_else(|| Error::invalid_input(format!("'{text}' is not an OSS path: write oss://BUCKET/KEY")))?;
        let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        check_bucket_name(bucket)?;
        Ok(Self { bucket: bucket.to_owned(), prefix: prefix.to_owned() })
    }

    /// The key, for commands that need one object.
    pub fn object_key(&self) -> Result<&str> {
        if self.prefix.is_empty() || self.prefix.ends_with('/') {
            return Err(Error::invalid_input(format!(
                "oss://{}/{} names no object: write oss://BUCKET/KEY (or use -r for a folder)",
                self.bucket, self.prefix
            )));
        }
        Ok(&self.prefix)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_buckets_prefixes_and_keys() {
        assert_eq!(OssPath::parse("oss://bucket").unwrap(), OssPath { bucket: "bucket".into(), prefix: String::new() });
        let path = OssPath::parse("oss://bucket/a/b c.txt").unwrap();
        assert_eq!(path.object_key().unwrap(), "a/b c.txt");
        assert!(OssPath::parse("oss://bucket/folder/").unwrap().object_key().is_err());
        assert!(OssPath::parse("bucket/key").is_err());
        assert!(OssPath::parse("oss://Bad_Bucket/k").is_err());
    }
}
