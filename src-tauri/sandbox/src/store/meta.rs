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
    #[serde(default)]
    pub versioning: Versioning,
}

/// A bucket's versioning state; once enabled it can only be suspended, never turned off.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Versioning {
    #[default]
    Off,
    Enabled,
    Suspended,
}

impl Versioning {
    /// As GetBucketVersioning and GetBucketInfo write it; empty when never enabled.
    pub fn as_str(self) -> &'static str {
        match self {
            Versioning::Off => "",
            Versioning::Enabled => "Enabled",
            Versioning::Suspended => "Suspended",
        }
    }
}

/// The version ID OSS reports for objects written while versioning was off or suspended.
pub const NULL_VERSION: &str = "null";

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

/// One file of an object's bytes, in the bucket's `objects` directory.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Segment {
    pub file: String,
    pub size: u64,
}

/// A restore of an archived object: readable from `ready_at_ms` until `expires_at`.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
pub struct RestoreState {
    /// Unix milliseconds when the restore completes.
    pub ready_at_ms: i64,
    /// Unix seconds when the restored copy expires.
    pub expires_at: i64,
}

impl RestoreState {
    pub fn is_ongoing(&self, now_ms: i64) -> bool {
        now_ms < self.ready_at_ms
    }

    pub fn is_readable(&self, now_ms: i64) -> bool {
        !self.is_ongoing(now_ms) && now_ms / 1000 < self.expires_at
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ObjectMeta {
    pub key: String,
    /// The data file's name in the bucket's `objects` directory; empty when `segments` lists
    /// the files (a completed multipart upload keeps its parts' files as they are).
    pub data_file: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub segments: Vec<Segment>,
    pub size: u64,
    /// Upper-case hex MD5, or `HEX-N` for multipart objects; without quotes.
    pub etag: String,
    pub crc64: u64,
    pub last_modified: i64,
    pub object_type: ObjectType,
    pub attributes: ObjectAttributes,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub restore: Option<RestoreState>,
    /// None when written while versioning was off (never reported), `null` while suspended,
    /// else the ID versioning gave it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version_id: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub delete_marker: bool,
    /// Orders a key's versions, newest highest.
    #[serde(default)]
    pub sequence: u64,
}

impl ObjectMeta {
    /// The version ID as listings show it: `null` for objects written without versioning.
    pub fn version_label(&self) -> &str {
        self.version_id.as_deref().unwrap_or(NULL_VERSION)
    }

    pub fn is_null_version(&self) -> bool {
        self.version_label() == NULL_VERSION
    }

    /// The files holding the object's bytes, in order; none for a delete marker.
    pub fn files(&self) -> Vec<Segment> {
        if self.delete_marker {
            Vec::new()
        } else if self.segments.is_empty() {
            vec![Segment { file: self.data_file.clone(), size: self.size }]
        } else {
            self.segments.clone()
        }
    }

    /// Archive, Cold Archive and Deep Cold Archive objects must be restored before a read.
    pub fn is_readable(&self, now_ms: i64) -> bool {
        !self.attributes.storage_class.needs_restore() || self.restore.is_some_and(|r| r.is_readable(now_ms))
    }
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
