//! Blocking reads of local files that uploads and downloads share.

use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

use md5::{Digest, Md5};

use super::crc64::Crc64;
use crate::error::{Error, ErrorKind, Result};

/// Bytes read from disk at a time.
pub(crate) const CHUNK: usize = 256 * 1024;

/// The CRC-64 of `len` bytes of a file from `offset`, read with blocking I/O.
pub(crate) fn crc_of_range(path: &Path, offset: u64, len: u64) -> Result<u64> {
    let mut crc = Crc64::new();
    read_range(path, offset, len, |bytes| crc.update(bytes))?;
    Ok(crc.value())
}

/// The MD5 of `len` bytes of a file from `offset` (a part's `Content-MD5`), read with blocking I/O.
pub(crate) fn md5_of_range(path: &Path, offset: u64, len: u64) -> Result<[u8; 16]> {
    let mut md5 = Md5::new();
    read_range(path, offset, len, |bytes| md5.update(bytes))?;
    Ok(md5.finalize().into())
}

/// Feeds exactly `len` bytes from `offset` to `each`; a file that ends sooner is an error.
fn read_range(path: &Path, offset: u64, len: u64, mut each: impl FnMut(&[u8])) -> Result<()> {
    let fail = |err: std::io::Error| Error::new(ErrorKind::Io, format!("cannot read '{}': {err}", path.display()));
    let mut file = std::fs::File::open(path).map_err(fail)?;
    file.seek(SeekFrom::Start(offset)).map_err(fail)?;
    let mut reader = file.take(len);
    let mut buffer = vec![0u8; CHUNK];
    let mut read_total = 0u64;
    loop {
        let read = reader.read(&mut buffer).map_err(fail)?;
        if read == 0 {
            break;
        }
        each(&buffer[..read]);
        read_total += read as u64;
    }
    if read_total != len {
        return Err(fail(std::io::ErrorKind::UnexpectedEof.into()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_range_hashes_its_bytes_and_a_short_file_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        std::fs::write(&path, b"0123456789").unwrap();
        assert_eq!(crc_of_range(&path, 2, 5).unwrap(), super::super::crc64::checksum(b"23456"));
        assert_eq!(crc_of_range(&path, 8, 5).unwrap_err().kind(), ErrorKind::Io);
        let md5: [u8; 16] = Md5::digest(b"23456").into();
        assert_eq!(md5_of_range(&path, 2, 5).unwrap(), md5);
        assert_eq!(md5_of_range(&path, 8, 5).unwrap_err().kind(), ErrorKind::Io);
    }
}
