//! `du`, `mb` and `rb`: folder sizes and buckets.

use clap::Args;
use osslite_core::manage::{create_bucket, delete_bucket, disk_usage, CancellationToken, NewBucket};
use osslite_core::transfer::human_size;
use osslite_core::xml::ObjectAcl;
use osslite_core::Result;

use crate::connection::{ClockSkewNote, ConnectionArgs};
use crate::target::OssPath;

#[derive(Args)]
pub struct DuArgs {
    /// oss://BUCKET[/PREFIX/]
    target: String,
    /// {"objects":N,"bytes":N,"byClass":{"Standard":{"objects":N,"bytes":N},…}}
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    connection: ConnectionArgs,
}

#[derive(Args)]
pub struct MbArgs {
    /// oss://BUCKET, created in the region of --region (or the profile's): sent to that region's
    /// endpoint and signed for it.
    target: String,
    /// Standard (default), IA, Archive, ColdArchive or DeepColdArchive.
    #[arg(long)]
    storage_class: Option<String>,
    /// private (default), public-read or public-read-write.
    #[arg(long)]
    acl: Option<String>,
    #[command(flatten)]
    connection: ConnectionArgs,
}

#[derive(Args)]
pub struct RbArgs {
    /// oss://BUCKET; it must be empty.
    target: String,
    #[command(flatten)]
    connection: ConnectionArgs,
}

fn bucket_only(text: &str) -> Result<String> {
    let path = OssPath::parse(text)?;
    if !path.prefix.is_empty() {
        return Err(osslite_core::Error::invalid_input(format!(
            "'{text}' names a bucket as oss://BUCKET, without a key"
        )));
    }
    Ok(path.bucket)
}

pub async fn du(args: DuArgs) -> Result<()> {
    let path = OssPath::parse(&args.target)?;
    let session = args.connection.open().await?;
    let _clock_note = ClockSkewNote::watch(&session.client);
    let cancel = CancellationToken::new();
    let stop = cancel.clone();
    let watcher = tokio::spawn(async move {
        crate::signals::stop_requested().await;
        stop.cancel();
    });
    let usage = disk_usage(&session.client, &path.bucket, Some(&path.prefix), &cancel, |_| {}).await;
    watcher.abort();
    let usage = usage?;
    if args.json {
        let text = serde_json::to_string(&usage).map_err(|err| {
            osslite_core::Error::new(osslite_core::ErrorKind::Io, format!("cannot write JSON: {err}"))
        })?;
        println!("{text}");
        return Ok(());
    }
    println!(
        "{} objects, {} ({} bytes)  oss://{}/{}",
        usage.objects,
        human_size(usage.bytes),
        usage.bytes,
        path.bucket,
        path.prefix
    );
    for (class, class_usage) in &usage.by_class {
        println!(
            "  {class:<16} {:>10} objects  {} ({} bytes)",
            class_usage.objects,
            human_size(class_usage.bytes),
            class_usage.bytes
        );
    }
    Ok(())
}

pub async fn mb(args: MbArgs) -> Result<()> {
    let name = bucket_only(&args.target)?;
    let acl = args.acl.as_deref().map(str::parse::<ObjectAcl>).transpose()?;
    let session = args.connection.open().await?;
    let _clock_note = ClockSkewNote::watch(&session.client);
    let region = args.connection.region.clone();
    create_bucket(&session.client, &NewBucket { name: name.clone(), storage_class: args.storage_class, acl, region })
        .await?;
    println!("created oss://{name}");
    Ok(())
}

pub async fn rb(args: RbArgs) -> Result<()> {
    let name = bucket_only(&args.target)?;
    let session = args.connection.open().await?;
    let _clock_note = ClockSkewNote::watch(&session.client);
    delete_bucket(&session.client, &name, &name).await?;
    println!("deleted oss://{name}");
    Ok(())
}
