//! OSS's XML bodies: serde models read with quick-xml, and the two request bodies the client writes.
//!
//! The models deserialize from OSS's PascalCase element names and serialize to camelCase JSON,
//! so the desktop shell can hand them to the UI as they are.

pub mod buckets;
pub mod error;
pub mod manage;
pub mod multipart;
pub mod objects;
pub mod versions;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer, Serialize};

use crate::error::{Error, ErrorKind, Result};

pub use buckets::{BucketInfo, BucketSummary, ListBucketsPage, Owner};
pub use manage::CopyPartResult;
pub use multipart::{
    CompleteMultipartUploadResult, CompletedPart, InitiateMultipartUploadResult, ListMultipartUploadsPage,
    ListPartsPage, MultipartUpload, PartSummary,
};
pub use objects::{
    CopyObjectResult, DeleteMultipleObjectsResult, DeletedObject, ListObjectsV2Page, ObjectAcl, ObjectAclPolicy,
    ObjectSummary,
};
pub use versions::{ListObjectVersionsPage, ObjectVersion};

const DECLARATION: &str = r#"<?xml version="1.0" encoding="UTF-8"?>"#;

/// Events the reader may hold back while it looks for the next item of a list split by other
/// elements (`overlapped-lists`). A 1000-entry page needs a few tens of thousands at most;
/// without a limit a hostile body could make it buffer every event of the document.
const MAX_BUFFERED_EVENTS: usize = 256 * 1024;

/// Parses an OSS response body. Anything that is not the expected XML is an `InvalidResponse`
/// naming `what`; this never panics, whatever the bytes.
///
/// Bounded: only the predefined entities (`&amp;` and the like) are expanded, never a DTD's, so
/// nothing grows beyond the body; unknown elements are skipped without recursion, whatever their
/// depth; and the lookahead buffer is capped at [`MAX_BUFFERED_EVENTS`].
pub fn from_xml<T: DeserializeOwned>(body: &[u8], what: &str) -> Result<T> {
    let text = std::str::from_utf8(body)
        .map_err(|_| Error::new(ErrorKind::InvalidResponse, format!("the {what} response is not UTF-8 text")))?;
    let mut deserializer = quick_xml::de::Deserializer::from_str(text);
    deserializer.event_buffer_size(std::num::NonZeroUsize::new(MAX_BUFFERED_EVENTS));
    T::deserialize(&mut deserializer).map_err(|err| {
        Error::new(ErrorKind::InvalidResponse, format!("the {what} response is not the XML OSS sends: {err}"))
    })
}

/// Writes a request body with the XML declaration OSS's examples use.
pub(crate) fn to_xml<T: Serialize>(value: &T) -> Result<String> {
    let body = quick_xml::se::to_string(value)
        .map_err(|err| Error::invalid_input(format!("cannot write the request XML: {err}")))?;
    Ok(format!("{DECLARATION}{body}"))
}

/// Undoes `encoding-type=url` as the reference SDK does (Go's `url.QueryUnescape`): `%XX` escapes
/// and `+` for a space.
pub(crate) fn url_decode(text: &str) -> Result<String> {
    if !text.contains(['%', '+']) {
        return Ok(text.to_owned());
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let digit = |at: usize| bytes.get(at).and_then(|b| (*b as char).to_digit(16));
                match (digit(i + 1), digit(i + 2)) {
                    (Some(hi), Some(lo)) => out.push((hi * 16 + lo) as u8),
                    _ => return Err(bad_encoding(text)),
                }
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            byte => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8(out).map_err(|_| bad_encoding(text))
}

fn bad_encoding(text: &str) -> Error {
    Error::new(ErrorKind::InvalidResponse, format!("OSS sent '{text}', which is not URL-encoded UTF-8"))
}

/// Decodes every string in `fields` in place when the response says `EncodingType` is `url`.
pub(crate) fn decode_fields<'a>(encoding_type: &str, fields: impl IntoIterator<Item = &'a mut String>) -> Result<()> {
    if !encoding_type.eq_ignore_ascii_case("url") {
        return Ok(());
    }
    for field in fields {
        *field = url_decode(field)?;
    }
    Ok(())
}

/// `Some` only for a non-empty string: OSS writes absent markers as empty elements.
pub(crate) fn non_empty(value: Option<String>) -> Option<String> {
    value.filter(|v| !v.is_empty())
}

/// A number element that OSS may leave empty (`<NextPartNumberMarker></NextPartNumberMarker>`).
pub(crate) fn opt_number<'de, D, T>(deserializer: D) -> std::result::Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: std::str::FromStr,
    T::Err: std::fmt::Display,
{
    let text: Option<String> = Option::deserialize(deserializer)?;
    match text.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) => text.parse().map(Some).map_err(serde::de::Error::custom),
    }
}

/// `<IsTruncated>` and friends; OSS writes `true`/`false`.
pub(crate) fn flag<'de, D: Deserializer<'de>>(deserializer: D) -> std::result::Result<bool, D::Error> {
    let text: Option<String> = Option::deserialize(deserializer)?;
    match text.as_deref().map(str::trim) {
        None | Some("") | Some("false") | Some("False") => Ok(false),
        Some("true") | Some("True") => Ok(true),
        Some(other) => Err(serde::de::Error::custom(format!("'{other}' is not true or false"))),
    }
}

/// A timestamp as OSS writes it in XML (`2012-02-24T08:42:32.000Z`); absent or empty is `None`.
pub(crate) fn opt_time<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> std::result::Result<Option<chrono::DateTime<chrono::Utc>>, D::Error> {
    let text: Option<String> = Option::deserialize(deserializer)?;
    match text.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(text) => chrono::DateTime::parse_from_rfc3339(text)
            .or_else(|_| chrono::DateTime::parse_from_rfc2822(text))
            .map(|t| Some(t.with_timezone(&chrono::Utc)))
            .map_err(|err| serde::de::Error::custom(format!("'{text}' is not a timestamp: {err}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_decoding_is_query_unescape() {
        assert_eq!(url_decode("a%2Fb+c%2B%E4%B8%AD").unwrap(), "a/b c+中");
        assert_eq!(url_decode("plain/key").unwrap(), "plain/key");
        assert_eq!(url_decode("%4").unwrap_err().kind(), ErrorKind::InvalidResponse);
        assert_eq!(url_decode("%FF").unwrap_err().kind(), ErrorKind::InvalidResponse);
    }

    #[test]
    fn non_xml_bodies_are_invalid_responses_not_panics() {
        for body in [&b""[..], b"not xml", b"<Unclosed>", b"\xff\xfe", b"<?xml version=\"1.0\"?>"] {
            let err = from_xml::<ListObjectsV2Page>(body, "ListObjectsV2").unwrap_err();
            assert_eq!(err.kind(), ErrorKind::InvalidResponse, "{body:?}");
            assert!(err.message().contains("ListObjectsV2"));
        }
    }
}

/// Malformed XML never panics: every parser, fed the doc samples truncated, with bytes replaced,
/// ranges cut out or repeated, or junk spliced in, returns `Ok` or an error.
#[cfg(test)]
mod fuzz {
    use proptest::prelude::*;

    use super::buckets::{samples as bucket_samples, BucketInfoXml, LocationXml};
    use super::multipart::samples as multipart_samples;
    use super::objects::{samples as object_samples, AccessControlPolicyXml};
    use super::*;

    const ERROR_SAMPLE: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>NoSuchKey</Code>\
        <Message>The specified key does not exist.</Message><RequestId>5C3D9175B6FC201293AD****</RequestId>\
        <HostId>b.oss-cn-hangzhou.aliyuncs.com</HostId><EC>0026-00000001</EC></Error>";

    fn samples() -> Vec<&'static str> {
        vec![
            bucket_samples::LIST_BUCKETS,
            bucket_samples::BUCKET_INFO,
            bucket_samples::LOCATION,
            object_samples::LIST_OBJECTS_V2,
            object_samples::LIST_OBJECTS_V2_URL_ENCODED,
            object_samples::OBJECT_ACL,
            object_samples::COPY_OBJECT,
            object_samples::DELETE_RESULT,
            multipart_samples::INITIATE,
            multipart_samples::LIST_PARTS,
            multipart_samples::COMPLETE,
            multipart_samples::LIST_UPLOADS,
            ERROR_SAMPLE,
        ]
    }

    /// Runs every parser on `body`; the results do not matter, only that none panics.
    fn parse_everything(body: &[u8]) {
        let _ = from_xml::<ListBucketsPage>(body, "t").map(ListBucketsPage::normalize);
        let _ = from_xml::<BucketInfoXml>(body, "t");
        let _ = from_xml::<LocationXml>(body, "t");
        let _ = from_xml::<ListObjectsV2Page>(body, "t").and_then(ListObjectsV2Page::normalize);
        let _ = from_xml::<AccessControlPolicyXml>(body, "t");
        let _ = from_xml::<CopyObjectResult>(body, "t");
        let _ = from_xml::<DeleteMultipleObjectsResult>(body, "t").and_then(DeleteMultipleObjectsResult::normalize);
        let _ = from_xml::<InitiateMultipartUploadResult>(body, "t").and_then(InitiateMultipartUploadResult::normalize);
        let _ = from_xml::<ListPartsPage>(body, "t").and_then(ListPartsPage::normalize);
        let _ = from_xml::<CompleteMultipartUploadResult>(body, "t").and_then(CompleteMultipartUploadResult::normalize);
        let _ = from_xml::<ListMultipartUploadsPage>(body, "t").and_then(ListMultipartUploadsPage::normalize);
        let error = error::service_error(500, |_| None, body);
        let _ = crate::error::Error::from_service(error).to_string();
    }

    #[derive(Debug, Clone)]
    enum Mutation {
        Truncate(prop::sample::Index),
        Replace(prop::sample::Index, u8),
        Cut(prop::sample::Index, usize),
        Repeat(prop::sample::Index, usize),
        Insert(prop::sample::Index, String),
    }

    fn mutation() -> impl Strategy<Value = Mutation> {
        prop_oneof![
            any::<prop::sample::Index>().prop_map(Mutation::Truncate),
            (any::<prop::sample::Index>(), any::<u8>()).prop_map(|(i, b)| Mutation::Replace(i, b)),
            (any::<prop::sample::Index>(), 1usize..40).prop_map(|(i, n)| Mutation::Cut(i, n)),
            (any::<prop::sample::Index>(), 1usize..60).prop_map(|(i, n)| Mutation::Repeat(i, n)),
            (any::<prop::sample::Index>(), "[<>/&;\"'=a-zA-Z0-9%+ \\-]{0,24}")
                .prop_map(|(i, s)| Mutation::Insert(i, s)),
            (
                any::<prop::sample::Index>(),
                prop_oneof![
                    Just("<IsTruncated>maybe</IsTruncated>".to_owned()),
                    Just("<Size>-1</Size>".to_owned()),
                    Just("<PartNumber>99999999999</PartNumber>".to_owned()),
                    Just("<Key>%ZZ</Key>".to_owned()),
                    Just("<EncodingType>url</EncodingType>".to_owned()),
                    Just("<![CDATA[x".to_owned()),
                    Just("&unknown;".to_owned()),
                    Just("<!DOCTYPE x [<!ENTITY a \"b\">]>".to_owned()),
                ]
            )
                .prop_map(|(i, s)| Mutation::Insert(i, s)),
        ]
    }

    fn apply(sample: &[u8], mutations: &[Mutation]) -> Vec<u8> {
        let mut body = sample.to_vec();
        for mutation in mutations {
            if body.is_empty() {
                break;
            }
            match mutation {
                Mutation::Truncate(at) => body.truncate(at.index(body.len())),
                Mutation::Replace(at, byte) => {
                    let at = at.index(body.len());
                    body[at] = *byte;
                }
                Mutation::Cut(at, len) => {
                    let at = at.index(body.len());
                    let end = (at + len).min(body.len());
                    body.drain(at..end);
                }
                Mutation::Repeat(at, len) => {
                    let at = at.index(body.len());
                    let end = (at + len).min(body.len());
                    let piece = body[at..end].to_vec();
                    body.splice(end..end, piece);
                }
                Mutation::Insert(at, text) => {
                    let at = at.index(body.len() + 1);
                    body.splice(at..at, text.bytes());
                }
            }
        }
        body
    }

    #[test]
    fn every_parser_survives_every_sample_cut_at_every_byte() {
        for sample in samples() {
            for end in 0..=sample.len() {
                parse_everything(&sample.as_bytes()[..end]);
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

        #[test]
        fn mutated_samples_never_panic(
            which in any::<prop::sample::Index>(),
            mutations in prop::collection::vec(mutation(), 1..6),
        ) {
            let samples = samples();
            let sample = samples[which.index(samples.len())];
            parse_everything(&apply(sample.as_bytes(), &mutations));
        }

        #[test]
        fn arbitrary_bytes_never_panic(body in prop::collection::vec(any::<u8>(), 0..512)) {
            parse_everything(&body);
        }
    }
}
