//! URL lists: a presigned URL for every object of a selection or folder, as CSV
//! (`key,url,method,expires_at,size,last_modified,etag`, RFC 4180) or as plain lines.
//! A CSV file appears under its name only when complete; a failed or cancelled export leaves nothing.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use chrono::{DateTime, SecondsFormat, Utc};
use futures_util::{stream, Stream, StreamExt};

use super::filter::KeyFilter;
use super::{share_request, ShareOptions};
use crate::client::{Client, ListEntry};
use crate::endpoint::Endpoint;
use crate::error::{Error, ErrorKind, Result};
use crate::request::Method;
use crate::sign::check_expires;
use crate::xml::ObjectSummary;

pub const CSV_HEADER: [&str; 7] = ["key", "url", "method", "expires_at", "size", "last_modified", "etag"];

/// How the URLs of a batch are made.
#[derive(Debug, Clone)]
pub struct BatchOptions {
    pub method: Method,
    pub expires_secs: u64,
    /// Signing time; every row shares it, so every row expires at the same moment.
    pub at: DateTime<Utc>,
    /// The host the URLs name (the profile's endpoint, or another scheme or domain for it).
    pub endpoint: Endpoint,
    pub share: ShareOptions,
}

/// One object's row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlRow {
    pub key: String,
    pub url: String,
    pub method: Method,
    pub expires_at: DateTime<Utc>,
    pub size: u64,
    pub last_modified: Option<DateTime<Utc>>,
    pub etag: String,
}

impl UrlRow {
    fn csv_record(&self) -> [String; 7] {
        [
            self.key.clone(),
            self.url.clone(),
            self.method.as_str().to_owned(),
            iso8601(self.expires_at),
            self.size.to_string(),
            self.last_modified.map(iso8601).unwrap_or_default(),
            self.etag.clone(),
        ]
    }
}

fn iso8601(time: DateTime<Utc>) -> String {
    time.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// The objects under `prefix` (all levels when `recursive`, else only its direct children).
pub fn objects_under(
    client: &Client,
    bucket: &str,
    prefix: &str,
    recursive: bool,
) -> impl Stream<Item = Result<ObjectSummary>> + Send + 'static {
    let prefix = (!prefix.is_empty()).then_some(prefix);
    client.list_all(bucket, prefix, (!recursive).then_some("/")).filter_map(|entry| async move {
        match entry {
            Ok(ListEntry::Object(object)) => Some(Ok(object)),
            Ok(ListEntry::Prefix { .. }) => None,
            Err(err) => Some(Err(err)),
        }
    })
}

/// A selection made in the object list: files by key and folders with everything under them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    pub bucket: String,
    pub keys: Vec<String>,
    /// Prefixes, normally ending in '/'.
    pub folders: Vec<String>,
}

/// How many files of a selection are looked up at once.
const SELECTION_LOOKUPS: usize = 16;

impl Selection {
    /// The selection's objects with their size, date and ETag: its files first, in the order
    /// given and looked up with HeadObject [`SELECTION_LOOKUPS`] at a time, then every object
    /// under each folder. A file that no longer exists is an error.
    pub fn objects(&self, client: &Client) -> impl Stream<Item = Result<ObjectSummary>> + Send + 'static {
        let lookups = self.keys.clone().into_iter().map({
            let (client, bucket) = (client.clone(), self.bucket.clone());
            move |key| {
                let (client, bucket) = (client.clone(), bucket.clone());
                async move {
                    let meta = client.head_object(&bucket, &key).await?;
                    Ok(ObjectSummary {
                        size: meta.content_length.unwrap_or(0),
                        last_modified: meta.last_modified,
                        etag: meta.etag.unwrap_or_default(),
                        storage_class: meta.storage_class,
                        object_type: meta.object_type,
                        restore_info: None,
                        owner: None,
                        key,
                    })
                }
            }
        });
        let (client, bucket) = (client.clone(), self.bucket.clone());
        let folders =
            stream::iter(self.folders.clone()).flat_map(move |folder| objects_under(&client, &bucket, &folder, true));
        stream::iter(lookups).buffered(SELECTION_LOOKUPS).chain(folders)
    }
}

/// Presigns every object of `objects` that `filter` takes and hands each row to `sink`, stopping
/// early when `cancel` is set. Returns how many rows were made.
pub async fn presign_each(
    client: &Client,
    bucket: &str,
    objects: impl Stream<Item = Result<ObjectSummary>>,
    filter: &KeyFilter,
    options: &BatchOptions,
    cancel: &AtomicBool,
    mut sink: impl FnMut(UrlRow) -> Result<()>,
) -> Result<u64> {
    check_expires(options.expires_secs)?;
    let mut objects = std::pin::pin!(objects);
    let mut rows = 0u64;
    while let Some(object) = objects.next().await {
        if cancel.load(Ordering::Relaxed) {
            return Err(cancelled());
        }
        let object = object?;
        if !filter.matches(&object.key) {
            continue;
        }
        let request = share_request(options.method, bucket, &object.key, &options.share)?;
        let presigned = client.presign_on(&options.endpoint, &request, options.at, options.expires_secs)?;
        sink(UrlRow {
            url: presigned.url,
            method: presigned.method,
            expires_at: presigned.expires_at,
            size: object.size,
            last_modified: object.last_modified,
            etag: object.etag.trim_matches('"').to_owned(),
            key: object.key,
        })?;
        rows += 1;
    }
    Ok(rows)
}

pub fn cancelled() -> Error {
    Error::new(ErrorKind::Cancelled, "the export was cancelled; no file was written")
}

/// A CSV file being written: rows go to `NAME.osslite-part` beside the target, which becomes the
/// target only on [`CsvFile::finish`]; dropped unfinished, the partial file is removed.
/// Fields a spreadsheet would run as a formula are neutralised unless [`CsvFile::with_raw_values`].
pub struct CsvFile {
    target: PathBuf,
    partial: PathBuf,
    writer: Option<csv::Writer<BufWriter<File>>>,
    raw_values: bool,
}

/// A field Excel, LibreOffice or Google Sheets would read as a formula (or a formula after a
/// control character) gets a leading `'`, as OWASP's CSV-injection advice says: an object key
/// such as `=HYPERLINK(...)` is anyone's to choose.
fn neutralise_formula(field: String) -> String {
    if field.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{field}")
    } else {
        field
    }
}

impl CsvFile {
    /// `excel_bom` starts the file with a UTF-8 byte order mark, so Excel reads non-ASCII keys right.
    pub fn create(target: &Path, excel_bom: bool) -> Result<Self> {
        let file_name = target
            .file_name()
            .ok_or_else(|| Error::invalid_input(format!("'{}' is not a file path", target.display())))?;
        let mut partial_name = file_name.to_owned();
        partial_name.push(".osslite-part");
        let partial = target.with_file_name(partial_name);
        let mut file = BufWriter::new(File::create(&partial).map_err(|err| io_error("create", &partial, err))?);
        if excel_bom {
            file.write_all("\u{feff}".as_bytes()).map_err(|err| io_error("write", &partial, err))?;
        }
        let mut writer = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(file);
        writer.write_record(CSV_HEADER).map_err(|err| csv_error(&partial, err))?;
        Ok(Self { target: target.to_owned(), partial, writer: Some(writer), raw_values: false })
    }

    /// With `true`, fields are written as they are, formulas included (for scripts, not spreadsheets).
    pub fn with_raw_values(mut self, raw_values: bool) -> Self {
        self.raw_values = raw_values;
        self
    }

    pub fn write(&mut self, row: &UrlRow) -> Result<()> {
        let writer = self.writer.as_mut().ok_or_else(|| Error::invalid_input("the CSV file is already finished"))?;
        let mut record = row.csv_record();
        if !self.raw_values {
            record = record.map(neutralise_formula);
        }
        writer.write_record(record).map_err(|err| csv_error(&self.partial, err))
    }

    /// Flushes, syncs and renames the file to its final name.
    pub fn finish(mut self) -> Result<PathBuf> {
        let writer = self.writer.take().ok_or_else(|| Error::invalid_input("the CSV file is already finished"))?;
        let file = writer
            .into_inner()
            .map_err(|err| io_error("write", &self.partial, err.into_error()))?
            .into_inner()
            .map_err(|err| io_error("write", &self.partial, err.into_error()))?;
        file.sync_all().map_err(|err| io_error("write", &self.partial, err))?;
        std::fs::rename(&self.partial, &self.target).map_err(|err| io_error("create", &self.target, err))?;
        Ok(self.target.clone())
    }
}

impl Drop for CsvFile {
    fn drop(&mut self) {
        if self.writer.take().is_some() {
            // Unfinished: the partial file must not survive. Nothing else can be done if removal fails.
            let _ = std::fs::remove_file(&self.partial);
        }
    }
}

fn io_error(action: &str, path: &Path, err: std::io::Error) -> Error {
    Error::new(ErrorKind::Io, format!("could not {action} {}: {err}", path.display())).with_source(err)
}

fn csv_error(path: &Path, err: csv::Error) -> Error {
    Error::new(ErrorKind::Io, format!("could not write {}: {err}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn row(key: &str) -> UrlRow {
        UrlRow {
            key: key.into(),
            url: format!("https://b.example.com/{key}?x=1&y=2"),
            method: Method::Get,
            expires_at: Utc.with_ymd_and_hms(2026, 1, 1, 1, 0, 0).unwrap(),
            size: 42,
            last_modified: Some(Utc.with_ymd_and_hms(2025, 12, 31, 23, 59, 59).unwrap()),
            etag: "ABC".into(),
        }
    }

    #[test]
    fn rows_are_quoted_per_rfc_4180_and_the_file_appears_only_when_finished() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("urls.csv");
        let mut csv = CsvFile::create(&target, true).unwrap();
        csv.write(&row("plain.txt")).unwrap();
        csv.write(&row("with, comma and \"quotes\"\nand newline.txt")).unwrap();
        assert!(!target.exists(), "the file is visible before it is complete");
        csv.finish().unwrap();
        let bytes = std::fs::read(&target).unwrap();
        assert!(bytes.starts_with("\u{feff}".as_bytes()));
        let mut reader = csv::Reader::from_reader(&bytes[3..]);
        assert_eq!(reader.headers().unwrap(), CSV_HEADER.as_slice());
        let records: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
        assert_eq!(records.len(), 2);
        assert_eq!(&records[1][0], "with, comma and \"quotes\"\nand newline.txt");
        assert_eq!(&records[1][3], "2026-01-01T01:00:00Z");
        assert_eq!(&records[1][5], "2025-12-31T23:59:59Z");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "a partial file was left behind");
    }

    fn written_keys(raw_values: bool, keys: &[&str]) -> Vec<String> {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("urls.csv");
        let mut csv = CsvFile::create(&target, false).unwrap().with_raw_values(raw_values);
        for key in keys {
            csv.write(&row(key)).unwrap();
        }
        csv.finish().unwrap();
        let mut reader = csv::Reader::from_path(&target).unwrap();
        reader.records().map(|r| r.unwrap()[0].to_owned()).collect()
    }

    #[test]
    fn fields_a_spreadsheet_would_run_are_prefixed_unless_raw_values_are_asked_for() {
        let formulas = ["=HYPERLINK(\"http://x\")", "+1+1", "-2", "@SUM(A1)", "\tx", "\rx"];
        let harmless = ["a=b", "plain", " =spaced", "'quoted"];
        let keys: Vec<&str> = formulas.iter().chain(&harmless).copied().collect();
        let expected: Vec<String> =
            formulas.iter().map(|key| format!("'{key}")).chain(harmless.iter().map(|key| key.to_string())).collect();
        assert_eq!(written_keys(false, &keys), expected);
        assert_eq!(written_keys(true, &keys), keys);
    }

    #[test]
    fn an_unfinished_export_leaves_no_file() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("urls.csv");
        let mut csv = CsvFile::create(&target, false).unwrap();
        csv.write(&row("a")).unwrap();
        drop(csv);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
