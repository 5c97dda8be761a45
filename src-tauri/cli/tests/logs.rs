//! `osslite-cli`'s log on stderr: silent by default (scripts parse stdout and stderr), `-v` and
//! `-vv` turn it on, `RUST_LOG` wins over both, and stdout is the same either way.

use std::process::{Command, Output};

const CANARY_SECRET: &str = "CANARY-cli-log-secret-3a9c";

fn presign(extra: &[&str], rust_log: Option<&str>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_osslite-cli"));
    command
        .args(["presign", "oss://bucket/dir/k.txt", "--region", "cn-hangzhou", "--at", "2026-01-01T12:00:00Z"])
        .args(extra)
        .env("OSS_ACCESS_KEY_ID", "LTAI5tLogTest")
        .env("OSS_ACCESS_KEY_SECRET", CANARY_SECRET)
        .env("OSS_SESSION_TOKEN", "CANARY-log-token");
    match rust_log {
        Some(directives) => command.env("RUST_LOG", directives),
        None => command.env_remove("RUST_LOG"),
    };
    let output = command.output().expect("run osslite-cli");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    output
}

#[test]
fn silent_by_default_and_verbose_on_request_with_the_same_output() {
    let quiet = presign(&[], None);
    assert!(quiet.stderr.is_empty(), "{}", String::from_utf8_lossy(&quiet.stderr));

    let info = presign(&["-v"], None);
    let log = String::from_utf8_lossy(&info.stderr);
    assert!(log.contains(" INFO osslite_cli{command=\"presign\"}: osslite_cli: started"), "{log}");
    assert!(!log.contains("DEBUG"), "{log}");
    assert_eq!(info.stdout, quiet.stdout);

    let debug = presign(&["-vv"], None);
    assert!(String::from_utf8_lossy(&debug.stderr).contains("finished"));
    assert_eq!(debug.stdout, quiet.stdout);

    let off = presign(&["-vv"], Some("off"));
    assert!(off.stderr.is_empty(), "RUST_LOG=off did not win: {}", String::from_utf8_lossy(&off.stderr));

    for output in [&info, &debug, &presign(&[], Some("trace"))] {
        let log = String::from_utf8_lossy(&output.stderr);
        assert!(!log.contains(CANARY_SECRET) && !log.contains("CANARY-log-token"), "{log}");
        assert!(!log.contains("x-oss-signature="), "a signature was logged: {log}");
    }
}
