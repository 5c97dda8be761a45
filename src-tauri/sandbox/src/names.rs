//! OSS's naming rules and enumerations: bucket names, object keys, storage classes, ACLs.
//! <https://www.alibabacloud.com/help/en/oss/user-guide/bucket-naming-conventions>,
//! <https://www.alibabacloud.com/help/en/oss/user-guide/object-naming-conventions>.

use serde::{Deserialize, Serialize};

use crate::error::{OssError, OssResult};

pub const MAX_KEY_BYTES: usize = 1023;

/// 3 to 63 characters of `a-z 0-9 -`, starting and ending with a letter or digit.
pub fn is_valid_bucket_name(name: &str) -> bool {
    let bytes = name.as_bytes();
    (3..=63).contains(&bytes.len())
        && bytes.iter().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-')
        && bytes.first() != Some(&b'-')
        && bytes.last() != Some(&b'-')
}

pub fn check_bucket_name(name: &str) -> OssResult<()> {
    if is_valid_bucket_name(name) {
        Ok(())
    } else {
        Err(OssError::invalid_bucket_name(name))
    }
}

/// 1 to 1023 bytes of UTF-8, not starting with `/` or `\`.
pub fn check_object_key(key: &str) -> OssResult<()> {
    if key.is_empty() || key.len() > MAX_KEY_BYTES || key.starts_with(['/', '\\']) {
        return Err(OssError::invalid_object_name().with_detail("Key", truncated(key)));
    }
    Ok(())
}

fn truncated(key: &str) -> String {
    key.char_indices().take_while(|(i, _)| *i < 64).map(|(_, c)| c).collect()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum StorageClass {
    #[default]
    Standard,
    IA,
    Archive,
    ColdArchive,
    DeepColdArchive,
}

impl StorageClass {
    pub fn as_str(self) -> &'static str {
        match self {
            StorageClass::Standard => "Standard",
            StorageClass::IA => "IA",
            StorageClass::Archive => "Archive",
            StorageClass::ColdArchive => "ColdArchive",
            StorageClass::DeepColdArchive => "DeepColdArchive",
        }
    }

    /// Whether reading the object's bytes needs a RestoreObject first.
    pub fn needs_restore(self) -> bool {
        matches!(self, StorageClass::Archive | StorageClass::ColdArchive | StorageClass::DeepColdArchive)
    }

    pub fn parse(text: &str) -> OssResult<Self> {
        [Self::Standard, Self::IA, Self::Archive, Self::ColdArchive, Self::DeepColdArchive]
            .into_iter()
            .find(|class| class.as_str().eq_ignore_ascii_case(text.trim()))
            .ok_or_else(|| {
                OssError::invalid_argument(format!("Invalid storage class '{text}'."))
                    .with_detail("ArgumentName", "x-oss-storage-class")
                    .with_detail("ArgumentValue", text)
            })
    }
}

/// An ACL. Objects may also be `Default` (inherit the bucket's).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Acl {
    #[default]
    Default,
    Private,
    PublicRead,
    PublicReadWrite,
}

impl Acl {
    pub fn as_str(self) -> &'static str {
        match self {
            Acl::Default => "default",
            Acl::Private => "private",
            Acl::PublicRead => "public-read",
            Acl::PublicReadWrite => "public-read-write",
        }
    }

    pub fn parse_object(text: &str, header: &str) -> OssResult<Self> {
        [Acl::Default, Acl::Private, Acl::PublicRead, Acl::PublicReadWrite]
            .into_iter()
            .find(|acl| acl.as_str() == text.trim())
            .ok_or_else(|| {
                OssError::invalid_argument("no such object access control exists")
                    .with_detail("ArgumentName", header)
                    .with_detail("ArgumentValue", text)
            })
    }

    pub fn parse_bucket(text: &str) -> OssResult<Self> {
        match Self::parse_object(text, "x-oss-acl")? {
            Acl::Default => Err(OssError::invalid_argument("no such bucket access control exists")
                .with_detail("ArgumentName", "x-oss-acl")
                .with_detail("ArgumentValue", text)),
            acl => Ok(acl),
        }
    }

    /// The ACL that applies to an object with this ACL in a bucket with `bucket_acl`.
    pub fn effective(self, bucket_acl: Acl) -> Acl {
        match self {
            Acl::Default => bucket_acl,
            own => own,
        }
    }

    pub fn allows_anonymous_read(self) -> bool {
        matches!(self, Acl::PublicRead | Acl::PublicReadWrite)
    }

    pub fn allows_anonymous_write(self) -> bool {
        self == Acl::PublicReadWrite
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_names_follow_the_oss_rules() {
        for good in ["abc", "my-bucket-1", &"a".repeat(63)] {
            assert!(is_valid_bucket_name(good), "{good}");
        }
        for bad in ["ab", "-abc", "abc-", "ABC", "a_b", "a.b", "../x", &"a".repeat(64), ""] {
            assert!(!is_valid_bucket_name(bad), "{bad}");
        }
    }

    #[test]
    fn keys_are_one_to_1023_bytes_not_starting_with_a_slash() {
        assert!(check_object_key("a").is_ok());
        assert!(check_object_key(&"é".repeat(511)).is_ok()); // 1022 bytes
        assert!(check_object_key("../../etc/passwd").is_ok());
        for bad in [String::new(), "x".repeat(1024), "/lead".into(), "\\lead".into()] {
            assert_eq!(check_object_key(&bad).unwrap_err().code, "InvalidObjectName");
        }
    }

    #[test]
    fn storage_class_and_acl_parse_as_oss_spells_them() {
        assert_eq!(StorageClass::parse("ia").unwrap(), StorageClass::IA);
        assert!(StorageClass::parse("Glacier").is_err());
        assert_eq!(Acl::parse_object("public-read", "x-oss-object-acl").unwrap(), Acl::PublicRead);
        assert!(Acl::parse_bucket("default").is_err());
        assert_eq!(Acl::Default.effective(Acl::PublicRead), Acl::PublicRead);
    }
}
