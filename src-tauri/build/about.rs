//! What the About dialog shows about this build, fixed at compile time:
//! - `OSSLITE_COMMIT` (short hash, "unknown" outside a git checkout) and `OSSLITE_BUILD_DATE`
//!   (UTC, from SOURCE_DATE_EPOCH when set, for reproducible builds);
//! - `$OUT_DIR/licenses.json`: name, version and licence of every crate the app links (normal
//!   dependencies of the `osslite` package, from `cargo metadata`) and of the npm packages bundled
//!   into the UI.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

use serde_json::{json, Value};

/// npm packages whose code ends up in ui/dist: the UI's dependencies, and Svelte's runtime (a
/// devDependency, but the compiled components import it).
const BUNDLED_NPM_EXTRA: &[&str] = &["svelte"];

pub fn emit() {
    let root = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".into());
    let root = Path::new(&root);
    println!("cargo:rerun-if-changed=Cargo.lock");
    println!("cargo:rerun-if-changed=ui/package-lock.json");
    println!("cargo:rerun-if-env-changed=SOURCE_DATE_EPOCH");
    // HEAD moves on a checkout; its reflog grows on every commit too.
    for watched in ["HEAD", "logs/HEAD"] {
        if let Some(path) = git(root, &["rev-parse", "--git-path", watched]) {
            println!("cargo:rerun-if-changed={}", root.join(path).display());
        }
    }
    let commit = git(root, &["rev-parse", "--short=10", "HEAD"]).unwrap_or_else(|| "unknown".into());
    println!("cargo:rustc-env=OSSLITE_COMMIT={commit}");
    println!("cargo:rustc-env=OSSLITE_BUILD_DATE={}", build_date());

    let mut licenses = crate_licenses(root);
    licenses.extend(npm_licenses(root));
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    std::fs::write(out.join("licenses.json"), Value::Array(licenses).to_string()).expect("OUT_DIR is writable");
}

fn git(root: &Path, args: &[&str]) -> Option<String> {
    let output = Command::new("git").args(args).current_dir(root).output().ok()?;
    output.status.success().then(|| String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

/// YYYY-MM-DD (UTC) of SOURCE_DATE_EPOCH or now.
fn build_date() -> String {
    let secs = std::env::var("SOURCE_DATE_EPOCH").ok().and_then(|s| s.parse::<i64>().ok()).unwrap_or_else(|| {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or(0)
    });
    // Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm).
    let z = secs.div_euclid(86_400) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

/// The crates linked into the app: the `osslite` package's normal dependencies, transitively.
fn crate_licenses(root: &Path) -> Vec<Value> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let target = std::env::var("TARGET").unwrap_or_default();
    let output = Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--locked", "--offline", "--filter-platform", &target])
        .current_dir(root)
        .output();
    let metadata: Value = match output {
        Ok(output) if output.status.success() => serde_json::from_slice(&output.stdout).unwrap_or(Value::Null),
        Ok(output) => {
            println!("cargo:warning=About: cargo metadata failed: {}", String::from_utf8_lossy(&output.stderr).trim());
            return Vec::new();
        }
        Err(err) => {
            println!("cargo:warning=About: cargo metadata did not run: {err}");
            return Vec::new();
        }
    };
    let packages: BTreeMap<&str, &Value> =
        metadata["packages"].as_array().into_iter().flatten().filter_map(|p| Some((p["id"].as_str()?, p))).collect();
    let nodes: BTreeMap<&str, &Value> = metadata["resolve"]["nodes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|n| Some((n["id"].as_str()?, n)))
        .collect();
    let Some(app) = packages.values().find(|p| p["name"] == "osslite").and_then(|p| p["id"].as_str()) else {
        return Vec::new();
    };
    let mut seen = BTreeSet::new();
    let mut todo = vec![app];
    while let Some(id) = todo.pop() {
        if !seen.insert(id) {
            continue;
        }
        for dep in nodes.get(id).and_then(|n| n["deps"].as_array()).into_iter().flatten() {
            let normal = dep["dep_kinds"].as_array().into_iter().flatten().any(|k| k["kind"].is_null());
            if let (true, Some(pkg)) = (normal, dep["pkg"].as_str()) {
                todo.push(pkg);
            }
        }
    }
    seen.remove(app);
    let mut list: Vec<Value> = seen
        .iter()
        .filter_map(|id| packages.get(id))
        .filter(|p| p["source"].is_string()) // our own workspace crates are the app itself
        .map(|p| json!({"name": p["name"], "version": p["version"], "license": p["license"].as_str().unwrap_or("see the crate"), "kind": "crate"}))
        .collect();
    list.sort_by_key(|entry| entry["name"].as_str().unwrap_or_default().to_owned());
    list.dedup();
    list
}

fn npm_licenses(root: &Path) -> Vec<Value> {
    let read = |name: &str| {
        std::fs::read(root.join("ui").join(name)).ok().and_then(|b| serde_json::from_slice::<Value>(&b).ok())
    };
    let (Some(manifest), Some(lock)) = (read("package.json"), read("package-lock.json")) else {
        println!("cargo:warning=About: ui/package.json or ui/package-lock.json is missing");
        return Vec::new();
    };
    let mut names: BTreeSet<String> =
        manifest["dependencies"].as_object().into_iter().flatten().map(|(n, _)| n.clone()).collect();
    names.extend(BUNDLED_NPM_EXTRA.iter().map(|n| (*n).to_owned()));
    names
        .iter()
        .filter_map(|name| {
            let entry = &lock["packages"][format!("node_modules/{name}")];
            let version = entry["version"].as_str()?;
            Some(json!({"name": name, "version": version, "license": entry["license"].as_str().unwrap_or("see the package"), "kind": "npm"}))
        })
        .collect()
}
