//! `osslite-cli presign` as a user runs it: output formats, exit codes and messages.

use std::process::{Command, Output};

const CANARY_SECRET: &str = "CANARY-cli-secret-5d1e";

fn presign(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_osslite-cli"));
    command.arg("presign").args(args).env_remove("OSS_ACCESS_KEY_ID").env_remove("OSS_ACCESS_KEY_SECRET");
    command.env_remove("OSS_SESSION_TOKEN").env_remove("RUST_BACKTRACE");
    for (name, value) in env {
        command.env(name, value);
    }
    command.output().expect("run osslite-cli")
}

fn with_keys(args: &[&str]) -> Output {
    presign(args, &[("OSS_ACCESS_KEY_ID", "ak"), ("OSS_ACCESS_KEY_SECRET", "sk")])
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// The SDK's `test_auth_query` vector (alibabacloud-oss-v2), given as command-line options.
const SDK_VECTOR_ARGS: &[&str] = &[
    "oss://bucket/1234+-/123/1.txt",
    "--region",
    "cn-hangzhou",
    "--endpoint",
    "http://oss-cn-hangzhou.aliyuncs.com",
    "--method",
    "PUT",
    "--expires",
    "599",
    "--at",
    "2023-12-17T10:54:37+08:00",
    "--query",
    "param1=value1",
    "--query",
    "+param1=value3",
    "--query",
    "|param1=value4",
    "--query",
    "+param2",
    "--query",
    "|param2",
    "--query",
    "param2",
    "--header",
    "x-oss-head1: value",
    "--header",
    "abc: value",
    "--header",
    "content-type: application/octet-stream",
];

#[test]
fn prints_the_url_the_official_sdk_signs_for_its_own_test_vector() {
    let output = with_keys(SDK_VECTOR_ARGS);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(
        stdout(&output).trim_end(),
        "http://bucket.oss-cn-hangzhou.aliyuncs.com/1234%2B-/123/1.txt?param1=value1&%2Bparam1=value3&%7Cparam1=value4\
         &%2Bparam2&%7Cparam2&param2&x-oss-signature-version=OSS4-HMAC-SHA256&x-oss-date=20231217T025437Z\
         &x-oss-expires=599&x-oss-credential=ak%2F20231217%2Fcn-hangzhou%2Foss%2Faliyun_v4_request\
         &x-oss-signature=a39966c61718be0d5b14e668088b3fa07601033f6518ac7b523100014269c0fe"
    );
}

#[test]
fn json_output_carries_method_expiry_and_the_headers_to_send() {
    let mut args = SDK_VECTOR_ARGS.to_vec();
    args.push("--json");
    let output = with_keys(&args);
    assert!(output.status.success(), "{}", stderr(&output));
    let json: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("JSON output");
    assert_eq!(json["method"], "PUT");
    assert_eq!(json["expiresAt"], "2023-12-17T03:04:36Z");
    assert_eq!(json["signedHeaders"]["content-type"], "application/octet-stream");
    assert_eq!(json["signedHeaders"]["x-oss-head1"], "value");
    assert!(json["url"]
        .as_str()
        .unwrap()
        .ends_with("a39966c61718be0d5b14e668088b3fa07601033f6518ac7b523100014269c0fe"));
}

#[test]
fn curl_output_uploads_a_file_with_every_signed_header() {
    let output = with_keys(&[
        "oss://bucket/docs/report.pdf",
        "--region",
        "cn-hangzhou",
        "--method",
        "PUT",
        "--content-type",
        "application/pdf",
        "--meta",
        "owner=alice",
        "--storage-class",
        "IA",
        "--curl",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let command = stdout(&output);
    assert!(command.starts_with("curl --fail-with-body -T 'FILE' "), "{command}");
    for header in ["-H 'Content-Type: application/pdf'", "-H 'x-oss-meta-owner: alice'", "-H 'x-oss-storage-class: IA'"]
    {
        assert!(command.contains(header), "{header} missing in {command}");
    }
    assert!(command.contains("'https://bucket.oss-cn-hangzhou.aliyuncs.com/docs/report.pdf?x-oss-signature-version="));
}

#[test]
fn sharing_options_become_signed_query_parameters() {
    let output = with_keys(&[
        "oss://bucket/photos/cat.jpg",
        "--region",
        "cn-hangzhou",
        "--version-id",
        "CAEQ+/=",
        "--process",
        "image/resize,w_200",
        "--download-as",
        "猫.jpg",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let url = stdout(&output);
    assert!(url.contains("?versionId=CAEQ%2B%2F%3D&x-oss-process=image%2Fresize%2Cw_200&"), "{url}");
    assert!(
        url.contains("response-content-disposition=attachment%3B%20filename%3D%22_.jpg%22%3B%20filename%2A%3DUTF-8%27%27%25E7%258C%25AB.jpg"),
        "{url}"
    );
}

#[test]
fn path_and_custom_domain_addressing_and_sts_tokens() {
    let path = with_keys(&["oss://bucket/a b", "--region", "cn-hangzhou", "--endpoint", "http://127.0.0.1:9000"]);
    assert!(stdout(&path).starts_with("http://127.0.0.1:9000/bucket/a%20b?"), "{}", stdout(&path));

    let cname = with_keys(&[
        "oss://bucket/k",
        "--region",
        "cn-hangzhou",
        "--addressing",
        "cname",
        "--endpoint",
        "https://static.example.com",
    ]);
    assert!(stdout(&cname).starts_with("https://static.example.com/k?"), "{}", stdout(&cname));

    let sts = presign(
        &["oss://bucket/k", "--region", "cn-hangzhou"],
        &[("OSS_ACCESS_KEY_ID", "STS.id"), ("OSS_ACCESS_KEY_SECRET", "sk"), ("OSS_SESSION_TOKEN", "tok+/=")],
    );
    assert!(stdout(&sts).contains("&x-oss-security-token=tok%2B%2F%3D&"), "{}", stdout(&sts));
}

#[test]
fn bad_input_exits_2_with_a_message_that_says_what_to_do() {
    let cases: &[(&[&str], &str)] = &[
        (&["oss://bucket/k", "--region", "cn-hangzhou", "--expires", "0"], "1 to 604800 seconds"),
        (&["oss://bucket/k", "--region", "cn-hangzhou", "--expires", "604801"], "1 to 604800 seconds"),
        (&["bucket/k", "--region", "cn-hangzhou"], "oss://BUCKET/KEY"),
        (&["oss://bucket/", "--region", "cn-hangzhou"], "names no object"),
        (&["oss://Bad_Bucket/k", "--region", "cn-hangzhou"], "not a valid bucket name"),
        (&["oss://bucket/k", "--region", "Hangzhou"], "region"),
        (&["oss://bucket/k", "--region", "cn-hangzhou", "--at", "yesterday"], "RFC 3339"),
        (&["oss://bucket/k", "--region", "cn-hangzhou", "--endpoint", "ftp://x"], "http:// or https://"),
        (&["oss://bucket/k", "--region", "cn-hangzhou", "--addressing", "cname"], "custom domain"),
        (&["oss://bucket/k", "--region", "cn-hangzhou", "--header", "novalue"], "'Name: value'"),
        (&["oss://bucket/k", "--region", "cn-hangzhou", "--meta", "x=y"], "PUT"),
        (&["oss://bucket/k", "--region", "cn-hangzhou", "--query", "x-oss-signature=1"], "written by the signer"),
        (&["oss://bucket/k", "--region", "cn-hangzhou", "--method", "DELETE"], "invalid value"),
        (&["oss://bucket/k"], "--region"),
    ];
    for (args, expected) in cases {
        let output = presign(args, &[("OSS_ACCESS_KEY_ID", "ak"), ("OSS_ACCESS_KEY_SECRET", CANARY_SECRET)]);
        let message = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {message}");
        assert!(message.contains(expected), "{args:?}: expected '{expected}' in: {message}");
        assert!(stdout(&output).is_empty(), "{args:?} printed to stdout");
        assert!(!message.contains("panicked") && !message.contains("RUST_BACKTRACE"), "{message}");
        assert!(!message.contains(CANARY_SECRET), "the secret leaked: {message}");
    }
}

#[test]
fn missing_credentials_name_the_environment_variables() {
    let output = presign(&["oss://bucket/k", "--region", "cn-hangzhou"], &[("OSS_ACCESS_KEY_ID", "ak")]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("OSS_ACCESS_KEY_SECRET is not set"), "{}", stderr(&output));
}

#[test]
fn the_secret_never_appears_in_any_output() {
    let env = [("OSS_ACCESS_KEY_ID", "ak"), ("OSS_ACCESS_KEY_SECRET", CANARY_SECRET), ("OSS_SESSION_TOKEN", "tok")];
    for extra in [&[][..], &["--json"][..], &["--curl"][..]] {
        let mut args = vec!["oss://bucket/k", "--region", "cn-hangzhou"];
        args.extend_from_slice(extra);
        let output = presign(&args, &env);
        assert!(output.status.success());
        assert!(!stdout(&output).contains(CANARY_SECRET) && !stderr(&output).contains(CANARY_SECRET));
    }
}

#[test]
fn additional_header_host_signs_the_url_host_as_reqsign_does() {
    // reqsign's presign vector (apache/opendal-reqsign, services/aliyun-oss).
    let output = presign(
        &[
            "oss://examplebucket/exampleobject",
            "--region",
            "cn-hangzhou",
            "--expires",
            "86400",
            "--at",
            "2024-12-03T03:23:07Z",
            "--additional-header",
            "host",
        ],
        &[("OSS_ACCESS_KEY_ID", "testid"), ("OSS_ACCESS_KEY_SECRET", "yourAccessKeySecret")],
    );
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stdout(&output)
            .trim()
            .ends_with("&x-oss-signature=a9ad2ce702a93c7c36ace35dd4e1b80cb76a999c890d7dfe78ff342a23dac8e0"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn an_additional_header_that_is_not_sent_is_an_error_naming_it() {
    let output = with_keys(&["oss://bucket/k", "--region", "cn-hangzhou", "--additional-header", "Cache-Control"]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(stderr(&output).contains("'cache-control'"), "{}", stderr(&output));
    let sent = with_keys(&[
        "oss://bucket/k",
        "--region",
        "cn-hangzhou",
        "--additional-header",
        "Cache-Control",
        "--header",
        "Cache-Control: no-cache",
    ]);
    assert!(sent.status.success(), "{}", stderr(&sent));
    assert!(stdout(&sent).contains("x-oss-additional-headers=cache-control&"), "{}", stdout(&sent));
}
