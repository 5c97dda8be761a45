//! Objects: commit a staged upload, read, copy, delete, change ACL, and list under the lock.

use std::collections::{BTreeMap, HashSet};
use std::fs::{self, File};
use std::io;
use std::path::{Path, PathBuf};

use hyper::StatusCode;

use super::{
    object_id, random_hex, read_json, BucketMeta, ObjectAttributes, ObjectMeta, ObjectType, StagedFile, Store,
};
use crate::error::{OssError, OssResult};
use crate::names::Acl;
use crate::time::now_secs;

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
    pub staged: StagedFile,
}

pub fn file_already_exists() -> OssError {
    OssError::new(
        StatusCode::CONFLICT,
        "FileAlreadyExists",
        "The object you specified already exists and can not be overwritten.",
    )
}

impl Store {
    fn objects_dir(&self, bucket: &str) -> PathBuf {
        self.bucket_dir(bucket).join("objects")
    }

    /// Moves `staged` into place as `key` and returns the new metadata. The data file is renamed
    /// first and the metadata file last, so the object appears whole or not at all.
    pub fn commit_object(
        &self,
        bucket: &str,
        key: &str,
        staged: StagedFile,
        write: ObjectWrite,
    ) -> OssResult<ObjectMeta> {
        let mut catalog = self.lock();
        let entry = catalog.buckets.get_mut(bucket).ok_or_else(|| OssError::no_such_bucket(bucket))?;
        if write.forbid_overwrite && entry.objects.contains_key(key) {
            return Err(file_already_exists());
        }
        let id = object_id(key);
        let dir = self.objects_dir(bucket);
        let data_file = format!("{id}-{}.data", random_hex(8));
        fs::rename(staged.path(), dir.join(&data_file))?;
        let meta = ObjectMeta {
            key: key.to_owned(),
            data_file: data_file.clone(),
            size: staged.size,
            etag: write.etag,
            crc64: staged.crc64,
            last_modified: now_secs(),
            object_type: write.object_type,
            attributes: write.attributes,
        };
        staged.committed();
        if let Err(err) = self.write_json(&dir.join(format!("{id}.json")), &meta) {
            let _ = fs::remove_file(dir.join(&data_file));
            return Err(err.into());
        }
        if let Some(old) = entry.objects.insert(key.to_owned(), meta.clone()) {
            let _ = fs::remove_file(dir.join(old.data_file));
        }
        Ok(meta)
    }

    pub fn object(&self, bucket: &str, key: &str) -> OssResult<(BucketMeta, ObjectMeta)> {
        let catalog = self.lock();
        let entry = catalog.buckets.get(bucket).ok_or_else(|| OssError::no_such_bucket(bucket))?;
        let meta = entry.objects.get(key).ok_or_else(|| OssError::no_such_key(key))?;
        Ok((entry.meta.clone(), meta.clone()))
    }

    /// The object's metadata and its data file, opened under the lock so a concurrent overwrite
    /// cannot remove the file in between.
    pub fn open_object(&self, bucket: &str, key: &str) -> OssResult<(BucketMeta, ObjectMeta, File)> {
        let catalog = self.lock();
        let entry = catalog.buckets.get(bucket).ok_or_else(|| OssError::no_such_bucket(bucket))?;
        let meta = entry.objects.get(key).ok_or_else(|| OssError::no_such_key(key))?;
        let file = File::open(self.objects_dir(bucket).join(&meta.data_file))?;
        Ok((entry.meta.clone(), meta.clone(), file))
    }

    /// Stages a copy of the object's bytes: a hard link when the file system allows, else a copy
    /// made outside the lock.
    pub fn stage_copy(&self, bucket: &str, key: &str) -> OssResult<CopySource> {
        let staging = self.staging_path();
        let (meta, file) = {
            let catalog = self.lock();
            let entry = catalog.buckets.get(bucket).ok_or_else(|| OssError::no_such_bucket(bucket))?;
            let meta = entry.objects.get(key).ok_or_else(|| OssError::no_such_key(key))?.clone();
            let source = self.objects_dir(bucket).join(&meta.data_file);
            if fs::hard_link(&source, &staging).is_ok() {
                let staged = StagedFile::from_parts(staging, meta.size, [0; 16], meta.crc64);
                return Ok(CopySource { meta, staged });
            }
            let file = File::open(source)?;
            (meta, file)
        };
        let staged = StagedFile::from_parts(staging, meta.size, [0; 16], meta.crc64);
        let mut target = File::create(staged.path())?;
        io::copy(&mut &file, &mut target)?;
        Ok(CopySource { meta, staged })
    }

    /// Deletes the object; deleting an absent key succeeds, as in OSS.
    pub fn delete_object(&self, bucket: &str, key: &str) -> OssResult<()> {
        let mut catalog = self.lock();
        let entry = catalog.buckets.get_mut(bucket).ok_or_else(|| OssError::no_such_bucket(bucket))?;
        let Some(meta) = entry.objects.get(key) else { return Ok(()) };
        let dir = self.objects_dir(bucket);
        match fs::remove_file(dir.join(format!("{}.json", object_id(key)))) {
            Ok(()) => {}
            Err(err) if err.kind() == io::ErrorKind::NotFound => {}
            Err(err) => return Err(err.into()),
        }
        let _ = fs::remove_file(dir.join(&meta.data_file));
        entry.objects.remove(key);
        Ok(())
    }

    pub fn set_object_acl(&self, bucket: &str, key: &str, acl: Acl) -> OssResult<()> {
        let mut catalog = self.lock();
        let entry = catalog.buckets.get_mut(bucket).ok_or_else(|| OssError::no_such_bucket(bucket))?;
        let meta = entry.objects.get_mut(key).ok_or_else(|| OssError::no_such_key(key))?;
        let mut updated = meta.clone();
        updated.attributes.acl = acl;
        self.write_json(&self.objects_dir(bucket).join(format!("{}.json", object_id(key))), &updated)?;
        *meta = updated;
        Ok(())
    }

    /// Runs `read` over the bucket's objects, ordered by key bytes, under the lock.
    pub fn with_objects<T>(&self, bucket: &str, read: impl FnOnce(&BTreeMap<String, ObjectMeta>) -> T) -> OssResult<T> {
        let catalog = self.lock();
        let entry = catalog.buckets.get(bucket).ok_or_else(|| OssError::no_such_bucket(bucket))?;
        Ok(read(&entry.objects))
    }
}

/// Reads every object's metadata in `dir` and removes data files no metadata refers to (left by
/// a crash between the two renames of a commit).
pub fn load(dir: &Path) -> io::Result<BTreeMap<String, ObjectMeta>> {
    fs::create_dir_all(dir)?;
    let mut objects = BTreeMap::new();
    let mut data_files = Vec::new();
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        match path.extension().and_then(|e| e.to_str()) {
            Some("json") => {
                let Some(meta) = read_json::<ObjectMeta>(&path) else { continue };
                let stem_matches = path.file_stem().and_then(|s| s.to_str()) == Some(object_id(&meta.key).as_str());
                if stem_matches && dir.join(&meta.data_file).is_file() {
                    objects.insert(meta.key.clone(), meta);
                }
            }
            Some("data") => data_files.push(path),
            _ => {}
        }
    }
    let referenced: HashSet<&str> = objects.values().map(|meta| meta.data_file.as_str()).collect();
    for path in data_files {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if !referenced.contains(name) {
            let _ = fs::remove_file(&path);
        }
    }
    Ok(objects)
}
