//! The app's profile commands through Tauri's real IPC layer (`tauri::test`), against a real GNOME
//! keyring: secrets go in, and never come back out in any response, file, error or log line.

use osslite_app::{builder, diagnostics_text, logging, AppState};
use osslite_core::credentials::OsKeyring;
use osslite_core::profiles::ProfileStore;
use serde_json::{json, Value};
use tauri::test::{mock_builder, mock_context, noop_assets};
use tauri::{Manager, WebviewWindowBuilder};

use osslite_test_support::ipc;
use osslite_test_support::keyring_session::{files_containing, rerun_inside_keyring_session, xdg_dir};

const CANARY_SECRET: &str = "CANARY-ipc-secret-4e7a19";
const CANARY_TOKEN: &str = "CANARY-ipc-token+/=";
const CANARY_ENV_SECRET: &str = "CANARY-env-secret-77c3d0";

struct Ipc {
    webview: tauri::WebviewWindow<tauri::test::MockRuntime>,
    responses: Vec<String>,
}

/// Where the app logs during a test: beside its other files in the session's XDG_DATA_HOME.
fn log_dir() -> std::path::PathBuf {
    xdg_dir("XDG_DATA_HOME").join("dev.osslite.desktop/logs")
}

impl Ipc {
    /// The app, logging everything (trace, every crate) to [`log_dir`]: each test runs in its own process.
    fn new() -> Self {
        let logs = logging::start(&log_dir(), "trace").expect("logging starts");
        let state = AppState::new(
            ProfileStore::in_dir(&xdg_dir("XDG_CONFIG_HOME").join("osslite")),
            xdg_dir("XDG_DATA_HOME").join("osslite"),
        )
        .with_logs(logs);
        let app = builder(mock_builder(), state).build(mock_context(noop_assets())).expect("the app builds");
        let webview = WebviewWindowBuilder::new(&app, "main", Default::default()).build().expect("a webview");
        Self { webview, responses: Vec::new() }
    }

    /// Invokes `command`; Ok(payload) or Err({kind, message}). Every response is kept for the leak check.
    fn call(&mut self, command: &str, args: Value) -> Result<Value, Value> {
        let response = ipc::invoke(&self.webview, command, args);
        self.responses.push(match &response {
            Ok(value) | Err(value) => value.to_string(),
        });
        response
    }
}

#[test]
fn needs_keyring_profile_commands_take_secrets_in_and_never_give_them_back() {
    if rerun_inside_keyring_session("needs_keyring_profile_commands_take_secrets_in_and_never_give_them_back") {
        return;
    }
    let mut ipc = Ipc::new();
    let saved = ipc
        .call(
            "profile_save",
            json!({"input": {
                "name": "work", "region": "cn-hangzhou", "presetPath": "oss://team-bucket/shared",
                "keys": {"accessKeyId": "LTAI5tWorkKey4321", "accessKeySecret": CANARY_SECRET,
                         "securityToken": CANARY_TOKEN, "stsExpiresAt": "2030-01-01T00:00:00Z"}
            }}),
        )
        .expect("the profile saves");
    assert_eq!(saved["accessKeyIdMasked"], "*************4321");
    assert_eq!(saved["resolvedEndpoint"], "https://oss-cn-hangzhou.aliyuncs.com");
    assert_eq!(saved["usesSts"], true);

    let stored = OsKeyring::default().load("work").expect("the keys are in the keyring");
    assert_eq!(stored.credentials.access_key_secret().expose(), CANARY_SECRET);

    let edited = ipc
        .call("profile_save", json!({"input": {"name": "work", "region": "cn-shanghai", "replace": true}}))
        .expect("settings change without re-entering keys");
    assert_eq!(edited["region"], "cn-shanghai");
    assert_eq!(edited["accessKeyIdMasked"], "*************4321");

    let duplicate = ipc
        .call(
            "profile_save",
            json!({"input": {"name": "work", "region": "cn-hangzhou", "keys": {
            "accessKeyId": "x", "accessKeySecret": CANARY_SECRET}}}),
        )
        .expect_err("a second profile of the same name is refused");
    assert_eq!(duplicate["kind"], "invalidInput");

    let bad_region = ipc
        .call(
            "profile_save",
            json!({"input": {"name": "bad", "region": "Hang Zhou", "keys": {
            "accessKeyId": "x", "accessKeySecret": CANARY_SECRET}}}),
        )
        .expect_err("a bad region is refused");
    assert_eq!(bad_region["kind"], "invalidInput");
    assert!(bad_region["message"].as_str().unwrap().contains("region"));

    std::env::set_var("OSS_ACCESS_KEY_ID", "LTAI5tEnvKey9999");
    std::env::set_var("OSS_ACCESS_KEY_SECRET", CANARY_ENV_SECRET);
    let imported = ipc.call("profile_import_env", json!({"name": "from-env", "region": "cn-beijing"})).unwrap();
    assert_eq!(imported["accessKeyIdMasked"], "************9999");

    let listed = ipc.call("profile_list", json!({})).unwrap();
    let names: Vec<&str> = listed.as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["work", "from-env"]);

    ipc.call("profile_remove", json!({"name": "from-env"})).unwrap();
    assert_eq!(ipc.call("profile_remove", json!({"name": "from-env"})).unwrap_err()["kind"], "notFound");

    for canary in [CANARY_SECRET, CANARY_TOKEN, CANARY_ENV_SECRET] {
        for response in &ipc.responses {
            assert!(!response.contains(canary), "{canary} crossed the IPC boundary: {response}");
        }
        let hits = [
            files_containing(&xdg_dir("XDG_CONFIG_HOME"), canary),
            files_containing(&xdg_dir("XDG_DATA_HOME"), canary),
        ]
        .concat();
        assert!(hits.is_empty(), "{canary} written to {hits:?}");
    }
    assert_logged_without(&[CANARY_SECRET, CANARY_TOKEN, CANARY_ENV_SECRET]);

    // The diagnostics: settings and the refused commands above, never a key.
    let diagnostics = diagnostics_text(&ipc.webview.state::<AppState>()).unwrap();
    assert!(diagnostics.contains("- work: region cn-shanghai, endpoint (the region's), addressing"), "{diagnostics}");
    assert!(diagnostics.contains("WARN osslite_app::commands::profiles [profile_remove]:"), "{diagnostics}");
    for key in [CANARY_SECRET, CANARY_TOKEN, CANARY_ENV_SECRET, "LTAI5tWorkKey4321", "4321"] {
        assert!(!diagnostics.contains(key), "{key} is in the diagnostics: {diagnostics}");
    }
}

/// The log folder holds a non-empty log (so this check can fail) and none of `canaries`.
fn assert_logged_without(canaries: &[&str]) {
    let files: Vec<_> =
        std::fs::read_dir(log_dir()).expect("the log folder exists").flatten().map(|e| e.path()).collect();
    let logged: usize = files.iter().map(|file| std::fs::read(file).map_or(0, |bytes| bytes.len())).sum();
    assert!(logged > 0, "nothing was logged in {files:?}");
    let text = files.iter().map(|file| std::fs::read_to_string(file).unwrap_or_default()).collect::<String>();
    assert!(
        text.contains("profile_save") && text.contains("keyring"),
        "the commands' spans are not in the log:\n{text}"
    );
    for canary in canaries {
        let hits = files_containing(&log_dir(), canary);
        assert!(hits.is_empty(), "{canary} logged in {hits:?}");
    }
}

#[test]
fn needs_keyring_the_demo_profile_browses_and_shares_through_the_commands() {
    if rerun_inside_keyring_session("needs_keyring_the_demo_profile_browses_and_shares_through_the_commands") {
        return;
    }
    let mut ipc = Ipc::new();
    let demo = ipc.call("demo_profile_start", json!({})).expect("the demo sandbox starts");
    assert_eq!(demo["name"], "Local sandbox");
    let opened = ipc.call("session_open", json!({"name": "Local sandbox"})).unwrap();
    assert_eq!(opened["profile"]["addressing"], "path");
    let tested = ipc.call("profile_test", json!({"name": "Local sandbox"})).unwrap();
    assert_eq!(tested["bucketCount"], 1);

    let buckets = ipc.call("bucket_list", json!({})).unwrap();
    assert_eq!(buckets[0]["name"], "osslite-demo");
    let top = ipc
        .call("object_list_page", json!({"bucket": "osslite-demo", "prefix": "", "delimiter": "/", "continuationToken": null, "maxKeys": 100}))
        .unwrap();
    assert_eq!(top["folders"], json!(["data/", "docs/", "images/"]));
    assert_eq!(top["objects"][0]["key"], "README.txt");
    let nested = ipc
        .call("object_list_page", json!({"bucket": "osslite-demo", "prefix": "docs/reports/2026/", "delimiter": "/", "continuationToken": null, "maxKeys": 2}))
        .unwrap();
    assert_eq!(nested["objects"].as_array().unwrap().len(), 2);
    assert!(nested["nextContinuationToken"].is_string(), "a second page is announced");

    let details = ipc.call("object_details", json!({"bucket": "osslite-demo", "key": "images/logo-32.png"})).unwrap();
    assert_eq!(details["contentType"], "image/png");
    assert_eq!(details["acl"], "default", "a readable ACL is named; an unreadable one would be null");
    let logo = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/icons/32x32.png")).unwrap();
    assert_eq!(details["size"], logo.len());

    let share = |expires: u64| {
        json!({"request": {"bucket": "osslite-demo", "key": "images/logo-32.png", "method": "GET", "expiresSecs": expires,
               "https": false, "domain": {"kind": "default"}, "downloadAs": "标志.png"}})
    };
    for refused in [59, 32401] {
        let err = ipc.call("share_presign", share(refused)).unwrap_err();
        assert_eq!(err["kind"], "invalidInput");
        assert!(err["message"].as_str().unwrap().contains("60 to 32400 seconds"), "{err}");
        assert!(err.get("service").is_none(), "no OSS answer, no service details: {err}");
    }
    let link = ipc.call("share_presign", share(120)).unwrap();
    assert_eq!(link["clockOffsetSecs"], 0, "the demo sandbox keeps this computer's time");
    assert!(link["signedAt"].is_string(), "the link names the time it is dated with: {link}");
    let url = link["url"].as_str().unwrap().to_owned();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let response = runtime.block_on(reqwest::get(&url)).unwrap();
    assert_eq!(
        response.headers()["content-disposition"].to_str().unwrap(),
        "attachment; filename=\"__.png\"; filename*=UTF-8''%E6%A0%87%E5%BF%97.png"
    );
    assert_eq!(runtime.block_on(response.bytes()).unwrap().as_ref(), logo.as_slice());

    let upload = ipc
        .call(
            "share_presign",
            json!({"request": {"bucket": "osslite-demo", "key": "inbox/new.txt", "method": "PUT",
            "expiresSecs": 600, "https": false, "contentType": "text/plain", "meta": [["owner", "alice"]]}}),
        )
        .unwrap();
    assert_eq!(upload["signedHeaders"], json!({"Content-Type": "text/plain", "x-oss-meta-owner": "alice"}));
    let put = runtime.block_on(
        reqwest::Client::new()
            .put(upload["url"].as_str().unwrap())
            .header("Content-Type", "text/plain")
            .header("x-oss-meta-owner", "alice")
            .body("uploaded through a link")
            .send(),
    );
    assert!(put.unwrap().status().is_success());
    let without_header = runtime.block_on(reqwest::Client::new().put(upload["url"].as_str().unwrap()).body("x").send());
    assert_eq!(without_header.unwrap().status(), 403, "a link must refuse an upload without its signed headers");

    let preview = ipc
        .call("export_preview", json!({"spec": {"bucket": "osslite-demo", "prefix": "docs/", "recursive": true, "include": ["*.txt"], "exclude": []}}))
        .unwrap();
    assert_eq!(preview["count"], 3);
    // A selection of two files and a folder: the files, and everything under the folder.
    let docs = ipc
        .call("export_preview", json!({"spec": {"bucket": "osslite-demo", "prefix": "docs/", "recursive": true}}))
        .unwrap();
    let mixed = ipc
        .call(
            "export_preview",
            json!({"spec": {"bucket": "osslite-demo", "keys": ["README.txt", "images/logo-32.png"], "folders": ["docs/"]}}),
        )
        .unwrap();
    assert_eq!(mixed["count"], docs["count"].as_u64().unwrap() + 2);
    let readme = ipc.call("object_details", json!({"bucket": "osslite-demo", "key": "README.txt"})).unwrap();
    let files_bytes = details["size"].as_u64().unwrap() + readme["size"].as_u64().unwrap();
    assert_eq!(mixed["totalBytes"], docs["totalBytes"].as_u64().unwrap() + files_bytes);

    ipc.call("folder_create", json!({"bucket": "osslite-demo", "prefix": "empty folder/"})).unwrap();
    let private = ipc
        .call("share_public_url", json!({"bucket": "osslite-demo", "key": "README.txt", "https": false}))
        .unwrap_err();
    assert_eq!(private["kind"], "permissionDenied");
}

#[test]
fn needs_keyring_editing_where_a_profile_connects_needs_the_secret_again() {
    if rerun_inside_keyring_session("needs_keyring_editing_where_a_profile_connects_needs_the_secret_again") {
        return;
    }
    let mut ipc = Ipc::new();
    let keys = json!({"accessKeyId": "LTAI5tEditKey5678", "accessKeySecret": CANARY_SECRET});
    let form = |endpoint: &str, https: bool, keys: Value| {
        json!({"input": {"name": "edit", "region": "cn-hangzhou", "endpoint": endpoint, "https": https,
               "replace": true, "keys": keys}})
    };
    ipc.call("profile_save", form("oss-cn-hangzhou.aliyuncs.com", true, keys.clone())).expect("the profile saves");

    for (endpoint, https) in [("evil.example.com", true), ("oss-cn-hangzhou.aliyuncs.com", false)] {
        let refused = ipc.call("profile_save", form(endpoint, https, Value::Null)).unwrap_err();
        assert_eq!(refused["kind"], "invalidInput");
        assert!(refused["message"].as_str().unwrap().contains("enter the AccessKey secret again"), "{refused}");
    }
    let with_proxy = json!({"input": {"name": "edit", "region": "cn-hangzhou",
        "endpoint": "oss-cn-hangzhou.aliyuncs.com", "proxy": "http://proxy.local:3128", "replace": true}});
    assert_eq!(ipc.call("profile_save", with_proxy).unwrap_err()["kind"], "invalidInput");
    let unchanged = ProfileStore::in_dir(&xdg_dir("XDG_CONFIG_HOME").join("osslite")).get("edit").unwrap();
    assert_eq!(unchanged.endpoint.as_deref(), Some("oss-cn-hangzhou.aliyuncs.com"));

    let moved =
        ipc.call("profile_save", form("http://192.168.1.5:9000", true, keys)).expect("with the secret it saves");
    assert_eq!(moved["resolvedEndpoint"], "http://192.168.1.5:9000");
    assert_eq!(moved["warnings"], json!(["plainHttp", "privateAddress"]));
    let listed = ipc.call("profile_list", json!({})).unwrap();
    assert_eq!(listed[0]["warnings"], json!(["plainHttp", "privateAddress"]));
}

#[test]
fn needs_keyring_a_proxy_password_goes_to_the_keyring_and_back_to_the_session_only() {
    if rerun_inside_keyring_session("needs_keyring_a_proxy_password_goes_to_the_keyring_and_back_to_the_session_only") {
        return;
    }
    const PROXY_PASSWORD: &str = "CANARY-proxy-pw-5b21";
    let mut ipc = Ipc::new();
    let keys = json!({"accessKeyId": "LTAI5tProxyKey0042", "accessKeySecret": CANARY_SECRET});
    let form = |proxy: String, keys: Value| json!({"input": {"name": "proxied", "region": "cn-hangzhou", "proxy": proxy, "replace": true, "keys": keys}});
    let saved = ipc
        .call("profile_save", form(format!("http://alice:{PROXY_PASSWORD}@proxy.local:3128"), keys.clone()))
        .expect("the profile saves");
    assert_eq!(saved["proxy"], "http://alice@proxy.local:3128");
    let stored = OsKeyring::default().load("proxied").unwrap();
    assert_eq!(stored.proxy_password.as_ref().map(|p| p.expose()), Some(PROXY_PASSWORD));

    // New keys for the same proxy (as the form shows it, without the password) keep the password.
    ipc.call("profile_save", form("http://alice@proxy.local:3128".into(), keys)).unwrap();
    let stored = OsKeyring::default().load("proxied").unwrap();
    assert_eq!(stored.proxy_password.as_ref().map(|p| p.expose()), Some(PROXY_PASSWORD));

    let opened = ipc.call("session_open", json!({"name": "proxied"})).expect("a session opens through the proxy");
    assert_eq!(opened["profile"]["proxy"], "http://alice@proxy.local:3128");
    ipc.call("profile_list", json!({})).unwrap();

    for canary in [PROXY_PASSWORD, CANARY_SECRET] {
        for response in &ipc.responses {
            assert!(!response.contains(canary), "{canary} crossed the IPC boundary: {response}");
        }
        let hits = [
            files_containing(&xdg_dir("XDG_CONFIG_HOME"), canary),
            files_containing(&xdg_dir("XDG_DATA_HOME"), canary),
        ]
        .concat();
        assert!(hits.is_empty(), "{canary} written to {hits:?}");
    }
}

/// An STS token necessarily travels inside the links it signs (OSS reads it from the query); the
/// secret never does, and the token appears nowhere but in the link.
#[test]
fn needs_keyring_share_presign_on_an_sts_profile_carries_the_token_only_inside_the_url() {
    if rerun_inside_keyring_session(
        "needs_keyring_share_presign_on_an_sts_profile_carries_the_token_only_inside_the_url",
    ) {
        return;
    }
    let mut ipc = Ipc::new();
    ipc.call(
        "profile_save",
        json!({"input": {"name": "sts", "region": "cn-hangzhou", "keys": {
            "accessKeyId": "STS.NUexampleKey77", "accessKeySecret": CANARY_SECRET, "securityToken": CANARY_TOKEN}}}),
    )
    .expect("the STS profile saves");
    ipc.call("session_open", json!({"name": "sts"})).expect("the session opens");
    let link = ipc
        .call(
            "share_presign",
            json!({"request": {"bucket": "team-bucket", "key": "report.pdf", "method": "GET", "expiresSecs": 600}}),
        )
        .expect("the link is signed");

    let url = reqwest::Url::parse(link["url"].as_str().unwrap()).unwrap();
    let tokens: Vec<String> =
        url.query_pairs().filter(|(name, _)| name == "x-oss-security-token").map(|(_, v)| v.into_owned()).collect();
    assert_eq!(tokens, [CANARY_TOKEN], "the link carries the token once, as x-oss-security-token");
    let payload = link.to_string();
    let outside_the_url = payload.replace(link["url"].as_str().unwrap(), "");
    assert!(!outside_the_url.contains("CANARY-ipc-token"), "the token appears outside the URL: {outside_the_url}");
    for response in &ipc.responses {
        assert!(!response.contains(CANARY_SECRET), "the secret crossed the IPC boundary: {response}");
    }
}

/// The Local sandbox keeps its key in a file, so it starts, browses and reopens with no session bus
/// at all. Re-runs itself with DBUS_SESSION_BUS_ADDRESS pointing nowhere, so no keyring can answer.
#[test]
fn the_local_sandbox_works_without_any_keyring() {
    const NO_BUS: &str = "OSSLITE_TEST_NO_SESSION_BUS";
    if std::env::var_os(NO_BUS).is_none() {
        let output = std::process::Command::new(std::env::current_exe().expect("the test binary's path"))
            .args(["--exact", "the_local_sandbox_works_without_any_keyring", "--nocapture", "--test-threads=1"])
            .env(NO_BUS, "1")
            .env("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/osslite-test-bus")
            .output()
            .expect("the test binary re-runs");
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(
            output.status.success() && stdout.contains("1 passed"),
            "{stdout}\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        return;
    }
    let home = tempfile::tempdir().expect("a temporary directory");
    let data_dir = home.path().join("data/osslite");
    let state = AppState::new(ProfileStore::in_dir(&home.path().join("config/osslite")), data_dir.clone());
    let app = builder(mock_builder(), state).build(mock_context(noop_assets())).expect("the app builds");
    let webview = WebviewWindowBuilder::new(&app, "main", Default::default()).build().expect("a webview");

    let demo = ipc::invoke(&webview, "demo_profile_start", json!({})).expect("the sandbox starts without a keyring");
    assert_eq!(demo["name"], "Local sandbox");
    let opened = ipc::invoke(&webview, "session_open", json!({"name": "Local sandbox"})).expect("it opens");
    assert_eq!(opened["profile"]["name"], "Local sandbox");
    let buckets = ipc::invoke(&webview, "bucket_list", json!({})).expect("its buckets list");
    assert_eq!(buckets[0]["name"], "osslite-demo");
    assert!(data_dir.join("sandbox-key.json").is_file(), "the key is kept in the data directory");
}

const CANARY_TRIED_SECRET: &str = "CANARY-tried-secret-5b1c0e";
const CANARY_ROTATED_SECRET: &str = "CANARY-rotated-secret-93d2aa";

#[test]
fn needs_keyring_test_connection_tries_the_typed_values_without_storing_or_echoing_the_secret() {
    if rerun_inside_keyring_session(
        "needs_keyring_test_connection_tries_the_typed_values_without_storing_or_echoing_the_secret",
    ) {
        return;
    }
    let mut ipc = Ipc::new();
    // A Local sandbox entry left by an earlier run: its port is stale until the sandbox runs.
    let store = ProfileStore::in_dir(&xdg_dir("XDG_CONFIG_HOME").join("osslite"));
    let mut stale = osslite_core::profiles::Profile::new("Local sandbox", "cn-hangzhou").unwrap();
    stale.endpoint = Some("http://127.0.0.1:1".into());
    store.upsert(stale).unwrap();
    let listed = ipc.call("profile_list", json!({})).unwrap();
    assert_eq!(listed[0]["startsOnDemand"], true, "{listed}");
    assert_eq!(listed[0]["resolvedEndpoint"], "", "no stale port is shown: {listed}");

    let demo = ipc.call("demo_profile_start", json!({})).expect("the demo sandbox starts");
    let endpoint = demo["resolvedEndpoint"].as_str().unwrap().to_owned();
    let listed = ipc.call("profile_list", json!({})).unwrap();
    assert_eq!((&listed[0]["resolvedEndpoint"], &listed[0]["startsOnDemand"]), (&json!(endpoint), &json!(false)));
    let demo_keys = osslite_core::profiles::sandbox_key_load(&xdg_dir("XDG_DATA_HOME").join("osslite")).unwrap();
    let key_id = demo_keys.credentials.access_key_id().to_owned();

    let draft = |keys: Value| {
        json!({"input": {"name": "draft", "region": "cn-hangzhou", "endpoint": endpoint, "https": false,
                         "addressing": "virtual", "keys": keys}})
    };
    let wrong = ipc
        .call("profile_test_unsaved", draft(json!({"accessKeyId": key_id, "accessKeySecret": CANARY_TRIED_SECRET})))
        .expect_err("a wrong secret is refused by the sandbox");
    assert_eq!(wrong["kind"], "unauthenticated", "{wrong}");
    assert_eq!(wrong["service"]["code"], "SignatureDoesNotMatch", "{wrong}");
    // The right keys pass, path-style although the form said virtual (the endpoint is an IP).
    let right = json!({"accessKeyId": key_id, "accessKeySecret": demo_keys.credentials.access_key_secret().expose()});
    let passed = ipc.call("profile_test_unsaved", draft(right)).expect("the typed keys work");
    assert_eq!(passed["bucketCount"], 1);
    let names: Vec<String> = ipc
        .call("profile_list", json!({}))
        .unwrap()
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(names, ["Local sandbox"], "a test stores no profile");
    assert_eq!(OsKeyring::default().load("draft").unwrap_err().kind(), osslite_core::ErrorKind::NotFound);

    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let closed = json!({"input": {"name": "draft", "region": "cn-hangzhou", "endpoint": format!("http://127.0.0.1:{port}"),
                        "keys": {"accessKeyId": key_id, "accessKeySecret": CANARY_TRIED_SECRET}}});
    let unreachable = ipc.call("profile_test_unsaved", closed).expect_err("nothing listens there");
    assert_eq!(unreachable["kind"], "network");
    assert_eq!(
        unreachable["message"],
        format!("Can't reach 127.0.0.1:{port} (connection refused). Is the endpoint right?")
    );
    assert!(unreachable["detail"].as_str().is_some_and(|d| d.starts_with("ListBuckets")), "{unreachable}");

    // Changing only the secret keeps the AccessKey ID.
    ipc.call(
        "profile_save",
        json!({"input": {"name": "rotate", "region": "cn-hangzhou",
        "keys": {"accessKeyId": "LTAI5tRotateKey8765", "accessKeySecret": "first-secret"}}}),
    )
    .unwrap();
    let rotated = ipc
        .call(
            "profile_save",
            json!({"input": {"name": "rotate", "region": "cn-hangzhou", "replace": true,
            "keys": {"accessKeySecret": CANARY_ROTATED_SECRET}}}),
        )
        .expect("a new secret alone is enough");
    assert_eq!(rotated["accessKeyIdMasked"], "***************8765");
    let stored = OsKeyring::default().load("rotate").unwrap();
    assert_eq!(stored.credentials.access_key_id(), "LTAI5tRotateKey8765");
    assert_eq!(stored.credentials.access_key_secret().expose(), CANARY_ROTATED_SECRET);

    for canary in [CANARY_TRIED_SECRET, CANARY_ROTATED_SECRET] {
        for response in &ipc.responses {
            assert!(!response.contains(canary), "{canary} crossed the IPC boundary: {response}");
        }
        let hits = [
            files_containing(&xdg_dir("XDG_CONFIG_HOME"), canary),
            files_containing(&xdg_dir("XDG_DATA_HOME"), canary),
        ]
        .concat();
        assert!(hits.is_empty(), "{canary} written to {hits:?}");
    }
    assert_logged_without(&[CANARY_TRIED_SECRET, CANARY_ROTATED_SECRET]);
}
