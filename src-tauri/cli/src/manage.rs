//! `mv`, server-side `cp`, `set-meta`, `set-acl`, `set-class` and `restore`: management jobs of
//! the core's transfer engine. Ctrl-C pauses the job and keeps its checkpoint: the same
//! command continues it.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use osslite_core::manage::{CopyTarget, ManageAction, ManageOptions, ManageRequest, MetaEdit, DEFAULT_COPY_THRESHOLD};
use osslite_core::manage::{DEFAULT_COPY_PART_SIZE, DEFAULT_MANAGE_PARALLEL};
use osslite_core::ops::RestoreTier;
use osslite_core::transfer::{parse_size, paths, CheckpointStore, TransferManager, TransferStatus};
use osslite_core::xml::ObjectAcl;
use osslite_core::{Error, ErrorKind, Result};

use crate::connection::{ClockSkewNote, ConnectionArgs};
use crate::cp::{say, ConflictArg, Display};
use crate::target::OssPath;

/// What every job command takes.
#[derive(Args, Clone, Debug)]
pub struct JobArgs {
    /// A folder (oss://BUCKET/PREFIX/) with everything below it.
    #[arg(short, long)]
    pub recursive: bool,
    /// When a copy's target exists: fail, overwrite it, skip it, or keep both (`name (1).ext`).
    #[arg(long, value_enum, ignore_case = true, default_value_t = ConflictArg::Fail)]
    pub on_conflict: ConflictArg,
    /// Objects worked on at once (and parts of one large copy).
    #[arg(long, default_value_t = DEFAULT_MANAGE_PARALLEL, value_name = "N")]
    pub parallel: usize,
    /// Objects larger than this are copied in parts with UploadPartCopy (at most 1G).
    #[arg(long, value_parser = parse_size, value_name = "SIZE", default_value = "1G")]
    pub copy_threshold: u64,
    /// The part size of a copy in parts (default 64M).
    #[arg(long, value_parser = parse_size, value_name = "SIZE")]
    pub part_size: Option<u64>,
    /// Folder for checkpoints (default: OSS Lite's data directory).
    #[arg(long, value_name = "DIR")]
    pub checkpoint_dir: Option<PathBuf>,
    #[command(flatten)]
    pub connection: ConnectionArgs,
}

impl Default for JobArgs {
    fn default() -> Self {
        Self {
            recursive: false,
            on_conflict: ConflictArg::Fail,
            parallel: DEFAULT_MANAGE_PARALLEL,
            copy_threshold: DEFAULT_COPY_THRESHOLD,
            part_size: None,
            checkpoint_dir: None,
            connection: ConnectionArgs::default(),
        }
    }
}

#[derive(Args)]
pub struct MvArgs {
    /// oss://BUCKET/KEY, or with -r oss://BUCKET/PREFIX/
    source: String,
    /// oss://BUCKET/KEY, oss://BUCKET/FOLDER/ (keeps the name), or with -r the new folder.
    destination: String,
    #[command(flatten)]
    job: JobArgs,
}

#[derive(Args)]
pub struct SetMetaArgs {
    /// oss://BUCKET/KEY, or with -r oss://BUCKET/PREFIX/
    target: String,
    #[arg(long, value_name = "TYPE")]
    content_type: Option<String>,
    #[arg(long, value_name = "VALUE")]
    cache_control: Option<String>,
    #[arg(long, value_name = "VALUE")]
    content_disposition: Option<String>,
    #[arg(long, value_name = "VALUE")]
    content_encoding: Option<String>,
    #[arg(long, value_name = "VALUE")]
    content_language: Option<String>,
    #[arg(long, value_name = "DATE")]
    expires: Option<String>,
    /// Sets x-oss-meta-K (repeatable).
    #[arg(long = "meta", value_name = "K=V")]
    meta: Vec<String>,
    /// Removes x-oss-meta-K (repeatable).
    #[arg(long = "remove-meta", value_name = "K")]
    remove_meta: Vec<String>,
    #[command(flatten)]
    job: JobArgs,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum AclArg {
    Default,
    Private,
    PublicRead,
    PublicReadWrite,
}

impl From<AclArg> for ObjectAcl {
    fn from(arg: AclArg) -> Self {
        match arg {
            AclArg::Default => ObjectAcl::Default,
            AclArg::Private => ObjectAcl::Private,
            AclArg::PublicRead => ObjectAcl::PublicRead,
            AclArg::PublicReadWrite => ObjectAcl::PublicReadWrite,
        }
    }
}

#[derive(Args)]
pub struct SetAclArgs {
    /// oss://BUCKET/KEY, or with -r oss://BUCKET/PREFIX/
    target: String,
    #[arg(value_enum, ignore_case = true)]
    acl: AclArg,
    #[command(flatten)]
    job: JobArgs,
}

#[derive(Args)]
pub struct SetClassArgs {
    /// oss://BUCKET/KEY, or with -r oss://BUCKET/PREFIX/
    target: String,
    /// Standard, IA, Archive, ColdArchive or DeepColdArchive.
    storage_class: String,
    #[command(flatten)]
    job: JobArgs,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum TierArg {
    Expedited,
    Standard,
    Bulk,
}

#[derive(Args)]
pub struct RestoreArgs {
    /// oss://BUCKET/KEY, or with -r oss://BUCKET/PREFIX/
    target: String,
    /// Days the restored copy stays readable (1 to 365; default 1).
    #[arg(long)]
    days: Option<u32>,
    /// How fast a Cold Archive restore runs.
    #[arg(long, value_enum, ignore_case = true)]
    tier: Option<TierArg>,
    #[command(flatten)]
    job: JobArgs,
}

/// The key of one object, or with `recursive` the folder `prefix/`.
fn selected_key(path: &OssPath, recursive: bool) -> Result<String> {
    if recursive {
        let prefix = paths::as_folder_prefix(&path.prefix);
        if prefix.is_empty() {
            return Err(Error::invalid_input(format!(
                "-r needs a folder: write oss://{}/FOLDER/ (a whole bucket is not one)",
                path.bucket
            )));
        }
        Ok(prefix)
    } else {
        Ok(path.object_key()?.to_owned())
    }
}

/// `mv` and the server-side `cp`: oss:// to oss://.
pub async fn copy_or_move(source: &str, destination: &str, is_move: bool, job: JobArgs) -> Result<()> {
    let verb = if is_move { "mv" } else { "cp" };
    if !source.starts_with("oss://") || !destination.starts_with("oss://") {
        return Err(Error::invalid_input(format!("{verb} on the server takes oss://BUCKET/KEY on both sides")));
    }
    let (from, to) = (OssPath::parse(source)?, OssPath::parse(destination)?);
    let key = selected_key(&from, job.recursive)?;
    let target = if job.recursive {
        CopyTarget::Exact { bucket: to.bucket, key: paths::as_folder_prefix(&to.prefix) }
    } else if to.prefix.is_empty() || to.prefix.ends_with('/') {
        CopyTarget::IntoFolder { bucket: to.bucket, prefix: to.prefix }
    } else {
        CopyTarget::Exact { bucket: to.bucket, key: to.prefix }
    };
    let action = if is_move { ManageAction::Move { target } } else { ManageAction::Copy { target } };
    run_job(ManageRequest { bucket: from.bucket, keys: vec![key], action }, job).await
}

pub async fn mv(args: MvArgs) -> Result<()> {
    copy_or_move(&args.source, &args.destination, true, args.job).await
}

fn parse_meta(pairs: &[String]) -> Result<Vec<(String, String)>> {
    pairs
        .iter()
        .map(|pair| {
            pair.split_once('=')
                .map(|(name, value)| (name.to_owned(), value.to_owned()))
                .ok_or_else(|| Error::invalid_input(format!("--meta takes NAME=VALUE; '{pair}' has no '='")))
        })
        .collect()
}

pub async fn set_meta(args: SetMetaArgs) -> Result<()> {
    let edit = MetaEdit {
        content_type: args.content_type,
        cache_control: args.cache_control,
        content_disposition: args.content_disposition,
        content_encoding: args.content_encoding,
        content_language: args.content_language,
        expires: args.expires,
        set_meta: parse_meta(&args.meta)?,
        remove_meta: args.remove_meta,
    };
    update(&args.target, ManageAction::SetMeta { edit }, args.job).await
}

pub async fn set_acl(args: SetAclArgs) -> Result<()> {
    update(&args.target, ManageAction::SetAcl { acl: args.acl.into() }, args.job).await
}

pub async fn set_class(args: SetClassArgs) -> Result<()> {
    update(&args.target, ManageAction::SetClass { storage_class: args.storage_class }, args.job).await
}

pub async fn restore(args: RestoreArgs) -> Result<()> {
    let tier = args.tier.map(|tier| match tier {
        TierArg::Expedited => RestoreTier::Expedited,
        TierArg::Standard => RestoreTier::Standard,
        TierArg::Bulk => RestoreTier::Bulk,
    });
    update(&args.target, ManageAction::Restore { days: args.days, tier }, args.job).await
}

async fn update(target: &str, action: ManageAction, job: JobArgs) -> Result<()> {
    let path = OssPath::parse(target)?;
    let key = selected_key(&path, job.recursive)?;
    run_job(ManageRequest { bucket: path.bucket, keys: vec![key], action }, job).await
}

/// Runs one job to its end, printing progress on stderr and the failed objects at the end.
async fn run_job(request: ManageRequest, job: JobArgs) -> Result<()> {
    let options = ManageOptions {
        on_conflict: job.on_conflict.into(),
        copy_threshold: job.copy_threshold,
        part_size: job.part_size.unwrap_or(DEFAULT_COPY_PART_SIZE),
        parallel: job.parallel,
        profile: job.connection.profile.clone(),
    };
    let checkpoints = match &job.checkpoint_dir {
        Some(dir) => CheckpointStore::new(dir),
        None => CheckpointStore::open_default()?,
    };
    let session = job.connection.open().await?;
    let _clock_note = ClockSkewNote::watch(&session.client);
    let manager = TransferManager::new(1, checkpoints);
    let display = Display::new(std::io::IsTerminal::is_terminal(&std::io::stderr()));
    let id = manager.manage(&session.client, request, options, display.sink()).await?;
    let snapshot = tokio::select! {
        snapshot = manager.wait(id) => snapshot?,
        () = crate::signals::stop_requested() => {
            manager.pause_all();
            let _ = manager.wait_idle(id).await;
            display.clear();
            return Err(Error::new(
                ErrorKind::Cancelled,
                "interrupted; the checkpoint is saved: run the same command again to continue",
            ));
        }
    };
    display.clear();
    if snapshot.state == TransferStatus::Done {
        return Ok(());
    }
    for failure in manager.failures(id)? {
        say(format!("failed: {}: {}", failure.source, failure.message));
    }
    let error = snapshot.error.unwrap_or_else(|| Error::new(ErrorKind::Io, "the job stopped").into());
    Err(Error::new(error.kind, error.message))
}
