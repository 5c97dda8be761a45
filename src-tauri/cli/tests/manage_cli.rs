//! `mv`, server-side `cp`, `set-meta`, `set-acl`, `set-class`, `du`, `mb`, `rb` and `stat --json`
//! as a user runs them, against a real sandbox on loopback.

use std::process::{Command, Output};

use osslite_core::client::{Body, Client};
use osslite_core::ops::PutObjectOptions;
use osslite_core::profiles::Session;
use osslite_core::xml::ObjectAcl;
use osslite_core::{Addressing, Credentials, Endpoint, Secret};
use osslite_sandbox::{AccessKey, Sandbox, SandboxConfig};

const KEY_ID: &str = "LTAI5tManageCliKey";
const SECRET: &str = "CANARY-manage-cli-secret-7d21";
const BUCKET: &str = "cli-manage";

struct Fixture {
    runtime: tokio::runtime::Runtime,
    sandbox: Sandbox,
    client: Client,
    checkpoints: tempfile::TempDir,
    _root: tempfile::TempDir,
}

fn fixture() -> Fixture {
    fixture_with(|config| config)
}

fn fixture_with(configure: impl FnOnce(SandboxConfig) -> SandboxConfig) -> Fixture {
    let root = tempfile::tempdir().unwrap();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let config = SandboxConfig::new(root.path()).with_bucket(BUCKET).with_key(AccessKey::new(KEY_ID, SECRET));
    let config = configure(config);
    let sandbox = runtime.block_on(Sandbox::start(config)).unwrap();
    let endpoint = Endpoint::parse(sandbox.endpoint(), Addressing::Path).unwrap();
    let credentials = Credentials::new(KEY_ID, Secret::new(SECRET)).unwrap();
    let client = Session::connect(endpoint, "cn-hangzhou", credentials, Default::default()).unwrap().client;
    Fixture { runtime, sandbox, client, checkpoints: tempfile::tempdir().unwrap(), _root: root }
}

impl Fixture {
    fn cli(&self, args: &[&str]) -> Output {
        let job_command = ["mv", "cp", "set-meta", "set-acl", "set-class", "restore"].contains(&args[0]);
        let mut command = Command::new(env!("CARGO_BIN_EXE_osslite-cli"));
        command
            .args(args)
            .args(["--endpoint", self.sandbox.endpoint(), "--region", "cn-hangzhou", "--addressing", "path"])
            .env("OSS_ACCESS_KEY_ID", KEY_ID)
            .env("OSS_ACCESS_KEY_SECRET", SECRET)
            .env_remove("OSS_SESSION_TOKEN");
        if job_command {
            command.arg("--checkpoint-dir").arg(self.checkpoints.path());
        }
        let output = command.output().unwrap();
        let all = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
        assert!(!all.contains(SECRET), "the secret leaked: {all}");
        output
    }

    fn ok(&self, args: &[&str]) -> String {
        let output = self.cli(args);
        assert!(output.status.success(), "{args:?}: {}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8(output.stdout).unwrap()
    }

    /// The exit code and stderr of a command that must fail.
    fn fails(&self, args: &[&str]) -> (i32, String) {
        let output = self.cli(args);
        assert!(!output.status.success(), "{args:?} succeeded");
        (output.status.code().unwrap_or(-1), String::from_utf8_lossy(&output.stderr).into_owned())
    }

    fn put(&self, key: &str, body: &str, options: &PutObjectOptions) {
        let body = Body::from_bytes(body.as_bytes().to_vec());
        self.runtime.block_on(self.client.put_object(BUCKET, key, body, options)).unwrap();
    }

    fn stat(&self, key: &str) -> serde_json::Value {
        serde_json::from_str(&self.ok(&["stat", &format!("oss://{BUCKET}/{key}"), "--json"])).unwrap()
    }

    fn exists(&self, key: &str) -> bool {
        self.runtime.block_on(self.client.head_object(BUCKET, key)).is_ok()
    }
}

#[test]
fn mv_renames_a_folder_keeping_metadata_acl_and_class() {
    let f = fixture();
    let rich = PutObjectOptions::default().with_meta("owner", "alice").with_storage_class("IA");
    for key in ["old/a.txt", "old/b.txt", "old/sub/c.txt"] {
        f.put(key, key, &rich);
    }
    f.runtime.block_on(f.client.put_object_acl(BUCKET, "old/a.txt", ObjectAcl::PublicRead)).unwrap();
    f.ok(&["mv", "-r", "oss://cli-manage/old/", "oss://cli-manage/new/"]);
    assert!(!f.exists("old/a.txt") && !f.exists("old/sub/c.txt"));
    let stat = f.stat("new/a.txt");
    assert_eq!(stat["acl"], "public-read");
    assert_eq!(stat["storageClass"], "IA");
    assert_eq!(stat["restore"], serde_json::Value::Null);
    assert_eq!(stat["metadata"][0], serde_json::json!(["owner", "alice"]));
    assert_eq!(f.stat("new/sub/c.txt")["acl"], "default");

    let (code, stderr) = f.fails(&["mv", "-r", "oss://cli-manage/new/", "oss://cli-manage/new/inner/"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("cannot go into itself"), "{stderr}");
}

#[test]
fn cp_between_oss_paths_copies_on_the_server_with_conflict_choices() {
    let f = fixture();
    f.put("a.txt", "new", &PutObjectOptions::default());
    f.put("dir/a.txt", "old", &PutObjectOptions::default());
    let (code, stderr) = f.fails(&["cp", "oss://cli-manage/a.txt", "oss://cli-manage/dir/"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("exists already"), "{stderr}");
    assert!(stderr.contains("failed: oss://cli-manage/a.txt"), "{stderr}");
    f.ok(&["cp", "oss://cli-manage/a.txt", "oss://cli-manage/dir/", "--on-conflict", "rename"]);
    assert!(f.exists("dir/a (1).txt") && f.exists("a.txt"));
    f.ok(&["mv", "oss://cli-manage/a.txt", "oss://cli-manage/dir/", "--on-conflict", "overwrite"]);
    assert!(!f.exists("a.txt"));
    assert_eq!(f.stat("dir/a.txt")["contentLength"], 3);
}

#[test]
fn set_meta_acl_and_class_then_du_counts_by_class() {
    let f = fixture();
    let options = PutObjectOptions::default().with_meta("keep", "1").with_meta("drop", "2");
    f.put("site/index.html", "12345", &options);
    f.put("site/app.js", "1234567", &options);
    f.ok(&[
        "set-meta",
        "-r",
        "oss://cli-manage/site/",
        "--content-type",
        "text/x-test",
        "--cache-control",
        "max-age=5",
        "--meta",
        "new=3",
        "--remove-meta",
        "drop",
    ]);
    let stat = f.stat("site/app.js");
    assert_eq!(stat["contentType"], "text/x-test");
    assert_eq!(stat["cacheControl"], "max-age=5");
    assert_eq!(stat["metadata"], serde_json::json!([["keep", "1"], ["new", "3"]]));

    f.ok(&["set-acl", "oss://cli-manage/site/index.html", "public-read"]);
    assert_eq!(f.stat("site/index.html")["acl"], "public-read");
    f.ok(&["set-class", "oss://cli-manage/site/app.js", "IA"]);
    assert_eq!(f.stat("site/app.js")["storageClass"], "IA");
    assert_eq!(f.stat("site/app.js")["contentType"], "text/x-test");

    let du: serde_json::Value = serde_json::from_str(&f.ok(&["du", "oss://cli-manage/site/", "--json"])).unwrap();
    assert_eq!(
        du,
        serde_json::json!({"objects": 2, "bytes": 12, "byClass": {
            "IA": {"objects": 1, "bytes": 7}, "Standard": {"objects": 1, "bytes": 5}}})
    );
    let (code, stderr) = f.fails(&["set-meta", "oss://cli-manage/site/app.js"]);
    assert_eq!(code, 2, "{stderr}");
}

#[test]
fn mb_and_rb_create_and_delete_only_empty_buckets() {
    let f = fixture();
    f.ok(&["mb", "oss://cli-new-bucket", "--storage-class", "IA", "--acl", "private"]);
    assert!(f.ok(&["ls"]).contains("cli-new-bucket"));
    let (code, stderr) = f.fails(&["mb", "oss://Bad_Bucket"]);
    assert_eq!(code, 2, "{stderr}");
    f.put("x.txt", "x", &PutObjectOptions::default());
    let (code, stderr) = f.fails(&["rb", "oss://cli-manage"]);
    assert_eq!(code, 1);
    assert!(stderr.contains("still holds objects"), "{stderr}");
    f.ok(&["rb", "oss://cli-new-bucket"]);
    assert!(!f.ok(&["ls"]).contains("cli-new-bucket"));
}

#[test]
fn restore_shows_ongoing_then_the_expiry_and_large_copies_go_in_parts() {
    let f = fixture_with(|config| config.with_restore_delay(std::time::Duration::from_millis(300)));
    f.put("cold.txt", "frozen", &PutObjectOptions::default().with_storage_class("Archive"));
    f.put("warm.txt", "warm", &PutObjectOptions::default());
    let before = f.stat("cold.txt");
    assert_eq!((before["storageClass"].as_str(), before["restore"].is_null()), (Some("Archive"), true));
    f.ok(&["restore", "oss://cli-manage/cold.txt", "--days", "2"]);
    assert_eq!(f.stat("cold.txt")["restore"], "ongoing");
    let mut restore = serde_json::Value::Null;
    for _ in 0..100 {
        restore = f.stat("cold.txt")["restore"].clone();
        if restore != "ongoing" {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let expiry = restore.as_str().unwrap_or_default();
    assert!(chrono::DateTime::parse_from_rfc3339(expiry).is_ok(), "{restore}");
    let (code, stderr) = f.fails(&["restore", "oss://cli-manage/warm.txt"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("not archived"), "{stderr}");

    let big: String = "0123456789abcdef".repeat(20 * 1024);
    f.put("big.bin", &big, &PutObjectOptions::default());
    f.sandbox.clear_request_log();
    f.ok(&[
        "cp",
        "oss://cli-manage/big.bin",
        "oss://cli-manage/big-copy.bin",
        "--copy-threshold",
        "256K",
        "--part-size",
        "100K",
    ]);
    let log = f.sandbox.request_log();
    assert_eq!(log.iter().filter(|r| r.operation == "UploadPartCopy").count(), 4, "320 KiB in 100 KiB parts");
    assert_eq!(f.stat("big-copy.bin")["contentLength"], big.len());
}
