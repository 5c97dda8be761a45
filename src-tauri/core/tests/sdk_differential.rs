//! Differential test: random requests signed by us and by the official SDK alibabacloud-oss-v2
//! (tests/sdk/sign_oracle.py) under the same frozen clock must agree byte for byte: the whole
//! presigned URL, or the Authorization header and URL path for header signing.
//!
//! Needs the SDK's virtualenv (`make sdk-venv`, done by `make test`). `OSSLITE_DIFF_SEED` replays
//! a run; `OSSLITE_DIFF_CASES` sets how many cases (default 1500).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use chrono::{TimeZone, Utc};
use osslite_core::{Addressing, Credentials, Endpoint, Method, OssRequest, Secret, Signer};
use rand::rngs::SmallRng;
use rand::seq::{IndexedRandom, SliceRandom};
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};

#[derive(Serialize, Debug, Clone)]
#[serde(rename_all = "camelCase")]
struct Case {
    id: usize,
    mode: &'static str,
    method: &'static str,
    endpoint: String,
    addressing: &'static str,
    region: &'static str,
    bucket: String,
    key: String,
    query: Vec<(String, String)>,
    headers: Vec<(String, String)>,
    additional_headers: Vec<String>,
    access_key_id: String,
    access_key_secret: String,
    security_token: Option<String>,
    at: i64,
    expires: u64,
}

#[derive(Deserialize, Debug)]
struct SdkAnswer {
    id: usize,
    url: String,
    authorization: Option<String>,
}

const REGIONS: [&str; 6] = ["cn-hangzhou", "cn-shanghai", "cn-beijing", "ap-southeast-1", "us-west-1", "eu-central-1"];
const ENDPOINTS: [&str; 6] = [
    "oss-cn-hangzhou.aliyuncs.com",
    "https://oss-cn-shanghai.aliyuncs.com",
    "http://oss-cn-beijing-internal.aliyuncs.com",
    "http://127.0.0.1:9000",
    "localhost:8080",
    "oss-accelerate.aliyuncs.com",
];
const CNAME_ENDPOINTS: [&str; 3] = ["static.example.com", "http://cdn.example.org", "https://files.example.net:8443"];
const QUERY_NAMES: [&str; 10] = [
    "versionId",
    "x-oss-process",
    "response-content-disposition",
    "response-content-type",
    "response-cache-control",
    "uploadId",
    "partNumber",
    "acl",
    "Zeta",
    "alpha",
];
const HEADER_NAMES: [&str; 10] = [
    "Content-Type",
    "content-md5",
    "x-oss-storage-class",
    "X-Oss-Forbid-Overwrite",
    "Cache-Control",
    "Content-Disposition",
    "x-custom-note",
    "If-Match",
    "Content-Language",
    "Expires",
];
/// Key and value material: the characters that trip encoders.
const TRICKY: [&str; 24] = [
    " ", "+", "%", "~", "/", "//", "=", "&", "?", "#", ";", ":", "@", "!", "*", "'", "(", ")", "中文", "é", "😀",
    "%2F", "..", "\u{3000}",
];

fn random_text(rng: &mut SmallRng, max_len: usize, slashes: bool) -> String {
    let target = rng.random_range(1..=max_len.max(1));
    let mut text = String::new();
    while text.len() < target {
        let piece: String = match rng.random_range(0..10) {
            0..=5 => (0..rng.random_range(1..8)).map(|_| rng.random_range(b'a'..=b'z') as char).collect(),
            6 => rng.random_range(0..1000).to_string(),
            _ => TRICKY.choose(rng).unwrap().to_string(),
        };
        if !slashes && piece.contains('/') {
            continue;
        }
        text.push_str(&piece);
    }
    while text.len() > max_len {
        text.pop();
    }
    text
}

fn random_key(rng: &mut SmallRng) -> String {
    let mut key = match rng.random_range(0..10) {
        0 => format!("/{}", random_text(rng, 60, true)),
        1 => format!("a//{}", random_text(rng, 60, true)),
        2 => random_text(rng, 1023, true),
        _ => random_text(rng, 120, true),
    };
    while key.len() > 1023 {
        key.pop();
    }
    key
}

fn random_bucket(rng: &mut SmallRng) -> String {
    let len = rng.random_range(3..=63);
    let mut name: String =
        (0..len).map(|_| *b"abcdefghijklmnopqrstuvwxyz0123456789-".choose(rng).unwrap() as char).collect();
    name.replace_range(0..1, "b");
    name.replace_range(len - 1..len, "0");
    name
}

fn random_header_value(rng: &mut SmallRng) -> String {
    let len = rng.random_range(1..40);
    let mut value: String = (0..len).map(|_| rng.random_range(b' '..=b'~') as char).collect();
    if rng.random_bool(0.2) {
        value = format!("  {value} ");
    }
    value
}

fn random_case(rng: &mut SmallRng, id: usize) -> Case {
    let addressing = *["virtual", "path", "cname"].choose(rng).unwrap();
    let endpoint =
        if addressing == "cname" { CNAME_ENDPOINTS.choose(rng) } else { ENDPOINTS.choose(rng) }.unwrap().to_string();

    let mut query = Vec::new();
    let mut names: Vec<String> = QUERY_NAMES.iter().map(|s| s.to_string()).collect();
    names.extend((0..4).map(|_| random_text(rng, 20, true)));
    names.shuffle(rng);
    for name in names.into_iter().take(rng.random_range(0..6)) {
        if query.iter().any(|(n, _): &(String, String)| *n == name) || name.to_ascii_lowercase().starts_with("x-oss-s")
        {
            continue;
        }
        let value = if rng.random_bool(0.25) { String::new() } else { random_text(rng, 80, true) };
        query.push((name, value));
    }

    let mut headers = Vec::new();
    let mut header_names: Vec<String> = HEADER_NAMES.iter().map(|s| s.to_string()).collect();
    header_names.extend((0..3).map(|i| {
        format!("X-Oss-Meta-{}{i}", random_text(rng, 8, false).replace(|c: char| !c.is_ascii_alphanumeric(), ""))
    }));
    header_names.shuffle(rng);
    for name in header_names.into_iter().take(rng.random_range(0..6)) {
        headers.push((name, random_header_value(rng)));
    }

    let mut additional = Vec::new();
    for (name, _) in &headers {
        match rng.random_range(0..4) {
            0 => additional.push(name.to_ascii_uppercase()),
            1 => additional.push(name.clone()),
            _ => {}
        }
    }
    let bucket = random_bucket(rng);
    for extra in ["host", "x-oss-meta-absent", "content-type", "not-sent"] {
        if rng.random_bool(0.15) {
            additional.push(extra.to_string());
        }
    }
    if additional.iter().any(|name| name == "host") {
        // The SDK signs only headers it is handed; we take the host from the URL (see sign_ourselves).
        let endpoint = Endpoint::parse(&endpoint, addressing.parse::<Addressing>().unwrap()).unwrap();
        headers.push(("Host".to_string(), endpoint.host_for(Some(&bucket))));
    }
    let mode = if rng.random_bool(0.6) { "query" } else { "header" };
    if mode == "header" && rng.random_bool(0.1) {
        additional.push("date".to_string());
    }

    let token_chars = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=";
    let expires = match rng.random_range(0..10) {
        0 => 1,
        1 => 604_800,
        _ => rng.random_range(1..=604_800),
    };
    Case {
        id,
        mode,
        method: ["GET", "PUT", "HEAD"].choose(rng).unwrap(),
        endpoint,
        addressing,
        region: REGIONS.choose(rng).unwrap(),
        bucket,
        key: random_key(rng),
        query,
        headers,
        additional_headers: additional,
        access_key_id: format!(
            "LTAI{}",
            (0..rng.random_range(12..24)).map(|_| rng.random_range(b'A'..=b'Z') as char).collect::<String>()
        ),
        access_key_secret: (0..30).map(|_| *token_chars.choose(rng).unwrap() as char).collect(),
        security_token: rng
            .random_bool(0.4)
            .then(|| (0..rng.random_range(20..300)).map(|_| *token_chars.choose(rng).unwrap() as char).collect()),
        at: rng.random_range(1_577_836_800..1_893_456_000),
        expires,
    }
}

struct Ours {
    url: String,
    authorization: Option<String>,
}

/// The first additional header (lower-cased) that is not signed by default and that the request
/// will not carry: we refuse to sign such a request, where the SDK drops the name.
fn absent_additional_header(case: &Case) -> Option<String> {
    case.additional_headers.iter().map(|name| name.to_ascii_lowercase()).find(|name| {
        let carried = case.headers.iter().any(|(n, v)| n.eq_ignore_ascii_case(name) && !v.is_empty())
            || (case.mode == "header" && name == "date");
        !name.starts_with("x-oss-") && name != "content-type" && name != "content-md5" && !carried
    })
}

fn sign_ourselves(case: &Case) -> osslite_core::Result<Ours> {
    let mut credentials = Credentials::new(&case.access_key_id, Secret::new(&case.access_key_secret)).unwrap();
    if let Some(token) = &case.security_token {
        credentials = credentials.with_security_token(Secret::new(token));
    }
    let signer = Signer::new(credentials, case.region).unwrap();
    let addressing: Addressing = case.addressing.parse().unwrap();
    let endpoint = Endpoint::parse(&case.endpoint, addressing).unwrap();
    let method: Method = case.method.parse().unwrap();
    let mut request = OssRequest::object(method, &case.bucket, &case.key);
    request.query = case.query.clone();
    request.headers = case.headers.clone();
    request.additional_headers = case.additional_headers.clone();
    let at = Utc.timestamp_opt(case.at, 0).unwrap();
    if case.mode == "query" {
        // A presigned URL signs `host` from the URL itself: the SDK is handed it explicitly.
        request.headers.retain(|(name, _)| !name.eq_ignore_ascii_case("host"));
        let presigned = signer.presign(&endpoint, &request, at, case.expires)?;
        Ok(Ours { url: presigned.url, authorization: None })
    } else {
        signer.sign_headers(&mut request, at)?;
        Ok(Ours {
            url: endpoint.url(Some(&case.bucket), Some(&case.key)),
            authorization: request.header("Authorization").map(str::to_owned),
        })
    }
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().unwrap()
}

fn sdk_python() -> PathBuf {
    let python = std::env::var_os("OSSLITE_SDK_PYTHON")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo_root().join("target/sdk-venv/bin/python"));
    assert!(
        python.exists(),
        "the official SDK's virtualenv is missing at {}: run `make sdk-venv` (make test does it)",
        python.display()
    );
    python
}

fn ask_sdk(cases: &[Case]) -> Vec<SdkAnswer> {
    let mut child = Command::new(sdk_python())
        .arg(repo_root().join("tests/sdk/sign_oracle.py"))
        .env("TZ", "UTC")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start the SDK oracle");
    let input = serde_json::to_vec(cases).unwrap();
    child.stdin.take().unwrap().write_all(&input).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "the SDK oracle failed: {:?}", output.status);
    serde_json::from_slice(&output.stdout).expect("the oracle's answer is JSON")
}

#[test]
fn needs_sdk_random_requests_sign_exactly_as_the_official_sdk_signs_them() {
    let seed: u64 = std::env::var("OSSLITE_DIFF_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| Utc::now().timestamp_nanos_opt().unwrap_or_default() as u64);
    let count: usize = std::env::var("OSSLITE_DIFF_CASES").ok().and_then(|s| s.parse().ok()).unwrap_or(1500);
    println!("differential signing: {count} cases, OSSLITE_DIFF_SEED={seed}");
    let mut rng = SmallRng::seed_from_u64(seed);
    let cases: Vec<Case> = (0..count).map(|id| random_case(&mut rng, id)).collect();
    let answers = ask_sdk(&cases);
    assert_eq!(answers.len(), cases.len());

    let mut mismatches = Vec::new();
    let mut refused_cases = 0usize;
    for (case, sdk) in cases.iter().zip(&answers) {
        assert_eq!(case.id, sdk.id);
        let ours = sign_ourselves(case);
        if let Some(absent) = absent_additional_header(case) {
            let refused = ours.as_ref().err().map(ToString::to_string).unwrap_or_default();
            if !refused.contains(&format!("'{absent}'")) {
                mismatches.push(format!("case {}: signed although additional header '{absent}' is absent", case.id));
            }
            refused_cases += 1;
            continue;
        }
        let ours = match ours {
            Ok(ours) => ours,
            Err(err) => {
                mismatches.push(format!("case {}: refused: {err}", case.id));
                continue;
            }
        };
        let agrees = if case.mode == "query" {
            ours.url == sdk.url
        } else {
            ours.authorization == sdk.authorization && sdk.url.split('?').next() == Some(ours.url.as_str())
        };
        if !agrees {
            mismatches.push(format!(
                "case {}\n  input: {}\n  sdk:  {} | {:?}\n  ours: {} | {:?}",
                case.id,
                serde_json::to_string(case).unwrap(),
                sdk.url,
                sdk.authorization,
                ours.url,
                ours.authorization
            ));
        }
    }
    let query_cases = cases.iter().filter(|c| c.mode == "query").count();
    let host_cases = cases.iter().filter(|c| c.additional_headers.iter().any(|n| n == "host")).count();
    println!(
        "{query_cases} presigned URLs and {} Authorization headers, {host_cases} signing host; {refused_cases} refused for an absent additional header (not compared)",
        cases.len() - query_cases
    );
    assert!(
        mismatches.is_empty(),
        "{} of {count} cases differ from alibabacloud-oss-v2 (replay with OSSLITE_DIFF_SEED={seed}):\n{}",
        mismatches.len(),
        mismatches.iter().take(5).cloned().collect::<Vec<_>>().join("\n")
    );
}
