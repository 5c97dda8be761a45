//! Objects: commit a staged upload, read, copy, delete, change ACL, and list under the lock.

use std::collections::{BTreeMap, HashSet};
use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};

use hyper::StatusCode;

use super::versions::{arrange, meta_file_name, version_for};
use super::{
    object_id, random_hex, read_json, BucketMeta, ObjectAttributes, ObjectMeta, ObjectType, Segment, StagedFile,
    StagedObject, Store,
};
use crate::error::{OssError, OssResult};
use crate::names::Acl;
use crate::time::now_secs;

/// An object's data files, opened, with their sizes, in order.
pub type ObjectFiles = Vec<(File, u64)>;

/// How a staged file becomes an object.
pub struct ObjectWrite {
    pub etag: String,
    pub object_type: ObjectType,
    pub attributes: ObjectAttributes,
    /// `x-oss-forbid-overwrite: true`: fail with 409 FileAlreadyExists if the key exists.
    pub forbid_overwrite: bool,
}

/// An object's bytes staged for a copy, with the metadata they came with.
pub struct CopySource {
    pub meta: ObjectMeta,
    pub staged: StagedObject,
}

pub fn file_already_exists() -> OssError {
    OssError::new(
        StatusCode::CONFLICT,
        "FileAlreadyExists",
        "The object you specified already exists and can not be overwritten.",
    )
}

impl Store {
    pub(super) fn objects_dir(&self, bucket: &str) -> PathBuf {
        self.bucket_dir(bucket).join("objects")
    }

    /// Moves `staged` into place as `key` and returns the new metadata. The data files are
    /// renamed first and the metadata file last, so the object appears whole or not at all.
    pub fn commit_object(
        &self,
        bucket: &str,
        key: &str,
        mut staged: StagedObject,
        write: ObjectWrite,
    ) -> OssResult<ObjectMeta> {
        if staged.files.is_empty() {
            let path = self.staging_path();
            File::create(&path)?;
            staged.files.push(StagedFile::from_parts(path, 0, [0; 16], 0));
        }
        let mut catalog = self.lock();
        let sequence = catalog.next_sequence();
        let entry = catalog.buckets.get_mut(bucket).ok_or_else(|| OssError::no_such_bucket(bucket))?;
        if write.forbid_overwrite && entry.objects.contains_key(key) {
            return Err(file_already_exists());
        }
        let id = object_id(key);
        let dir = self.objects_dir(bucket);
        let mut segments = Vec::with_capacity(staged.files.len());
        for file in &staged.files {
            let name = format!("{id}-{}.data", random_hex(8));
            if let Err(err) = fs::rename(file.path(), dir.join(&name)) {
                remove_files(&dir, &segments);
                return Err(err.into());
            }
            segments.push(Segment { file: name, size: file.size });
        }
        let (data_file, segments) =
            if segments.len() == 1 { (segments.remove(0).file, Vec::new()) } else { (String::new(), segments) };
        let meta = ObjectMeta {
            key: key.to_owned(),
            data_file,
            segments,
            size: staged.size,
            etag: write.etag,
            crc64: staged.crc64,
            last_modified: now_secs(),
            object_type: write.object_type,
            attributes: write.attributes,
            restore: None,
            version_id: version_for(entry.meta.versioning, sequence),
            delete_marker: false,
            sequence,
        };
        for file in std::mem::take(&mut staged.files) {
            file.committed();
        }
        if let Err(err) = self.write_json(&dir.join(meta_file_name(&meta)), &meta) {
            remove_files(&dir, &meta.files());
            return Err(err.into());
        }
        entry.place(&dir, meta.clone());
        Ok(meta)
    }

    /// The latest version of the object, or the version `version_id`.
    pub fn object(&self, bucket: &str, key: &str, version_id: Option<&str>) -> OssResult<(BucketMeta, ObjectMeta)> {
        let catalog = self.lock();
        let entry = catalog.buckets.get(bucket).ok_or_else(|| OssError::no_such_bucket(bucket))?;
        let meta = entry.find(key, version_id)?;
        Ok((entry.meta.clone(), meta.clone()))
    }

    /// The object's metadata and its data files with their sizes, opened under the lock so a
    /// concurrent overwrite cannot remove them in between.
    pub fn open_object(
        &self,
        bucket: &str,
        key: &str,
        version_id: Option<&str>,
    ) -> OssResult<(BucketMeta, ObjectMeta, ObjectFiles)> {
        let catalog = self.lock();
        let entry = catalog.buckets.get(bucket).ok_or_else(|| OssError::no_such_bucket(bucket))?;
        let meta = entry.find(key, version_id)?;
        let dir = self.objects_dir(bucket);
        let files = meta
            .files()
            .iter()
            .map(|segment| Ok((File::open(dir.join(&segment.file))?, segment.size)))
            .collect::<io::Result<Vec<_>>>()?;
        Ok((entry.meta.clone(), meta.clone(), files))
    }

    /// Stages a copy of the object's bytes: hard links when the file system allows (files are
    /// never changed in place, so sharing them is safe), else copies made outside the lock.
    pub fn stage_copy(&self, bucket: &str, key: &str, version_id: Option<&str>) -> OssResult<CopySource> {
        let (meta, files) = {
            let catalog = self.lock();
            let entry = catalog.buckets.get(bucket).ok_or_else(|| OssError::no_such_bucket(bucket))?;
            let meta = entry.find(key, version_id)?.clone();
            let dir = self.objects_dir(bucket);
            let mut linked = Vec::new();
            for segment in meta.files() {
                let staging = self.staging_path();
                if fs::hard_link(dir.join(&segment.file), &staging).is_err() {
                    break;
                }
                linked.push(StagedFile::from_parts(staging, segment.size, [0; 16], 0));
            }
            if linked.len() == meta.files().len() {
                let staged = StagedObject { files: linked, size: meta.size, crc64: meta.crc64 };
                return Ok(CopySource { meta, staged });
            }
            drop(linked);
            let files = meta
                .files()
                .iter()
                .map(|segment| Ok((File::open(dir.join(&segment.file))?, segment.size)))
                .collect::<io::Result<Vec<_>>>()?;
            (meta, files)
        };
        let mut copies = Vec::with_capacity(files.len());
        for (file, size) in files {
            let staged = StagedFile::from_parts(self.staging_path(), size, [0; 16], 0);
            let mut target = File::create(staged.path())?;
            io::copy(&mut &file, &mut target)?;
            copies.push(staged);
        }
        let staged = StagedObject { files: copies, size: meta.size, crc64: meta.crc64 };
        Ok(CopySource { meta, staged })
    }

    pub fn set_object_acl(&self, bucket: &str, key: &str, acl: Acl) -> OssResult<()> {
        self.update_object(bucket, key, |meta| {
            meta.attributes.acl = acl;
            Ok(())
        })
    }

    /// Changes the object's metadata with `change` and writes it, all under the lock; nothing
    /// changes when `change` fails.
    pub fn update_object<T>(
        &self,
        bucket: &str,
        key: &str,
        change: impl FnOnce(&mut ObjectMeta) -> OssResult<T>,
    ) -> OssResult<T> {
        let mut catalog = self.lock();
        let entry = catalog.buckets.get_mut(bucket).ok_or_else(|| OssError::no_such_bucket(bucket))?;
        let meta = entry.objects.get_mut(key).ok_or_else(|| OssError::no_such_key(key))?;
        let mut updated = meta.clone();
        let outcome = change(&mut updated)?;
        self.write_json(&self.objects_dir(bucket).join(meta_file_name(&updated)), &updated)?;
        *meta = updated;
        Ok(outcome)
    }

    /// Runs `read` over the bucket's objects, ordered by key bytes, under the lock.
    pub fn with_objects<T>(&self, bucket: &str, read: impl FnOnce(&BTreeMap<String, ObjectMeta>) -> T) -> OssResult<T> {
        let catalog = self.lock();
        let entry = catalog.buckets.get(bucket).ok_or_else(|| OssError::no_such_bucket(bucket))?;
        Ok(read(&entry.objects))
    }
}

pub(super) fn remove_files(dir: &Path, segments: &[Segment]) {
    for segment in segments {
        let _ = fs::remove_file(dir.join(&segment.file));
    }
}

/// Every key's latest object and other versions.
type Loaded = (BTreeMap<String, ObjectMeta>, BTreeMap<String, Vec<ObjectMeta>>);

/// Reads every version's metadata in `dir` and removes data files no metadata refers to (left by
/// a crash between the two renames of a commit).
pub fn load(dir: &Path) -> io::Result<Loaded> {
    fs::create_dir_all(dir)?;
    let mut all: BTreeMap<String, Vec<ObjectMeta>> = BTreeMap::new();
    let mut data_files = Vec::new();
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        match path.extension().and_then(|e| e.to_str()) {
            Some("json") => {
                let Some(meta) = read_json::<ObjectMeta>(&path) else { continue };
                let name_matches = path.file_name().and_then(|s| s.to_str()) == Some(meta_file_name(&meta).as_str());
                let files_exist = meta.files().iter().all(|segment| dir.join(&segment.file).is_file());
                if name_matches && files_exist {
                    all.entry(meta.key.clone()).or_default().push(meta);
                }
            }
            Some("data") => data_files.push(path),
            _ => {}
        }
    }
    let referenced: HashSet<String> =
        all.values().flatten().flat_map(|meta| meta.files()).map(|segment| segment.file).collect();
    for path in data_files {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if !referenced.contains(name) {
            let _ = fs::remove_file(&path);
        }
    }
    Ok(arrange(all))
}
