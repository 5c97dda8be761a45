//! Buckets, objects and multipart uploads on disk under the sandbox root, with an in-memory
//! catalogue rebuilt from disk at start.
//!
//! ```text
//! root/tmp/                                  staging files; emptied at start
//! root/buckets/NAME/bucket.json              BucketMeta
//! root/buckets/NAME/objects/ID.json          ObjectMeta; ID = hex SHA-256 of the key
//! root/buckets/NAME/objects/ID-NONCE.data    the object's bytes (a new file per write; a
//!                                            completed multipart upload keeps one per part)
//! root/buckets/NAME/uploads/UPLOADID/upload.json, part-N.json, part-N-NONCE.data
//! ```
//!
//! Keys never become paths: a key only ever appears hashed in a file name, and bucket names and
//! upload IDs are validated before they do. Every write goes to a staging file first and is
//! renamed into place (metadata last), so a reader sees the old object or the new one, never a
//! half-written one. No fsync: durability against power loss is not a goal.

mod meta;
mod objects;
mod restore;
mod segments;
mod staging;
mod uploads;
mod versions;

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use hyper::StatusCode;
use serde::de::DeserializeOwned;
use serde::Serialize;
use sha2::{Digest, Sha256};

pub use meta::{
    BucketMeta, ObjectAttributes, ObjectMeta, ObjectType, PartMeta, RestoreState, Segment, UploadMeta, Versioning,
    NULL_VERSION,
};
pub use objects::{file_already_exists, ObjectFiles, ObjectWrite};
pub use restore::{RestoreOutcome, RestoreRequest};
pub use segments::{copy_hashed, SegmentReader};
pub use staging::{receive, StagedFile, StagedObject};
pub use uploads::{PartSelection, MAX_PART_NUMBER};

use crate::error::{OssError, OssResult, SandboxError};
use crate::names::{is_valid_bucket_name, Acl, StorageClass};
use crate::time::now_secs;

pub struct Store {
    root: PathBuf,
    catalog: Mutex<Catalog>,
}

#[derive(Default)]
struct Catalog {
    buckets: BTreeMap<String, Bucket>,
    /// The highest [`ObjectMeta::sequence`] given out.
    last_sequence: u64,
}

struct Bucket {
    meta: BucketMeta,
    /// Each key's latest version, unless that is a delete marker.
    objects: BTreeMap<String, ObjectMeta>,
    /// Each key's other versions and delete markers, newest first.
    versions: BTreeMap<String, Vec<ObjectMeta>>,
    uploads: BTreeMap<String, Upload>,
}

struct Upload {
    meta: UploadMeta,
    parts: BTreeMap<u32, PartMeta>,
}

impl Store {
    /// Opens (or creates) the store at `root`, loading every bucket, object and upload.
    pub fn open(root: &Path) -> Result<Self, SandboxError> {
        let storage_error = |path: &Path, source: io::Error| SandboxError::Storage { path: path.to_owned(), source };
        let tmp = root.join("tmp");
        if tmp.exists() {
            fs::remove_dir_all(&tmp).map_err(|err| storage_error(&tmp, err))?;
        }
        fs::create_dir_all(&tmp).map_err(|err| storage_error(&tmp, err))?;
        let buckets_dir = root.join("buckets");
        fs::create_dir_all(&buckets_dir).map_err(|err| storage_error(&buckets_dir, err))?;

        let mut catalog = Catalog::default();
        for entry in fs::read_dir(&buckets_dir).map_err(|err| storage_error(&buckets_dir, err))? {
            let entry = entry.map_err(|err| storage_error(&buckets_dir, err))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if !is_valid_bucket_name(&name) {
                continue;
            }
            let dir = entry.path();
            let Some(meta) = read_json::<BucketMeta>(&dir.join("bucket.json")) else { continue };
            let (objects, versions) = objects::load(&dir.join("objects")).map_err(|err| storage_error(&dir, err))?;
            let uploads = uploads::load(&dir.join("uploads")).map_err(|err| storage_error(&dir, err))?;
            let highest = objects.values().chain(versions.values().flatten()).map(|meta| meta.sequence).max();
            catalog.last_sequence = catalog.last_sequence.max(highest.unwrap_or(0));
            catalog.buckets.insert(name, Bucket { meta, objects, versions, uploads });
        }
        Ok(Self { root: root.to_owned(), catalog: Mutex::new(catalog) })
    }

    fn lock(&self) -> MutexGuard<'_, Catalog> {
        // Every mutation writes disk first and the catalogue last, so after a panic the
        // catalogue still describes what is on disk.
        self.catalog.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn bucket_dir(&self, bucket: &str) -> PathBuf {
        self.root.join("buckets").join(bucket)
    }

    /// A fresh staging path under `root/tmp`.
    pub fn staging_path(&self) -> PathBuf {
        self.root.join("tmp").join(format!("{}.staging", random_hex(16)))
    }

    pub fn create_bucket(&self, name: &str, acl: Acl, storage_class: StorageClass) -> OssResult<BucketMeta> {
        let mut catalog = self.lock();
        if catalog.buckets.contains_key(name) {
            return Err(OssError::new(
                StatusCode::CONFLICT,
                "BucketAlreadyExists",
                "The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.",
            )
            .with_detail("BucketName", name));
        }
        let dir = self.bucket_dir(name);
        fs::create_dir_all(dir.join("objects"))?;
        fs::create_dir_all(dir.join("uploads"))?;
        let meta = BucketMeta {
            name: name.to_owned(),
            created: now_secs(),
            acl,
            storage_class,
            data_redundancy: "LRS".to_owned(),
            versioning: Versioning::Off,
        };
        self.write_json(&dir.join("bucket.json"), &meta)?;
        catalog.buckets.insert(
            name.to_owned(),
            Bucket {
                meta: meta.clone(),
                objects: BTreeMap::new(),
                versions: BTreeMap::new(),
                uploads: BTreeMap::new(),
            },
        );
        Ok(meta)
    }

    /// Creates the bucket unless it exists.
    pub fn ensure_bucket(&self, name: &str) -> OssResult<()> {
        if self.lock().buckets.contains_key(name) {
            return Ok(());
        }
        match self.create_bucket(name, Acl::Private, StorageClass::Standard) {
            Err(err) if err.code == "BucketAlreadyExists" => Ok(()),
            other => other.map(|_| ()),
        }
    }

    pub fn bucket(&self, name: &str) -> OssResult<BucketMeta> {
        self.lock().buckets.get(name).map(|b| b.meta.clone()).ok_or_else(|| OssError::no_such_bucket(name))
    }

    pub fn list_buckets(&self) -> Vec<BucketMeta> {
        self.lock().buckets.values().map(|b| b.meta.clone()).collect()
    }

    pub fn set_bucket_acl(&self, name: &str, acl: Acl) -> OssResult<()> {
        self.update_bucket(name, |meta| meta.acl = acl)
    }

    /// Changes the bucket's metadata with `change` and writes it, under the lock.
    fn update_bucket(&self, name: &str, change: impl FnOnce(&mut BucketMeta)) -> OssResult<()> {
        let mut catalog = self.lock();
        let bucket = catalog.buckets.get_mut(name).ok_or_else(|| OssError::no_such_bucket(name))?;
        let mut meta = bucket.meta.clone();
        change(&mut meta);
        self.write_json(&self.bucket_dir(name).join("bucket.json"), &meta)?;
        bucket.meta = meta;
        Ok(())
    }

    pub fn delete_bucket(&self, name: &str) -> OssResult<()> {
        let mut catalog = self.lock();
        let bucket = catalog.buckets.get(name).ok_or_else(|| OssError::no_such_bucket(name))?;
        if !bucket.objects.is_empty() || !bucket.versions.is_empty() || !bucket.uploads.is_empty() {
            return Err(OssError::new(
                StatusCode::CONFLICT,
                "BucketNotEmpty",
                "The bucket you tried to delete is not empty.",
            )
            .with_detail("BucketName", name));
        }
        let dir = self.bucket_dir(name);
        let trash = self.staging_path();
        fs::rename(&dir, &trash)?;
        catalog.buckets.remove(name);
        drop(catalog);
        let _ = fs::remove_dir_all(trash);
        Ok(())
    }

    /// Writes `value` as JSON to a staging file and renames it over `path`.
    fn write_json(&self, path: &Path, value: &impl Serialize) -> io::Result<()> {
        let staging = self.staging_path();
        let bytes = serde_json::to_vec_pretty(value).map_err(io::Error::other)?;
        fs::write(&staging, bytes)?;
        fs::rename(&staging, path).inspect_err(|_| {
            let _ = fs::remove_file(&staging);
        })
    }
}

fn read_json<T: DeserializeOwned>(path: &Path) -> Option<T> {
    let bytes = fs::read(path).ok()?;
    serde_json::from_slice(&bytes).ok()
}

/// `bytes` random bytes as lower-case hex.
pub fn random_hex(bytes: usize) -> String {
    let mut buffer = vec![0u8; bytes];
    rand::fill(buffer.as_mut_slice());
    hex::encode(buffer)
}

/// The file-name stem of a key: hex SHA-256, so no key can name a path.
fn object_id(key: &str) -> String {
    hex::encode(Sha256::digest(key.as_bytes()))
}
