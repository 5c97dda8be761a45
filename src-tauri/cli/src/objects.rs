//! `ls`, `stat` and `rm`: browsing and deleting from the command line.

use chrono::{DateTime, Local, Utc};
use clap::Args;
use futures_util::TryStreamExt;
use osslite_core::client::ListEntry;
use osslite_core::delete::delete_all;
use osslite_core::manage::{restore_state, RestoreState};
use osslite_core::ops::MAX_DELETE_KEYS;
use osslite_core::transfer::paths::escape_controls;
use osslite_core::Result;

use crate::connection::{ClockSkewNote, ConnectionArgs};
use crate::target::OssPath;

#[derive(Args)]
pub struct LsArgs {
    /// oss://BUCKET[/PREFIX]; without it, the buckets.
    target: Option<String>,
    /// Every object below the prefix, not only its direct children.
    #[arg(short, long)]
    recursive: bool,
    /// Every version and delete marker of the key or of the keys below the prefix.
    #[arg(long, conflicts_with = "recursive")]
    versions: bool,
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    connection: ConnectionArgs,
}

#[derive(Args)]
pub struct StatArgs {
    /// oss://BUCKET/KEY
    target: String,
    /// That version instead of the latest.
    #[arg(long, value_name = "ID")]
    version_id: Option<String>,
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    connection: ConnectionArgs,
}

#[derive(Args)]
pub struct RmArgs {
    /// oss://BUCKET/KEY, or with -r oss://BUCKET/PREFIX/
    target: String,
    /// Delete every object under the prefix.
    #[arg(short, long)]
    recursive: bool,
    /// Delete that version (or delete marker) for good, instead of adding a delete marker.
    #[arg(long, value_name = "ID", conflicts_with = "recursive")]
    version_id: Option<String>,
    #[command(flatten)]
    connection: ConnectionArgs,
}

pub async fn ls(args: LsArgs) -> Result<()> {
    if args.versions {
        let target = args
            .target
            .as_deref()
            .ok_or_else(|| osslite_core::Error::invalid_input("ls --versions needs oss://BUCKET/KEY_OR_PREFIX"))?;
        return crate::versions::ls_versions(target, args.json, &args.connection).await;
    }
    let session = args.connection.open().await?;
    let _clock_note = ClockSkewNote::watch(&session.client);
    let Some(target) = args.target.as_deref().map(OssPath::parse).transpose()? else {
        let buckets: Vec<_> = session.client.list_all_buckets(None).try_collect().await?;
        if args.json {
            return crate::print_json(&buckets);
        }
        for bucket in &buckets {
            let region = bucket.region.clone().unwrap_or_else(|| bucket.location.clone());
            let class = bucket.storage_class.as_deref().unwrap_or("-");
            println!("{}  {:<16} {:<12} {}", local_time(bucket.creation_date), region, class, bucket.name);
        }
        eprintln!("{} buckets", buckets.len());
        return Ok(());
    };
    let prefix = (!target.prefix.is_empty()).then_some(target.prefix.as_str());
    let delimiter = (!args.recursive).then_some("/");
    let entries: Vec<ListEntry> = session.client.list_all(&target.bucket, prefix, delimiter).try_collect().await?;
    if args.json {
        return crate::print_json(&entries);
    }
    let (mut folders, mut objects, mut bytes) = (0u64, 0u64, 0u64);
    for entry in &entries {
        match entry {
            ListEntry::Prefix { prefix } => {
                folders += 1;
                let prefix = escape_controls(prefix);
                println!("{:>19}  {:>12}  {:<12} oss://{}/{prefix}", "", "DIR", "", target.bucket);
            }
            ListEntry::Object(object) => {
                objects += 1;
                bytes += object.size;
                let class = object.storage_class.as_deref().unwrap_or("-");
                println!(
                    "{}  {:>12}  {class:<12} oss://{}/{}",
                    local_time(object.last_modified),
                    object.size,
                    target.bucket,
                    escape_controls(&object.key)
                );
            }
        }
    }
    eprintln!("{objects} objects ({bytes} bytes), {folders} folders");
    Ok(())
}

pub async fn stat(args: StatArgs) -> Result<()> {
    let target = OssPath::parse(&args.target)?;
    let key = target.object_key()?;
    let session = args.connection.open().await?;
    let _clock_note = ClockSkewNote::watch(&session.client);
    let version_id = args.version_id.as_deref();
    let meta = session.client.head_object_version(&target.bucket, key, version_id).await?;
    // An ACL belongs to the object, not to a version: shown for the latest only.
    let acl = match version_id {
        None => session.client.get_object_acl(&target.bucket, key).await?.acl.as_str(),
        Some(_) => "-",
    };
    let storage_class = meta.storage_class.clone().unwrap_or_else(|| "Standard".to_owned());
    let restore = match restore_state(meta.restore.as_deref()) {
        None => None,
        Some(RestoreState::Restoring) => Some("ongoing".to_owned()),
        Some(RestoreState::Restored { until }) => Some(until.map_or_else(|| "restored".to_owned(), |t| t.to_rfc3339())),
    };
    if args.json {
        let mut value = serde_json::to_value(&meta).map_err(|err| {
            osslite_core::Error::new(osslite_core::ErrorKind::Io, format!("cannot write JSON: {err}"))
        })?;
        if let Some(object) = value.as_object_mut() {
            object.insert("acl".into(), acl.into());
            object.insert("storageClass".into(), storage_class.into());
            object.insert("restore".into(), restore.into());
        }
        return crate::print_json(&value);
    }
    println!("object:         oss://{}/{key}", target.bucket);
    println!("size:           {}", meta.content_length.map_or("-".into(), |n| n.to_string()));
    println!("last modified:  {}", local_time(meta.last_modified));
    println!("etag:           {}", meta.etag.as_deref().unwrap_or("-").trim_matches('"'));
    println!("crc64ecma:      {}", meta.crc64.map_or("-".into(), |n| n.to_string()));
    println!("content type:   {}", meta.content_type.as_deref().unwrap_or("-"));
    println!("storage class:  {storage_class}");
    println!("acl:            {acl}");
    if let Some(restore) = &restore {
        println!("restore:        {restore}");
    }
    println!("object type:    {}", meta.object_type.as_deref().unwrap_or("-"));
    if let Some(version) = &meta.version_id {
        println!("version id:     {version}");
    }
    for (name, value) in &meta.metadata {
        println!("x-oss-meta-{name}: {value}");
    }
    Ok(())
}

pub async fn rm(args: RmArgs) -> Result<()> {
    let target = OssPath::parse(&args.target)?;
    if let Some(version_id) = &args.version_id {
        return crate::versions::rm_version(&target, version_id, &args.connection).await;
    }
    let session = args.connection.open().await?;
    let _clock_note = ClockSkewNote::watch(&session.client);
    if !args.recursive {
        let key = target.object_key()?;
        session.client.delete_object(&target.bucket, key).await?;
        println!("deleted oss://{}/{key}", target.bucket);
        return Ok(());
    }
    let prefixes = [target.prefix.clone()];
    let outcome = delete_all(&session.client, &target.bucket, Vec::new(), &prefixes, |progress| {
        if progress.total > MAX_DELETE_KEYS {
            eprintln!("deleted {} of {} objects", progress.deleted, progress.total);
        }
    })
    .await?;
    for key in &outcome.failed {
        eprintln!("not deleted: oss://{}/{key}", target.bucket);
    }
    let deleted = outcome.into_result()?;
    println!("deleted {deleted} objects under oss://{}/{}", target.bucket, target.prefix);
    Ok(())
}

fn local_time(time: Option<DateTime<Utc>>) -> String {
    time.map_or_else(|| format!("{:19}", "-"), |t| t.with_timezone(&Local).format("%Y-%m-%d %H:%M:%S").to_string())
}
