//! OSS's error body, `<Error><Code/><Message/><RequestId/><HostId/><EC/>…</Error>`, turned into a
//! [`ServiceError`], with the headers as a fallback when the body is not XML (HEAD has no body).

use base64::Engine as _;
use serde::Deserialize;

use crate::error::ServiceError;

#[derive(Debug, Default, Deserialize)]
#[serde(default, rename_all = "PascalCase")]
struct ErrorXml {
    code: Option<String>,
    message: Option<String>,
    request_id: Option<String>,
    host_id: Option<String>,
    #[serde(rename = "EC")]
    ec: Option<String>,
}

/// Reads an error body; `None` when it is not an OSS `<Error>` document.
fn parse_error_xml(body: &[u8]) -> Option<ErrorXml> {
    let text = std::str::from_utf8(body).ok()?;
    if !text.contains("<Error") {
        return None;
    }
    quick_xml::de::from_str::<ErrorXml>(text).ok()
}

/// Builds the error payload of a failed response from its status, the headers OSS sets
/// (`x-oss-request-id`, `x-oss-ec`, and `x-oss-err`, the base64 error XML of a HEAD request)
/// and the body. Every input is accepted; missing pieces stay `None`.
pub fn service_error(status: u16, header: impl Fn(&str) -> Option<String>, body: &[u8]) -> ServiceError {
    let parsed = parse_error_xml(body).or_else(|| {
        let encoded = header("x-oss-err")?;
        let decoded = base64::engine::general_purpose::STANDARD.decode(encoded.trim()).ok()?;
        parse_error_xml(&decoded)
    });
    let parsed = parsed.unwrap_or_default();
    let clean = |value: Option<String>| value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
    let message = clean(parsed.message).or_else(|| {
        // Not XML: keep a short, printable start of the body so the user sees what came back.
        let text = String::from_utf8_lossy(body);
        let text = text.trim();
        (!text.is_empty() && !text.starts_with('<')).then(|| text.chars().take(200).collect())
    });
    ServiceError {
        status,
        code: clean(parsed.code),
        message,
        request_id: clean(parsed.request_id).or_else(|| clean(header("x-oss-request-id"))),
        host_id: clean(parsed.host_id),
        ec: clean(parsed.ec).or_else(|| clean(header("x-oss-ec"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{Error, ErrorKind};

    // Sample from Alibaba Cloud's docs, "Error responses" (OSS API reference, Error codes).
    const ACCESS_DENIED: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<Error>
  <Code>AccessDenied</Code>
  <Message>Query-string authentication requires the Signature, Expires and OSSAccessKeyId parameters</Message>
  <RequestId>1D842BC54255****</RequestId>
  <HostId>oss-cn-hangzhou.aliyuncs.com</HostId>
  <EC>0002-00000040</EC>
</Error>"#;

    // Shape from Alibaba Cloud's docs, "GetObject" (error example, NoSuchKey).
    const NO_SUCH_KEY: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<Error>
  <Code>NoSuchKey</Code>
  <Message>The specified key does not exist.</Message>
  <RequestId>5C3D9175B6FC201293AD****</RequestId>
  <HostId>examplebucket.oss-cn-hangzhou.aliyuncs.com</HostId>
  <Key>example.txt</Key>
  <EC>0026-00000001</EC>
</Error>"#;

    fn no_headers(_: &str) -> Option<String> {
        None
    }

    #[test]
    fn the_documented_error_body_gives_every_field() {
        let err = service_error(403, no_headers, ACCESS_DENIED.as_bytes());
        assert_eq!(err.status, 403);
        assert_eq!(err.code.as_deref(), Some("AccessDenied"));
        assert!(err.message.as_deref().unwrap().starts_with("Query-string authentication"));
        assert_eq!(err.request_id.as_deref(), Some("1D842BC54255****"));
        assert_eq!(err.host_id.as_deref(), Some("oss-cn-hangzhou.aliyuncs.com"));
        assert_eq!(err.ec.as_deref(), Some("0002-00000040"));
        assert_eq!(err.kind(), ErrorKind::PermissionDenied);

        let err = service_error(404, no_headers, NO_SUCH_KEY.as_bytes());
        assert_eq!(Error::from_service(err).kind(), ErrorKind::NotFound);
    }

    #[test]
    fn a_body_that_is_not_xml_keeps_status_and_request_id_header() {
        let headers = |name: &str| (name == "x-oss-request-id").then(|| "REQ-123".to_owned());
        let err = service_error(502, headers, b"Bad Gateway from a proxy");
        assert_eq!(err.status, 502);
        assert_eq!(err.code, None);
        assert_eq!(err.request_id.as_deref(), Some("REQ-123"));
        assert_eq!(err.message.as_deref(), Some("Bad Gateway from a proxy"));
        assert_eq!(err.kind(), ErrorKind::Service);

        let err = service_error(500, headers, b"<html><body>oops</body></html>");
        assert_eq!((err.code, err.message), (None, None));
    }

    #[test]
    fn a_head_error_is_read_from_the_x_oss_err_header() {
        let encoded = base64::engine::general_purpose::STANDARD.encode(NO_SUCH_KEY);
        let headers = move |name: &str| match name {
            "x-oss-err" => Some(encoded.clone()),
            "x-oss-ec" => Some("0026-00000001".to_owned()),
            _ => None,
        };
        let err = service_error(404, headers, b"");
        assert_eq!(err.code.as_deref(), Some("NoSuchKey"));
        assert_eq!(err.request_id.as_deref(), Some("5C3D9175B6FC201293AD****"));
        assert_eq!(err.ec.as_deref(), Some("0026-00000001"));
    }
}
