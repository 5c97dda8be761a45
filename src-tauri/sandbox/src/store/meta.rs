//! What the store keeps about buckets, objects, uploads and parts; each is one JSON file on disk.

use serde::{Deserialize, Serialize};

use crate::names::{Acl, StorageClass};

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BucketMeta {
    pub name: String,
    pub created: i64,
    pub acl: Acl,
    pub storage_class: StorageClass,
    #[serde(default = "default_redundancy")]
    pub data_redundancy: String,
}

fn default_redundancy() -> String {
    "LRS".to_owned()
}

/// What the uploader chose for an object: its type, class, ACL, user metadata and the standard
/// headers OSS stores with it.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct ObjectAttributes {
    pub content_type: String,
    pub storage_class: StorageClass,
    pub acl: Acl,
    /// `x-oss-meta-*` headers, names lower-case with the prefix.
    pub user_meta: Vec<(String, String)>,
    /// Cache-Control, Content-Disposition, Content-Encoding, Content-Language, Expires.
    pub stored_headers: Vec<(String, String)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ObjectType {
    Normal,
    Multipart,
}

impl ObjectType {
    pub fn as_str(self) -> &'static str {
        match self {
            ObjectType::Normal => "Normal",
            ObjectType::Multipart => "Multipart",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ObjectMeta {
    pub key: String,
    /// The data file's name in the bucket's `objects` directory.
    pub data_file: String,
    pub size: u64,
    /// Upper-case hex MD5, or `HEX-N` for multipart objects; without quotes.
    pub etag: String,
    pub crc64: u64,
    pub last_modified: i64,
    pub object_type: ObjectType,
    pub attributes: ObjectAttributes,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct UploadMeta {
    pub upload_id: String,
    pub key: String,
    pub initiated: i64,
    pub attributes: ObjectAttributes,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PartMeta {
    pub part_number: u32,
    pub data_file: String,
    pub size: u64,
    /// Upper-case hex MD5, without quotes.
    pub etag: String,
    pub crc64: u64,
    pub last_modified: i64,
}
