//! Profiles against a REAL GNOME keyring: each test re-runs itself inside `dbus-run-session` with an
//! unlocked `gnome-keyring-daemon` whose files live in a temporary XDG_DATA_HOME. Every step runs
//! `osslite-cli` as a separate process, so what one saves, the next reads back.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use chrono::{TimeZone, Utc};
use osslite_core::{Addressing, Credentials, Endpoint, Method, OssRequest, Secret, Signer};

use osslite_test_support::keyring_session::{files_containing, rerun_inside_keyring_session, xdg_dir};

const CANARY_SECRET: &str = "CANARY-keyring-secret-8b2f61";
const ROTATED_SECRET: &str = "CANARY-rotated-secret-0c9d44";
const CANARY_TOKEN: &str = "CANARY-sts-token+/=";

/// Runs the CLI logging everything (every crate at trace) to stderr, and checks that neither its
/// output nor its log holds a canary.
fn cli(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_osslite-cli"))
        .args(args)
        .env("RUST_LOG", "trace")
        .env_remove("OSS_ACCESS_KEY_ID")
        .env_remove("OSS_ACCESS_KEY_SECRET")
        .env_remove("OSS_SESSION_TOKEN")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    let output = child.wait_with_output().unwrap();
    let all = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    for canary in [CANARY_SECRET, ROTATED_SECRET, CANARY_TOKEN] {
        assert!(!all.contains(canary), "a secret leaked in the output or log of {args:?}: {all}");
    }
    let log = String::from_utf8_lossy(&output.stderr);
    assert!(
        log.contains("osslite_cli{command="),
        "{args:?} logged nothing on stderr, so the check above proves nothing"
    );
    output
}

fn ok(output: Output) -> String {
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap()
}

fn err(output: Output) -> String {
    assert!(!output.status.success(), "expected a failure: {}", String::from_utf8_lossy(&output.stdout));
    String::from_utf8(output.stderr).unwrap()
}

fn config_file() -> PathBuf {
    xdg_dir("XDG_CONFIG_HOME").join("osslite/profiles.toml")
}

/// The URL our signer makes with `secret`, to check what the CLI signed with.
fn expected_url(access_key_id: &str, secret: &str, token: Option<&str>) -> String {
    let mut credentials = Credentials::new(access_key_id, Secret::new(secret)).unwrap();
    if let Some(token) = token {
        credentials = credentials.with_security_token(Secret::new(token));
    }
    let signer = Signer::new(credentials, "cn-hangzhou").unwrap();
    let endpoint = Endpoint::parse("oss-cn-hangzhou.aliyuncs.com", Addressing::Virtual).unwrap();
    let at = Utc.with_ymd_and_hms(2026, 1, 1, 12, 0, 0).unwrap();
    signer.presign(&endpoint, &OssRequest::object(Method::Get, "bucket", "k"), at, 60).unwrap().url
}

const PRESIGN: &[&str] =
    &["presign", "oss://bucket/k", "--profile", "canary", "--at", "2026-01-01T12:00:00Z", "--expires", "60"];

#[test]
fn needs_keyring_keys_saved_in_the_keyring_sign_in_another_process_then_rotate_and_go() {
    if rerun_inside_keyring_session(
        "needs_keyring_keys_saved_in_the_keyring_sign_in_another_process_then_rotate_and_go",
    ) {
        return;
    }
    let saved = ok(cli(
        &["profile", "add", "canary", "--region", "cn-hangzhou", "--access-key-id", "LTAI5tCanaryId1234"],
        &format!("{CANARY_SECRET}\n"),
    ));
    assert!(saved.contains("**************1234"), "{saved}");

    let listed: serde_json::Value = serde_json::from_str(&ok(cli(&["profile", "list", "--json"], ""))).unwrap();
    assert_eq!(listed[0]["name"], "canary");
    assert_eq!(listed[0]["accessKeyHint"], "**************1234");

    assert_eq!(ok(cli(PRESIGN, "")).trim(), expected_url("LTAI5tCanaryId1234", CANARY_SECRET, None));

    let stored =
        Command::new("secret-tool").args(["lookup", "service", "osslite", "username", "canary"]).output().unwrap();
    assert!(String::from_utf8_lossy(&stored.stdout).contains(CANARY_SECRET), "the secret is not in the keyring");

    ok(cli(
        &["profile", "rotate", "canary", "--access-key-id", "LTAI5tRotatedId5678", "--sts"],
        &format!("{ROTATED_SECRET}\n{CANARY_TOKEN}\n"),
    ));
    assert_eq!(ok(cli(PRESIGN, "")).trim(), expected_url("LTAI5tRotatedId5678", ROTATED_SECRET, Some(CANARY_TOKEN)));

    let (data, config) = (xdg_dir("XDG_DATA_HOME"), xdg_dir("XDG_CONFIG_HOME"));
    for canary in [CANARY_SECRET, ROTATED_SECRET, CANARY_TOKEN] {
        let hits = [files_containing(&data, canary), files_containing(&config, canary)].concat();
        assert!(hits.is_empty(), "{canary} found in {hits:?}");
    }

    ok(cli(&["profile", "remove", "canary"], ""));
    let gone =
        Command::new("secret-tool").args(["lookup", "service", "osslite", "username", "canary"]).output().unwrap();
    assert!(gone.stdout.is_empty(), "the keyring entry survived the removal");
    assert!(err(cli(PRESIGN, "")).contains("there is no profile 'canary'"));
}

#[test]
fn needs_keyring_sts_validity_is_clipped_to_the_token_and_an_expired_token_is_refused() {
    if rerun_inside_keyring_session(
        "needs_keyring_sts_validity_is_clipped_to_the_token_and_an_expired_token_is_refused",
    ) {
        return;
    }
    ok(cli(
        &[
            "profile",
            "add",
            "sts",
            "--region",
            "cn-hangzhou",
            "--access-key-id",
            "STS.id",
            "--sts",
            "--sts-expires",
            "2026-01-01T12:10:00Z",
        ],
        &format!("{CANARY_SECRET}\n{CANARY_TOKEN}\n"),
    ));
    let clipped = cli(
        &[
            "presign",
            "oss://bucket/k",
            "--profile",
            "sts",
            "--at",
            "2026-01-01T12:00:00Z",
            "--expires",
            "3600",
            "--json",
        ],
        "",
    );
    let note = String::from_utf8_lossy(&clipped.stderr).into_owned();
    let json: serde_json::Value = serde_json::from_str(&ok(clipped)).unwrap();
    assert_eq!(json["expiresAt"], "2026-01-01T12:10:00Z");
    assert_eq!(json["validityClippedToTokenExpiry"], "2026-01-01T12:10:00+00:00");
    assert!(note.contains("valid for 600 s, not 3600 s"), "{note}");

    let expired = err(cli(&["presign", "oss://bucket/k", "--profile", "sts", "--at", "2026-01-01T12:10:00Z"], ""));
    assert!(expired.contains("STS token expired at 2026-01-01T12:10:00"), "{expired}");
}

#[test]
fn needs_keyring_a_damaged_or_missing_keyring_entry_is_explained_and_the_profile_file_is_untouched() {
    if rerun_inside_keyring_session(
        "needs_keyring_a_damaged_or_missing_keyring_entry_is_explained_and_the_profile_file_is_untouched",
    ) {
        return;
    }
    ok(cli(
        &["profile", "add", "canary", "--region", "cn-hangzhou", "--access-key-id", "LTAI5tId"],
        &format!("{CANARY_SECRET}\n"),
    ));
    let before = std::fs::read(config_file()).unwrap();

    keyring::Entry::new("osslite", "canary").unwrap().set_password("{\"not\": \"ours\"}").unwrap();
    let damaged = err(cli(PRESIGN, ""));
    assert!(damaged.contains("keyring entry of profile 'canary' is damaged"), "{damaged}");
    assert!(damaged.contains("profile add canary --force"), "{damaged}");

    keyring::Entry::new("osslite", "canary").unwrap().delete_credential().unwrap();
    let missing = err(cli(PRESIGN, ""));
    assert!(missing.contains("keyring has no credentials for profile 'canary'"), "{missing}");
    assert_eq!(std::fs::read(config_file()).unwrap(), before, "the profiles file changed");
}

#[test]
fn without_a_session_bus_the_error_says_what_is_missing_and_nothing_is_saved() {
    let home = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_osslite-cli"))
        .args(["profile", "add", "nobus", "--region", "cn-hangzhou", "--access-key-id", "LTAI5tId"])
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .env_remove("DISPLAY")
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env("XDG_DATA_HOME", home.path().join("data"))
        .env("XDG_RUNTIME_DIR", home.path().join("no-runtime"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(format!("{CANARY_SECRET}\n").as_bytes()).unwrap();
    let output = child.wait_with_output().unwrap();
    let message = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{message}");
    assert!(message.contains("the OS keyring is not available"), "{message}");
    assert!(message.contains("Secret Service") && message.contains("dbus-run-session"), "{message}");
    assert!(!message.contains(CANARY_SECRET));
    assert!(!home.path().join("config/osslite/profiles.toml").exists(), "a profile was saved without its keys");
}

#[test]
fn needs_keyring_a_profile_works_against_the_sandbox_and_its_secret_stays_in_the_keyring() {
    if rerun_inside_keyring_session(
        "needs_keyring_a_profile_works_against_the_sandbox_and_its_secret_stays_in_the_keyring",
    ) {
        return;
    }
    let root = tempfile::tempdir().unwrap();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let config = osslite_sandbox::SandboxConfig::new(root.path())
        .with_bucket("team-bucket")
        .with_key(osslite_sandbox::AccessKey::new("LTAI5tSandbox0001", CANARY_SECRET));
    let sandbox = runtime.block_on(osslite_sandbox::Sandbox::start(config)).unwrap();

    ok(cli(
        &[
            "profile",
            "add",
            "local",
            "--region",
            "cn-hangzhou",
            "--endpoint",
            sandbox.endpoint(),
            "--addressing",
            "path",
            "--path",
            "oss://team-bucket/shared/",
            "--access-key-id",
            "LTAI5tSandbox0001",
        ],
        &format!("{CANARY_SECRET}\n"),
    ));
    let tested = ok(cli(&["profile", "test", "local"], ""));
    assert!(tested.contains("ListBuckets shows 1 buckets, and oss://team-bucket/shared/ lists"), "{tested}");
    let listed = ok(cli(&["ls", "--profile", "local"], ""));
    assert!(listed.contains("team-bucket"), "{listed}");

    ok(cli(&["profile", "rotate", "local", "--access-key-id", "LTAI5tSandbox0001"], "a-wrong-secret\n"));
    let refused = err(cli(&["profile", "test", "local"], ""));
    assert!(refused.contains("SignatureDoesNotMatch"), "{refused}");
    // Only the secret again: the stored AccessKey ID stays, and the keys work once more.
    ok(cli(&["profile", "rotate", "local", "--secret-only"], &format!("{CANARY_SECRET}\n")));
    let tested = ok(cli(&["profile", "test", "local"], ""));
    assert!(tested.contains("ListBuckets shows 1 buckets"), "{tested}");

    let (data, config) = (xdg_dir("XDG_DATA_HOME"), xdg_dir("XDG_CONFIG_HOME"));
    let hits = [files_containing(&data, CANARY_SECRET), files_containing(&config, CANARY_SECRET)].concat();
    assert!(hits.is_empty(), "the secret was written to {hits:?}");
}

#[test]
fn needs_keyring_a_new_endpoint_needs_the_secret_again_and_risky_endpoints_are_warned_about() {
    if rerun_inside_keyring_session(
        "needs_keyring_a_new_endpoint_needs_the_secret_again_and_risky_endpoints_are_warned_about",
    ) {
        return;
    }
    let add = |extra: &[&str], stdin: &str| {
        let mut args = vec!["profile", "add", "moved", "--region", "cn-hangzhou", "--force"];
        args.extend_from_slice(extra);
        cli(&args, stdin)
    };
    let keys = ["--access-key-id", "LTAI5tMovedId4242"];
    let secret = format!("{CANARY_SECRET}\n");
    ok(add(&[&["--endpoint", "oss-cn-hangzhou.aliyuncs.com"][..], &keys].concat(), &secret));
    let before = std::fs::read(config_file()).unwrap();

    let new_without_keys = err(cli(&["profile", "add", "other", "--region", "cn-hangzhou"], ""));
    assert!(new_without_keys.contains("give its keys with --access-key-id"), "{new_without_keys}");
    let refused = err(add(&["--endpoint", "evil.example.com"], ""));
    assert!(refused.contains("enter the AccessKey secret again"), "{refused}");
    let refused = err(add(&["--endpoint", "oss-cn-hangzhou.aliyuncs.com", "--http"], ""));
    assert!(refused.contains("enter the AccessKey secret again"), "{refused}");
    assert_eq!(std::fs::read(config_file()).unwrap(), before, "the profiles file changed");

    let kept = ok(add(&["--endpoint", "oss-cn-hangzhou.aliyuncs.com", "--path", "oss://bucket/team/"], ""));
    assert!(kept.contains("*************4242"), "the stored keys stay: {kept}");

    let moved = add(&[&["--endpoint", "http://10.0.0.5:9000"][..], &keys].concat(), &secret);
    let warnings = String::from_utf8_lossy(&moved.stderr).into_owned();
    ok(moved);
    assert!(warnings.contains("warning: the endpoint uses plain HTTP"), "{warnings}");
    assert!(warnings.contains("warning: the endpoint is a private network address"), "{warnings}");
    let shown = cli(&["profile", "show", "moved", "--json"], "");
    assert!(String::from_utf8_lossy(&shown.stderr).contains("plain HTTP"));
    let json: serde_json::Value = serde_json::from_str(&ok(shown)).expect("warnings stay out of the JSON");
    assert_eq!(json["endpoint"], "http://10.0.0.5:9000");
}

#[test]
fn needs_keyring_a_proxy_password_is_kept_in_the_keyring_not_in_the_profiles_file() {
    if rerun_inside_keyring_session("needs_keyring_a_proxy_password_is_kept_in_the_keyring_not_in_the_profiles_file") {
        return;
    }
    const PROXY_PASSWORD: &str = "CANARY-cli-proxy-pw-31d7";
    let proxy = format!("http://bob:{PROXY_PASSWORD}@proxy.local:3128");
    let outputs = [
        cli(
            &[
                "profile",
                "add",
                "proxied",
                "--region",
                "cn-hangzhou",
                "--proxy",
                &proxy,
                "--access-key-id",
                "LTAI5tPx01",
            ],
            &format!("{CANARY_SECRET}\n"),
        ),
        cli(&["profile", "show", "proxied"], ""),
        cli(&["profile", "show", "proxied", "--json"], ""),
        cli(&["profile", "list"], ""),
        cli(&["profile", "list", "--json"], ""),
    ];
    for output in &outputs {
        let all = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
        assert!(output.status.success(), "{all}");
        assert!(!all.contains(PROXY_PASSWORD), "the proxy password leaked: {all}");
    }
    assert!(String::from_utf8_lossy(&outputs[1].stdout).contains("proxy:       http://bob@proxy.local:3128"));

    let stored =
        Command::new("secret-tool").args(["lookup", "service", "osslite", "username", "proxied"]).output().unwrap();
    assert!(String::from_utf8_lossy(&stored.stdout).contains(PROXY_PASSWORD), "the password is not in the keyring");
    let (data, config) = (xdg_dir("XDG_DATA_HOME"), xdg_dir("XDG_CONFIG_HOME"));
    let hits = [files_containing(&data, PROXY_PASSWORD), files_containing(&config, PROXY_PASSWORD)].concat();
    assert!(hits.is_empty(), "the proxy password was written to {hits:?}");
}
