//! ListObjects (V1) and ListObjectsV2: keys in UTF-8 byte order, common prefixes rolled up at
//! the delimiter, pages of up to 1000 entries.
//! <https://www.alibabacloud.com/help/en/oss/developer-reference/listobjectsv2>.

use std::collections::BTreeMap;
use std::ops::Bound;

use hyper::StatusCode;

use super::object_headers::restore_status;
use super::{blocking, write_owner, Call};
use crate::checksum::quoted_etag;
use crate::error::{OssError, OssResult};
use crate::http::{self, Reply};
use crate::names::Acl;
use crate::store::ObjectMeta;
use crate::time::iso8601;
use crate::xml::XmlWriter;

const DEFAULT_MAX_KEYS: u64 = 100;
const MAX_KEYS: u64 = 1000;

/// Where a page starts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resume {
    Start,
    /// After this key.
    AfterKey(String),
    /// After every key under this common prefix.
    AfterPrefix(String),
}

#[derive(Debug, Clone)]
pub enum Entry {
    Object(Box<ObjectMeta>),
    CommonPrefix(String),
}

#[derive(Debug, Default)]
pub struct Page {
    pub entries: Vec<Entry>,
    /// Where the next page starts, when this one is truncated.
    pub next: Option<Resume>,
}

/// Up to `max` entries under `prefix` after `resume`, rolling keys up at `delimiter`.
pub fn page(
    objects: &BTreeMap<String, ObjectMeta>,
    prefix: &str,
    delimiter: &str,
    resume: &Resume,
    max: usize,
) -> Page {
    let start = match resume {
        Resume::AfterKey(marker) | Resume::AfterPrefix(marker) if marker.as_str() >= prefix => {
            Bound::Excluded(marker.as_str())
        }
        _ => Bound::Included(prefix),
    };
    let skip_prefix = match resume {
        Resume::AfterPrefix(common) => Some(common.as_str()),
        _ => None,
    };
    let mut page = Page::default();
    let mut last_prefix: Option<&str> = None;
    for (key, meta) in objects.range::<str, _>((start, Bound::Unbounded)) {
        if !key.starts_with(prefix) {
            break;
        }
        if skip_prefix.is_some_and(|common| key.starts_with(common)) {
            continue;
        }
        let rolled_up = (!delimiter.is_empty())
            .then(|| key[prefix.len()..].find(delimiter))
            .flatten()
            .map(|at| &key[..prefix.len() + at + delimiter.len()]);
        if let Some(common) = rolled_up {
            if last_prefix == Some(common) {
                continue;
            }
            if page.entries.len() == max {
                page.next = page.entries.last().map(resume_after);
                break;
            }
            last_prefix = Some(common);
            page.entries.push(Entry::CommonPrefix(common.to_owned()));
        } else {
            if page.entries.len() == max {
                page.next = page.entries.last().map(resume_after);
                break;
            }
            page.entries.push(Entry::Object(Box::new(meta.clone())));
        }
    }
    page
}

fn resume_after(entry: &Entry) -> Resume {
    match entry {
        Entry::Object(meta) => Resume::AfterKey(meta.key.clone()),
        Entry::CommonPrefix(common) => Resume::AfterPrefix(common.clone()),
    }
}

/// Continuation tokens are opaque to clients: `k`/`p` and the key or prefix, hex-encoded.
pub fn encode_token(resume: &Resume) -> String {
    match resume {
        Resume::Start => String::new(),
        Resume::AfterKey(key) => format!("6b{}", hex::encode(key)),
        Resume::AfterPrefix(prefix) => format!("70{}", hex::encode(prefix)),
    }
}

pub fn decode_token(token: &str) -> OssResult<Resume> {
    let invalid = || {
        OssError::invalid_argument("The continuation token provided is incorrect.")
            .with_detail("ArgumentName", "continuation-token")
            .with_detail("ArgumentValue", token)
    };
    let bytes = hex::decode(token).map_err(|_| invalid())?;
    let (kind, rest) = bytes.split_first().ok_or_else(invalid)?;
    let text = String::from_utf8(rest.to_vec()).map_err(|_| invalid())?;
    match kind {
        b'k' => Ok(Resume::AfterKey(text)),
        b'p' => Ok(Resume::AfterPrefix(text)),
        _ => Err(invalid()),
    }
}

/// A V1 marker: after that key, or after the whole common prefix when the marker is one.
fn resume_from_marker(marker: &str, prefix: &str, delimiter: &str) -> Resume {
    if marker.is_empty() {
        return Resume::Start;
    }
    let is_common_prefix = !delimiter.is_empty()
        && marker.len() > prefix.len()
        && marker.starts_with(prefix)
        && marker[prefix.len()..].find(delimiter).is_some_and(|at| prefix.len() + at + delimiter.len() == marker.len());
    if is_common_prefix {
        Resume::AfterPrefix(marker.to_owned())
    } else {
        Resume::AfterKey(marker.to_owned())
    }
}

struct Listing {
    prefix: String,
    delimiter: String,
    max_keys: u64,
    url_encode: bool,
}

impl Listing {
    fn from_call(call: &Call<'_>) -> OssResult<Self> {
        Ok(Self {
            prefix: call.query.get("prefix").unwrap_or("").to_owned(),
            delimiter: call.query.get("delimiter").unwrap_or("").to_owned(),
            max_keys: call.query.number("max-keys", DEFAULT_MAX_KEYS, 1..=MAX_KEYS)?,
            url_encode: call.query.url_encoding()?,
        })
    }

    async fn run(&self, call: &Call<'_>, resume: Resume) -> OssResult<Page> {
        let bucket_meta = call.bucket_meta().await?;
        call.require_read(&bucket_meta, Acl::Default)?;
        let store = call.state.store.clone();
        let bucket = call.bucket().to_owned();
        let (prefix, delimiter, max) = (self.prefix.clone(), self.delimiter.clone(), self.max_keys as usize);
        blocking(move || store.with_objects(&bucket, |objects| page(objects, &prefix, &delimiter, &resume, max))).await
    }
}

fn write_entries(doc: &mut XmlWriter, page: &Page, with_owner: bool) {
    let now = crate::time::now_millis();
    for entry in &page.entries {
        if let Entry::Object(meta) = entry {
            doc.open("Contents");
            doc.encoded("Key", &meta.key);
            doc.element("LastModified", &iso8601(meta.last_modified));
            doc.element("ETag", &quoted_etag(&meta.etag));
            doc.element("Type", meta.object_type.as_str());
            doc.element_display("Size", meta.size);
            doc.element("StorageClass", meta.attributes.storage_class.as_str());
            if let Some(restore) = restore_status(meta, now) {
                doc.element("RestoreInfo", &restore);
            }
            if with_owner {
                write_owner(doc);
            }
            doc.close("Contents");
        }
    }
    for entry in &page.entries {
        if let Entry::CommonPrefix(common) = entry {
            doc.open("CommonPrefixes");
            doc.encoded("Prefix", common);
            doc.close("CommonPrefixes");
        }
    }
}

pub async fn list_objects_v2(call: &mut Call<'_>) -> OssResult<Reply> {
    let listing = Listing::from_call(call)?;
    let token = call.query.non_empty("continuation-token").map(str::to_owned);
    let start_after = call.query.non_empty("start-after").map(str::to_owned);
    let resume = match (&token, &start_after) {
        (Some(token), _) => decode_token(token)?,
        (None, Some(after)) => Resume::AfterKey(after.clone()),
        (None, None) => Resume::Start,
    };
    let fetch_owner = call.query.get("fetch-owner").is_some_and(|v| v.eq_ignore_ascii_case("true"));
    let page = listing.run(call, resume).await?;

    let mut doc = XmlWriter::new("ListBucketResult").with_url_encoding(listing.url_encode);
    doc.element("Name", call.bucket());
    doc.encoded("Prefix", &listing.prefix);
    if let Some(after) = &start_after {
        doc.encoded("StartAfter", after);
    }
    if let Some(token) = &token {
        doc.element("ContinuationToken", token);
    }
    doc.element_display("MaxKeys", listing.max_keys);
    doc.encoded("Delimiter", &listing.delimiter);
    if listing.url_encode {
        doc.element("EncodingType", "url");
    }
    doc.element_display("IsTruncated", page.next.is_some());
    if let Some(next) = &page.next {
        doc.element("NextContinuationToken", &encode_token(next));
    }
    write_entries(&mut doc, &page, fetch_owner);
    doc.element_display("KeyCount", page.entries.len());
    Ok(http::xml(StatusCode::OK, doc.finish("ListBucketResult")))
}

pub async fn list_objects(call: &mut Call<'_>) -> OssResult<Reply> {
    let listing = Listing::from_call(call)?;
    let marker = call.query.get("marker").unwrap_or("").to_owned();
    let resume = resume_from_marker(&marker, &listing.prefix, &listing.delimiter);
    let page = listing.run(call, resume).await?;

    let mut doc = XmlWriter::new("ListBucketResult").with_url_encoding(listing.url_encode);
    doc.element("Name", call.bucket());
    doc.encoded("Prefix", &listing.prefix);
    doc.encoded("Marker", &marker);
    doc.element_display("MaxKeys", listing.max_keys);
    doc.encoded("Delimiter", &listing.delimiter);
    if listing.url_encode {
        doc.element("EncodingType", "url");
    }
    doc.element_display("IsTruncated", page.next.is_some());
    if let Some(Resume::AfterKey(next) | Resume::AfterPrefix(next)) = &page.next {
        doc.encoded("NextMarker", next);
    }
    write_entries(&mut doc, &page, true);
    Ok(http::xml(StatusCode::OK, doc.finish("ListBucketResult")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{ObjectAttributes, ObjectType};

    fn objects(keys: &[&str]) -> BTreeMap<String, ObjectMeta> {
        keys.iter()
            .map(|key| {
                let meta = ObjectMeta {
                    key: (*key).to_owned(),
                    data_file: String::new(),
                    segments: Vec::new(),
                    restore: None,
                    version_id: None,
                    delete_marker: false,
                    sequence: 0,
                    size: 0,
                    etag: String::new(),
                    crc64: 0,
                    last_modified: 0,
                    object_type: ObjectType::Normal,
                    attributes: ObjectAttributes::default(),
                };
                ((*key).to_owned(), meta)
            })
            .collect()
    }

    fn names(page: &Page) -> Vec<String> {
        page.entries
            .iter()
            .map(|entry| match entry {
                Entry::Object(meta) => meta.key.clone(),
                Entry::CommonPrefix(common) => format!("[{common}]"),
            })
            .collect()
    }

    #[test]
    fn rolls_up_at_the_delimiter_and_pages_past_whole_prefixes() {
        let objects = objects(&["a/1", "a/2", "b", "c/x/1", "c/y", "d"]);
        let first = page(&objects, "", "/", &Resume::Start, 2);
        assert_eq!(names(&first), ["[a/]", "b"]);
        let second = page(&objects, "", "/", first.next.as_ref().unwrap(), 2);
        assert_eq!(names(&second), ["[c/]", "d"]);
        assert!(second.next.is_none());
        let under_c = page(&objects, "c/", "/", &Resume::Start, 10);
        assert_eq!(names(&under_c), ["[c/x/]", "c/y"]);
    }

    #[test]
    fn orders_by_utf8_bytes_and_resumes_after_keys() {
        let objects = objects(&["Z", "a", "é", "中", "~"]);
        let all = page(&objects, "", "", &Resume::Start, 10);
        assert_eq!(names(&all), ["Z", "a", "~", "é", "中"]);
        let after = page(&objects, "", "", &Resume::AfterKey("a".into()), 10);
        assert_eq!(names(&after), ["~", "é", "中"]);
        let before_prefix = page(&objects, "é", "", &Resume::AfterKey("A".into()), 10);
        assert_eq!(names(&before_prefix), ["é"]);
    }

    #[test]
    fn tokens_round_trip_and_garbage_is_refused() {
        for resume in [Resume::AfterKey("a b/中".into()), Resume::AfterPrefix("x/".into())] {
            assert_eq!(decode_token(&encode_token(&resume)).unwrap(), resume);
        }
        for bad in ["zz", "", "71", "6bff"] {
            assert!(decode_token(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn v1_markers_that_are_common_prefixes_skip_the_prefix() {
        assert_eq!(resume_from_marker("a/", "", "/"), Resume::AfterPrefix("a/".into()));
        assert_eq!(resume_from_marker("a/b", "", "/"), Resume::AfterKey("a/b".into()));
        assert_eq!(resume_from_marker("a/", "a/", "/"), Resume::AfterKey("a/".into()));
    }
}
