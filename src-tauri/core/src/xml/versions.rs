//! ListObjectVersions (`ListVersionsResult`) and GetBucketVersioning (`VersioningConfiguration`).
//! Versions and delete markers are kept in document order: newest first within a key.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{decode_fields, flag, non_empty, opt_number, opt_time};
use crate::error::Result;
use crate::ops::VersioningStatus;

/// One version of an object, or a delete marker.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ObjectVersion {
    pub key: String,
    pub version_id: String,
    pub is_latest: bool,
    pub is_delete_marker: bool,
    pub last_modified: Option<DateTime<Utc>>,
    /// As OSS sends it, quotes included; empty for a delete marker.
    pub etag: String,
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub size: Option<u64>,
    pub storage_class: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
struct VersionXml {
    key: String,
    version_id: String,
    #[serde(deserialize_with = "flag")]
    is_latest: bool,
    #[serde(deserialize_with = "opt_time")]
    last_modified: Option<DateTime<Utc>>,
    #[serde(rename = "ETag")]
    etag: String,
    #[serde(deserialize_with = "opt_number")]
    size: Option<u64>,
    storage_class: Option<String>,
}

impl VersionXml {
    fn into_version(self, is_delete_marker: bool) -> ObjectVersion {
        ObjectVersion {
            key: self.key,
            version_id: self.version_id,
            is_latest: self.is_latest,
            is_delete_marker,
            last_modified: self.last_modified,
            etag: self.etag,
            size: self.size,
            storage_class: self.storage_class,
        }
    }
}

#[derive(Debug, Deserialize)]
enum VersionsChild {
    Version(VersionXml),
    DeleteMarker(VersionXml),
    CommonPrefixes(PrefixXml),
    IsTruncated(String),
    NextKeyMarker(String),
    NextVersionIdMarker(String),
    EncodingType(String),
    Name(String),
    #[serde(other)]
    Other,
}

#[derive(Debug, Default, Deserialize)]
struct PrefixXml {
    #[serde(rename = "Prefix", default)]
    prefix: String,
}

#[derive(Debug, Deserialize)]
pub(crate) struct ListVersionsResultXml {
    #[serde(rename = "$value", default)]
    children: Vec<VersionsChild>,
}

/// One page of ListObjectVersions.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ListObjectVersionsPage {
    pub bucket: String,
    pub is_truncated: bool,
    pub next_key_marker: Option<String>,
    pub next_version_id_marker: Option<String>,
    pub versions: Vec<ObjectVersion>,
    pub common_prefixes: Vec<String>,
}

impl ListObjectVersionsPage {
    /// The markers of the next page, when there is one.
    pub fn next_markers(&self) -> Option<(String, String)> {
        if !self.is_truncated {
            return None;
        }
        let key = self.next_key_marker.clone()?;
        Some((key, self.next_version_id_marker.clone().unwrap_or_default()))
    }
}

impl ListVersionsResultXml {
    pub(crate) fn into_page(self) -> Result<ListObjectVersionsPage> {
        let mut page = ListObjectVersionsPage::default();
        let mut encoding = String::new();
        let mut truncated = String::new();
        for child in self.children {
            match child {
                VersionsChild::Version(version) => page.versions.push(version.into_version(false)),
                VersionsChild::DeleteMarker(marker) => page.versions.push(marker.into_version(true)),
                VersionsChild::CommonPrefixes(prefix) => page.common_prefixes.push(prefix.prefix),
                VersionsChild::IsTruncated(text) => truncated = text,
                VersionsChild::NextKeyMarker(text) => page.next_key_marker = Some(text),
                VersionsChild::NextVersionIdMarker(text) => page.next_version_id_marker = Some(text),
                VersionsChild::EncodingType(text) => encoding = text,
                VersionsChild::Name(text) => page.bucket = text,
                VersionsChild::Other => {}
            }
        }
        page.is_truncated = truncated.trim().eq_ignore_ascii_case("true");
        page.next_key_marker = non_empty(page.next_key_marker);
        page.next_version_id_marker = non_empty(page.next_version_id_marker);
        decode_fields(
            &encoding,
            page.versions
                .iter_mut()
                .map(|v| &mut v.key)
                .chain(page.common_prefixes.iter_mut())
                .chain(page.next_key_marker.as_mut()),
        )?;
        Ok(page)
    }
}

#[derive(Debug, Default, Deserialize)]
pub(crate) struct VersioningConfigurationXml {
    #[serde(rename = "Status", default)]
    status: Option<String>,
}

impl VersioningConfigurationXml {
    pub(crate) fn status(&self) -> VersioningStatus {
        match self.status.as_deref().map(str::trim) {
            Some("Enabled") => VersioningStatus::Enabled,
            Some("Suspended") => VersioningStatus::Suspended,
            _ => VersioningStatus::Off,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::xml::from_xml;

    const PAGE: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<ListVersionsResult><Name>b</Name><Prefix></Prefix><KeyMarker></KeyMarker><VersionIdMarker></VersionIdMarker>
<MaxKeys>3</MaxKeys><Delimiter></Delimiter><EncodingType>url</EncodingType><IsTruncated>true</IsTruncated>
<NextKeyMarker>a%20b</NextKeyMarker><NextVersionIdMarker>v1</NextVersionIdMarker>
<Version><Key>a%20b</Key><VersionId>v3</VersionId><IsLatest>false</IsLatest><LastModified>2026-01-01T00:00:03.000Z</LastModified><ETag>"E3"</ETag><Size>3</Size><StorageClass>Standard</StorageClass></Version>
<DeleteMarker><Key>a%20b</Key><VersionId>v2</VersionId><IsLatest>true</IsLatest><LastModified>2026-01-01T00:00:02.000Z</LastModified></DeleteMarker>
<Version><Key>a%20b</Key><VersionId>v1</VersionId><IsLatest>false</IsLatest><LastModified>2026-01-01T00:00:01.000Z</LastModified><ETag>"E1"</ETag><Size>1</Size><StorageClass>IA</StorageClass></Version>
<CommonPrefixes><Prefix>d%2F</Prefix></CommonPrefixes>
</ListVersionsResult>"#;

    #[test]
    fn versions_and_markers_keep_document_order_and_keys_are_decoded() {
        let page =
            from_xml::<ListVersionsResultXml>(PAGE.as_bytes(), "ListObjectVersions").unwrap().into_page().unwrap();
        let ids: Vec<(&str, bool)> =
            page.versions.iter().map(|v| (v.version_id.as_str(), v.is_delete_marker)).collect();
        assert_eq!(ids, [("v3", false), ("v2", true), ("v1", false)]);
        assert!(page.versions.iter().all(|v| v.key == "a b"));
        assert!(page.versions[1].is_latest && page.versions[1].size.is_none());
        assert_eq!(page.versions[2].size, Some(1));
        assert_eq!(page.common_prefixes, ["d/"]);
        assert_eq!(page.next_markers(), Some(("a b".to_owned(), "v1".to_owned())));
    }

    #[test]
    fn versioning_status_reads_every_state() {
        let read =
            |xml: &str| from_xml::<VersioningConfigurationXml>(xml.as_bytes(), "GetBucketVersioning").unwrap().status();
        assert_eq!(read("<VersioningConfiguration/>"), VersioningStatus::Off);
        assert_eq!(
            read("<VersioningConfiguration><Status>Enabled</Status></VersioningConfiguration>"),
            VersioningStatus::Enabled
        );
        assert_eq!(
            read("<VersioningConfiguration><Status>Suspended</Status></VersioningConfiguration>"),
            VersioningStatus::Suspended
        );
    }
}
