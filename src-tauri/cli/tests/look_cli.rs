//! `find`, `ls --versions`, `versioning` and `--version-id` on `stat`, `rm` and `cp`, driving the
//! binary against a sandbox on loopback.

use std::process::{Command, Output};

use osslite_core::client::Body;
use osslite_core::ops::PutObjectOptions;
use osslite_core::profiles::Session;
use osslite_core::{Addressing, Credentials, Endpoint, Secret};
use osslite_sandbox::{AccessKey, Sandbox, SandboxConfig};

const KEY_ID: &str = "LTAI5tLookCliKey";
const SECRET: &str = "look-cli-secret";
const BUCKET: &str = "look-bucket";

struct Fixture {
    runtime: tokio::runtime::Runtime,
    sandbox: Sandbox,
    session: Session,
    root: tempfile::TempDir,
}

fn fixture(objects: &[(&str, &str)]) -> Fixture {
    let root = tempfile::tempdir().unwrap();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let config =
        SandboxConfig::new(root.path().join("data")).with_bucket(BUCKET).with_key(AccessKey::new(KEY_ID, SECRET));
    let sandbox = runtime.block_on(Sandbox::start(config)).unwrap();
    let endpoint = Endpoint::parse(sandbox.endpoint(), Addressing::Path).unwrap();
    let credentials = Credentials::new(KEY_ID, Secret::new(SECRET)).unwrap();
    let session = Session::connect(endpoint, "cn-hangzhou", credentials, Default::default()).unwrap();
    let fixture = Fixture { runtime, sandbox, session, root };
    for (key, content) in objects {
        fixture.put(key, content);
    }
    fixture
}

impl Fixture {
    fn put(&self, key: &str, content: &str) -> Option<String> {
        let body = Body::from_bytes(content.as_bytes().to_vec());
        let options = PutObjectOptions::default();
        let put = self.session.client.put_object(BUCKET, key, body, &options);
        self.runtime.block_on(put).unwrap().version_id
    }

    fn cli(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_osslite-cli"))
            .args(args)
            .args(["--endpoint", self.sandbox.endpoint(), "--region", "cn-hangzhou", "--addressing", "path"])
            .env("OSS_ACCESS_KEY_ID", KEY_ID)
            .env("OSS_ACCESS_KEY_SECRET", SECRET)
            .env_remove("OSS_SESSION_TOKEN")
            .output()
            .unwrap()
    }

    fn ok(&self, args: &[&str]) -> String {
        let output = self.cli(args);
        assert!(output.status.success(), "{args:?}: {}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8(output.stdout).unwrap()
    }
}

#[test]
fn find_prints_nested_matches_as_lines_or_json() {
    let f = fixture(&[
        ("p/a/cat.jpg", "xxxxxxxxxx"),
        ("p/a/b/dog.png", "x"),
        ("p/a/b/cat-notes.txt", "xxxxx"),
        ("q/cat.jpg", "x"),
    ]);
    let lines = f.ok(&["find", "oss://look-bucket/p/", "--name", "*.jpg", "--name", "*.png"]);
    assert_eq!(lines.lines().collect::<Vec<_>>(), ["p/a/b/dog.png", "p/a/cat.jpg"]);
    let small_cats = f.ok(&["find", "oss://look-bucket/", "--contains", "cat", "--max-size", "5", "--newer", "1h"]);
    assert_eq!(small_cats.lines().collect::<Vec<_>>(), ["p/a/b/cat-notes.txt", "q/cat.jpg"]);
    let json = f.ok(&["find", "oss://look-bucket/p/", "--min-size", "10", "--class", "standard", "--json"]);
    let hit: serde_json::Value = serde_json::from_str(json.trim()).unwrap();
    assert_eq!((hit["key"].as_str(), hit["size"].as_u64()), (Some("p/a/cat.jpg"), Some(10)));
    assert_eq!(hit["storage_class"].as_str(), Some("Standard"));
    assert!(hit["etag"].as_str().is_some_and(|e| !e.is_empty()) && hit["last_modified"].is_string());

    let capped = f.cli(&["find", "oss://look-bucket/", "--max-scan", "2"]);
    assert!(capped.status.success());
    assert_eq!(String::from_utf8_lossy(&capped.stdout).lines().count(), 2);
    assert!(String::from_utf8_lossy(&capped.stderr).contains("raise --max-scan"));
    let bad = f.cli(&["find", "oss://look-bucket/", "--newer", "last week"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("RFC 3339"));
}

#[test]
fn versions_from_the_command_line() {
    let f = fixture(&[]);
    assert_eq!(f.ok(&["versioning", "oss://look-bucket"]).trim(), "Off");
    assert_eq!(f.ok(&["versioning", "oss://look-bucket", "enable"]).trim(), "Enabled");
    let first = f.put("doc.txt", "first").unwrap();
    f.put("doc.txt", "second");
    f.put("doc.txt", "third");

    let listed: serde_json::Value =
        serde_json::from_str(&f.ok(&["ls", "--versions", "oss://look-bucket/doc.txt", "--json"])).unwrap();
    let versions = listed.as_array().unwrap();
    assert_eq!(versions.len(), 3);
    assert_eq!(versions[2]["versionId"].as_str(), Some(first.as_str()));
    assert_eq!(versions[0]["isLatest"].as_bool(), Some(true));
    assert!(f.ok(&["ls", "--versions", "oss://look-bucket/"]).contains(&first));

    let stat = f.ok(&["stat", "oss://look-bucket/doc.txt", "--version-id", &first]);
    assert!(stat.contains("size:           5") && stat.contains(&first), "{stat}");

    let target = f.root.path().join("first.txt");
    let target_text = target.to_str().unwrap();
    f.ok(&["cp", "--version-id", &first, "oss://look-bucket/doc.txt", target_text]);
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "first");
    let exists = f.cli(&["cp", "--version-id", &first, "oss://look-bucket/doc.txt", target_text]);
    assert!(!exists.status.success() && String::from_utf8_lossy(&exists.stderr).contains("exists"));

    f.ok(&["rm", "oss://look-bucket/doc.txt", "--version-id", &first]);
    let after = f.ok(&["ls", "--versions", "oss://look-bucket/doc.txt"]);
    assert!(!after.contains(&first) && after.lines().count() == 2, "{after}");
    let gone = f.cli(&["stat", "oss://look-bucket/doc.txt", "--version-id", &first]);
    assert_eq!(gone.status.code(), Some(1));

    assert_eq!(f.ok(&["versioning", "oss://look-bucket", "suspend"]).trim(), "Suspended");
}
