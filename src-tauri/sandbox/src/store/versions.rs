//! Versioning on the store: where a new version goes, finding a version, delete markers, and
//! removing one version. Every version keeps its own metadata file: `ID.json` for the null
//! version, `ID.VERSIONID.json` for the others; so a new version never renames an old one.

use std::collections::BTreeMap;
use std::fs;
use std::io;
use std::path::Path;

use hyper::StatusCode;

use super::objects::remove_files;
use super::{object_id, random_hex, Bucket, Catalog, ObjectMeta, Store, Versioning};
use crate::error::{OssError, OssResult};
use crate::time::now_secs;

/// What a DeleteObject did, for `x-oss-version-id` and `x-oss-delete-marker`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeleteOutcome {
    /// The delete marker's version, or the version removed; None when versioning is off.
    pub version_id: Option<String>,
    pub delete_marker: bool,
}

/// The metadata file's name for this version of the key.
pub fn meta_file_name(meta: &ObjectMeta) -> String {
    let id = object_id(&meta.key);
    match &meta.version_id {
        Some(version) if !meta.is_null_version() => format!("{id}.{version}.json"),
        _ => format!("{id}.json"),
    }
}

impl Catalog {
    pub(super) fn next_sequence(&mut self) -> u64 {
        let now_nanos = chrono::Utc::now().timestamp_nanos_opt().unwrap_or(0).max(0) as u64;
        self.last_sequence = (self.last_sequence + 1).max(now_nanos);
        self.last_sequence
    }
}

/// The version ID of a new version: letters and digits only (it names a file), unique, like OSS's.
fn new_version_id(sequence: u64) -> String {
    format!("CAEQ{sequence:016x}{}", random_hex(8))
}

/// The version a write in a bucket with this versioning state gets.
pub(super) fn version_for(versioning: Versioning, sequence: u64) -> Option<String> {
    match versioning {
        Versioning::Off => None,
        Versioning::Enabled => Some(new_version_id(sequence)),
        Versioning::Suspended => Some(super::NULL_VERSION.to_owned()),
    }
}

impl Bucket {
    /// The latest version of `key`, or the version `version_id`; a delete marker cannot be read.
    pub(super) fn find(&self, key: &str, version_id: Option<&str>) -> OssResult<&ObjectMeta> {
        let Some(wanted) = version_id else {
            return self.objects.get(key).ok_or_else(|| self.missing_key(key));
        };
        let found = self
            .all_versions(key)
            .find(|meta| meta.version_label() == wanted)
            .ok_or_else(|| OssError::no_such_version(key, wanted))?;
        if found.delete_marker {
            return Err(OssError::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "MethodNotAllowed",
                "The specified method is not allowed against this resource: the version is a delete marker.",
            )
            .with_header("x-oss-delete-marker", "true")
            .with_header("x-oss-version-id", wanted)
            .with_header("allow", "DELETE"));
        }
        Ok(found)
    }

    /// NoSuchKey, saying so when the key's latest version is a delete marker.
    fn missing_key(&self, key: &str) -> OssError {
        let err = OssError::no_such_key(key);
        match self.versions.get(key).and_then(|list| list.first()) {
            Some(marker) if marker.delete_marker => {
                err.with_header("x-oss-delete-marker", "true").with_header("x-oss-version-id", marker.version_label())
            }
            _ => err,
        }
    }

    fn all_versions<'a>(&'a self, key: &str) -> impl Iterator<Item = &'a ObjectMeta> + 'a {
        self.objects.get(key).into_iter().chain(self.versions.get(key).into_iter().flatten())
    }

    /// Makes `meta` (its metadata file written) the key's latest version. A null version replaces
    /// the key's old null version, whose files go; any other latest version becomes noncurrent.
    pub(super) fn place(&mut self, dir: &Path, meta: ObjectMeta) {
        let key = meta.key.clone();
        if meta.is_null_version() {
            if self.objects.get(&key).is_some_and(ObjectMeta::is_null_version) {
                if let Some(old) = self.objects.remove(&key) {
                    remove_files(dir, &old.files());
                }
            }
            if let Some(list) = self.versions.get_mut(&key) {
                list.retain(|old| {
                    let keep = !old.is_null_version();
                    if !keep {
                        remove_files(dir, &old.files());
                    }
                    keep
                });
            }
        }
        if let Some(old) = self.objects.remove(&key) {
            self.versions.entry(key.clone()).or_default().insert(0, old);
        }
        if meta.delete_marker {
            self.versions.entry(key.clone()).or_default().insert(0, meta);
        } else {
            self.objects.insert(key.clone(), meta);
        }
        self.versions.retain(|_, list| !list.is_empty());
    }

    /// Removes one version (metadata file, then data files); the newest remaining version
    /// becomes the latest. None when there is no such version.
    fn remove_version(&mut self, dir: &Path, key: &str, version_id: &str) -> io::Result<Option<ObjectMeta>> {
        let in_objects = self.objects.get(key).is_some_and(|meta| meta.version_label() == version_id);
        let position =
            self.versions.get(key).and_then(|list| list.iter().position(|m| m.version_label() == version_id));
        let target = match (in_objects, position) {
            (true, _) => self.objects.get(key),
            (false, Some(at)) => self.versions.get(key).and_then(|list| list.get(at)),
            (false, None) => None,
        };
        let Some(target) = target else { return Ok(None) };
        match fs::remove_file(dir.join(meta_file_name(target))) {
            Ok(()) => {}
            Err(err) if err.kind() == io::ErrorKind::NotFound => {}
            Err(err) => return Err(err),
        }
        let removed = if in_objects {
            self.objects.remove(key)
        } else {
            position.and_then(|at| self.versions.get_mut(key).map(|list| list.remove(at)))
        };
        if let Some(removed) = &removed {
            remove_files(dir, &removed.files());
        }
        self.promote_newest(key);
        Ok(removed)
    }

    /// When the key has no current object and its newest version is not a delete marker, that
    /// version becomes the current one.
    fn promote_newest(&mut self, key: &str) {
        if !self.objects.contains_key(key) {
            if let Some(list) = self.versions.get_mut(key) {
                if list.first().is_some_and(|meta| !meta.delete_marker) {
                    let newest = list.remove(0);
                    self.objects.insert(key.to_owned(), newest);
                }
            }
        }
        if self.versions.get(key).is_some_and(Vec::is_empty) {
            self.versions.remove(key);
        }
    }
}

impl Store {
    pub fn set_bucket_versioning(&self, name: &str, versioning: Versioning) -> OssResult<()> {
        self.update_bucket(name, |meta| meta.versioning = versioning)
    }

    /// DeleteObject without a version: removes the object when versioning is off (an absent key
    /// succeeds, as in OSS), else adds a delete marker.
    pub fn delete_object(&self, bucket: &str, key: &str) -> OssResult<DeleteOutcome> {
        let mut catalog = self.lock();
        let sequence = catalog.next_sequence();
        let entry = catalog.buckets.get_mut(bucket).ok_or_else(|| OssError::no_such_bucket(bucket))?;
        let dir = self.objects_dir(bucket);
        let versioning = entry.meta.versioning;
        if versioning == Versioning::Off {
            let Some(current) = entry.objects.get(key) else { return Ok(DeleteOutcome::default()) };
            let label = current.version_label().to_owned();
            entry.remove_version(&dir, key, &label)?;
            return Ok(DeleteOutcome::default());
        }
        let marker = ObjectMeta {
            key: key.to_owned(),
            data_file: String::new(),
            segments: Vec::new(),
            size: 0,
            etag: String::new(),
            crc64: 0,
            last_modified: now_secs(),
            object_type: super::ObjectType::Normal,
            attributes: Default::default(),
            restore: None,
            version_id: version_for(versioning, sequence),
            delete_marker: true,
            sequence,
        };
        self.write_json(&dir.join(meta_file_name(&marker)), &marker)?;
        let outcome = DeleteOutcome { version_id: marker.version_id.clone(), delete_marker: true };
        entry.place(&dir, marker);
        Ok(outcome)
    }

    /// DeleteObject with `versionId`: removes that version for good; an unknown version succeeds.
    pub fn delete_version(&self, bucket: &str, key: &str, version_id: &str) -> OssResult<DeleteOutcome> {
        let mut catalog = self.lock();
        let entry = catalog.buckets.get_mut(bucket).ok_or_else(|| OssError::no_such_bucket(bucket))?;
        let dir = self.objects_dir(bucket);
        let removed = entry.remove_version(&dir, key, version_id)?;
        Ok(DeleteOutcome {
            version_id: Some(version_id.to_owned()),
            delete_marker: removed.is_some_and(|meta| meta.delete_marker),
        })
    }

    /// Runs `read` over the bucket's latest objects and its other versions, under the lock.
    pub fn with_versions<T>(
        &self,
        bucket: &str,
        read: impl FnOnce(&BTreeMap<String, ObjectMeta>, &BTreeMap<String, Vec<ObjectMeta>>) -> T,
    ) -> OssResult<T> {
        let catalog = self.lock();
        let entry = catalog.buckets.get(bucket).ok_or_else(|| OssError::no_such_bucket(bucket))?;
        Ok(read(&entry.objects, &entry.versions))
    }
}

/// Splits every key's versions (any order) into the latest object and the others, newest first.
pub fn arrange(
    all: BTreeMap<String, Vec<ObjectMeta>>,
) -> (BTreeMap<String, ObjectMeta>, BTreeMap<String, Vec<ObjectMeta>>) {
    let mut objects = BTreeMap::new();
    let mut versions = BTreeMap::new();
    for (key, mut list) in all {
        list.sort_by_key(|meta| std::cmp::Reverse(meta.sequence));
        if list.first().is_some_and(|meta| !meta.delete_marker) {
            objects.insert(key.clone(), list.remove(0));
        }
        if !list.is_empty() {
            versions.insert(key, list);
        }
    }
    (objects, versions)
}
