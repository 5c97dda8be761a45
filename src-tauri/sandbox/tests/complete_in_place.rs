//! CompleteMultipartUpload keeps the parts' files as the object's: no byte is copied, so the
//! data directory holds the object once, ranges stream across parts, and the files are removed
//! with the object.

mod common;

use std::collections::HashSet;
use std::os::unix::fs::MetadataExt;
use std::path::Path;

use common::*;
use osslite_core::Method;
use osslite_sandbox::{crc64, Sandbox};

const PART: usize = 1 << 20;
const PARTS: u32 = 8;

/// (inode, size) of every data file under `dir`.
fn data_files(dir: &Path) -> Vec<(u64, u64)> {
    let mut found = Vec::new();
    let Ok(entries) = std::fs::read_dir(dir) else { return found };
    for entry in entries.flatten() {
        let path = entry.path();
        let meta = entry.metadata().unwrap();
        if meta.is_dir() {
            found.extend(data_files(&path));
        } else if path.extension().is_some_and(|e| e == "data") {
            found.push((meta.ino(), meta.len()));
        }
    }
    found
}

/// Bytes on disk under `dir`, each file counted once however many links it has.
fn disk_bytes(dir: &Path) -> u64 {
    let mut seen = HashSet::new();
    data_files(dir).into_iter().filter(|(inode, _)| seen.insert(*inode)).map(|(_, size)| size).sum()
}

#[tokio::test]
async fn completion_keeps_the_parts_files_instead_of_copying_them() {
    let server = start().await;
    let data: Vec<u8> = (0..PART * PARTS as usize).map(|i| (i % 253) as u8).collect();
    let initiate = server.object(Method::Post, "big.bin").with_query("uploads", "");
    let id = server.send(initiate, Vec::new()).await.tag("UploadId").unwrap();
    for number in 1..=PARTS {
        let chunk = data[(number as usize - 1) * PART..number as usize * PART].to_vec();
        let part = server
            .object(Method::Put, "big.bin")
            .with_query("partNumber", number.to_string())
            .with_query("uploadId", &id);
        server.send(part, chunk).await.assert_ok();
    }
    let buckets = server.sandbox.root().join("buckets");
    let part_inodes: HashSet<u64> = data_files(&buckets).into_iter().map(|(inode, _)| inode).collect();
    assert_eq!(part_inodes.len(), PARTS as usize);

    let complete =
        server.object(Method::Post, "big.bin").with_query("uploadId", &id).with_header("x-oss-complete-all", "yes");
    let reply = server.send(complete, Vec::new()).await;
    reply.assert_ok();
    assert_eq!(reply.header("x-oss-hash-crc64ecma"), Some(crc64(&data).to_string().as_str()));
    let object_inodes: HashSet<u64> = data_files(&buckets).into_iter().map(|(inode, _)| inode).collect();
    assert_eq!(object_inodes, part_inodes, "the object's files are the parts' files, not copies");
    assert_eq!(disk_bytes(&buckets), data.len() as u64);

    let read = server.get("big.bin").await;
    assert_eq!(read.body, data);
    let across =
        server.object(Method::Get, "big.bin").with_header("Range", format!("bytes={}-{}", PART - 5, 3 * PART + 4));
    assert_eq!(server.send(across, Vec::new()).await.body, &data[PART - 5..=3 * PART + 4]);

    // A copy shares the files too; it survives the source's deletion.
    let copy = server.object(Method::Put, "copy.bin").with_header("x-oss-copy-source", "/test-bucket/big.bin");
    server.send(copy, Vec::new()).await.assert_ok();
    assert_eq!(disk_bytes(&buckets), data.len() as u64);
    server.send(server.object(Method::Delete, "big.bin"), Vec::new()).await.assert_ok();

    let TestServer { sandbox, dir, signer, http } = server;
    sandbox.shutdown().await;
    let sandbox = Sandbox::start(config(&dir)).await.unwrap();
    let server = TestServer { sandbox, dir, signer, http };
    let read = server.get("copy.bin").await;
    assert_eq!(read.body, data);
    assert_eq!(read.header("x-oss-hash-crc64ecma"), Some(crc64(&data).to_string().as_str()));

    server.send(server.object(Method::Delete, "copy.bin"), Vec::new()).await.assert_ok();
    assert_eq!(data_files(&server.sandbox.root().join("buckets")), Vec::new());
}
