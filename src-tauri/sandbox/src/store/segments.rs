//! An object's bytes across its files: one stream over a range of them, and a hashed copy of
//! such a stream into a new file (UploadPartCopy).

use std::collections::VecDeque;
use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::Path;

use md5::{Digest, Md5};

use crate::checksum::CRC64;

/// Reads `length` bytes from `offset` across the files of an object, in order.
pub struct SegmentReader {
    /// Each file with the bytes of it still to be read.
    files: VecDeque<(File, u64)>,
    skip: u64,
    remaining: u64,
}

impl SegmentReader {
    pub fn new(files: Vec<(File, u64)>, offset: u64, length: u64) -> Self {
        Self { files: files.into(), skip: offset, remaining: length }
    }
}

fn shorter_than_recorded() -> io::Error {
    io::Error::new(io::ErrorKind::UnexpectedEof, "the object's files are shorter than its metadata says")
}

impl Read for SegmentReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            if self.remaining == 0 || buf.is_empty() {
                return Ok(0);
            }
            let Some((file, left)) = self.files.front_mut() else { return Err(shorter_than_recorded()) };
            if self.skip > 0 {
                if self.skip >= *left {
                    self.skip -= *left;
                    self.files.pop_front();
                    continue;
                }
                file.seek(SeekFrom::Start(self.skip))?;
                *left -= self.skip;
                self.skip = 0;
            }
            if *left == 0 {
                self.files.pop_front();
                continue;
            }
            let want = (buf.len() as u64).min(*left).min(self.remaining) as usize;
            let read = file.read(&mut buf[..want])?;
            if read == 0 {
                return Err(shorter_than_recorded());
            }
            *left -= read as u64;
            self.remaining -= read as u64;
            return Ok(read);
        }
    }
}

/// Copies `source` to a new file at `path`; returns its size, MD5 and CRC-64.
pub fn copy_hashed(mut source: impl Read, path: &Path) -> io::Result<(u64, [u8; 16], u64)> {
    let mut target = File::create(path)?;
    let mut md5 = Md5::new();
    let mut crc = CRC64.digest();
    let mut size = 0u64;
    let mut buffer = vec![0u8; 1 << 20];
    loop {
        let read = match source.read(&mut buffer) {
            Ok(0) => break,
            Ok(read) => read,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
            Err(err) => return Err(err),
        };
        let data = &buffer[..read];
        md5.update(data);
        crc.update(data);
        target.write_all(data)?;
        size += read as u64;
    }
    Ok((size, md5.finalize().into(), crc.finalize()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file_with(dir: &Path, name: &str, data: &[u8]) -> (File, u64) {
        let path = dir.join(name);
        std::fs::write(&path, data).unwrap();
        (File::open(path).unwrap(), data.len() as u64)
    }

    fn read_range(dir: &Path, offset: u64, length: u64) -> io::Result<Vec<u8>> {
        let files = vec![file_with(dir, "a", b"abc"), file_with(dir, "b", b""), file_with(dir, "c", b"defgh")];
        let mut out = Vec::new();
        SegmentReader::new(files, offset, length).read_to_end(&mut out)?;
        Ok(out)
    }

    #[test]
    fn ranges_stream_across_files() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(read_range(dir.path(), 0, 8).unwrap(), b"abcdefgh");
        assert_eq!(read_range(dir.path(), 2, 3).unwrap(), b"cde");
        assert_eq!(read_range(dir.path(), 3, 5).unwrap(), b"defgh");
        assert_eq!(read_range(dir.path(), 7, 1).unwrap(), b"h");
        assert_eq!(read_range(dir.path(), 8, 0).unwrap(), b"");
        assert_eq!(read_range(dir.path(), 4, 9).unwrap_err().kind(), io::ErrorKind::UnexpectedEof);
    }
}
