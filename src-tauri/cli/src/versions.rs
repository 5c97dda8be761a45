//! Versions from the command line: `ls --versions`, `versioning`, and `--version-id` on `stat`,
//! `rm` and `cp` (download).

use std::path::Path;

use chrono::{DateTime, Local, Utc};
use clap::{Args, ValueEnum};
use futures_util::TryStreamExt;
use osslite_core::ops::VersioningStatus;
use osslite_core::transfer::paths::escape_controls;
use osslite_core::versions::download_version;
use osslite_core::xml::ObjectVersion;
use osslite_core::Result;

use crate::connection::{ClockSkewNote, ConnectionArgs};
use crate::target::OssPath;

#[derive(Args)]
pub struct VersioningArgs {
    /// oss://BUCKET
    target: String,
    /// Enable or suspend; without it, print the state (Off, Enabled or Suspended).
    #[arg(value_enum, ignore_case = true)]
    state: Option<VersioningArg>,
    #[command(flatten)]
    connection: ConnectionArgs,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum VersioningArg {
    Enable,
    Suspend,
}

pub async fn versioning(args: VersioningArgs) -> Result<()> {
    let target = OssPath::parse(&args.target)?;
    let session = args.connection.open().await?;
    let _clock_note = ClockSkewNote::watch(&session.client);
    let client = &session.client;
    if let Some(state) = args.state {
        let status = match state {
            VersioningArg::Enable => VersioningStatus::Enabled,
            VersioningArg::Suspend => VersioningStatus::Suspended,
        };
        client.put_bucket_versioning(&target.bucket, status).await?;
    }
    println!("{}", client.get_bucket_versioning(&target.bucket).await?.as_str());
    Ok(())
}

/// `ls --versions oss://B/KEY_OR_PREFIX`: every version and delete marker, newest first per key.
pub async fn ls_versions(target: &str, json: bool, connection: &ConnectionArgs) -> Result<()> {
    let target = OssPath::parse(target)?;
    let session = connection.open().await?;
    let _clock_note = ClockSkewNote::watch(&session.client);
    let prefix = (!target.prefix.is_empty()).then_some(target.prefix.as_str());
    let versions: Vec<ObjectVersion> = session.client.list_all_versions(&target.bucket, prefix).try_collect().await?;
    if json {
        return crate::print_json(&versions);
    }
    for version in &versions {
        let size = if version.is_delete_marker { "DELETED".to_owned() } else { version.size.unwrap_or(0).to_string() };
        let latest = if version.is_latest { "latest" } else { "" };
        println!(
            "{}  {size:>12}  {latest:<6}  {}  oss://{}/{}",
            local_time(version.last_modified),
            version.version_id,
            target.bucket,
            escape_controls(&version.key)
        );
    }
    eprintln!("{} versions", versions.len());
    Ok(())
}

/// `rm --version-id`: that version (or delete marker) is gone for good.
pub async fn rm_version(target: &OssPath, version_id: &str, connection: &ConnectionArgs) -> Result<()> {
    let key = target.object_key()?;
    let session = connection.open().await?;
    session.client.delete_object_version(&target.bucket, key, version_id).await?;
    println!("deleted version {version_id} of oss://{}/{key}", target.bucket);
    Ok(())
}

/// `cp --version-id oss://B/KEY DEST`: one version downloaded to a file.
pub async fn download(
    source: &str,
    destination: &str,
    version_id: &str,
    overwrite: bool,
    connection: &ConnectionArgs,
) -> Result<()> {
    let source = OssPath::parse(source)?;
    let key = source.object_key()?;
    let session = connection.open().await?;
    let _clock_note = ClockSkewNote::watch(&session.client);
    let (path, size) =
        download_version(&session.client, &source.bucket, key, version_id, Path::new(destination), overwrite).await?;
    println!("downloaded version {version_id} of oss://{}/{key} to {} ({size} bytes)", source.bucket, path.display());
    Ok(())
}

fn local_time(time: Option<DateTime<Utc>>) -> String {
    time.map_or_else(|| format!("{:19}", "-"), |t| t.with_timezone(&Local).format("%Y-%m-%d %H:%M:%S").to_string())
}
