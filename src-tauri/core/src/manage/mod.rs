//! Managing objects and buckets on the server: copy, move and rename (CopyObject, or
//! UploadPartCopy in parallel parts above a threshold), metadata edits, ACLs, storage classes,
//! archive restores, folder sizes and buckets.
//!
//! The operations on many objects run as jobs of the transfer engine
//! ([`crate::transfer::TransferManager::manage`]): one transfer per request, with progress,
//! pause, cancel, a checkpoint to resume from after a restart, and an account of the objects
//! that failed ([`crate::transfer::TransferManager::failures`]).
//!
//! The module graph, lowest first: restore, meta, plan, usage, buckets → copy → job.

mod buckets;
mod copy;
pub(crate) mod job;
mod meta;
mod plan;
mod restore;
mod usage;

use serde::{Deserialize, Serialize};

use crate::ops::RestoreTier;
use crate::transfer::ConflictPolicy;
use crate::xml::ObjectAcl;

pub use buckets::{bucket_details, create_bucket, delete_bucket, BucketDetails, NewBucket};
pub use copy::{copy_object_whole, CopyOutcome};
pub use meta::{preview_meta, preview_meta_of, MetaChange, MetaEdit};
pub use plan::{check_request, plan, target_key_for, KeyPair, Plan};
pub use restore::{is_archive_class, object_state, restore_state, state_of, ObjectState, RestoreState};
pub use tokio_util::sync::CancellationToken;
pub use usage::{disk_usage, selection_usage, ClassUsage, Usage};

/// Objects up to this size are copied with one CopyObject (OSS's limit for it); larger ones in
/// parts with UploadPartCopy.
pub const DEFAULT_COPY_THRESHOLD: u64 = 1 << 30;
/// The part size of a multipart copy.
pub const DEFAULT_COPY_PART_SIZE: u64 = 64 << 20;
/// Objects worked on at once within one job (and parts in flight of one multipart copy).
pub const DEFAULT_MANAGE_PARALLEL: usize = 32;

/// Where a copy or move puts its objects.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "type", rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum CopyTarget {
    /// Each source into this folder under its own name: `dir/a.txt` → `prefix/a.txt`,
    /// folder `dir/sub/` → `prefix/sub/…` ("Move to…", "Copy to…", paste, drag and drop).
    IntoFolder { bucket: String, prefix: String },
    /// The one source to exactly this key, or a folder source (`a/`) to this folder (`b/`):
    /// rename, and the CLI's `mv SRC DST`.
    Exact { bucket: String, key: String },
}

impl CopyTarget {
    pub fn bucket(&self) -> &str {
        match self {
            CopyTarget::IntoFolder { bucket, .. } | CopyTarget::Exact { bucket, .. } => bucket,
        }
    }
}

/// What to do to each object of a request.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "type", rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum ManageAction {
    Copy {
        target: CopyTarget,
    },
    /// Copy, then delete the source.
    Move {
        target: CopyTarget,
    },
    /// New headers and `x-oss-meta-*` through a copy onto itself; the rest is kept.
    SetMeta {
        edit: MetaEdit,
    },
    SetAcl {
        acl: ObjectAcl,
    },
    /// `Standard`, `IA`, `Archive`, `ColdArchive` or `DeepColdArchive`, through a copy onto itself.
    SetClass {
        storage_class: String,
    },
    /// RestoreObject: `days` 1 to 365 (default 1), `tier` for Cold Archive.
    Restore {
        days: Option<u32>,
        tier: Option<RestoreTier>,
    },
}

impl ManageAction {
    /// A short verb for the transfer panel and logs.
    pub fn verb(&self) -> &'static str {
        match self {
            ManageAction::Copy { .. } => "copy",
            ManageAction::Move { .. } => "move",
            ManageAction::SetMeta { .. } => "set-meta",
            ManageAction::SetAcl { .. } => "set-acl",
            ManageAction::SetClass { .. } => "set-class",
            ManageAction::Restore { .. } => "restore",
        }
    }
}

/// A request on a selection: `keys` in `bucket`, where a key ending in `/` is a folder (every
/// object under it).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ManageRequest {
    pub bucket: String,
    pub keys: Vec<String>,
    pub action: ManageAction,
}

/// How a management job runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ManageOptions {
    /// When a copy's or move's target exists: the same choices as transfers ("keep both" is
    /// [`ConflictPolicy::Rename`], `name (1).ext`).
    pub on_conflict: ConflictPolicy,
    /// Objects larger than this are copied in parts (default 1 GiB; tests lower it).
    pub copy_threshold: u64,
    pub part_size: u64,
    /// Objects at once, and parts of one multipart copy at once.
    pub parallel: usize,
    /// The saved profile the job runs under (see [`crate::transfer::TransferOptions::profile`]).
    pub profile: Option<String>,
}

impl Default for ManageOptions {
    fn default() -> Self {
        Self {
            on_conflict: ConflictPolicy::Fail,
            copy_threshold: DEFAULT_COPY_THRESHOLD,
            part_size: DEFAULT_COPY_PART_SIZE,
            parallel: DEFAULT_MANAGE_PARALLEL,
            profile: None,
        }
    }
}

impl ManageOptions {
    pub(crate) fn check(&self) -> crate::Result<()> {
        if self.parallel == 0 || self.parallel > 256 {
            return Err(crate::Error::invalid_input(format!(
                "objects at once must be 1 to 256; {} is out of range",
                self.parallel
            )));
        }
        if self.part_size < crate::ops::MIN_PART_SIZE || self.part_size > crate::ops::MAX_PART_SIZE {
            return Err(crate::Error::invalid_input(format!(
                "a copy's part size must be 100 KiB to 5 GiB; {} is out of range",
                self.part_size
            )));
        }
        if self.copy_threshold > DEFAULT_COPY_THRESHOLD {
            return Err(crate::Error::invalid_input("CopyObject copies at most 1 GiB; lower the copy threshold"));
        }
        Ok(())
    }
}

/// One object a job could not handle, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ItemFailure {
    /// `oss://bucket/key` of the source object.
    pub source: String,
    pub kind: crate::error::ErrorKind,
    pub message: String,
}

impl ItemFailure {
    pub(crate) fn new(bucket: &str, key: &str, err: &crate::Error) -> Self {
        Self { source: format!("oss://{bucket}/{key}"), kind: err.kind(), message: err.message().to_owned() }
    }
}
