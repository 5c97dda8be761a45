//! A bucket in another region than the command's, as a user reaches it from the CLI: every
//! process is a fresh client that never listed, so each learns the region from OSS's 403.

use std::process::{Command, Output};

use osslite_sandbox::{AccessKey, Sandbox, SandboxConfig};

const KEY_ID: &str = "LTAI5tRegionsCliKey";
const SECRET: &str = "CANARY-regions-cli-secret-0b3e";
const FAR: &str = "far-cli";

struct Fixture {
    runtime: tokio::runtime::Runtime,
    sandbox: Sandbox,
    work: tempfile::TempDir,
    _root: tempfile::TempDir,
}

fn fixture() -> Fixture {
    let root = tempfile::tempdir().unwrap();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let config = SandboxConfig::new(root.path())
        .with_bucket("near-cli")
        .with_bucket_in_region(FAR, "cn-beijing")
        .with_key(AccessKey::new(KEY_ID, SECRET));
    let sandbox = runtime.block_on(Sandbox::start(config)).unwrap();
    Fixture { runtime, sandbox, work: tempfile::tempdir().unwrap(), _root: root }
}

impl Fixture {
    fn cli_in(&self, region: &str, args: &[&str]) -> Output {
        let output = Command::new(env!("CARGO_BIN_EXE_osslite-cli"))
            .args(args)
            .args(["--endpoint", self.sandbox.endpoint(), "--region", region, "--addressing", "path"])
            .env("OSS_ACCESS_KEY_ID", KEY_ID)
            .env("OSS_ACCESS_KEY_SECRET", SECRET)
            .env_remove("OSS_SESSION_TOKEN")
            .output()
            .unwrap();
        let all = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
        assert!(!all.contains(SECRET), "the secret leaked: {all}");
        output
    }

    fn ok_in(&self, region: &str, args: &[&str]) -> String {
        let output = self.cli_in(region, args);
        assert!(output.status.success(), "{args:?}: {}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8(output.stdout).unwrap()
    }

    fn ok(&self, args: &[&str]) -> String {
        self.ok_in("cn-hangzhou", args)
    }
}

#[test]
fn every_command_reaches_a_bucket_of_another_region() {
    let f = fixture();
    let buckets = f.ok(&["ls"]);
    let far_line = buckets.lines().find(|line| line.ends_with(FAR)).unwrap_or_else(|| panic!("{buckets}"));
    assert!(far_line.contains("cn-beijing"), "{far_line}");

    let local = f.work.path().join("hello.txt");
    std::fs::write(&local, "hello from hangzhou").unwrap();
    f.ok(&["cp", local.to_str().unwrap(), &format!("oss://{FAR}/dir/hello.txt")]);
    let stat = f.ok(&["stat", &format!("oss://{FAR}/dir/hello.txt"), "--json"]);
    assert!(stat.contains("19"), "{stat}");
    f.ok(&["cp", &format!("oss://{FAR}/dir/hello.txt"), &format!("oss://{FAR}/dir/copy.txt")]);
    let listing = f.ok(&["ls", &format!("oss://{FAR}/dir/")]);
    assert!(listing.contains("dir/hello.txt") && listing.contains("dir/copy.txt"), "{listing}");
    let back = f.work.path().join("back.txt");
    f.ok(&["cp", &format!("oss://{FAR}/dir/copy.txt"), back.to_str().unwrap()]);
    assert_eq!(std::fs::read_to_string(&back).unwrap(), "hello from hangzhou");

    let url = f.ok(&["presign", &format!("oss://{FAR}/dir/copy.txt"), "--bucket-region", "auto"]);
    assert!(url.contains("%2Fcn-beijing%2Foss%2F"), "{url}");
    let fetched = f.runtime.block_on(async { reqwest::get(url.trim()).await.unwrap().text().await.unwrap() });
    assert_eq!(fetched, "hello from hangzhou");
    let given = f.ok(&["presign", &format!("oss://{FAR}/dir/copy.txt"), "--bucket-region", "cn-beijing"]);
    assert!(given.contains("%2Fcn-beijing%2Foss%2F"), "{given}");
}

#[test]
fn mb_with_region_creates_the_bucket_in_that_region() {
    let f = fixture();
    f.ok_in("cn-shanghai", &["mb", "oss://made-in-shanghai"]);
    let buckets = f.ok(&["ls"]);
    let line = buckets.lines().find(|line| line.ends_with("made-in-shanghai")).unwrap_or_else(|| panic!("{buckets}"));
    assert!(line.contains("cn-shanghai"), "{line}");
    let local = f.work.path().join("x.txt");
    std::fs::write(&local, "x").unwrap();
    f.ok(&["cp", local.to_str().unwrap(), "oss://made-in-shanghai/x.txt"]);
}
