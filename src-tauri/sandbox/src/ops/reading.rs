//! GetObject, HeadObject and GetObjectMeta: conditional requests, ranges as OSS reads them, and
//! `response-*` header overrides.
//! <https://www.alibabacloud.com/help/en/oss/developer-reference/getobject>.

use hyper::StatusCode;

use super::object_headers::{require_readable, write_object_headers};
use super::{blocking, Call};
use crate::body::ResponseBody;
use crate::checksum::quoted_etag;
use crate::error::{OssError, OssResult};
use crate::http::{self, Reply};
use crate::imaging;
use crate::store::{ObjectFiles, ObjectMeta, SegmentReader};
use crate::time::{http_date, parse_http_date};
use std::io::Read;

/// `response-*` query parameters and the headers they override.
const RESPONSE_OVERRIDES: [(&str, &str); 6] = [
    ("response-content-type", "content-type"),
    ("response-content-language", "content-language"),
    ("response-expires", "expires"),
    ("response-cache-control", "cache-control"),
    ("response-content-disposition", "content-disposition"),
    ("response-content-encoding", "content-encoding"),
];

/// The bytes a GET answers with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Selection {
    Whole,
    /// Inclusive byte range.
    Range {
        first: u64,
        last: u64,
    },
}

/// Reads a `Range` header as OSS does. Without `x-oss-range-behavior: standard`, a malformed or
/// unsatisfiable range is ignored (the whole object, 200); with it, an unsatisfiable start is
/// 416 InvalidRange and an end past the object is clamped. Only the first of several ranges counts.
pub fn select_range(header: Option<&str>, size: u64, standard: bool) -> OssResult<Selection> {
    let Some(spec) = header.and_then(|h| h.trim().strip_prefix("bytes=")) else { return Ok(Selection::Whole) };
    let first_range = spec.split(',').next().unwrap_or("").trim();
    let Some((start, end)) = first_range.split_once('-') else { return Ok(Selection::Whole) };
    let parse = |text: &str| text.trim().parse::<u64>().ok();
    let unsatisfiable = || {
        Err(OssError::new(StatusCode::RANGE_NOT_SATISFIABLE, "InvalidRange", "The requested range cannot be satisfied")
            .with_detail("RangeRequested", format!("bytes={first_range}"))
            .with_detail("ActualObjectSize", size.to_string()))
    };
    match (start.trim().is_empty(), parse(start), parse(end)) {
        // bytes=-N: the last N bytes.
        (true, _, Some(suffix)) => {
            if suffix == 0 || size == 0 {
                return if standard { unsatisfiable() } else { Ok(Selection::Whole) };
            }
            if suffix > size {
                return Ok(if standard { Selection::Range { first: 0, last: size - 1 } } else { Selection::Whole });
            }
            Ok(Selection::Range { first: size - suffix, last: size - 1 })
        }
        // bytes=A- : from A to the end.
        (false, Some(first), None) if end.trim().is_empty() => {
            if first >= size {
                return if standard { unsatisfiable() } else { Ok(Selection::Whole) };
            }
            Ok(Selection::Range { first, last: size - 1 })
        }
        // bytes=A-B
        (false, Some(first), Some(last)) if first <= last => {
            if first >= size {
                return if standard { unsatisfiable() } else { Ok(Selection::Whole) };
            }
            if last >= size {
                return Ok(if standard { Selection::Range { first, last: size - 1 } } else { Selection::Whole });
            }
            Ok(Selection::Range { first, last })
        }
        _ => Ok(Selection::Whole),
    }
}

enum Precondition {
    Proceed,
    NotModified,
}

/// If-Match / If-Unmodified-Since fail with 412; If-None-Match / If-Modified-Since answer 304.
fn check_preconditions(call: &Call<'_>, meta: &ObjectMeta) -> OssResult<Precondition> {
    let etag_matches = |list: &str| {
        list.split(',')
            .map(|tag| tag.trim().trim_matches('"'))
            .any(|tag| tag == "*" || tag.eq_ignore_ascii_case(&meta.etag))
    };
    if let Some(list) = call.header("if-match") {
        if !etag_matches(&list) {
            return Err(OssError::precondition_failed().with_detail("Condition", "If-Match"));
        }
    }
    if let Some(since) = call.header("if-unmodified-since").and_then(|t| parse_http_date(&t)) {
        if meta.last_modified > since {
            return Err(OssError::precondition_failed().with_detail("Condition", "If-Unmodified-Since"));
        }
    }
    if let Some(list) = call.header("if-none-match") {
        if etag_matches(&list) {
            return Ok(Precondition::NotModified);
        }
    }
    if let Some(since) = call.header("if-modified-since").and_then(|t| parse_http_date(&t)) {
        if meta.last_modified <= since {
            return Ok(Precondition::NotModified);
        }
    }
    Ok(Precondition::Proceed)
}

fn not_modified(meta: &ObjectMeta) -> Reply {
    let mut response = http::empty(StatusCode::NOT_MODIFIED);
    http::set(&mut response, "etag", &quoted_etag(&meta.etag));
    http::set(&mut response, "last-modified", &http_date(meta.last_modified));
    response
}

pub async fn get_object(call: &mut Call<'_>) -> OssResult<Reply> {
    let store = call.state.store.clone();
    let (bucket, key, version_id) = (call.bucket().to_owned(), call.key().to_owned(), call.version_id());
    let opened = blocking(move || store.open_object(&bucket, &key, version_id.as_deref())).await;
    let (bucket_meta, meta, files) = hide_absence_from_strangers(call, opened).await?;
    call.require_read(&bucket_meta, meta.attributes.acl)?;
    require_readable(&meta)?;
    if let Precondition::NotModified = check_preconditions(call, &meta)? {
        return Ok(not_modified(&meta));
    }
    if let Some(process) = call.query.get(super::PROCESS_PARAMETER) {
        let process = process.to_owned();
        return processed_image(call, &meta, files, &process).await;
    }
    let standard = call.header("x-oss-range-behavior").is_some_and(|v| v.eq_ignore_ascii_case("standard"));
    let selection = select_range(call.header("range").as_deref(), meta.size, standard)?;
    let (status, offset, length) = match selection {
        Selection::Whole => (StatusCode::OK, 0, meta.size),
        Selection::Range { first, last } => (StatusCode::PARTIAL_CONTENT, first, last - first + 1),
    };
    let mut response = http::reply(status, ResponseBody::reader(SegmentReader::new(files, offset, length), length));
    write_object_headers(&mut response, &meta);
    http::set(&mut response, "content-length", &length.to_string());
    if let Selection::Range { first, last } = selection {
        http::set(&mut response, "content-range", &format!("bytes {first}-{last}/{}", meta.size));
    }
    apply_response_overrides(call, &mut response);
    Ok(response)
}

fn apply_response_overrides(call: &Call<'_>, response: &mut Reply) {
    for (parameter, header) in RESPONSE_OVERRIDES {
        if let Some(value) = call.query.non_empty(parameter) {
            http::set(response, header, value);
        }
    }
}

/// GetObject with `x-oss-process=image/…`: the whole object, processed; ranges do not apply.
async fn processed_image(call: &Call<'_>, meta: &ObjectMeta, files: ObjectFiles, process: &str) -> OssResult<Reply> {
    let actions = imaging::parse_process(process)?;
    imaging::check_source_size(meta.size)?;
    let size = meta.size;
    let processed = blocking(move || {
        let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
        SegmentReader::new(files, 0, size).read_to_end(&mut bytes)?;
        imaging::process(&bytes, &actions)
    })
    .await?;
    let length = processed.body.len();
    let mut response = http::reply(StatusCode::OK, ResponseBody::full(processed.body));
    http::set(&mut response, "content-type", processed.content_type);
    http::set(&mut response, "content-length", &length.to_string());
    http::set(&mut response, "last-modified", &http_date(meta.last_modified));
    super::objects::set_version_header(&mut response, meta);
    apply_response_overrides(call, &mut response);
    Ok(response)
}

pub async fn head_object(call: &mut Call<'_>) -> OssResult<Reply> {
    let meta = readable_meta(call).await?;
    if let Precondition::NotModified = check_preconditions(call, &meta)? {
        return Ok(not_modified(&meta));
    }
    let mut response = http::empty(StatusCode::OK);
    write_object_headers(&mut response, &meta);
    http::set(&mut response, "content-length", &meta.size.to_string());
    Ok(response)
}

pub async fn get_object_meta(call: &mut Call<'_>) -> OssResult<Reply> {
    let meta = readable_meta(call).await?;
    let mut response = http::empty(StatusCode::OK);
    http::set(&mut response, "etag", &quoted_etag(&meta.etag));
    http::set(&mut response, "last-modified", &http_date(meta.last_modified));
    http::set(&mut response, "content-length", &meta.size.to_string());
    http::set(&mut response, crate::http::HASH_CRC64_HEADER, &meta.crc64.to_string());
    super::objects::set_version_header(&mut response, &meta);
    Ok(response)
}

async fn readable_meta(call: &Call<'_>) -> OssResult<ObjectMeta> {
    let store = call.state.store.clone();
    let (bucket, key, version_id) = (call.bucket().to_owned(), call.key().to_owned(), call.version_id());
    let found = blocking(move || store.object(&bucket, &key, version_id.as_deref())).await;
    let (bucket_meta, meta) = hide_absence_from_strangers(call, found).await?;
    call.require_read(&bucket_meta, meta.attributes.acl)?;
    Ok(meta)
}

/// An anonymous reader of a bucket it may not read learns AccessDenied, not whether a key exists.
async fn hide_absence_from_strangers<T>(call: &Call<'_>, found: OssResult<T>) -> OssResult<T> {
    match found {
        Err(err) if err.code == "NoSuchKey" || err.code == "NoSuchVersion" => {
            let bucket = call.bucket_meta().await?;
            call.require_read(&bucket, crate::names::Acl::Default)?;
            Err(err)
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(first: u64, last: u64) -> Selection {
        Selection::Range { first, last }
    }

    #[test]
    fn ranges_follow_the_oss_rules_for_a_1000_byte_object() {
        let oss = |h: &str| select_range(Some(h), 1000, false).unwrap();
        assert_eq!(oss("bytes=0-499"), range(0, 499));
        assert_eq!(oss("bytes=500-"), range(500, 999));
        assert_eq!(oss("bytes=-500"), range(500, 999));
        assert_eq!(oss("bytes=0-"), range(0, 999));
        assert_eq!(oss("bytes=0-499,500-999"), range(0, 499));
        for ignored in [
            "byte=0-499",
            "bytes=0-1000",
            "bytes=1000-2000",
            "bytes=1000-",
            "bytes=-2000",
            "bytes=5-1",
            "bytes=x-y",
            "bytes=-0",
            "bytes=-",
        ] {
            assert_eq!(oss(ignored), Selection::Whole, "{ignored}");
        }
        assert_eq!(select_range(None, 1000, false).unwrap(), Selection::Whole);
    }

    #[test]
    fn standard_behaviour_clamps_or_answers_416() {
        let standard = |h: &str| select_range(Some(h), 1000, true);
        assert_eq!(standard("bytes=500-2000").unwrap(), range(500, 999));
        assert_eq!(standard("bytes=1000-2000").unwrap_err().code, "InvalidRange");
        assert_eq!(standard("bytes=1000-2000").unwrap_err().status, StatusCode::RANGE_NOT_SATISFIABLE);
        assert_eq!(standard("bytes=-2000").unwrap(), range(0, 999));
    }

    #[test]
    fn empty_objects_are_always_whole() {
        assert_eq!(select_range(Some("bytes=0-0"), 0, false).unwrap(), Selection::Whole);
        assert_eq!(select_range(Some("bytes=-1"), 0, false).unwrap(), Selection::Whole);
    }
}
