//! Uploads land in a staging file under `root/tmp` and become visible only when the store
//! renames them into place; a dropped upload leaves nothing but a staging file that is removed.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

use hyper::body::Bytes;
use hyper::StatusCode;
use md5::{Digest, Md5};
use tokio::sync::mpsc;

use crate::body::RequestBody;
use crate::checksum::CRC64;
use crate::error::{OssError, OssResult};

const CHUNKS_IN_FLIGHT: usize = 16;
/// Frames are gathered to about this size before a write.
const WRITE_BATCH: usize = 1 << 20;

/// A complete upload in its staging file, with its digests. Dropped without being committed,
/// it deletes the file.
#[derive(Debug)]
pub struct StagedFile {
    path: PathBuf,
    pub size: u64,
    pub md5: [u8; 16],
    pub crc64: u64,
    committed: bool,
}

impl StagedFile {
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Marks the file as moved into place, so dropping it deletes nothing.
    pub fn committed(mut self) {
        self.committed = true;
    }

    /// A staged file already written elsewhere (a copy or a concatenation).
    pub fn from_parts(path: PathBuf, size: u64, md5: [u8; 16], crc64: u64) -> Self {
        Self { path, size, md5, crc64, committed: false }
    }
}

/// An object's bytes staged as one or more files (several for a completed multipart upload),
/// with the size and CRC-64 of the whole.
#[derive(Debug)]
pub struct StagedObject {
    pub files: Vec<StagedFile>,
    pub size: u64,
    pub crc64: u64,
}

impl StagedObject {
    pub fn single(file: StagedFile) -> Self {
        Self { size: file.size, crc64: file.crc64, files: vec![file] }
    }
}

impl Drop for StagedFile {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// Streams `body` into a new file at `path`, hashing as it goes on a blocking thread. More than
/// `max_size` bytes, or a body shorter than `expected` (Content-Length), fails and removes the file.
pub async fn receive(
    body: &mut RequestBody,
    path: PathBuf,
    expected: Option<u64>,
    max_size: u64,
) -> OssResult<StagedFile> {
    let file = File::create(&path).map_err(OssError::internal)?;
    // From here on the guard removes the file on every early return.
    let mut guard = StagedFile::from_parts(path, 0, [0; 16], 0);
    let (sender, receiver) = mpsc::channel::<Bytes>(CHUNKS_IN_FLIGHT);
    let writer = tokio::task::spawn_blocking(move || write_and_hash(file, receiver));

    let mut received = 0u64;
    let mut failure = None;
    loop {
        match body.chunk().await {
            Ok(Some(data)) => {
                received += data.len() as u64;
                if received > max_size {
                    failure = Some(too_large(max_size));
                    break;
                }
                if sender.send(data).await.is_err() {
                    break; // the writer failed; its error is reported below
                }
            }
            Ok(None) => break,
            Err(err) => {
                failure = Some(err);
                break;
            }
        }
    }
    drop(sender);
    let written = writer.await.map_err(OssError::internal)?;
    if let Some(err) = failure {
        return Err(err);
    }
    let (size, md5, crc64) = written.map_err(OssError::internal)?;
    if let Some(expected) = expected.filter(|expected| *expected != size) {
        return Err(OssError::new(
            StatusCode::BAD_REQUEST,
            "IncompleteBody",
            format!("You did not provide the number of bytes specified by the Content-Length HTTP header ({size} of {expected})."),
        ));
    }
    guard.size = size;
    guard.md5 = md5;
    guard.crc64 = crc64;
    Ok(guard)
}

fn too_large(max_size: u64) -> OssError {
    OssError::new(
        StatusCode::BAD_REQUEST,
        "EntityTooLarge",
        format!("Your proposed upload exceeds the maximum allowed object size of {max_size} bytes."),
    )
}

fn write_and_hash(mut file: File, mut receiver: mpsc::Receiver<Bytes>) -> std::io::Result<(u64, [u8; 16], u64)> {
    let mut md5 = Md5::new();
    let mut crc = CRC64.digest();
    let mut size = 0u64;
    let mut batch: Vec<u8> = Vec::with_capacity(WRITE_BATCH);
    while let Some(data) = receiver.blocking_recv() {
        md5.update(&data);
        crc.update(&data);
        size += data.len() as u64;
        if batch.is_empty() && data.len() >= WRITE_BATCH {
            file.write_all(&data)?;
            continue;
        }
        batch.extend_from_slice(&data);
        if batch.len() >= WRITE_BATCH {
            file.write_all(&batch)?;
            batch.clear();
        }
    }
    file.write_all(&batch)?;
    Ok((size, md5.finalize().into(), crc.finalize()))
}
