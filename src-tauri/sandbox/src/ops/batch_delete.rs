//! DeleteMultipleObjects (POST /?delete): up to 1000 keys, Content-MD5 required, quiet mode.
//! <https://www.alibabacloud.com/help/en/oss/developer-reference/deletemultipleobjects>.

use hyper::StatusCode;

use super::object_headers::{check_content_md5, content_md5};
use super::{blocking, Call};
use crate::checksum::md5;
use crate::error::{OssError, OssResult};
use crate::http::{self, Reply};
use crate::names::check_object_key;
use crate::xml::{self, XmlWriter};

const MAX_KEYS: usize = 1000;
/// 1000 keys of 1023 bytes, escaped, fit well within this.
const MAX_BODY_BYTES: usize = 8 << 20;

/// A key to delete, with the version to remove for good when given.
type Target = (String, Option<String>);

/// The keys to delete and whether to stay quiet about each deleted one.
fn parse_delete(body: &[u8]) -> OssResult<(Vec<Target>, bool)> {
    let text = std::str::from_utf8(body).map_err(|_| OssError::malformed_xml("the body is not UTF-8"))?;
    let root = xml::parse(text).map_err(OssError::malformed_xml)?;
    if root.name != "Delete" {
        return Err(OssError::malformed_xml("the root element must be Delete"));
    }
    let quiet = match root.child_text("Quiet").map(str::trim) {
        None | Some("false") | Some("False") => false,
        Some("true") | Some("True") => true,
        Some(other) => return Err(OssError::malformed_xml(format!("Quiet must be true or false, not '{other}'"))),
    };
    let keys: Vec<Target> = root
        .children_named("Object")
        .map(|object| {
            let key = object.child_text("Key").ok_or_else(|| OssError::malformed_xml("an Object has no Key"))?;
            let version_id = object.child_text("VersionId").map(str::trim).filter(|v| !v.is_empty());
            Ok((key.to_owned(), version_id.map(str::to_owned)))
        })
        .collect::<OssResult<_>>()?;
    if keys.is_empty() {
        return Err(OssError::malformed_xml("no Object to delete"));
    }
    if keys.len() > MAX_KEYS {
        return Err(OssError::malformed_xml(format!("at most {MAX_KEYS} objects can be deleted at once")));
    }
    for (key, _) in &keys {
        check_object_key(key)?;
    }
    Ok((keys, quiet))
}

pub async fn delete_multiple_objects(call: &mut Call<'_>) -> OssResult<Reply> {
    let bucket_meta = call.bucket_meta().await?;
    call.require_write(&bucket_meta)?;
    let url_encode = call.query.url_encoding()?;
    let expected_md5 = content_md5(call.headers)?.ok_or_else(|| {
        OssError::new(StatusCode::BAD_REQUEST, "MissingArgument", "Missing Some Required Arguments: Content-MD5.")
            .with_detail("ArgumentName", "Content-MD5")
    })?;
    let body = call.body.read_to_vec(MAX_BODY_BYTES).await?;
    check_content_md5(Some(expected_md5), &md5(&body))?;
    let (keys, quiet) = parse_delete(&body)?;

    let store = call.state.store.clone();
    let bucket = call.bucket().to_owned();
    let deleted = blocking(move || {
        keys.into_iter()
            .map(|(key, version_id)| {
                let outcome = match &version_id {
                    Some(version_id) => store.delete_version(&bucket, &key, version_id)?,
                    None => store.delete_object(&bucket, &key)?,
                };
                Ok((key, version_id, outcome))
            })
            .collect::<OssResult<Vec<_>>>()
    })
    .await?;

    let mut doc = XmlWriter::new("DeleteResult").with_url_encoding(url_encode);
    if url_encode {
        doc.element("EncodingType", "url");
    }
    if !quiet {
        for (key, version_id, outcome) in &deleted {
            doc.open("Deleted");
            doc.encoded("Key", key);
            if let Some(version_id) = version_id {
                doc.element("VersionId", version_id);
            }
            if outcome.delete_marker {
                doc.element("DeleteMarker", "true");
                if let Some(marker) = outcome.version_id.as_deref().filter(|_| version_id.is_none()) {
                    doc.element("DeleteMarkerVersionId", marker);
                }
            }
            doc.close("Deleted");
        }
    }
    Ok(http::xml(StatusCode::OK, doc.finish("DeleteResult")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_keys_and_quiet_and_refuses_bad_bodies() {
        let (keys, quiet) =
            parse_delete(b"<Delete><Quiet>true</Quiet><Object><Key>a&amp;b</Key></Object></Delete>").unwrap();
        assert_eq!((keys, quiet), (vec![("a&b".to_owned(), None)], true));
        let (keys, _) =
            parse_delete(b"<Delete><Object><Key>k</Key><VersionId>v1</VersionId></Object></Delete>").unwrap();
        assert_eq!(keys, vec![("k".to_owned(), Some("v1".to_owned()))]);
        let too_many = format!("<Delete>{}</Delete>", "<Object><Key>k</Key></Object>".repeat(1001));
        for bad in [
            &b"<Delete/>"[..],
            b"<Remove><Object><Key>k</Key></Object></Remove>",
            b"<Delete><Object/></Delete>",
            b"\xff",
            b"<Delete><Quiet>maybe</Quiet><Object><Key>k</Key></Object></Delete>",
            too_many.as_bytes(),
        ] {
            assert_eq!(parse_delete(bad).unwrap_err().code, "MalformedXML");
        }
        assert_eq!(
            parse_delete(b"<Delete><Object><Key></Key></Object></Delete>").unwrap_err().code,
            "InvalidObjectName"
        );
    }
}
