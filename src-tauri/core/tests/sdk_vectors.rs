//! The fixed vectors of alibabacloud-oss-v2's signer tests (tests/unit/signer/test_v4.py in
//! aliyun/alibabacloud-oss-python-sdk-v2): every intermediate string, then the final result.
//! The intermediate strings were printed by that SDK (1.4.1) for the same inputs.

use chrono::{DateTime, TimeZone, Utc};
use osslite_core::sign::v4;
use osslite_core::{Addressing, Credentials, Endpoint, Method, OssRequest, Secret, Signer};

const KEY: &str = "1234+-/123/1.txt";
const SCOPE_1216: &str = "20231216/cn-hangzhou/oss/aliyun_v4_request";
const SCOPE_1217: &str = "20231217/cn-hangzhou/oss/aliyun_v4_request";
const USER_QUERY_CANONICAL: &str = "%2Bparam1=value3&%2Bparam2&%7Cparam1=value4&%7Cparam2&param1=value1&param2";
const USER_QUERY_URL: &str = "param1=value1&%2Bparam1=value3&%7Cparam1=value4&%2Bparam2&%7Cparam2&param2";

fn at(unix: i64) -> DateTime<Utc> {
    Utc.timestamp_opt(unix, 0).unwrap()
}

fn signer(token: Option<&str>) -> Signer {
    let mut credentials = Credentials::new("ak", Secret::new("sk")).unwrap();
    if let Some(token) = token {
        credentials = credentials.with_security_token(Secret::new(token));
    }
    Signer::new(credentials, "cn-hangzhou").unwrap()
}

fn vector_request(content_type: &str, additional: &[&str]) -> OssRequest {
    let mut request = OssRequest::object(Method::Put, "bucket", KEY);
    for (name, value) in [
        ("param1", "value1"),
        ("+param1", "value3"),
        ("|param1", "value4"),
        ("+param2", ""),
        ("|param2", ""),
        ("param2", ""),
    ] {
        request.query.push((name.into(), value.into()));
    }
    for (name, value) in [("x-oss-head1", "value"), ("abc", "value"), ("ZAbc", "value"), ("XYZ", "value")] {
        request.headers.push((name.into(), value.into()));
    }
    request.headers.push(("content-type".into(), content_type.into()));
    request.additional_headers = additional.iter().map(|s| s.to_string()).collect();
    request
}

fn endpoint() -> Endpoint {
    Endpoint::parse("http://oss-cn-hangzhou.aliyuncs.com", Addressing::Virtual).unwrap()
}

/// Asserts the pieces that do not depend on the signing mode.
fn assert_common_pieces(request: &OssRequest, additional: &[&str]) {
    assert_eq!(v4::canonical_uri(Some("bucket"), Some(KEY)), "/bucket/1234%2B-/123/1.txt");
    let names = v4::additional_header_names(&request.headers, &request.additional_headers).unwrap();
    assert_eq!(names, additional);
}

struct HeaderVector {
    unix: i64,
    token: Option<&'static str>,
    additional: &'static [&'static str],
    canonical_request: &'static str,
    string_to_sign: &'static str,
    authorization: &'static str,
}

fn check_header_vector(vector: HeaderVector) {
    let mut request = vector_request("text/plain", vector.additional);
    request.headers.push(("x-oss-content-sha256".into(), "UNSIGNED-PAYLOAD".into()));
    let additional_used: Vec<&str> = if vector.additional.is_empty() { vec![] } else { vec!["abc", "zabc"] };
    assert_common_pieces(&request, &additional_used);

    let signer = signer(vector.token);
    signer.sign_headers(&mut request, at(vector.unix)).unwrap();

    let additional = v4::additional_header_names(&request.headers, &request.additional_headers).unwrap();
    let query = v4::canonical_query(request.query.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    assert_eq!(query, USER_QUERY_CANONICAL);
    let canonical_request = v4::canonical_request(
        "PUT",
        &v4::canonical_uri(Some("bucket"), Some(KEY)),
        &query,
        &v4::canonical_headers(&request.headers, &additional),
        &additional,
        v4::UNSIGNED_PAYLOAD,
    );
    assert_eq!(canonical_request, vector.canonical_request);
    let timestamp = v4::timestamp(at(vector.unix));
    let scope = v4::scope(&timestamp[..8], "cn-hangzhou");
    let string_to_sign = v4::string_to_sign(&timestamp, &scope, &canonical_request);
    assert_eq!(string_to_sign, vector.string_to_sign);
    assert_eq!(request.header("Authorization"), Some(vector.authorization));
    assert_eq!(request.header("x-oss-security-token"), vector.token);
}

#[test]
fn header_signing() {
    check_header_vector(HeaderVector {
        unix: 1_702_743_657,
        token: None,
        additional: &[],
        canonical_request: "PUT\n/bucket/1234%2B-/123/1.txt\n%2Bparam1=value3&%2Bparam2&%7Cparam1=value4&%7Cparam2&param1=value1&param2\ncontent-type:text/plain\nx-oss-content-sha256:UNSIGNED-PAYLOAD\nx-oss-date:20231216T162057Z\nx-oss-head1:value\n\n\nUNSIGNED-PAYLOAD",
        string_to_sign: "OSS4-HMAC-SHA256\n20231216T162057Z\n20231216/cn-hangzhou/oss/aliyun_v4_request\nf4613657f1b108998e8dbd10a1aa5da621dc2c6e02c9ddec0f163664848704c4",
        authorization: "OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request,Signature=e21d18daa82167720f9b1047ae7e7f1ce7cb77a31e8203a7d5f4624fa0284afe",
    });
}

#[test]
fn header_signing_with_sts_token() {
    check_header_vector(HeaderVector {
        unix: 1_702_784_856,
        token: Some("token"),
        additional: &[],
        canonical_request: "PUT\n/bucket/1234%2B-/123/1.txt\n%2Bparam1=value3&%2Bparam2&%7Cparam1=value4&%7Cparam2&param1=value1&param2\ncontent-type:text/plain\nx-oss-content-sha256:UNSIGNED-PAYLOAD\nx-oss-date:20231217T034736Z\nx-oss-head1:value\nx-oss-security-token:token\n\n\nUNSIGNED-PAYLOAD",
        string_to_sign: "OSS4-HMAC-SHA256\n20231217T034736Z\n20231217/cn-hangzhou/oss/aliyun_v4_request\n69494678fb11579d4ee12996e2796d9e2ba43c34aa4c723c4aec018f3d6b86b8",
        authorization: "OSS4-HMAC-SHA256 Credential=ak/20231217/cn-hangzhou/oss/aliyun_v4_request,Signature=b94a3f999cf85bcdc00d332fbd3734ba03e48382c36fa4d5af5df817395bd9ea",
    });
}

#[test]
fn header_signing_with_additional_headers() {
    for additional in [&["ZAbc", "abc"][..], &["x-oss-no-exist", "ZAbc", "x-oss-head1", "abc"][..]] {
        check_header_vector(HeaderVector {
            unix: 1_702_747_512,
            token: None,
            additional,
            canonical_request: "PUT\n/bucket/1234%2B-/123/1.txt\n%2Bparam1=value3&%2Bparam2&%7Cparam1=value4&%7Cparam2&param1=value1&param2\nabc:value\ncontent-type:text/plain\nx-oss-content-sha256:UNSIGNED-PAYLOAD\nx-oss-date:20231216T172512Z\nx-oss-head1:value\nzabc:value\n\nabc;zabc\nUNSIGNED-PAYLOAD",
            string_to_sign: "OSS4-HMAC-SHA256\n20231216T172512Z\n20231216/cn-hangzhou/oss/aliyun_v4_request\n16b86004ed2cc3406dd7a13081bd940ef6a5ad49e508da2d4fdf84e8a5dd2145",
            authorization: "OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request,AdditionalHeaders=abc;zabc,Signature=4a4183c187c07c8947db7620deb0a6b38d9fbdd34187b6dbaccb316fa251212f",
        });
    }
}

struct QueryVector {
    unix: i64,
    expires: u64,
    token: Option<&'static str>,
    additional: &'static [&'static str],
    canonical_query: &'static str,
    canonical_headers: &'static str,
    string_to_sign: &'static str,
    /// The SDK's URL query after the user's parameters, without the signature.
    presign_query: &'static str,
    signature: &'static str,
}

fn check_query_vector(vector: QueryVector) {
    let request = vector_request("application/octet-stream", vector.additional);
    let additional_used: Vec<&str> = if vector.additional.is_empty() { vec![] } else { vec!["abc", "zabc"] };
    assert_common_pieces(&request, &additional_used);
    let additional = v4::additional_header_names(&request.headers, &request.additional_headers).unwrap();
    assert_eq!(v4::canonical_headers(&request.headers, &additional), vector.canonical_headers);

    let timestamp = v4::timestamp(at(vector.unix));
    let scope = v4::scope(&timestamp[..8], "cn-hangzhou");
    assert_eq!(scope, SCOPE_1217);
    let mut all_pairs: Vec<(String, String)> = request.query.clone();
    all_pairs.push(("x-oss-signature-version".into(), "OSS4-HMAC-SHA256".into()));
    all_pairs.push(("x-oss-date".into(), timestamp.clone()));
    all_pairs.push(("x-oss-expires".into(), vector.expires.to_string()));
    all_pairs.push(("x-oss-credential".into(), format!("ak/{scope}")));
    if let Some(token) = vector.token {
        all_pairs.push(("x-oss-security-token".into(), token.into()));
    }
    if !additional.is_empty() {
        all_pairs.push(("x-oss-additional-headers".into(), additional.join(";")));
    }
    let query = v4::canonical_query(all_pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    assert_eq!(query, vector.canonical_query);
    let canonical_request = v4::canonical_request(
        "PUT",
        &v4::canonical_uri(Some("bucket"), Some(KEY)),
        &query,
        vector.canonical_headers,
        &additional,
        v4::UNSIGNED_PAYLOAD,
    );
    assert_eq!(v4::string_to_sign(&timestamp, &scope, &canonical_request), vector.string_to_sign);

    let presigned = signer(vector.token).presign(&endpoint(), &request, at(vector.unix), vector.expires).unwrap();
    let expected_url = format!(
        "http://bucket.oss-cn-hangzhou.aliyuncs.com/1234%2B-/123/1.txt?{USER_QUERY_URL}&{}&x-oss-signature={}",
        vector.presign_query, vector.signature
    );
    assert_eq!(presigned.url, expected_url);
    assert_eq!(presigned.expires_at, at(vector.unix + vector.expires as i64));
}

#[test]
fn query_signing() {
    check_query_vector(QueryVector {
        unix: 1_702_781_677,
        expires: 599,
        token: None,
        additional: &[],
        canonical_query: "%2Bparam1=value3&%2Bparam2&%7Cparam1=value4&%7Cparam2&param1=value1&param2&x-oss-credential=ak%2F20231217%2Fcn-hangzhou%2Foss%2Faliyun_v4_request&x-oss-date=20231217T025437Z&x-oss-expires=599&x-oss-signature-version=OSS4-HMAC-SHA256",
        canonical_headers: "content-type:application/octet-stream\nx-oss-head1:value\n",
        string_to_sign: "OSS4-HMAC-SHA256\n20231217T025437Z\n20231217/cn-hangzhou/oss/aliyun_v4_request\n48814c11f278d51662015bf2f896b66ca10b6de0187ed8d952e341bbce0aa336",
        presign_query: "x-oss-signature-version=OSS4-HMAC-SHA256&x-oss-date=20231217T025437Z&x-oss-expires=599&x-oss-credential=ak%2F20231217%2Fcn-hangzhou%2Foss%2Faliyun_v4_request",
        signature: "a39966c61718be0d5b14e668088b3fa07601033f6518ac7b523100014269c0fe",
    });
}

#[test]
fn query_signing_with_sts_token() {
    check_query_vector(QueryVector {
        unix: 1_702_785_388,
        expires: 599,
        token: Some("token"),
        additional: &[],
        canonical_query: "%2Bparam1=value3&%2Bparam2&%7Cparam1=value4&%7Cparam2&param1=value1&param2&x-oss-credential=ak%2F20231217%2Fcn-hangzhou%2Foss%2Faliyun_v4_request&x-oss-date=20231217T035628Z&x-oss-expires=599&x-oss-security-token=token&x-oss-signature-version=OSS4-HMAC-SHA256",
        canonical_headers: "content-type:application/octet-stream\nx-oss-head1:value\n",
        string_to_sign: "OSS4-HMAC-SHA256\n20231217T035628Z\n20231217/cn-hangzhou/oss/aliyun_v4_request\n458705026c021c95dd317d008cff79df19ce99bf2b241d1ecb20f4d65bb851a5",
        presign_query: "x-oss-signature-version=OSS4-HMAC-SHA256&x-oss-date=20231217T035628Z&x-oss-expires=599&x-oss-credential=ak%2F20231217%2Fcn-hangzhou%2Foss%2Faliyun_v4_request&x-oss-security-token=token",
        signature: "3817ac9d206cd6dfc90f1c09c00be45005602e55898f26f5ddb06d7892e1f8b5",
    });
}

#[test]
fn query_signing_with_additional_headers() {
    for additional in [&["ZAbc", "abc"][..], &["x-oss-no-exist", "ZAbc", "x-oss-head1", "abc"][..]] {
        check_query_vector(QueryVector {
            unix: 1_702_783_809,
            expires: 599,
            token: None,
            additional,
            canonical_query: "%2Bparam1=value3&%2Bparam2&%7Cparam1=value4&%7Cparam2&param1=value1&param2&x-oss-additional-headers=abc%3Bzabc&x-oss-credential=ak%2F20231217%2Fcn-hangzhou%2Foss%2Faliyun_v4_request&x-oss-date=20231217T033009Z&x-oss-expires=599&x-oss-signature-version=OSS4-HMAC-SHA256",
            canonical_headers: "abc:value\ncontent-type:application/octet-stream\nx-oss-head1:value\nzabc:value\n",
            string_to_sign: "OSS4-HMAC-SHA256\n20231217T033009Z\n20231217/cn-hangzhou/oss/aliyun_v4_request\ne06541af14a8dc30dd12d3b75557af47f405e37784a76eae1a844c3426777df9",
            presign_query: "x-oss-signature-version=OSS4-HMAC-SHA256&x-oss-date=20231217T033009Z&x-oss-expires=599&x-oss-credential=ak%2F20231217%2Fcn-hangzhou%2Foss%2Faliyun_v4_request&x-oss-additional-headers=abc%3Bzabc",
            signature: "6bd984bfe531afb6db1f7550983a741b103a8c58e5e14f83ea474c2322dfa2b7",
        });
    }
}

#[test]
fn query_signing_with_five_day_expiry() {
    check_query_vector(QueryVector {
        unix: 1_702_781_677,
        expires: 432_000,
        token: None,
        additional: &[],
        canonical_query: "%2Bparam1=value3&%2Bparam2&%7Cparam1=value4&%7Cparam2&param1=value1&param2&x-oss-credential=ak%2F20231217%2Fcn-hangzhou%2Foss%2Faliyun_v4_request&x-oss-date=20231217T025437Z&x-oss-expires=432000&x-oss-signature-version=OSS4-HMAC-SHA256",
        canonical_headers: "content-type:application/octet-stream\nx-oss-head1:value\n",
        string_to_sign: "OSS4-HMAC-SHA256\n20231217T025437Z\n20231217/cn-hangzhou/oss/aliyun_v4_request\n39c7f5784b29b48491317edd4b6c375e3df26979f1bdac8fc7de4c01cf6b7736",
        presign_query: "x-oss-signature-version=OSS4-HMAC-SHA256&x-oss-date=20231217T025437Z&x-oss-expires=432000&x-oss-credential=ak%2F20231217%2Fcn-hangzhou%2Foss%2Faliyun_v4_request",
        signature: "31029123dc7732d2d2cfd4006ea4fdb6cf86da6478f813e2bf8f87877c7b9fec",
    });
}

#[test]
fn signing_key_scope_for_the_header_vector_day() {
    assert_eq!(v4::scope("20231216", "cn-hangzhou"), SCOPE_1216);
    let key = v4::signing_key("sk", "20231216", "cn-hangzhou");
    assert_eq!(key.len(), 32);
    assert_ne!(key, v4::signing_key("sk", "20231217", "cn-hangzhou"));
}

/// reqsign's presign vector (apache/opendal-reqsign, services/aliyun-oss/src/sign_request.rs,
/// `test_v4_presign_signature_matches_golden_output`): `host` as an additional header is signed
/// with the URL's host, which the request itself never lists.
#[test]
fn reqsign_presign_vector_signs_the_host_of_the_url() {
    let credentials = Credentials::new("testid", Secret::new("yourAccessKeySecret")).unwrap();
    let signer = Signer::new(credentials, "cn-hangzhou").unwrap();
    let endpoint = Endpoint::parse("https://oss-cn-hangzhou.aliyuncs.com", Addressing::Virtual).unwrap();
    let mut request = OssRequest::object(Method::Get, "examplebucket", "exampleobject");
    request.additional_headers = vec!["host".to_owned()];
    let at = at(1_733_196_187);
    assert_eq!(v4::timestamp(at), "20241203T032307Z");

    let host = vec![("host".to_owned(), "examplebucket.oss-cn-hangzhou.aliyuncs.com".to_owned())];
    let additional = v4::additional_header_names(&host, &request.additional_headers).unwrap();
    let canonical_request = v4::canonical_request(
        "GET",
        &v4::canonical_uri(Some("examplebucket"), Some("exampleobject")),
        &v4::canonical_query([
            ("x-oss-signature-version", "OSS4-HMAC-SHA256"),
            ("x-oss-date", "20241203T032307Z"),
            ("x-oss-expires", "86400"),
            ("x-oss-credential", "testid/20241203/cn-hangzhou/oss/aliyun_v4_request"),
            ("x-oss-additional-headers", "host"),
        ]),
        &v4::canonical_headers(&host, &additional),
        &additional,
        v4::UNSIGNED_PAYLOAD,
    );
    assert_eq!(
        canonical_request,
        "GET\n/examplebucket/exampleobject\nx-oss-additional-headers=host&x-oss-credential=testid%2F20241203%2Fcn-hangzhou%2Foss%2Faliyun_v4_request&x-oss-date=20241203T032307Z&x-oss-expires=86400&x-oss-signature-version=OSS4-HMAC-SHA256\nhost:examplebucket.oss-cn-hangzhou.aliyuncs.com\n\nhost\nUNSIGNED-PAYLOAD"
    );

    let presigned = signer.presign(&endpoint, &request, at, 86_400).unwrap();
    assert_eq!(
        presigned.url,
        "https://examplebucket.oss-cn-hangzhou.aliyuncs.com/exampleobject?x-oss-signature-version=OSS4-HMAC-SHA256&x-oss-date=20241203T032307Z&x-oss-expires=86400&x-oss-credential=testid%2F20241203%2Fcn-hangzhou%2Foss%2Faliyun_v4_request&x-oss-additional-headers=host&x-oss-signature=a9ad2ce702a93c7c36ace35dd4e1b80cb76a999c890d7dfe78ff342a23dac8e0"
    );
}
