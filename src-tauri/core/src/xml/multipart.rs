//! Multipart upload responses (InitiateMultipartUpload, ListParts, CompleteMultipartUpload,
//! ListMultipartUploads) and the CompleteMultipartUpload request body.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::objects::common_prefixes;
use super::{decode_fields, flag, non_empty, opt_number, opt_time};
use crate::error::Result;

/// InitiateMultipartUpload (`POST /key?uploads`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default, rename_all(deserialize = "PascalCase", serialize = "camelCase"))]
pub struct InitiateMultipartUploadResult {
    pub bucket: String,
    pub key: String,
    pub upload_id: String,
    #[serde(skip_serializing)]
    pub encoding_type: String,
}

impl InitiateMultipartUploadResult {
    pub(crate) fn normalize(mut self) -> Result<Self> {
        let encoding = std::mem::take(&mut self.encoding_type);
        decode_fields(&encoding, [&mut self.key])?;
        Ok(self)
    }
}

/// One uploaded part in ListParts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default, rename_all(deserialize = "PascalCase", serialize = "camelCase"))]
pub struct PartSummary {
    pub part_number: u32,
    #[serde(deserialize_with = "opt_time")]
    pub last_modified: Option<DateTime<Utc>>,
    #[serde(rename(deserialize = "ETag"))]
    pub etag: String,
    pub size: u64,
    /// CRC-64/XZ of the part, decimal as OSS sends it.
    #[serde(rename(deserialize = "HashCrc64ecma"), deserialize_with = "opt_number")]
    pub crc64: Option<u64>,
}

/// One page of ListParts (`GET /key?uploadId=…`, root element `ListPartsResult`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default, rename_all(deserialize = "PascalCase", serialize = "camelCase"))]
pub struct ListPartsPage {
    pub bucket: String,
    pub key: String,
    pub upload_id: String,
    #[serde(deserialize_with = "opt_number")]
    pub part_number_marker: Option<u32>,
    #[serde(deserialize_with = "opt_number")]
    pub next_part_number_marker: Option<u32>,
    #[serde(deserialize_with = "opt_number")]
    pub max_parts: Option<u32>,
    #[serde(deserialize_with = "flag")]
    pub is_truncated: bool,
    #[serde(rename(deserialize = "Part"))]
    pub parts: Vec<PartSummary>,
    #[serde(skip_serializing)]
    pub encoding_type: String,
}

impl ListPartsPage {
    /// The part-number marker of the next page, when there is one.
    pub fn next_marker(&self) -> Option<u32> {
        self.next_part_number_marker.filter(|_| self.is_truncated)
    }

    pub(crate) fn normalize(mut self) -> Result<Self> {
        let encoding = std::mem::take(&mut self.encoding_type);
        decode_fields(&encoding, [&mut self.key])?;
        Ok(self)
    }
}

/// A part to name in CompleteMultipartUpload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompletedPart {
    #[serde(rename = "PartNumber")]
    pub part_number: u32,
    /// The ETag UploadPart returned, quotes included.
    #[serde(rename = "ETag")]
    pub etag: String,
}

/// The CompleteMultipartUpload request body.
#[derive(Debug, Serialize)]
#[serde(rename = "CompleteMultipartUpload")]
pub(crate) struct CompleteMultipartUploadXml<'a> {
    #[serde(rename = "Part")]
    pub parts: &'a [CompletedPart],
}

/// CompleteMultipartUpload's answer, with the headers that matter.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default, rename_all(deserialize = "PascalCase", serialize = "camelCase"))]
pub struct CompleteMultipartUploadResult {
    pub location: String,
    pub bucket: String,
    pub key: String,
    #[serde(rename(deserialize = "ETag"))]
    pub etag: String,
    /// From `x-oss-hash-crc64ecma`: CRC-64/XZ of the whole object.
    #[serde(skip_deserializing)]
    pub crc64: Option<u64>,
    /// From `x-oss-version-id`, on versioned buckets.
    #[serde(skip_deserializing)]
    pub version_id: Option<String>,
    #[serde(skip_serializing)]
    pub encoding_type: String,
}

impl CompleteMultipartUploadResult {
    pub(crate) fn normalize(mut self) -> Result<Self> {
        let encoding = std::mem::take(&mut self.encoding_type);
        decode_fields(&encoding, [&mut self.key])?;
        Ok(self)
    }
}

/// One unfinished multipart upload.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default, rename_all(deserialize = "PascalCase", serialize = "camelCase"))]
pub struct MultipartUpload {
    pub key: String,
    pub upload_id: String,
    #[serde(deserialize_with = "opt_time")]
    pub initiated: Option<DateTime<Utc>>,
    pub storage_class: Option<String>,
}

/// One page of ListMultipartUploads (`GET /?uploads`, root `ListMultipartUploadsResult`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default, rename_all(deserialize = "PascalCase", serialize = "camelCase"))]
pub struct ListMultipartUploadsPage {
    pub bucket: String,
    pub prefix: String,
    pub delimiter: String,
    pub key_marker: Option<String>,
    pub upload_id_marker: Option<String>,
    pub next_key_marker: Option<String>,
    pub next_upload_id_marker: Option<String>,
    #[serde(deserialize_with = "opt_number")]
    pub max_uploads: Option<u32>,
    #[serde(deserialize_with = "flag")]
    pub is_truncated: bool,
    #[serde(rename(deserialize = "Upload"))]
    pub uploads: Vec<MultipartUpload>,
    #[serde(rename(deserialize = "CommonPrefixes"), deserialize_with = "common_prefixes")]
    pub common_prefixes: Vec<String>,
    #[serde(skip_serializing)]
    pub encoding_type: String,
}

impl ListMultipartUploadsPage {
    /// `(key marker, upload-id marker)` of the next page, when there is one.
    pub fn next_markers(&self) -> Option<(String, String)> {
        if !self.is_truncated {
            return None;
        }
        let key = self.next_key_marker.clone()?;
        Some((key, self.next_upload_id_marker.clone().unwrap_or_default()))
    }

    pub(crate) fn normalize(mut self) -> Result<Self> {
        self.key_marker = non_empty(self.key_marker);
        self.upload_id_marker = non_empty(self.upload_id_marker);
        self.next_key_marker = non_empty(self.next_key_marker);
        self.next_upload_id_marker = non_empty(self.next_upload_id_marker);
        let encoding = std::mem::take(&mut self.encoding_type);
        decode_fields(
            &encoding,
            [&mut self.prefix, &mut self.delimiter]
                .into_iter()
                .chain(self.key_marker.as_mut())
                .chain(self.next_key_marker.as_mut())
                .chain(self.uploads.iter_mut().map(|u| &mut u.key))
                .chain(self.common_prefixes.iter_mut()),
        )?;
        Ok(self)
    }
}

#[cfg(test)]
pub(crate) mod samples {
    // Alibaba Cloud docs, "InitiateMultipartUpload", response example.
    pub const INITIATE: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<InitiateMultipartUploadResult xmlns="http://doc.oss-cn-hangzhou.aliyuncs.com">
    <Bucket>oss-example</Bucket>
    <Key>multipart.data</Key>
    <UploadId>0004B9894A22E5B1888A1E29F823****</UploadId>
</InitiateMultipartUploadResult>"#;

    // Alibaba Cloud docs, "ListParts", response example (the doc masks the CRC's last digits with
    // '*'; they are filled in here, since OSS itself never sends a masked number).
    pub const LIST_PARTS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<ListPartsResult xmlns="http://doc.oss-cn-hangzhou.aliyuncs.com">
    <Bucket>multipart_upload</Bucket>
    <Key>multipart.data</Key>
    <UploadId>0004B999EF5A239BB9138C6227D6****</UploadId>
    <NextPartNumberMarker>5</NextPartNumberMarker>
    <MaxParts>1000</MaxParts>
    <IsTruncated>false</IsTruncated>
    <Part>
        <PartNumber>1</PartNumber>
        <LastModified>2012-02-23T07:01:34.000Z</LastModified>
        <ETag>"3349DC700140D7F86A0784842780****"</ETag>
        <HashCrc64ecma>16093544769252451234</HashCrc64ecma>
        <Size>6291456</Size>
    </Part>
    <Part>
        <PartNumber>2</PartNumber>
        <LastModified>2012-02-23T07:01:12.000Z</LastModified>
        <ETag>"3349DC700140D7F86A0784842780****"</ETag>
        <Size>6291456</Size>
    </Part>
    <Part>
        <PartNumber>5</PartNumber>
        <LastModified>2012-02-23T07:02:03.000Z</LastModified>
        <ETag>"7265F4D211B56873A381D321F586****"</ETag>
        <Size>1024</Size>
    </Part>
</ListPartsResult>"#;

    // Alibaba Cloud docs, "CompleteMultipartUpload", response example.
    pub const COMPLETE: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<CompleteMultipartUploadResult xmlns="http://doc.oss-cn-hangzhou.aliyuncs.com">
    <EncodingType>url</EncodingType>
    <Location>http://oss-example.oss-cn-hangzhou.aliyuncs.com/multipart.data</Location>
    <Bucket>oss-example</Bucket>
    <Key>multipart.data</Key>
    <ETag>"B864DB6A936D376F9F8D3ED3BBE540****"</ETag>
</CompleteMultipartUploadResult>"#;

    // Alibaba Cloud docs, "ListMultipartUploads", response example.
    pub const LIST_UPLOADS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<ListMultipartUploadsResult xmlns="http://doc.oss-cn-hangzhou.aliyuncs.com">
    <Bucket>oss-example</Bucket>
    <KeyMarker></KeyMarker>
    <UploadIdMarker></UploadIdMarker>
    <NextKeyMarker>oss.avi</NextKeyMarker>
    <NextUploadIdMarker>0004B99B8E707874FC2D692FA5D77D3F</NextUploadIdMarker>
    <Delimiter></Delimiter>
    <Prefix></Prefix>
    <MaxUploads>1000</MaxUploads>
    <IsTruncated>false</IsTruncated>
    <Upload>
        <Key>multipart.data</Key>
        <UploadId>0004B999EF518A1FE585B0C9360DC4C8</UploadId>
        <Initiated>2012-02-23T04:18:23.000Z</Initiated>
    </Upload>
    <Upload>
        <Key>multipart.data</Key>
        <UploadId>0004B999EF5A239BB9138C6227D6****</UploadId>
        <Initiated>2012-02-23T04:18:23.000Z</Initiated>
    </Upload>
    <Upload>
        <Key>oss.avi</Key>
        <UploadId>0004B99B8E707874FC2D692FA5D7****</UploadId>
        <Initiated>2012-02-23T06:14:27.000Z</Initiated>
    </Upload>
</ListMultipartUploadsResult>"#;
}

#[cfg(test)]
mod tests {
    use super::samples::*;
    use super::*;
    use crate::xml::{from_xml, to_xml};

    #[test]
    fn initiate_and_complete_samples_parse() {
        let init = from_xml::<InitiateMultipartUploadResult>(INITIATE.as_bytes(), "Initiate").unwrap();
        let init = init.normalize().unwrap();
        assert_eq!((init.bucket.as_str(), init.key.as_str()), ("oss-example", "multipart.data"));
        assert_eq!(init.upload_id, "0004B9894A22E5B1888A1E29F823****");

        let done = from_xml::<CompleteMultipartUploadResult>(COMPLETE.as_bytes(), "Complete").unwrap();
        let done = done.normalize().unwrap();
        assert_eq!(done.key, "multipart.data");
        assert_eq!(done.etag, "\"B864DB6A936D376F9F8D3ED3BBE540****\"");
        assert!(done.location.ends_with("/multipart.data"));
    }

    #[test]
    fn list_parts_sample_parses() {
        let page = from_xml::<ListPartsPage>(LIST_PARTS.as_bytes(), "ListParts").unwrap().normalize().unwrap();
        assert_eq!(page.upload_id, "0004B999EF5A239BB9138C6227D6****");
        assert_eq!((page.max_parts, page.next_part_number_marker), (Some(1000), Some(5)));
        assert_eq!(page.next_marker(), None, "not truncated");
        let numbers: Vec<u32> = page.parts.iter().map(|p| p.part_number).collect();
        assert_eq!(numbers, [1, 2, 5]);
        assert_eq!(page.parts[2].size, 1024);
        assert_eq!(page.parts[0].crc64, Some(16_093_544_769_252_451_234));
        assert_eq!(page.parts[1].crc64, None);
        // A CRC that is not a number (as the doc's masked one) is an error, not a silent None.
        let masked = LIST_PARTS.replace("16093544769252451234", "1609354476925245****");
        assert!(from_xml::<ListPartsPage>(masked.as_bytes(), "ListParts").is_err());
    }

    #[test]
    fn list_uploads_sample_parses_with_empty_markers_as_none() {
        let page = from_xml::<ListMultipartUploadsPage>(LIST_UPLOADS.as_bytes(), "ListMultipartUploads").unwrap();
        let page = page.normalize().unwrap();
        assert_eq!(page.key_marker, None);
        assert_eq!(page.next_key_marker.as_deref(), Some("oss.avi"));
        assert_eq!(page.next_markers(), None, "not truncated");
        assert_eq!(page.uploads.len(), 3);
        assert_eq!(page.uploads[2].key, "oss.avi");
        assert!(page.uploads[0].initiated.is_some());
    }

    #[test]
    fn complete_body_matches_the_documented_shape() {
        let parts = [
            CompletedPart { part_number: 1, etag: "\"3349DC700140D7F86A0784842780****\"".into() },
            CompletedPart { part_number: 5, etag: "\"8EFDA8BE206636A695359836FE0A****\"".into() },
        ];
        assert_eq!(
            to_xml(&CompleteMultipartUploadXml { parts: &parts }).unwrap(),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?><CompleteMultipartUpload>\
             <Part><PartNumber>1</PartNumber><ETag>\"3349DC700140D7F86A0784842780****\"</ETag></Part>\
             <Part><PartNumber>5</PartNumber><ETag>\"8EFDA8BE206636A695359836FE0A****\"</ETag></Part>\
             </CompleteMultipartUpload>"
        );
    }
}
