//! Object-level responses: ListObjectsV2, GetObjectACL, CopyObject, DeleteMultipleObjects, and
//! the DeleteMultipleObjects request body.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize};

use super::buckets::{grant, Owner};
use super::{decode_fields, flag, non_empty, opt_number, opt_time};
use crate::error::Result;

/// One object in a listing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default, rename_all(deserialize = "PascalCase", serialize = "camelCase"))]
pub struct ObjectSummary {
    pub key: String,
    #[serde(deserialize_with = "opt_time")]
    pub last_modified: Option<DateTime<Utc>>,
    /// As OSS sends it, quotes included.
    #[serde(rename(deserialize = "ETag"))]
    pub etag: String,
    #[serde(deserialize_with = "size")]
    pub size: u64,
    pub storage_class: Option<String>,
    /// `Normal`, `Multipart`, `Appendable` or `Symlink`.
    #[serde(rename(deserialize = "Type"))]
    pub object_type: Option<String>,
    pub restore_info: Option<String>,
    pub owner: Option<Owner>,
}

fn size<'de, D: Deserializer<'de>>(deserializer: D) -> std::result::Result<u64, D::Error> {
    Ok(opt_number(deserializer)?.unwrap_or(0))
}

/// One page of ListObjectsV2 (`GET /?list-type=2`, root element `ListBucketResult`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default, rename_all(deserialize = "PascalCase", serialize = "camelCase"))]
pub struct ListObjectsV2Page {
    /// The bucket.
    pub name: String,
    pub prefix: String,
    pub delimiter: String,
    pub start_after: Option<String>,
    #[serde(deserialize_with = "opt_number")]
    pub max_keys: Option<u32>,
    #[serde(deserialize_with = "opt_number")]
    pub key_count: Option<u32>,
    #[serde(deserialize_with = "flag")]
    pub is_truncated: bool,
    pub continuation_token: Option<String>,
    pub next_continuation_token: Option<String>,
    #[serde(skip_serializing)]
    pub encoding_type: String,
    #[serde(rename(deserialize = "Contents"))]
    pub contents: Vec<ObjectSummary>,
    #[serde(rename(deserialize = "CommonPrefixes"), deserialize_with = "common_prefixes")]
    pub common_prefixes: Vec<String>,
}

impl ListObjectsV2Page {
    /// The token of the next page, when there is one.
    pub fn next_token(&self) -> Option<&str> {
        self.next_continuation_token.as_deref().filter(|t| self.is_truncated && !t.is_empty())
    }

    /// Decodes `encoding-type=url` fields and drops empty markers.
    pub(crate) fn normalize(mut self) -> Result<Self> {
        self.start_after = non_empty(self.start_after);
        self.continuation_token = non_empty(self.continuation_token);
        self.next_continuation_token = non_empty(self.next_continuation_token);
        let encoding = std::mem::take(&mut self.encoding_type);
        decode_fields(
            &encoding,
            [&mut self.prefix, &mut self.delimiter]
                .into_iter()
                .chain(self.start_after.as_mut())
                .chain(self.contents.iter_mut().map(|o| &mut o.key))
                .chain(self.common_prefixes.iter_mut()),
        )?;
        Ok(self)
    }
}

pub(crate) fn common_prefixes<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> std::result::Result<Vec<String>, D::Error> {
    #[derive(Deserialize)]
    struct CommonPrefix {
        #[serde(rename = "Prefix", default)]
        prefix: String,
    }
    Ok(Vec::<CommonPrefix>::deserialize(deserializer)?.into_iter().map(|p| p.prefix).collect())
}

/// The ACL of an object; `Default` means it follows the bucket's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "kebab-case")]
pub enum ObjectAcl {
    Default,
    Private,
    PublicRead,
    PublicReadWrite,
}

impl ObjectAcl {
    /// The value of `x-oss-object-acl` and `<Grant>`.
    pub fn as_str(self) -> &'static str {
        match self {
            ObjectAcl::Default => "default",
            ObjectAcl::Private => "private",
            ObjectAcl::PublicRead => "public-read",
            ObjectAcl::PublicReadWrite => "public-read-write",
        }
    }
}

impl std::str::FromStr for ObjectAcl {
    type Err = crate::error::Error;

    fn from_str(text: &str) -> Result<Self> {
        match text.trim() {
            "default" => Ok(ObjectAcl::Default),
            "private" => Ok(ObjectAcl::Private),
            "public-read" => Ok(ObjectAcl::PublicRead),
            "public-read-write" => Ok(ObjectAcl::PublicReadWrite),
            other => Err(crate::error::Error::invalid_input(format!(
                "unknown ACL '{other}': use default, private, public-read or public-read-write"
            ))),
        }
    }
}

/// GetObjectACL (`GET /key?acl`, root element `AccessControlPolicy`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ObjectAclPolicy {
    pub owner: Option<Owner>,
    pub acl: ObjectAcl,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct AccessControlPolicyXml {
    #[serde(default)]
    pub owner: Option<Owner>,
    #[serde(rename = "AccessControlList", deserialize_with = "grant", default)]
    pub grant: Option<String>,
}

/// CopyObject's answer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default, rename_all(deserialize = "PascalCase", serialize = "camelCase"))]
pub struct CopyObjectResult {
    #[serde(rename(deserialize = "ETag"))]
    pub etag: String,
    #[serde(deserialize_with = "opt_time")]
    pub last_modified: Option<DateTime<Utc>>,
    /// From `x-oss-version-id`, on versioned buckets.
    #[serde(skip_deserializing)]
    pub version_id: Option<String>,
}

/// One key DeleteMultipleObjects reports as deleted (only without quiet mode).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default, rename_all(deserialize = "PascalCase", serialize = "camelCase"))]
pub struct DeletedObject {
    pub key: String,
    pub version_id: Option<String>,
    #[serde(deserialize_with = "flag")]
    pub delete_marker: bool,
}

/// DeleteMultipleObjects (`POST /?delete`, root element `DeleteResult`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default, rename_all(deserialize = "PascalCase", serialize = "camelCase"))]
pub struct DeleteMultipleObjectsResult {
    #[serde(rename(deserialize = "Deleted"))]
    pub deleted: Vec<DeletedObject>,
    #[serde(skip_serializing)]
    pub encoding_type: String,
}

impl DeleteMultipleObjectsResult {
    pub(crate) fn normalize(mut self) -> Result<Self> {
        let encoding = std::mem::take(&mut self.encoding_type);
        decode_fields(&encoding, self.deleted.iter_mut().map(|d| &mut d.key))?;
        Ok(self)
    }
}

/// The DeleteMultipleObjects request body: `<Delete><Quiet/><Object><Key/></Object>…</Delete>`.
#[derive(Debug, Serialize)]
#[serde(rename = "Delete")]
pub(crate) struct DeleteXml<'a> {
    #[serde(rename = "Quiet")]
    pub quiet: bool,
    #[serde(rename = "Object")]
    pub objects: Vec<DeleteObjectXml<'a>>,
}

#[derive(Debug, Serialize)]
pub(crate) struct DeleteObjectXml<'a> {
    #[serde(rename = "Key")]
    pub key: &'a str,
}

#[cfg(test)]
pub(crate) mod samples {
    // Alibaba Cloud docs, "ListObjectsV2 (GetBucketV2)", response example with a delimiter.
    pub const LIST_OBJECTS_V2: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult>
  <Name>examplebucket</Name>
  <Prefix>a/</Prefix>
  <StartAfter>a/b</StartAfter>
  <MaxKeys>3</MaxKeys>
  <Delimiter>/</Delimiter>
  <IsTruncated>true</IsTruncated>
  <NextContinuationToken>CgJiYw--</NextContinuationToken>
  <Contents>
    <Key>a/c</Key>
    <LastModified>2020-05-18T05:45:54.000Z</LastModified>
    <ETag>"35A27C2B9EAEEB6F48FD7FB5861D****"</ETag>
    <Size>25</Size>
    <StorageClass>STANDARD</StorageClass>
    <Type>Normal</Type>
    <Owner>
      <ID>1686240967192623</ID>
      <DisplayName>1686240967192623</DisplayName>
    </Owner>
  </Contents>
  <Contents>
    <Key>a/d</Key>
    <LastModified>2020-05-18T05:45:57.000Z</LastModified>
    <ETag>"35A27C2B9EAEEB6F48FD7FB5861D****"</ETag>
    <Size>25</Size>
    <StorageClass>STANDARD</StorageClass>
    <Type>Multipart</Type>
    <RestoreInfo>ongoing-request="true"</RestoreInfo>
  </Contents>
  <CommonPrefixes>
    <Prefix>a/b/</Prefix>
  </CommonPrefixes>
  <CommonPrefixes>
    <Prefix>a/e/</Prefix>
  </CommonPrefixes>
  <KeyCount>4</KeyCount>
</ListBucketResult>"#;

    // Alibaba Cloud docs, "ListObjectsV2 (GetBucketV2)", example with encoding-type=url.
    pub const LIST_OBJECTS_V2_URL_ENCODED: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult>
  <Name>examplebucket</Name>
  <Prefix>%E4%B8%AD%E6%96%87/</Prefix>
  <MaxKeys>100</MaxKeys>
  <EncodingType>url</EncodingType>
  <Delimiter>%2F</Delimiter>
  <IsTruncated>false</IsTruncated>
  <Contents>
    <Key>%E4%B8%AD%E6%96%87/a+b%2Bc.txt</Key>
    <LastModified>2020-05-18T05:45:54.000Z</LastModified>
    <ETag>"35A27C2B9EAEEB6F48FD7FB5861D****"</ETag>
    <Size>25</Size>
    <StorageClass>STANDARD</StorageClass>
  </Contents>
  <CommonPrefixes>
    <Prefix>%E4%B8%AD%E6%96%87/%01dir/</Prefix>
  </CommonPrefixes>
  <KeyCount>2</KeyCount>
</ListBucketResult>"#;

    // Alibaba Cloud docs, "GetObjectACL", response example.
    pub const OBJECT_ACL: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<AccessControlPolicy>
    <Owner>
        <ID>0022012****</ID>
        <DisplayName>user_example</DisplayName>
    </Owner>
    <AccessControlList>
        <Grant>public-read </Grant>
    </AccessControlList>
</AccessControlPolicy>"#;

    // Alibaba Cloud docs, "CopyObject", response example.
    pub const COPY_OBJECT: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<CopyObjectResult xmlns="http://doc.oss-cn-hangzhou.aliyuncs.com">
    <ETag>"F2064A169EE92E9775EE5324D0B1****"</ETag>
    <LastModified>2018-02-24T09:41:56.000Z</LastModified>
</CopyObjectResult>"#;

    // Alibaba Cloud docs, "DeleteMultipleObjects", response example (normal mode).
    pub const DELETE_RESULT: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<DeleteResult xmlns="http://doc.oss-cn-hangzhou.aliyuncs.com">
    <Deleted>
       <Key>multipart.data</Key>
    </Deleted>
    <Deleted>
       <Key>test.jpg</Key>
    </Deleted>
    <Deleted>
       <Key>demo.jpg</Key>
    </Deleted>
</DeleteResult>"#;
}

#[cfg(test)]
mod tests {
    use super::samples::*;
    use super::*;
    use crate::xml::{from_xml, to_xml};

    #[test]
    fn list_objects_v2_sample_parses_objects_prefixes_and_token() {
        let page = from_xml::<ListObjectsV2Page>(LIST_OBJECTS_V2.as_bytes(), "ListObjectsV2").unwrap();
        let page = page.normalize().unwrap();
        assert_eq!(page.name, "examplebucket");
        assert_eq!((page.prefix.as_str(), page.delimiter.as_str()), ("a/", "/"));
        assert_eq!(page.start_after.as_deref(), Some("a/b"));
        assert_eq!((page.max_keys, page.key_count), (Some(3), Some(4)));
        assert_eq!(page.next_token(), Some("CgJiYw--"));
        let keys: Vec<&str> = page.contents.iter().map(|o| o.key.as_str()).collect();
        assert_eq!(keys, ["a/c", "a/d"]);
        assert_eq!(page.contents[0].etag, "\"35A27C2B9EAEEB6F48FD7FB5861D****\"");
        assert_eq!(page.contents[0].size, 25);
        assert_eq!(page.contents[0].owner.as_ref().unwrap().id, "1686240967192623");
        assert_eq!(page.contents[1].object_type.as_deref(), Some("Multipart"));
        assert_eq!(page.contents[1].restore_info.as_deref(), Some("ongoing-request=\"true\""));
        assert_eq!(page.common_prefixes, ["a/b/", "a/e/"]);
    }

    #[test]
    fn url_encoded_listing_is_decoded() {
        let page = from_xml::<ListObjectsV2Page>(LIST_OBJECTS_V2_URL_ENCODED.as_bytes(), "ListObjectsV2").unwrap();
        let page = page.normalize().unwrap();
        assert_eq!(page.prefix, "中文/");
        assert_eq!(page.delimiter, "/");
        assert_eq!(page.contents[0].key, "中文/a b+c.txt");
        assert_eq!(page.common_prefixes, ["中文/\u{1}dir/"]);
        assert_eq!(page.next_token(), None);
    }

    #[test]
    fn an_empty_listing_parses() {
        let xml = "<ListBucketResult><Name>b</Name><Prefix></Prefix><MaxKeys>1000</MaxKeys><Delimiter></Delimiter>\
                   <IsTruncated>false</IsTruncated><KeyCount>0</KeyCount></ListBucketResult>";
        let page = from_xml::<ListObjectsV2Page>(xml.as_bytes(), "ListObjectsV2").unwrap().normalize().unwrap();
        assert!(page.contents.is_empty() && page.common_prefixes.is_empty());
        assert_eq!(page.prefix, "");
        assert_eq!(page.next_token(), None);
    }

    #[test]
    fn acl_copy_and_delete_samples_parse() {
        let acl = from_xml::<AccessControlPolicyXml>(OBJECT_ACL.as_bytes(), "GetObjectACL").unwrap();
        assert_eq!(acl.grant.as_deref(), Some("public-read"));
        assert_eq!(acl.grant.unwrap().parse::<ObjectAcl>().unwrap(), ObjectAcl::PublicRead);
        assert_eq!(acl.owner.unwrap().display_name, "user_example");

        let copy = from_xml::<CopyObjectResult>(COPY_OBJECT.as_bytes(), "CopyObject").unwrap();
        assert_eq!(copy.etag, "\"F2064A169EE92E9775EE5324D0B1****\"");
        assert!(copy.last_modified.is_some());

        let deleted =
            from_xml::<DeleteMultipleObjectsResult>(DELETE_RESULT.as_bytes(), "DeleteMultipleObjects").unwrap();
        let keys: Vec<String> = deleted.normalize().unwrap().deleted.into_iter().map(|d| d.key).collect();
        assert_eq!(keys, ["multipart.data", "test.jpg", "demo.jpg"]);
    }

    #[test]
    fn delete_body_matches_the_documented_shape_and_escapes_keys() {
        let body =
            DeleteXml { quiet: true, objects: vec![DeleteObjectXml { key: "a&b" }, DeleteObjectXml { key: "c<d" }] };
        assert_eq!(
            to_xml(&body).unwrap(),
            r#"<?xml version="1.0" encoding="UTF-8"?><Delete><Quiet>true</Quiet><Object><Key>a&amp;b</Key></Object><Object><Key>c&lt;d</Key></Object></Delete>"#
        );
    }
}
