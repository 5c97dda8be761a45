//! Downloading one version of an object to a file: streamed to a temporary file beside the
//! destination, checked against the size and CRC-64 OSS reports, then renamed into place.
//! (The CLI's `cp --version-id`; the app queues `DownloadSource::Version` on the transfer engine.)

use std::path::{Path, PathBuf};

use futures_util::StreamExt;
use tokio::io::AsyncWriteExt;

use crate::client::Client;
use crate::error::{Error, ErrorKind, Result};
use crate::transfer::crc64::Crc64;

/// Where `key` lands for `destination`: inside it when it is a folder, else the path itself.
pub fn version_destination(destination: &Path, key: &str) -> PathBuf {
    if destination.is_dir() {
        destination.join(key.rsplit('/').next().unwrap_or(key))
    } else {
        destination.to_path_buf()
    }
}

/// Downloads `key` at `version_id` to `destination` (a file, or a folder to put it in) and returns
/// the file written and its size. An existing file is replaced only with `overwrite`.
pub async fn download_version(
    client: &Client,
    bucket: &str,
    key: &str,
    version_id: &str,
    destination: &Path,
    overwrite: bool,
) -> Result<(PathBuf, u64)> {
    let path = version_destination(destination, key);
    if !overwrite && path.exists() {
        return Err(Error::new(
            ErrorKind::Conflict,
            format!("{} exists: choose another name or allow overwriting", path.display()),
        ));
    }
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let partial = path.with_file_name(format!(".{name}.osslite-version"));
    let result = write_version(client, bucket, key, version_id, &partial).await;
    match result {
        Ok(size) => {
            tokio::fs::rename(&partial, &path).await.map_err(|err| io_error(&path, err))?;
            Ok((path, size))
        }
        Err(err) => {
            let _ = tokio::fs::remove_file(&partial).await;
            Err(err)
        }
    }
}

async fn write_version(client: &Client, bucket: &str, key: &str, version_id: &str, partial: &Path) -> Result<u64> {
    let body = client.get_object_version(bucket, key, Some(version_id), None).await?;
    let (meta, mut stream) = body.into_parts();
    let mut file = tokio::fs::File::create(partial).await.map_err(|err| io_error(partial, err))?;
    let mut crc = Crc64::new();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk?;
        crc.update(&chunk);
        file.write_all(&chunk).await.map_err(|err| io_error(partial, err))?;
    }
    file.flush().await.map_err(|err| io_error(partial, err))?;
    let size = crc.len();
    if meta.content_length.is_some_and(|expected| expected != size) {
        return Err(Error::new(
            ErrorKind::Network,
            format!("oss://{bucket}/{key} version {version_id}: the download stopped short; try again"),
        ));
    }
    if meta.crc64.is_some_and(|expected| expected != crc.value()) {
        return Err(Error::new(
            ErrorKind::InvalidResponse,
            format!(
                "oss://{bucket}/{key} version {version_id}: the bytes do not match the CRC-64 OSS reports; try again"
            ),
        ));
    }
    Ok(size)
}

fn io_error(path: &Path, err: std::io::Error) -> Error {
    Error::new(ErrorKind::Io, format!("cannot write {}: {err}", path.display()))
}
