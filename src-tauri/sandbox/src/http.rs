//! Building responses: XML documents, object headers, and OSS's error shape (with the error in
//! `x-oss-err` for HEAD, which has no body).

use hyper::header::{HeaderName, HeaderValue, CONTENT_LENGTH, CONTENT_TYPE};
use hyper::{HeaderMap, Response, StatusCode};

use crate::body::ResponseBody;
use crate::checksum::base64_encode;
use crate::error::OssError;
use crate::xml::XmlWriter;

pub type Reply = Response<ResponseBody>;

pub const HASH_CRC64_HEADER: &str = "x-oss-hash-crc64ecma";

pub fn reply(status: StatusCode, body: ResponseBody) -> Reply {
    let mut response = Response::new(body);
    *response.status_mut() = status;
    response
}

pub fn empty(status: StatusCode) -> Reply {
    reply(status, ResponseBody::empty())
}

pub fn xml(status: StatusCode, document: String) -> Reply {
    let mut response = reply(status, ResponseBody::full(document));
    set(&mut response, "content-type", "application/xml");
    response
}

/// Sets a header; a value that cannot be a header (control characters) is left out.
pub fn set(response: &mut Reply, name: &str, value: &str) {
    set_in(response.headers_mut(), name, value);
}

pub fn set_in(headers: &mut HeaderMap, name: &str, value: &str) {
    if let (Ok(name), Ok(value)) = (HeaderName::from_bytes(name.as_bytes()), HeaderValue::from_bytes(value.as_bytes()))
    {
        headers.insert(name, value);
    }
}

/// A request header as text (lossy for non-UTF-8 bytes).
pub fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<std::borrow::Cow<'a, str>> {
    headers.get(name).map(|value| String::from_utf8_lossy(value.as_bytes()))
}

/// OSS's `<Error>` document: Code, Message, RequestId, HostId, the error's details, EC.
pub fn error_document(err: &OssError, request_id: &str, host_id: &str) -> String {
    let mut doc = XmlWriter::new("Error");
    doc.element("Code", err.code);
    doc.element("Message", &err.message);
    doc.element("RequestId", request_id);
    doc.element("HostId", host_id);
    for (name, value) in &err.details {
        doc.element(name, value);
    }
    doc.element("EC", err.ec);
    doc.finish("Error")
}

pub fn error_reply(err: &OssError, request_id: &str, host_id: &str, is_head: bool) -> Reply {
    let is_head = is_head || err.status == StatusCode::NOT_MODIFIED;
    let document = error_document(err, request_id, host_id);
    let mut response = if is_head {
        let mut response = empty(err.status);
        set(&mut response, "x-oss-err", &base64_encode(document.as_bytes()));
        response
    } else {
        reply(err.status, ResponseBody::full(document))
    };
    response.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("application/xml"));
    if !err.ec.is_empty() {
        set(&mut response, "x-oss-ec", err.ec);
    }
    for (name, value) in &err.headers {
        set(&mut response, name, value);
    }
    if is_head {
        response.headers_mut().insert(CONTENT_LENGTH, HeaderValue::from_static("0"));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_document_has_the_oss_shape() {
        let err = OssError::no_such_key("a&b");
        let doc = error_document(&err, "RID", "bkt.localhost");
        assert_eq!(
            doc,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message>\
             <RequestId>RID</RequestId><HostId>bkt.localhost</HostId><Key>a&amp;b</Key><EC>0026-00000001</EC></Error>"
        );
    }

    #[test]
    fn head_errors_travel_in_x_oss_err() {
        let response = error_reply(&OssError::no_such_key("k"), "RID", "h", true);
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
        assert!(response.headers().contains_key("x-oss-err"));
        assert_eq!(response.body().len(), 0);
        assert_eq!(response.headers()["x-oss-ec"], "0026-00000001");
    }
}
