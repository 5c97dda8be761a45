//! Search through Tauri's real IPC layer (`tauri::test`) against a sandbox: a nested match found
//! from the bucket root, the cap that stops a search, cancelling, and the errors a bad request gets.

mod sandbox_app;

use osslite_test_support::ipc;
use serde_json::{json, Value};

use sandbox_app::SandboxApp as App;

const KEY_ID: &str = "LTAI5tIpcSearch";
const SECRET: &str = "ipc-search-secret";
const BUCKET: &str = "ipc-search";
const KEYS: [&str; 6] =
    ["a/b/c/report-2026.csv", "a/b/notes.txt", "a/readme.md", "data.csv", "photos/cat.jpg", "z.txt"];

fn app() -> App {
    let app = sandbox_app::start(BUCKET, KEY_ID, SECRET, |config| config);
    for key in KEYS {
        app.put(BUCKET, key, key);
    }
    app
}

fn run(app: &App, request: Value) -> Result<Value, Value> {
    ipc::invoke(&app.webview, "search_run", json!({"request": request, "onBatch": "__CHANNEL__:1"}))
}

fn criteria(names: &[&str]) -> Value {
    json!({"names": names, "contains": null, "minSize": null, "maxSize": null, "newer": null, "older": null, "storageClass": null})
}

#[test]
fn a_search_from_the_bucket_root_finds_the_nested_match_and_counts_every_key() {
    let app = app();
    let done = run(&app, json!({"bucket": BUCKET, "prefix": "", "criteria": criteria(&["report*"]), "maxScan": 1000}))
        .expect("the search runs");
    assert_eq!(done, json!({"end": "complete", "scanned": KEYS.len(), "matched": 1}));

    let below =
        run(&app, json!({"bucket": BUCKET, "prefix": "a/", "criteria": criteria(&["*.csv", "*.md"]), "maxScan": 1000}))
            .expect("the search runs");
    assert_eq!(below, json!({"end": "complete", "scanned": 3, "matched": 2}), "data.csv is outside a/");
}

#[test]
fn a_search_stops_at_its_cap_and_says_so() {
    let app = app();
    let done =
        run(&app, json!({"bucket": BUCKET, "prefix": "", "criteria": criteria(&[]), "maxScan": 4, "pageSize": 2}))
            .expect("the search runs");
    assert_eq!(done, json!({"end": "capped", "scanned": 4, "matched": 4}));
}

#[test]
fn cancel_without_a_search_is_harmless_and_bad_requests_say_what_is_wrong() {
    let app = app();
    ipc::invoke(&app.webview, "search_cancel", json!({})).expect("nothing to cancel is fine");
    let zero = run(&app, json!({"bucket": BUCKET, "prefix": "", "criteria": criteria(&[]), "maxScan": 0}))
        .expect_err("a zero cap is refused");
    assert_eq!(zero["kind"], "invalidInput", "{zero}");
    assert!(zero["message"].as_str().unwrap_or_default().contains("cap"), "{zero}");
    let missing =
        run(&app, json!({"bucket": "no-such-bucket", "prefix": "", "criteria": criteria(&[]), "maxScan": 10}))
            .expect_err("a missing bucket is an error");
    assert_eq!(missing["kind"], "notFound", "{missing}");
}
