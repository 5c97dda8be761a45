//! Multipart uploads: initiate, store parts, list, abort, and complete into one object.
//! Limits from <https://www.alibabacloud.com/help/en/oss/developer-reference/completemultipartupload>:
//! part numbers 1..=10000, every part but the last at least 100 KiB.

use std::collections::{BTreeMap, HashSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use hyper::StatusCode;
use md5::{Digest, Md5};

use super::{
    random_hex, read_json, ObjectAttributes, ObjectMeta, ObjectType, ObjectWrite, PartMeta, StagedFile, StagedObject,
    Store, Upload, UploadMeta,
};
use crate::checksum::{crc64_combine, hex_upper};
use crate::error::{OssError, OssResult};
use crate::time::now_secs;

pub const MIN_PART_SIZE: u64 = 100 * 1024;
pub const MAX_PART_NUMBER: u32 = 10_000;
const UPLOAD_ID_LEN: usize = 32;

/// Upload IDs are 32 upper-case hex characters; anything else names no upload (and no path).
fn is_valid_upload_id(id: &str) -> bool {
    id.len() == UPLOAD_ID_LEN && id.bytes().all(|b| b.is_ascii_digit() || (b'A'..=b'F').contains(&b))
}

/// What the client asked CompleteMultipartUpload to assemble.
pub enum PartSelection {
    /// (part number, ETag) in the order given.
    Listed(Vec<(u32, String)>),
    /// `x-oss-complete-all: yes`: every uploaded part in order.
    All,
}

struct PlannedPart {
    path: PathBuf,
    size: u64,
    md5: Vec<u8>,
    crc64: u64,
}

impl Store {
    fn upload_dir(&self, bucket: &str, upload_id: &str) -> PathBuf {
        self.bucket_dir(bucket).join("uploads").join(upload_id)
    }

    pub fn initiate_upload(&self, bucket: &str, key: &str, attributes: ObjectAttributes) -> OssResult<UploadMeta> {
        let mut catalog = self.lock();
        let entry = catalog.buckets.get_mut(bucket).ok_or_else(|| OssError::no_such_bucket(bucket))?;
        let meta = UploadMeta {
            upload_id: random_hex(UPLOAD_ID_LEN / 2).to_ascii_uppercase(),
            key: key.to_owned(),
            initiated: now_secs(),
            attributes,
        };
        let dir = self.upload_dir(bucket, &meta.upload_id);
        fs::create_dir_all(&dir)?;
        self.write_json(&dir.join("upload.json"), &meta)?;
        entry.uploads.insert(meta.upload_id.clone(), Upload { meta: meta.clone(), parts: BTreeMap::new() });
        Ok(meta)
    }

    /// Moves a staged part into the upload, replacing an earlier part with the same number.
    pub fn commit_part(
        &self,
        bucket: &str,
        key: &str,
        upload_id: &str,
        part_number: u32,
        staged: StagedFile,
    ) -> OssResult<PartMeta> {
        let mut catalog = self.lock();
        let entry = catalog.buckets.get_mut(bucket).ok_or_else(|| OssError::no_such_bucket(bucket))?;
        let upload = find_upload(&mut entry.uploads, key, upload_id)?;
        let dir = self.upload_dir(bucket, upload_id);
        let part = PartMeta {
            part_number,
            data_file: format!("part-{part_number}-{}.data", random_hex(8)),
            size: staged.size,
            etag: hex_upper(&staged.md5),
            crc64: staged.crc64,
            last_modified: now_secs(),
        };
        fs::rename(staged.path(), dir.join(&part.data_file))?;
        staged.committed();
        if let Err(err) = self.write_json(&dir.join(format!("part-{part_number}.json")), &part) {
            let _ = fs::remove_file(dir.join(&part.data_file));
            return Err(err.into());
        }
        if let Some(old) = upload.parts.insert(part_number, part.clone()) {
            let _ = fs::remove_file(dir.join(old.data_file));
        }
        Ok(part)
    }

    /// The upload and its parts in part-number order.
    pub fn upload(&self, bucket: &str, key: &str, upload_id: &str) -> OssResult<(UploadMeta, Vec<PartMeta>)> {
        let mut catalog = self.lock();
        let entry = catalog.buckets.get_mut(bucket).ok_or_else(|| OssError::no_such_bucket(bucket))?;
        let upload = find_upload(&mut entry.uploads, key, upload_id)?;
        Ok((upload.meta.clone(), upload.parts.values().cloned().collect()))
    }

    /// Every upload in progress, by key, then upload ID.
    pub fn list_uploads(&self, bucket: &str) -> OssResult<Vec<UploadMeta>> {
        let catalog = self.lock();
        let entry = catalog.buckets.get(bucket).ok_or_else(|| OssError::no_such_bucket(bucket))?;
        let mut uploads: Vec<UploadMeta> = entry.uploads.values().map(|u| u.meta.clone()).collect();
        uploads.sort_by(|a, b| (&a.key, &a.upload_id).cmp(&(&b.key, &b.upload_id)));
        Ok(uploads)
    }

    pub fn abort_upload(&self, bucket: &str, key: &str, upload_id: &str) -> OssResult<()> {
        let mut catalog = self.lock();
        let entry = catalog.buckets.get_mut(bucket).ok_or_else(|| OssError::no_such_bucket(bucket))?;
        find_upload(&mut entry.uploads, key, upload_id)?;
        let trash = self.staging_path();
        fs::rename(self.upload_dir(bucket, upload_id), &trash)?;
        entry.uploads.remove(upload_id);
        drop(catalog);
        let _ = fs::remove_dir_all(trash);
        Ok(())
    }

    /// Assembles the selected parts into the object `key`: checks order, ETags and sizes,
    /// links the parts' files outside the lock, combines the parts' CRCs, then commits like a PutObject.
    pub fn complete_upload(
        &self,
        bucket: &str,
        key: &str,
        upload_id: &str,
        selection: PartSelection,
        forbid_overwrite: bool,
    ) -> OssResult<ObjectMeta> {
        let (attributes, plan) = {
            let mut catalog = self.lock();
            let entry = catalog.buckets.get_mut(bucket).ok_or_else(|| OssError::no_such_bucket(bucket))?;
            if forbid_overwrite && entry.objects.contains_key(key) {
                return Err(super::objects::file_already_exists());
            }
            let upload = find_upload(&mut entry.uploads, key, upload_id)?;
            let dir = self.upload_dir(bucket, upload_id);
            (upload.meta.attributes.clone(), plan_parts(&upload.parts, selection, &dir)?)
        };

        let staged = self.link_parts(&plan)?;
        let mut etag_md5 = Md5::new();
        for part in &plan {
            etag_md5.update(&part.md5);
        }
        let etag = format!("{}-{}", hex_upper(&etag_md5.finalize()), plan.len());
        let write = ObjectWrite { etag, object_type: ObjectType::Multipart, attributes, forbid_overwrite };
        let meta = self.commit_object(bucket, key, staged, write)?;

        let mut catalog = self.lock();
        if let Some(entry) = catalog.buckets.get_mut(bucket) {
            if entry.uploads.remove(upload_id).is_some() {
                let trash = self.staging_path();
                if fs::rename(self.upload_dir(bucket, upload_id), &trash).is_ok() {
                    drop(catalog);
                    let _ = fs::remove_dir_all(trash);
                }
            }
        }
        Ok(meta)
    }

    /// Stages the parts' files for the object as they are: hard links (a copy only where the
    /// file system has none), so completion takes the same short time for any size.
    fn link_parts(&self, plan: &[PlannedPart]) -> OssResult<StagedObject> {
        let mut staged = StagedObject { files: Vec::with_capacity(plan.len()), size: 0, crc64: 0 };
        for part in plan {
            let path = self.staging_path();
            let linked = fs::hard_link(&part.path, &path).or_else(|_| fs::copy(&part.path, &path).map(|_| ()));
            linked.map_err(|err| match err.kind() {
                io::ErrorKind::NotFound => invalid_part(),
                _ => OssError::internal(err),
            })?;
            let file = StagedFile::from_parts(path, part.size, [0; 16], part.crc64);
            if fs::metadata(file.path())?.len() != part.size {
                return Err(OssError::internal("a part's file does not have the part's size"));
            }
            staged.crc64 = crc64_combine(staged.crc64, part.crc64, part.size);
            staged.size += part.size;
            staged.files.push(file);
        }
        Ok(staged)
    }
}

fn find_upload<'a>(uploads: &'a mut BTreeMap<String, Upload>, key: &str, upload_id: &str) -> OssResult<&'a mut Upload> {
    if !is_valid_upload_id(upload_id) {
        return Err(OssError::no_such_upload(upload_id));
    }
    match uploads.get_mut(upload_id) {
        Some(upload) if upload.meta.key == key => Ok(upload),
        _ => Err(OssError::no_such_upload(upload_id)),
    }
}

fn plan_parts(parts: &BTreeMap<u32, PartMeta>, selection: PartSelection, dir: &Path) -> OssResult<Vec<PlannedPart>> {
    let chosen: Vec<&PartMeta> = match selection {
        PartSelection::All => parts.values().collect(),
        PartSelection::Listed(listed) => {
            let mut chosen = Vec::with_capacity(listed.len());
            let mut previous = 0u32;
            for (number, etag) in listed {
                if number <= previous {
                    return Err(OssError::new(
                        StatusCode::BAD_REQUEST,
                        "InvalidPartOrder",
                        "The list of parts was not in ascending order. Parts list must specified in order by part number.",
                    ));
                }
                previous = number;
                let given = etag.trim().trim_matches('"');
                match parts.get(&number) {
                    Some(part) if part.etag.eq_ignore_ascii_case(given) => chosen.push(part),
                    _ => {
                        return Err(invalid_part()
                            .with_detail("PartNumber", number.to_string())
                            .with_detail("ETag", etag))
                    }
                }
            }
            chosen
        }
    };
    if chosen.is_empty() {
        return Err(OssError::malformed_xml("the part list is empty"));
    }
    let last = chosen.len() - 1;
    for (index, part) in chosen.iter().enumerate() {
        if index < last && part.size < MIN_PART_SIZE {
            return Err(OssError::new(
                StatusCode::BAD_REQUEST,
                "EntityTooSmall",
                "Your proposed upload is smaller than the minimum allowed size.",
            )
            .with_detail("PartNumber", part.part_number.to_string())
            .with_detail("ProposedSize", part.size.to_string())
            .with_detail("MinSizeAllowed", MIN_PART_SIZE.to_string()));
        }
    }
    chosen
        .into_iter()
        .map(|part| {
            let md5 = hex::decode(&part.etag).map_err(|_| OssError::internal("a stored part ETag is not hex"))?;
            Ok(PlannedPart { path: dir.join(&part.data_file), size: part.size, md5, crc64: part.crc64 })
        })
        .collect()
}

fn invalid_part() -> OssError {
    OssError::new(
        StatusCode::BAD_REQUEST,
        "InvalidPart",
        "One or more of the specified parts could not be found or the specified entity tag might not have matched the part's entity tag.",
    )
}

/// Reads every upload under `dir` and removes part files no part metadata refers to.
pub fn load(dir: &Path) -> io::Result<BTreeMap<String, Upload>> {
    fs::create_dir_all(dir)?;
    let mut uploads = BTreeMap::new();
    for entry in fs::read_dir(dir)? {
        let upload_dir = entry?.path();
        let id = upload_dir.file_name().and_then(|n| n.to_str()).unwrap_or("").to_owned();
        if !is_valid_upload_id(&id) {
            continue;
        }
        let Some(meta) = read_json::<UploadMeta>(&upload_dir.join("upload.json")) else { continue };
        if meta.upload_id != id {
            continue;
        }
        let mut parts = BTreeMap::new();
        let mut data_files = Vec::new();
        for file in fs::read_dir(&upload_dir)? {
            let path = file?.path();
            match path.extension().and_then(|e| e.to_str()) {
                Some("json") if path.file_name().and_then(|n| n.to_str()) != Some("upload.json") => {
                    if let Some(part) = read_json::<PartMeta>(&path) {
                        if upload_dir.join(&part.data_file).is_file() {
                            parts.insert(part.part_number, part);
                        }
                    }
                }
                Some("data") => data_files.push(path),
                _ => {}
            }
        }
        let referenced: HashSet<&str> = parts.values().map(|p| p.data_file.as_str()).collect();
        for path in data_files {
            if !referenced.contains(path.file_name().and_then(|n| n.to_str()).unwrap_or("")) {
                let _ = fs::remove_file(&path);
            }
        }
        uploads.insert(id, Upload { meta, parts });
    }
    Ok(uploads)
}
