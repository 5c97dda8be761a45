//! Versioning: Get/PutBucketVersioning and ListObjectVersions (`GET /?versions`): every key's
//! versions and delete markers newest first, keys in UTF-8 byte order, common prefixes rolled up
//! at the delimiter, paged by key-marker and version-id-marker.
//! <https://www.alibabacloud.com/help/en/oss/developer-reference/putbucketversioning>,
//! <https://www.alibabacloud.com/help/en/oss/developer-reference/listobjectversions>.

use std::collections::BTreeMap;
use std::ops::Bound;

use hyper::StatusCode;

use super::{blocking, write_owner, Call};
use crate::checksum::quoted_etag;
use crate::error::{OssError, OssResult};
use crate::http::{self, Reply};
use crate::names::Acl;
use crate::store::{ObjectMeta, Versioning};
use crate::time::iso8601;
use crate::xml::{self, XmlWriter};

const DEFAULT_MAX_KEYS: u64 = 100;
const MAX_KEYS: u64 = 1000;
const MAX_CONFIGURATION_BYTES: usize = 64 * 1024;

pub async fn get_bucket_versioning(call: &mut Call<'_>) -> OssResult<Reply> {
    call.require_signed()?;
    let meta = call.bucket_meta().await?;
    let mut doc = XmlWriter::new("VersioningConfiguration");
    if meta.versioning != Versioning::Off {
        doc.element("Status", meta.versioning.as_str());
    }
    Ok(http::xml(StatusCode::OK, doc.finish("VersioningConfiguration")))
}

pub async fn put_bucket_versioning(call: &mut Call<'_>) -> OssResult<Reply> {
    call.require_signed()?;
    let body = call.body.read_to_vec(MAX_CONFIGURATION_BYTES).await?;
    let versioning = parse_versioning(&body)?;
    let store = call.state.store.clone();
    let bucket = call.bucket().to_owned();
    blocking(move || store.set_bucket_versioning(&bucket, versioning)).await?;
    Ok(http::empty(StatusCode::OK))
}

fn parse_versioning(body: &[u8]) -> OssResult<Versioning> {
    let text = std::str::from_utf8(body).map_err(|_| OssError::malformed_xml("the body is not UTF-8"))?;
    let root = xml::parse(text).map_err(OssError::malformed_xml)?;
    if root.name != "VersioningConfiguration" {
        return Err(OssError::malformed_xml("the root element must be VersioningConfiguration"));
    }
    match root.child_text("Status").map(str::trim) {
        Some("Enabled") => Ok(Versioning::Enabled),
        Some("Suspended") => Ok(Versioning::Suspended),
        Some(other) => Err(OssError::malformed_xml(format!("Status must be Enabled or Suspended, not '{other}'"))),
        None => Err(OssError::malformed_xml("VersioningConfiguration needs a Status (Enabled or Suspended)")),
    }
}

#[derive(Debug, Clone)]
pub enum VersionEntry {
    Version { meta: Box<ObjectMeta>, is_latest: bool },
    CommonPrefix(String),
}

#[derive(Debug, Default)]
pub struct VersionPage {
    pub entries: Vec<VersionEntry>,
    /// NextKeyMarker and NextVersionIdMarker, when truncated.
    pub next: Option<(String, String)>,
}

pub struct VersionQuery<'a> {
    pub prefix: &'a str,
    pub delimiter: &'a str,
    pub key_marker: &'a str,
    pub version_id_marker: &'a str,
    pub max: usize,
}

/// Keys present in either map from `start` on, in order, each once.
fn merged_keys<'a>(
    objects: &'a BTreeMap<String, ObjectMeta>,
    versions: &'a BTreeMap<String, Vec<ObjectMeta>>,
    start: Bound<&'a str>,
) -> impl Iterator<Item = &'a str> + 'a {
    let mut current = objects.range::<str, _>((start, Bound::Unbounded)).map(|(k, _)| k.as_str()).peekable();
    let mut other = versions.range::<str, _>((start, Bound::Unbounded)).map(|(k, _)| k.as_str()).peekable();
    std::iter::from_fn(move || match (current.peek().copied(), other.peek().copied()) {
        (Some(a), Some(b)) if a < b => current.next(),
        (Some(a), Some(b)) if b < a => other.next(),
        (Some(_), Some(_)) => {
            other.next();
            current.next()
        }
        (Some(_), None) => current.next(),
        (None, _) => other.next(),
    })
}

fn entry_marker(entry: &VersionEntry) -> (String, String) {
    match entry {
        VersionEntry::Version { meta, .. } => (meta.key.clone(), meta.version_label().to_owned()),
        VersionEntry::CommonPrefix(common) => (common.clone(), String::new()),
    }
}

/// One page of ListObjectVersions.
pub fn version_page(
    objects: &BTreeMap<String, ObjectMeta>,
    versions: &BTreeMap<String, Vec<ObjectMeta>>,
    query: &VersionQuery<'_>,
) -> VersionPage {
    let VersionQuery { prefix, delimiter, key_marker, version_id_marker, max } = *query;
    let start = if !key_marker.is_empty() && key_marker >= prefix {
        if version_id_marker.is_empty() {
            Bound::Excluded(key_marker)
        } else {
            Bound::Included(key_marker)
        }
    } else {
        Bound::Included(prefix)
    };
    let marker_is_common_prefix = version_id_marker.is_empty()
        && !delimiter.is_empty()
        && key_marker.len() > prefix.len()
        && key_marker.ends_with(delimiter);
    let mut page = VersionPage::default();
    let mut last_prefix: Option<&str> = None;
    for key in merged_keys(objects, versions, start) {
        if !key.starts_with(prefix) {
            break;
        }
        if marker_is_common_prefix && key.starts_with(key_marker) {
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
                page.next = page.entries.last().map(entry_marker);
                return page;
            }
            last_prefix = Some(common);
            page.entries.push(VersionEntry::CommonPrefix(common.to_owned()));
            continue;
        }
        let mut skipping = key == key_marker && !version_id_marker.is_empty();
        let all = objects.get(key).into_iter().chain(versions.get(key).into_iter().flatten());
        for (index, meta) in all.enumerate() {
            if skipping {
                skipping = meta.version_label() != version_id_marker;
                continue;
            }
            if page.entries.len() == max {
                page.next = page.entries.last().map(entry_marker);
                return page;
            }
            page.entries.push(VersionEntry::Version { meta: Box::new(meta.clone()), is_latest: index == 0 });
        }
    }
    page
}

pub async fn list_object_versions(call: &mut Call<'_>) -> OssResult<Reply> {
    let bucket_meta = call.bucket_meta().await?;
    call.require_read(&bucket_meta, Acl::Default)?;
    let prefix = call.query.get("prefix").unwrap_or("").to_owned();
    let delimiter = call.query.get("delimiter").unwrap_or("").to_owned();
    let key_marker = call.query.get("key-marker").unwrap_or("").to_owned();
    let version_id_marker = call.query.get("version-id-marker").unwrap_or("").to_owned();
    let max_keys = call.query.number("max-keys", DEFAULT_MAX_KEYS, 1..=MAX_KEYS)?;
    let url_encode = call.query.url_encoding()?;

    let store = call.state.store.clone();
    let bucket = call.bucket().to_owned();
    let (p, d, k, v) = (prefix.clone(), delimiter.clone(), key_marker.clone(), version_id_marker.clone());
    let page = blocking(move || {
        store.with_versions(&bucket, |objects, versions| {
            let query = VersionQuery {
                prefix: &p,
                delimiter: &d,
                key_marker: &k,
                version_id_marker: &v,
                max: max_keys as usize,
            };
            version_page(objects, versions, &query)
        })
    })
    .await?;

    let mut doc = XmlWriter::new("ListVersionsResult").with_url_encoding(url_encode);
    doc.element("Name", call.bucket());
    doc.encoded("Prefix", &prefix);
    doc.encoded("KeyMarker", &key_marker);
    doc.element("VersionIdMarker", &version_id_marker);
    doc.element_display("MaxKeys", max_keys);
    doc.encoded("Delimiter", &delimiter);
    if url_encode {
        doc.element("EncodingType", "url");
    }
    doc.element_display("IsTruncated", page.next.is_some());
    if let Some((key, version_id)) = &page.next {
        doc.encoded("NextKeyMarker", key);
        doc.element("NextVersionIdMarker", version_id);
    }
    for entry in &page.entries {
        if let VersionEntry::Version { meta, is_latest } = entry {
            let tag = if meta.delete_marker { "DeleteMarker" } else { "Version" };
            doc.open(tag);
            doc.encoded("Key", &meta.key);
            doc.element("VersionId", meta.version_label());
            doc.element_display("IsLatest", is_latest);
            doc.element("LastModified", &iso8601(meta.last_modified));
            if !meta.delete_marker {
                doc.element("ETag", &quoted_etag(&meta.etag));
                doc.element("Type", meta.object_type.as_str());
                doc.element_display("Size", meta.size);
                doc.element("StorageClass", meta.attributes.storage_class.as_str());
            }
            write_owner(&mut doc);
            doc.close(tag);
        }
    }
    for entry in &page.entries {
        if let VersionEntry::CommonPrefix(common) = entry {
            doc.open("CommonPrefixes");
            doc.encoded("Prefix", common);
            doc.close("CommonPrefixes");
        }
    }
    Ok(http::xml(StatusCode::OK, doc.finish("ListVersionsResult")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{ObjectAttributes, ObjectType};

    fn version(key: &str, id: &str, delete_marker: bool) -> ObjectMeta {
        ObjectMeta {
            key: key.to_owned(),
            data_file: String::new(),
            segments: Vec::new(),
            size: 0,
            etag: String::new(),
            crc64: 0,
            last_modified: 0,
            object_type: ObjectType::Normal,
            attributes: ObjectAttributes::default(),
            restore: None,
            version_id: Some(id.to_owned()),
            delete_marker,
            sequence: 0,
        }
    }

    fn labels(page: &VersionPage) -> Vec<String> {
        page.entries
            .iter()
            .map(|entry| match entry {
                VersionEntry::Version { meta, is_latest } => {
                    format!("{}@{}{}", meta.key, meta.version_label(), if *is_latest { "*" } else { "" })
                }
                VersionEntry::CommonPrefix(common) => format!("[{common}]"),
            })
            .collect()
    }

    #[test]
    fn pages_through_versions_and_markers_newest_first() {
        let objects: BTreeMap<_, _> = [("a".to_owned(), version("a", "a3", false))].into();
        let versions: BTreeMap<_, _> = [
            ("a".to_owned(), vec![version("a", "a2", false), version("a", "a1", false)]),
            ("b".to_owned(), vec![version("b", "b2", true), version("b", "b1", false)]),
            ("d/x".to_owned(), vec![version("d/x", "x1", true)]),
        ]
        .into();
        let query = |key_marker, version_id_marker, max| VersionQuery {
            prefix: "",
            delimiter: "/",
            key_marker,
            version_id_marker,
            max,
        };
        let first = version_page(&objects, &versions, &query("", "", 2));
        assert_eq!(labels(&first), ["a@a3*", "a@a2"]);
        let (key, version_id) = first.next.clone().unwrap();
        assert_eq!((key.as_str(), version_id.as_str()), ("a", "a2"));
        let second = version_page(&objects, &versions, &query(&key, &version_id, 2));
        assert_eq!(labels(&second), ["a@a1", "b@b2*"]);
        let (key, version_id) = second.next.clone().unwrap();
        let third = version_page(&objects, &versions, &query(&key, &version_id, 2));
        assert_eq!(labels(&third), ["b@b1", "[d/]"]);
        assert!(third.next.is_none());
        let after_b = version_page(&objects, &versions, &query("b", "", 10));
        assert_eq!(labels(&after_b), ["[d/]"]);
    }

    #[test]
    fn versioning_configuration_needs_a_known_status() {
        let parse = |body: &str| parse_versioning(body.as_bytes());
        assert_eq!(
            parse("<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>").unwrap(),
            Versioning::Enabled
        );
        assert_eq!(
            parse("<VersioningConfiguration><Status>Suspended</Status></VersioningConfiguration>").unwrap(),
            Versioning::Suspended
        );
        for bad in ["<VersioningConfiguration/>", "<Versioning><Status>Enabled</Status></Versioning>", "<x"] {
            assert_eq!(parse(bad).unwrap_err().code, "MalformedXML", "{bad}");
        }
    }
}
