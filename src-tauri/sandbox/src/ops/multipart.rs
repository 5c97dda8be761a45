//! Multipart upload: Initiate, UploadPart, ListParts, Complete, Abort, ListMultipartUploads.
//! <https://www.alibabacloud.com/help/en/oss/developer-reference/initiatemultipartupload> and
//! the pages next to it. Part numbers 1..=10000, parts up to 5 GiB.

use hyper::StatusCode;

use super::object_headers::{
    attributes_from_request, check_content_md5, content_length, content_md5, forbids_overwrite,
};
use super::objects::refuse_existing;
use super::{blocking, Call};
use crate::checksum::{base64_encode, quoted_etag};
use crate::error::{OssError, OssResult};
use crate::http::{self, Reply, HASH_CRC64_HEADER};
use crate::store::{self, PartSelection, MAX_PART_NUMBER};
use crate::time::iso8601;
use crate::xml::{self, XmlWriter};

pub const MAX_PART_SIZE: u64 = 5 << 30;
const MAX_COMPLETE_BODY_BYTES: usize = 4 << 20;
const DEFAULT_MAX_PARTS: u64 = 1000;
const DEFAULT_MAX_UPLOADS: u64 = 1000;

fn upload_id(call: &Call<'_>) -> String {
    call.query.get("uploadId").unwrap_or("").to_owned()
}

pub async fn initiate_multipart_upload(call: &mut Call<'_>) -> OssResult<Reply> {
    let bucket_meta = call.bucket_meta().await?;
    call.require_write(&bucket_meta)?;
    let url_encode = call.query.url_encoding()?;
    let attributes = attributes_from_request(call.headers)?;
    if forbids_overwrite(call.headers) {
        refuse_existing(call).await?;
    }
    let store = call.state.store.clone();
    let (bucket, key) = (call.bucket().to_owned(), call.key().to_owned());
    let upload = blocking(move || store.initiate_upload(&bucket, &key, attributes)).await?;

    let mut doc = XmlWriter::new("InitiateMultipartUploadResult").with_url_encoding(url_encode);
    if url_encode {
        doc.element("EncodingType", "url");
    }
    doc.element("Bucket", call.bucket());
    doc.encoded("Key", &upload.key);
    doc.element("UploadId", &upload.upload_id);
    Ok(http::xml(StatusCode::OK, doc.finish("InitiateMultipartUploadResult")))
}

/// `partNumber`, 1 to 10000.
pub fn part_number(call: &Call<'_>) -> OssResult<u32> {
    call.query.number("partNumber", 0, 1..=u64::from(MAX_PART_NUMBER)).and_then(|n| {
        if n == 0 {
            Err(OssError::invalid_argument("Part number must be an integer between 1 and 10000, inclusive."))
        } else {
            Ok(n as u32)
        }
    })
}

pub async fn upload_part(call: &mut Call<'_>) -> OssResult<Reply> {
    let part_number = part_number(call)?;
    let bucket_meta = call.bucket_meta().await?;
    call.require_write(&bucket_meta)?;
    let expected_md5 = content_md5(call.headers)?;
    let expected_size = content_length(call.headers)?;
    if expected_size.is_some_and(|size| size > MAX_PART_SIZE) {
        return Err(OssError::new(
            StatusCode::BAD_REQUEST,
            "EntityTooLarge",
            "Your proposed upload exceeds the maximum allowed part size.",
        )
        .with_detail("MaxSizeAllowed", MAX_PART_SIZE.to_string()));
    }
    let id = upload_id(call);
    {
        let store = call.state.store.clone();
        let (bucket, key, id) = (call.bucket().to_owned(), call.key().to_owned(), id.clone());
        blocking(move || store.upload(&bucket, &key, &id)).await?;
    }
    let staged = store::receive(call.body, call.state.store.staging_path(), expected_size, MAX_PART_SIZE).await?;
    check_content_md5(expected_md5, &staged.md5)?;
    let md5 = staged.md5;
    let store = call.state.store.clone();
    let (bucket, key) = (call.bucket().to_owned(), call.key().to_owned());
    let part = blocking(move || store.commit_part(&bucket, &key, &id, part_number, staged)).await?;

    let mut response = http::empty(StatusCode::OK);
    http::set(&mut response, "etag", &quoted_etag(&part.etag));
    http::set(&mut response, HASH_CRC64_HEADER, &part.crc64.to_string());
    http::set(&mut response, "content-md5", &base64_encode(&md5));
    Ok(response)
}

pub async fn list_parts(call: &mut Call<'_>) -> OssResult<Reply> {
    let bucket_meta = call.bucket_meta().await?;
    call.require_write(&bucket_meta)?;
    let url_encode = call.query.url_encoding()?;
    let max_parts = call.query.number("max-parts", DEFAULT_MAX_PARTS, 1..=1000)?;
    let marker = call.query.number("part-number-marker", 0, 0..=u64::from(MAX_PART_NUMBER))?;
    let id = upload_id(call);
    let store = call.state.store.clone();
    let (bucket, key, upload) = (call.bucket().to_owned(), call.key().to_owned(), id.clone());
    let (meta, parts) = blocking(move || store.upload(&bucket, &key, &upload)).await?;

    let mut remaining = parts.iter().filter(|part| u64::from(part.part_number) > marker);
    let page: Vec<_> = remaining.by_ref().take(max_parts as usize).collect();
    let truncated = remaining.next().is_some();

    let mut doc = XmlWriter::new("ListPartsResult").with_url_encoding(url_encode);
    if url_encode {
        doc.element("EncodingType", "url");
    }
    doc.element("Bucket", call.bucket());
    doc.encoded("Key", &meta.key);
    doc.element("UploadId", &meta.upload_id);
    doc.element("StorageClass", meta.attributes.storage_class.as_str());
    doc.element_display("PartNumberMarker", marker);
    doc.element_display("NextPartNumberMarker", page.last().map_or(marker, |part| u64::from(part.part_number)));
    doc.element_display("MaxParts", max_parts);
    doc.element_display("IsTruncated", truncated);
    for part in page {
        doc.open("Part");
        doc.element_display("PartNumber", part.part_number);
        doc.element("LastModified", &iso8601(part.last_modified));
        doc.element("ETag", &quoted_etag(&part.etag));
        doc.element_display("HashCrc64ecma", part.crc64);
        doc.element_display("Size", part.size);
        doc.close("Part");
    }
    Ok(http::xml(StatusCode::OK, doc.finish("ListPartsResult")))
}

/// `<CompleteMultipartUpload><Part><PartNumber/><ETag/></Part>...</CompleteMultipartUpload>`.
fn parse_part_list(body: &[u8]) -> OssResult<Vec<(u32, String)>> {
    let text = std::str::from_utf8(body).map_err(|_| OssError::malformed_xml("the body is not UTF-8"))?;
    let root = xml::parse(text).map_err(OssError::malformed_xml)?;
    if root.name != "CompleteMultipartUpload" {
        return Err(OssError::malformed_xml("the root element must be CompleteMultipartUpload"));
    }
    root.children_named("Part")
        .map(|part| {
            let number = part
                .child_text("PartNumber")
                .and_then(|n| n.trim().parse::<u32>().ok())
                .filter(|n| (1..=MAX_PART_NUMBER).contains(n))
                .ok_or_else(|| OssError::malformed_xml("a Part has no PartNumber from 1 to 10000"))?;
            let etag = part.child_text("ETag").ok_or_else(|| OssError::malformed_xml("a Part has no ETag"))?;
            Ok((number, etag.to_owned()))
        })
        .collect()
}

pub async fn complete_multipart_upload(call: &mut Call<'_>) -> OssResult<Reply> {
    let bucket_meta = call.bucket_meta().await?;
    call.require_write(&bucket_meta)?;
    let url_encode = call.query.url_encoding()?;
    let body = call.body.read_to_vec(MAX_COMPLETE_BODY_BYTES).await?;
    let complete_all = call.header("x-oss-complete-all").is_some_and(|v| v.trim().eq_ignore_ascii_case("yes"));
    let selection = if complete_all {
        if !body.iter().all(u8::is_ascii_whitespace) {
            return Err(OssError::invalid_argument("With x-oss-complete-all: yes the request body must be empty."));
        }
        PartSelection::All
    } else {
        PartSelection::Listed(parse_part_list(&body)?)
    };
    let forbid_overwrite = forbids_overwrite(call.headers);
    let store = call.state.store.clone();
    let (bucket, key, id) = (call.bucket().to_owned(), call.key().to_owned(), upload_id(call));
    let meta = blocking(move || store.complete_upload(&bucket, &key, &id, selection, forbid_overwrite)).await?;

    let mut doc = XmlWriter::new("CompleteMultipartUploadResult").with_url_encoding(url_encode);
    if url_encode {
        doc.element("EncodingType", "url");
    }
    let location =
        format!("{}/{}/{}", call.state.endpoint, call.bucket(), osslite_core::sign::encode::path_encode(&meta.key));
    doc.element("Location", &location);
    doc.element("Bucket", call.bucket());
    doc.encoded("Key", &meta.key);
    doc.element("ETag", &quoted_etag(&meta.etag));
    let mut response = http::xml(StatusCode::OK, doc.finish("CompleteMultipartUploadResult"));
    http::set(&mut response, HASH_CRC64_HEADER, &meta.crc64.to_string());
    http::set(&mut response, "etag", &quoted_etag(&meta.etag));
    super::objects::set_version_header(&mut response, &meta);
    Ok(response)
}

pub async fn abort_multipart_upload(call: &mut Call<'_>) -> OssResult<Reply> {
    let bucket_meta = call.bucket_meta().await?;
    call.require_write(&bucket_meta)?;
    let store = call.state.store.clone();
    let (bucket, key, id) = (call.bucket().to_owned(), call.key().to_owned(), upload_id(call));
    blocking(move || store.abort_upload(&bucket, &key, &id)).await?;
    Ok(http::empty(StatusCode::NO_CONTENT))
}

pub async fn list_multipart_uploads(call: &mut Call<'_>) -> OssResult<Reply> {
    let bucket_meta = call.bucket_meta().await?;
    call.require_write(&bucket_meta)?;
    let url_encode = call.query.url_encoding()?;
    let prefix = call.query.get("prefix").unwrap_or("").to_owned();
    let delimiter = call.query.get("delimiter").unwrap_or("").to_owned();
    let key_marker = call.query.get("key-marker").unwrap_or("").to_owned();
    let upload_id_marker = call.query.get("upload-id-marker").unwrap_or("").to_owned();
    let max_uploads = call.query.number("max-uploads", DEFAULT_MAX_UPLOADS, 1..=1000)? as usize;

    let store = call.state.store.clone();
    let bucket = call.bucket().to_owned();
    let uploads = blocking(move || store.list_uploads(&bucket)).await?;
    // A NextKeyMarker that is a common prefix resumes after everything under it.
    let marker_is_common_prefix = upload_id_marker.is_empty()
        && !delimiter.is_empty()
        && key_marker.len() > prefix.len()
        && key_marker.ends_with(delimiter.as_str());
    let after_marker = |key: &str, id: &str| {
        if key_marker.is_empty() {
            return true;
        }
        if marker_is_common_prefix && key.starts_with(key_marker.as_str()) {
            return false;
        }
        key > key_marker.as_str()
            || (key == key_marker && !upload_id_marker.is_empty() && id > upload_id_marker.as_str())
    };

    // Uploads are sorted by key, so the uploads under one common prefix are adjacent.
    let mut entries: Vec<(&str, Option<&store::UploadMeta>)> = Vec::new();
    let mut last_common: Option<&str> = None;
    let mut truncated = false;
    for upload in uploads.iter().filter(|u| u.key.starts_with(&prefix) && after_marker(&u.key, &u.upload_id)) {
        let common = (!delimiter.is_empty())
            .then(|| upload.key[prefix.len()..].find(&delimiter))
            .flatten()
            .map(|at| &upload.key[..prefix.len() + at + delimiter.len()]);
        if common.is_some() && common == last_common {
            continue;
        }
        if entries.len() == max_uploads {
            truncated = true;
            break;
        }
        match common {
            Some(common) => {
                last_common = Some(common);
                entries.push((common, None));
            }
            None => entries.push((&upload.key, Some(upload))),
        }
    }

    let mut doc = XmlWriter::new("ListMultipartUploadsResult").with_url_encoding(url_encode);
    if url_encode {
        doc.element("EncodingType", "url");
    }
    doc.element("Bucket", call.bucket());
    doc.encoded("KeyMarker", &key_marker);
    doc.element("UploadIdMarker", &upload_id_marker);
    let (next_key, next_id) = match entries.last() {
        Some((_, Some(upload))) if truncated => (upload.key.as_str(), upload.upload_id.as_str()),
        Some((common, None)) if truncated => (*common, ""),
        _ => ("", ""),
    };
    doc.encoded("NextKeyMarker", next_key);
    doc.element("NextUploadIdMarker", next_id);
    doc.encoded("Delimiter", &delimiter);
    doc.encoded("Prefix", &prefix);
    doc.element_display("MaxUploads", max_uploads);
    doc.element_display("IsTruncated", truncated);
    for (_, upload) in &entries {
        if let Some(upload) = upload {
            doc.open("Upload");
            doc.encoded("Key", &upload.key);
            doc.element("UploadId", &upload.upload_id);
            doc.element("StorageClass", upload.attributes.storage_class.as_str());
            doc.element("Initiated", &iso8601(upload.initiated));
            doc.close("Upload");
        }
    }
    for (common, upload) in &entries {
        if upload.is_none() {
            doc.open("CommonPrefixes");
            doc.encoded("Prefix", common);
            doc.close("CommonPrefixes");
        }
    }
    Ok(http::xml(StatusCode::OK, doc.finish("ListMultipartUploadsResult")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn part_lists_parse_and_bad_ones_are_malformed_xml() {
        let body = b"<CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>\"AB\"</ETag></Part>\
                     <Part><PartNumber>2</PartNumber><ETag>CD</ETag></Part></CompleteMultipartUpload>";
        assert_eq!(parse_part_list(body).unwrap(), vec![(1, "\"AB\"".to_owned()), (2, "CD".to_owned())]);
        for bad in [
            &b"<Complete/>"[..],
            b"<CompleteMultipartUpload><Part><PartNumber>x</PartNumber><ETag>a</ETag></Part></CompleteMultipartUpload>",
            b"<CompleteMultipartUpload><Part><PartNumber>10001</PartNumber><ETag>a</ETag></Part></CompleteMultipartUpload>",
            b"<CompleteMultipartUpload><Part><PartNumber>1</PartNumber></Part></CompleteMultipartUpload>",
            b"not xml",
        ] {
            assert_eq!(parse_part_list(bad).unwrap_err().code, "MalformedXML");
        }
    }
}
