//! `ls`, `stat`, `rm` and `presign -r --csv` as a user runs them, against a real sandbox on loopback.

use std::process::{Command, Output};

use osslite_core::client::Body;
use osslite_core::ops::PutObjectOptions;
use osslite_core::profiles::Session;
use osslite_core::{Addressing, Credentials, Endpoint, Secret};
use osslite_sandbox::{crc64, AccessKey, Sandbox, SandboxConfig};

const KEY_ID: &str = "LTAI5tSandboxCliKey";
const CANARY_SECRET: &str = "CANARY-cli-sandbox-secret-31f8";

struct Fixture {
    runtime: tokio::runtime::Runtime,
    sandbox: Sandbox,
    _root: tempfile::TempDir,
}

const OBJECTS: &[(&str, &str)] = &[
    ("docs/readme.txt", "read me first"),
    ("docs/notes/2026 plan.txt", "a plan with spaces"),
    ("docs/notes/图表.png", "not really a png"),
    ("docs/raw/skip.txt", "excluded"),
    ("top.txt", "at the top"),
];

fn fixture() -> Fixture {
    let root = tempfile::tempdir().unwrap();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let config =
        SandboxConfig::new(root.path()).with_bucket("cli-bucket").with_key(AccessKey::new(KEY_ID, CANARY_SECRET));
    let sandbox = runtime.block_on(Sandbox::start(config)).unwrap();
    let endpoint = Endpoint::parse(sandbox.endpoint(), Addressing::Path).unwrap();
    let credentials = Credentials::new(KEY_ID, Secret::new(CANARY_SECRET)).unwrap();
    let session = Session::connect(endpoint, "cn-hangzhou", credentials, Default::default()).unwrap();
    runtime.block_on(async {
        for (key, content) in OBJECTS {
            let body = Body::from_bytes(content.as_bytes().to_vec());
            session.client.put_object("cli-bucket", key, body, &PutObjectOptions::default()).await.unwrap();
        }
    });
    Fixture { runtime, sandbox, _root: root }
}

impl Fixture {
    fn cli(&self, args: &[&str], secret: &str) -> Output {
        let output = Command::new(env!("CARGO_BIN_EXE_osslite-cli"))
            .args(args)
            .args(["--endpoint", self.sandbox.endpoint(), "--region", "cn-hangzhou", "--addressing", "path"])
            .env("OSS_ACCESS_KEY_ID", KEY_ID)
            .env("OSS_ACCESS_KEY_SECRET", secret)
            .env_remove("OSS_SESSION_TOKEN")
            .output()
            .unwrap();
        let all = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
        assert!(!all.contains(CANARY_SECRET), "the secret leaked: {all}");
        output
    }

    fn ok(&self, args: &[&str]) -> String {
        let output = self.cli(args, CANARY_SECRET);
        assert!(output.status.success(), "{args:?}: {}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8(output.stdout).unwrap()
    }
}

#[test]
fn ls_shows_buckets_folders_and_objects() {
    let f = fixture();
    assert!(f.ok(&["ls"]).contains("cli-bucket"));

    let top = f.ok(&["ls", "oss://cli-bucket/"]);
    assert!(top.contains("DIR") && top.contains("oss://cli-bucket/docs/"), "{top}");
    assert!(top.contains("oss://cli-bucket/top.txt"), "{top}");
    assert!(!top.contains("readme"), "non-recursive ls went into folders: {top}");

    let all: serde_json::Value =
        serde_json::from_str(&f.ok(&["ls", "oss://cli-bucket/docs/", "-r", "--json"])).unwrap();
    let keys: Vec<&str> = all.as_array().unwrap().iter().map(|e| e["key"].as_str().unwrap()).collect();
    assert_eq!(keys, ["docs/notes/2026 plan.txt", "docs/notes/图表.png", "docs/raw/skip.txt", "docs/readme.txt"]);
}

#[test]
fn stat_reports_size_and_the_crc_oss_computes() {
    let f = fixture();
    let text = f.ok(&["stat", "oss://cli-bucket/docs/notes/2026 plan.txt"]);
    assert!(text.contains("size:           18"), "{text}");
    assert!(text.contains(&format!("crc64ecma:      {}", crc64(b"a plan with spaces"))), "{text}");
}

#[test]
fn presign_recursive_writes_a_csv_whose_urls_fetch_the_objects() {
    let f = fixture();
    let dir = tempfile::tempdir().unwrap();
    let csv_path = dir.path().join("urls.csv");
    f.ok(&[
        "presign",
        "oss://cli-bucket/docs/",
        "-r",
        "--exclude",
        "raw/*",
        "--expires",
        "120",
        "--csv",
        csv_path.to_str().unwrap(),
    ]);
    let mut reader = csv::Reader::from_path(&csv_path).unwrap();
    assert_eq!(reader.headers().unwrap(), vec!["key", "url", "method", "expires_at", "size", "last_modified", "etag"]);
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    let keys: Vec<&str> = rows.iter().map(|r| &r[0]).collect();
    assert_eq!(keys, ["docs/notes/2026 plan.txt", "docs/notes/图表.png", "docs/readme.txt"]);
    for row in &rows {
        let expected = OBJECTS.iter().find(|(key, _)| *key == &row[0]).unwrap().1;
        let body = f.runtime.block_on(async { reqwest::get(&row[1]).await.unwrap().text().await.unwrap() });
        assert_eq!(body, expected, "{} fetched other bytes", &row[0]);
        assert_eq!(&row[4], expected.len().to_string());
    }

    let lines = f.ok(&["presign", "oss://cli-bucket/docs/", "-r", "--include", "*.txt"]);
    assert_eq!(lines.lines().count(), 3, "{lines}");
}

#[test]
fn rm_deletes_one_object_or_a_folder() {
    let f = fixture();
    f.ok(&["rm", "oss://cli-bucket/top.txt"]);
    let gone = f.cli(&["stat", "oss://cli-bucket/top.txt"], CANARY_SECRET);
    assert_eq!(gone.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&gone.stderr).contains("404"), "{}", String::from_utf8_lossy(&gone.stderr));

    assert!(f.ok(&["rm", "-r", "oss://cli-bucket/docs/"]).contains("deleted 4 objects"));
    assert_eq!(f.ok(&["ls", "oss://cli-bucket/", "-r", "--json"]).trim(), "[]");
    let whole_bucket = f.cli(&["rm", "-r", "oss://cli-bucket/"], CANARY_SECRET);
    assert_eq!(whole_bucket.status.code(), Some(2));
}

#[test]
fn a_wrong_secret_is_reported_with_the_oss_code() {
    let f = fixture();
    let output = f.cli(&["ls", "oss://cli-bucket/"], "not-the-secret");
    let message = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{message}");
    assert!(message.contains("SignatureDoesNotMatch") && message.contains("request id"), "{message}");
}

#[test]
fn presign_csv_neutralises_formulas_in_keys_unless_raw_csv() {
    let f = fixture();
    let endpoint = Endpoint::parse(f.sandbox.endpoint(), Addressing::Path).unwrap();
    let credentials = Credentials::new(KEY_ID, Secret::new(CANARY_SECRET)).unwrap();
    let session = Session::connect(endpoint, "cn-hangzhou", credentials, Default::default()).unwrap();
    let formula_key = "=cmd|' /C calc'!A0";
    f.runtime.block_on(async {
        let body = Body::from_bytes(b"formula".to_vec());
        session.client.put_object("cli-bucket", formula_key, body, &PutObjectOptions::default()).await.unwrap();
    });
    let dir = tempfile::tempdir().unwrap();
    let keys_in = |extra: &[&str]| {
        let csv_path = dir.path().join("urls.csv");
        let mut args =
            vec!["presign", "oss://cli-bucket/", "-r", "--include", "=*", "--csv", csv_path.to_str().unwrap()];
        args.extend_from_slice(extra);
        f.ok(&args);
        let mut reader = csv::Reader::from_path(&csv_path).unwrap();
        reader.records().map(|r| r.unwrap()[0].to_owned()).collect::<Vec<_>>()
    };
    assert_eq!(keys_in(&[]), [format!("'{formula_key}")]);
    assert_eq!(keys_in(&["--raw-csv"]), [formula_key.to_owned()]);
}

#[test]
fn ls_escapes_control_characters_in_keys_but_json_stays_raw() {
    let f = fixture();
    let endpoint = Endpoint::parse(f.sandbox.endpoint(), Addressing::Path).unwrap();
    let credentials = Credentials::new(KEY_ID, Secret::new(CANARY_SECRET)).unwrap();
    let session = Session::connect(endpoint, "cn-hangzhou", credentials, Default::default()).unwrap();
    let hostile = "ctl/\u{1b}[2Jcleared\nfake line\u{7f}.txt";
    f.runtime.block_on(async {
        let body = Body::from_bytes(b"hostile".to_vec());
        session.client.put_object("cli-bucket", hostile, body, &PutObjectOptions::default()).await.unwrap();
    });

    let text = f.ok(&["ls", "oss://cli-bucket/ctl/"]);
    assert!(text.contains(r"oss://cli-bucket/ctl/\x1b[2Jcleared\nfake line\x7f.txt"), "{text:?}");
    assert!(!text.contains('\u{1b}') && !text.contains('\u{7f}'), "{text:?}");
    assert_eq!(text.lines().count(), 1, "{text:?}");

    let json: serde_json::Value = serde_json::from_str(&f.ok(&["ls", "oss://cli-bucket/ctl/", "--json"])).unwrap();
    assert_eq!(json[0]["key"], hostile);
}

#[test]
fn a_wrong_local_clock_is_noted_on_stderr_and_signed_around() {
    let root = tempfile::tempdir().unwrap();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let config = SandboxConfig::new(root.path())
        .with_bucket("skew-bucket")
        .with_key(AccessKey::new(KEY_ID, CANARY_SECRET))
        .with_clock_offset_secs(1800);
    let sandbox = runtime.block_on(Sandbox::start(config)).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_osslite-cli"))
        .args(["ls", "--endpoint", sandbox.endpoint(), "--region", "cn-hangzhou", "--addressing", "path"])
        .env("OSS_ACCESS_KEY_ID", KEY_ID)
        .env("OSS_ACCESS_KEY_SECRET", CANARY_SECRET)
        .env_remove("OSS_SESSION_TOKEN")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "signed again with the server's time: {stderr}");
    assert!(String::from_utf8_lossy(&output.stdout).contains("skew-bucket"));
    assert!(stderr.contains("s behind the server's"), "{stderr}");
    assert!(stderr.contains("signed with the server's time"), "{stderr}");
}
