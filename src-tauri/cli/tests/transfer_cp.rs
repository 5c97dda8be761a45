//! `osslite-cli cp` as a child process against a sandbox with a bandwidth cap: killed with
//! SIGKILL halfway through an upload and a download, then run again, it continues without
//! sending finished parts again; Ctrl-C saves the checkpoint; exit codes 0, 1 and 2.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use osslite_sandbox::{crc64, AccessKey, Faults, Sandbox, SandboxConfig};

const KEY_ID: &str = "LTAI5tCliCpTests";
const SECRET: &str = "cli-cp-secret";
const BUCKET: &str = "cp-bucket";
const MIB: u64 = 1 << 20;

struct Fixture {
    sandbox: Sandbox,
    dir: tempfile::TempDir,
    _root: tempfile::TempDir,
}

async fn start(faults: Faults) -> Fixture {
    let root = tempfile::tempdir().unwrap();
    let config = SandboxConfig::new(root.path())
        .with_bucket(BUCKET)
        .with_key(AccessKey::new(KEY_ID, SECRET))
        .with_faults(faults);
    let sandbox = Sandbox::start(config).await.unwrap();
    Fixture { sandbox, dir: tempfile::tempdir().unwrap(), _root: root }
}

impl Fixture {
    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn checkpoints(&self) -> PathBuf {
        self.path("checkpoints")
    }

    /// `osslite-cli cp SRC DST` with 1 MiB parts above 1 MiB, against the sandbox.
    fn cp(&self, source: &str, destination: &str, extra: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_osslite-cli"));
        command
            .args(["cp", source, destination, "--part-size", "1M", "--multipart-threshold", "1M"])
            .args(["--region", "cn-hangzhou", "--addressing", "path", "--endpoint", self.sandbox.endpoint()])
            .arg("--checkpoint-dir")
            .arg(self.checkpoints())
            .args(extra)
            .env("OSS_ACCESS_KEY_ID", KEY_ID)
            .env("OSS_ACCESS_KEY_SECRET", SECRET)
            .env_remove("OSS_SESSION_TOKEN")
            .env("HOME", self.dir.path())
            .env("XDG_DATA_HOME", self.path("data"))
            .current_dir(self.dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        command
    }

    /// The checkpoint saved so far, if any. Only `.json` counts: a `.json.tmp` is a save that
    /// may never be renamed into place (the kill can come first).
    fn saved_checkpoint(&self) -> Option<serde_json::Value> {
        let saved = std::fs::read_dir(self.checkpoints())
            .ok()?
            .flatten()
            .find(|entry| entry.path().extension().is_some_and(|ext| ext == "json"))?;
        serde_json::from_slice(&std::fs::read(saved.path()).ok()?).ok()
    }

    fn checkpoint(&self) -> serde_json::Value {
        // A kill during a save may leave its `.json.tmp` beside the checkpoint; only `.json` counts.
        let entries: Vec<_> = std::fs::read_dir(self.checkpoints())
            .unwrap()
            .flatten()
            .filter(|entry| entry.path().extension().is_some_and(|ext| ext == "json"))
            .collect();
        assert_eq!(entries.len(), 1, "one checkpoint file");
        serde_json::from_slice(&std::fs::read(entries[0].path()).unwrap()).unwrap()
    }

    /// Part numbers of the UploadPart requests OSS accepted, in log order.
    fn accepted_parts(&self) -> Vec<u64> {
        self.sandbox
            .request_log()
            .into_iter()
            .filter(|r| r.operation == "UploadPart" && r.status == 200)
            .filter_map(|r| r.query.split('&').find_map(|p| p.strip_prefix("partNumber=")).and_then(|n| n.parse().ok()))
            .collect()
    }
}

fn write_file(path: &Path, size: u64, seed: u8) {
    let mut file = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    let mut state = u64::from(seed).wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut block = vec![0u8; 64 * 1024];
    let mut left = size;
    while left > 0 {
        for chunk in block.chunks_mut(8) {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            chunk.copy_from_slice(&state.to_le_bytes()[..chunk.len()]);
        }
        let n = left.min(block.len() as u64) as usize;
        file.write_all(&block[..n]).unwrap();
        left -= n as u64;
    }
    file.flush().unwrap();
}

fn crc_of(path: &Path) -> u64 {
    crc64(&std::fs::read(path).unwrap())
}

/// Waits (polling, at most 30 s) until `ready`, then SIGKILLs the child.
async fn kill_when(child: &mut Child, ready: impl Fn() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !ready() {
        assert!(child.try_wait().unwrap().is_none(), "cp ended before it could be killed");
        assert!(Instant::now() < deadline, "cp made no progress");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    child.kill().unwrap(); // SIGKILL: no chance to save anything
    child.wait().unwrap();
}

async fn finish(command: &mut Command) -> Output {
    let output = tokio::task::spawn_blocking({
        let mut command = std::mem::replace(command, Command::new("true"));
        move || command.output().unwrap()
    })
    .await
    .unwrap();
    output
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_halfway_through_an_upload_it_continues_without_resending_parts() {
    let fixture = start(Faults { bandwidth_bytes_per_sec: Some(1_500_000), ..Faults::default() }).await;
    let source = fixture.path("big.bin");
    write_file(&source, 16 * MIB + 123, 1);
    let source_text = source.to_string_lossy().into_owned();

    let mut child = fixture.cp(&source_text, &format!("oss://{BUCKET}/kill/big.bin"), &[]).spawn().unwrap();
    kill_when(&mut child, || fixture.accepted_parts().len() >= 5).await;
    let saved = fixture.checkpoint();
    let recorded: BTreeSet<u64> = saved["parts"].as_object().unwrap().keys().map(|k| k.parse().unwrap()).collect();
    assert!(!recorded.is_empty(), "{saved}");
    let first_run = fixture.accepted_parts();
    assert!(first_run.len() < 17, "killed halfway");

    fixture.sandbox.set_faults(Faults::default());
    tokio::time::sleep(Duration::from_millis(300)).await; // the killed run's requests wind down
    fixture.sandbox.clear_request_log();
    let output = finish(&mut fixture.cp(&source_text, &format!("oss://{BUCKET}/kill/big.bin"), &[])).await;
    assert!(output.status.success(), "{}", stderr(&output));
    let second_run = fixture.accepted_parts();
    for part in &second_run {
        assert!(!first_run.contains(part), "part {part} was sent again: {first_run:?} then {second_run:?}");
    }
    assert!(!second_run.is_empty() && second_run.len() <= 17 - recorded.len());
    assert_eq!(fixture.sandbox.request_log().iter().filter(|r| r.operation == "InitiateMultipartUpload").count(), 0);
    assert!(std::fs::read_dir(fixture.checkpoints()).unwrap().next().is_none(), "the checkpoint is gone");

    let downloaded = fixture.path("check.bin");
    let output =
        finish(&mut fixture.cp(&format!("oss://{BUCKET}/kill/big.bin"), &downloaded.to_string_lossy(), &[])).await;
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(crc_of(&downloaded), crc_of(&source));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killed_halfway_through_a_download_it_continues_from_the_part_file() {
    let fixture = start(Faults::default()).await;
    let source = fixture.path("remote.bin");
    write_file(&source, 16 * MIB, 2);
    let output = finish(&mut fixture.cp(&source.to_string_lossy(), &format!("oss://{BUCKET}/remote.bin"), &[])).await;
    assert!(output.status.success(), "{}", stderr(&output));

    fixture.sandbox.set_faults(Faults { bandwidth_bytes_per_sec: Some(1_500_000), ..Faults::default() });
    let target = fixture.path("out/remote.bin");
    std::fs::create_dir_all(target.parent().unwrap()).unwrap();
    let target_text = target.to_string_lossy().into_owned();
    let mut child = fixture.cp(&format!("oss://{BUCKET}/remote.bin"), &target_text, &[]).spawn().unwrap();
    let finished_ranges = || {
        fixture.saved_checkpoint().and_then(|value| value["ranges"].as_object().map(|ranges| ranges.len())).unwrap_or(0)
    };
    kill_when(&mut child, || finished_ranges() >= 4).await;
    assert!(!target.exists(), "nothing under the final name");
    let part_name = fixture.checkpoint()["partName"].as_str().unwrap().to_owned();
    assert!(part_name.starts_with(".remote.bin.") && part_name.ends_with(".osslite-part"), "{part_name}");
    assert!(target.with_file_name(&part_name).exists());
    let recorded = fixture.checkpoint()["ranges"].as_object().unwrap().len() as u64;
    assert!((4..16).contains(&recorded), "{recorded} ranges");

    fixture.sandbox.set_faults(Faults::default());
    tokio::time::sleep(Duration::from_millis(300)).await; // the killed run's requests wind down
    fixture.sandbox.clear_request_log();
    let output = finish(&mut fixture.cp(&format!("oss://{BUCKET}/remote.bin"), &target_text, &[])).await;
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(crc_of(&target), crc_of(&source));
    assert!(!target.with_file_name(&part_name).exists());
    let sent: u64 =
        fixture.sandbox.request_log().iter().filter(|r| r.operation == "GetObject").map(|r| r.bytes_out).sum();
    assert_eq!(sent, (16 - recorded) * MIB, "only the ranges the checkpoint did not record were fetched");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ctrl_c_saves_the_checkpoint_and_exit_codes_tell_what_happened() {
    let fixture = start(Faults { bandwidth_bytes_per_sec: Some(1_000_000), ..Faults::default() }).await;
    let source = fixture.path("interrupted.bin");
    write_file(&source, 12 * MIB, 3);
    let source_text = source.to_string_lossy().into_owned();
    let destination = format!("oss://{BUCKET}/interrupted.bin");

    let mut child = fixture.cp(&source_text, &destination, &[]).spawn().unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    while fixture.accepted_parts().len() < 3 {
        assert!(Instant::now() < deadline);
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let interrupted = Command::new("kill").args(["-INT", &child.id().to_string()]).status().unwrap();
    assert!(interrupted.success());
    let output = tokio::task::spawn_blocking(move || {
        let status = child.wait().unwrap();
        let mut text = String::new();
        std::io::Read::read_to_string(child.stderr.as_mut().unwrap(), &mut text).unwrap();
        (status, text)
    })
    .await
    .unwrap();
    assert_eq!(output.0.code(), Some(1), "{}", output.1);
    assert!(output.1.contains("interrupted"), "{}", output.1);
    let parts = fixture.checkpoint()["parts"].as_object().unwrap().len();
    assert!(parts >= 3, "the checkpoint holds the {parts} finished parts");

    fixture.sandbox.set_faults(Faults::default());
    let resumed = finish(&mut fixture.cp(&source_text, &destination, &[])).await;
    assert_eq!(resumed.status.code(), Some(0), "{}", stderr(&resumed));

    // The object exists now: the default refuses to overwrite it (1), skip succeeds (0).
    let refused = finish(&mut fixture.cp(&source_text, &destination, &[])).await;
    assert_eq!(refused.status.code(), Some(1));
    assert!(stderr(&refused).contains("exists already"), "{}", stderr(&refused));
    let skipped = finish(&mut fixture.cp(&source_text, &destination, &["--on-conflict", "skip"])).await;
    assert_eq!(skipped.status.code(), Some(0), "{}", stderr(&skipped));
    // Bad input: 2.
    for args in [vec!["--part-size", "50K"], vec!["--on-conflict", "maybe"], vec!["--jobs", "0"]] {
        let bad = finish(&mut fixture.cp(&source_text, &destination, &args)).await;
        assert_eq!(bad.status.code(), Some(2), "{args:?}: {}", stderr(&bad));
    }
    let missing = finish(&mut fixture.cp("/no/such/file", &destination, &[])).await;
    assert_eq!(missing.status.code(), Some(2));
    // Into a folder (relative to the working directory) under the object's own name.
    let into = finish(&mut fixture.cp(&format!("oss://{BUCKET}/interrupted.bin"), "out/", &[])).await;
    assert_eq!(into.status.code(), Some(0), "{}", stderr(&into));
    assert_eq!(crc_of(&fixture.path("out/interrupted.bin")), crc_of(&source));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_download_without_a_checksum_is_reported_not_verified() {
    let fixture = start(Faults::default()).await;
    let (whole, parts) = (fixture.path("whole.bin"), fixture.path("parts.bin"));
    write_file(&whole, 100_000, 1);
    write_file(&parts, 2 * MIB + 5, 2);
    for (path, key) in [(&whole, "whole.bin"), (&parts, "parts.bin")] {
        let up = finish(&mut fixture.cp(path.to_str().unwrap(), &format!("oss://{BUCKET}/{key}"), &[])).await;
        assert_eq!(up.status.code(), Some(0), "{}", stderr(&up));
    }
    // A CDN in front of OSS may drop x-oss-hash-crc64ecma.
    fixture.sandbox.set_faults(Faults { omit_crc64: true, ..Faults::default() });
    let output = |out: &Output| format!("{}{}", String::from_utf8_lossy(&out.stdout), stderr(out));

    let checked = finish(&mut fixture.cp(&format!("oss://{BUCKET}/whole.bin"), "down/whole.bin", &[])).await;
    assert_eq!(checked.status.code(), Some(0), "{}", stderr(&checked));
    assert!(!output(&checked).contains("not verified"), "its ETag is its MD5: {}", output(&checked));

    let unchecked = finish(&mut fixture.cp(&format!("oss://{BUCKET}/parts.bin"), "down/parts.bin", &[])).await;
    assert_eq!(unchecked.status.code(), Some(0), "{}", stderr(&unchecked));
    let text = output(&unchecked);
    assert!(text.contains("(not verified: the server sent no checksum)"), "{text}");
    assert_eq!(crc_of(&fixture.path("down/parts.bin")), crc_of(&parts));
}
