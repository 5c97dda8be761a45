//! `osslite-cli`: OSS Lite's headless commands. Exit codes: 0 success, 1 failure, 2 bad usage or input.

mod buckets;
mod connection;
mod cp;
mod find;
mod logs;
mod manage;
mod objects;
mod presign;
mod profile;
mod sandbox;
mod signals;
mod target;
mod versions;

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use osslite_core::{Error, ErrorKind};

#[derive(Parser)]
#[command(name = "osslite-cli", version, about = "OSS Lite: share Alibaba Cloud OSS objects from the command line")]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Log to stderr: -v for info, -vv for debug, -vvv for trace (RUST_LOG overrides).
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    verbose: u8,
}

#[derive(Subcommand)]
enum Command {
    /// Print a presigned URL (signature V4) for an object, or with -r for every object of a folder.
    Presign(presign::PresignArgs),
    /// List buckets, or the folders and objects under oss://BUCKET[/PREFIX].
    Ls(objects::LsArgs),
    /// Show an object's size, ETag, CRC-64, type and metadata.
    Stat(objects::StatArgs),
    /// Delete an object, or with -r every object under a prefix.
    Rm(objects::RmArgs),
    /// Copy files to or from OSS (resumable, verified with CRC-64), or between oss:// paths on the server; -r for folders.
    Cp(cp::CpArgs),
    /// Move or rename objects on the server (copy, then delete); -r for folders.
    Mv(manage::MvArgs),
    /// Edit headers and x-oss-meta-* of objects (everything not named is kept).
    SetMeta(manage::SetMetaArgs),
    /// Set the ACL of objects: default (the bucket's), private, public-read, public-read-write.
    SetAcl(manage::SetAclArgs),
    /// Change the storage class of objects.
    SetClass(manage::SetClassArgs),
    /// Restore Archive and Cold Archive objects for some days.
    Restore(manage::RestoreArgs),
    /// Objects and bytes under a prefix, in all and per storage class.
    Du(buckets::DuArgs),
    /// Search below a prefix by name, size, modified date and storage class.
    Find(find::FindArgs),
    /// Print a bucket's versioning state, or enable or suspend it.
    Versioning(versions::VersioningArgs),
    /// Create a bucket.
    Mb(buckets::MbArgs),
    /// Delete an empty bucket.
    Rb(buckets::RbArgs),
    /// Manage connection profiles; their keys live in the OS keyring.
    Profile {
        #[command(subcommand)]
        command: profile::ProfileCommand,
    },
    /// Run the local OSS-compatible sandbox server until Ctrl-C or SIGTERM.
    Sandbox(sandbox::SandboxArgs),
}

impl Command {
    /// The subcommand as typed, for the log's span.
    fn name(&self) -> &'static str {
        match self {
            Command::Presign(_) => "presign",
            Command::Ls(_) => "ls",
            Command::Stat(_) => "stat",
            Command::Rm(_) => "rm",
            Command::Cp(_) => "cp",
            Command::Mv(_) => "mv",
            Command::SetMeta(_) => "set-meta",
            Command::SetAcl(_) => "set-acl",
            Command::SetClass(_) => "set-class",
            Command::Restore(_) => "restore",
            Command::Du(_) => "du",
            Command::Find(_) => "find",
            Command::Versioning(_) => "versioning",
            Command::Mb(_) => "mb",
            Command::Rb(_) => "rb",
            Command::Profile { .. } => "profile",
            Command::Sandbox(_) => "sandbox",
        }
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let is_help =
                matches!(err.kind(), clap::error::ErrorKind::DisplayHelp | clap::error::ErrorKind::DisplayVersion);
            let _ = err.print();
            return if is_help { ExitCode::SUCCESS } else { ExitCode::from(2) };
        }
    };
    logs::start(cli.verbose);
    let _span = tracing::info_span!("osslite_cli", command = cli.command.name()).entered();
    tracing::info!("started");
    let result = match cli.command {
        Command::Presign(args) => block_on(presign::run(args)),
        Command::Ls(args) => block_on(objects::ls(args)),
        Command::Stat(args) => block_on(objects::stat(args)),
        Command::Rm(args) => block_on(objects::rm(args)),
        Command::Cp(args) => block_on(cp::run(args)),
        Command::Mv(args) => block_on(manage::mv(args)),
        Command::SetMeta(args) => block_on(manage::set_meta(args)),
        Command::SetAcl(args) => block_on(manage::set_acl(args)),
        Command::SetClass(args) => block_on(manage::set_class(args)),
        Command::Restore(args) => block_on(manage::restore(args)),
        Command::Du(args) => block_on(buckets::du(args)),
        Command::Find(args) => block_on(find::run(args)),
        Command::Versioning(args) => block_on(versions::versioning(args)),
        Command::Mb(args) => block_on(buckets::mb(args)),
        Command::Rb(args) => block_on(buckets::rb(args)),
        Command::Profile { command } => profile::run(command),
        Command::Sandbox(args) => sandbox::run(args),
    };
    match result {
        Ok(()) => {
            tracing::info!("finished");
            ExitCode::SUCCESS
        }
        Err(err) => {
            tracing::info!(kind = err.kind().as_str(), "failed");
            eprintln!("osslite-cli: {err}");
            ExitCode::from(exit_code(&err))
        }
    }
}

/// Prints `value` as pretty JSON, for the commands' `--json`.
pub(crate) fn print_json<T: serde::Serialize>(value: &T) -> Result<(), Error> {
    let text = serde_json::to_string_pretty(value)
        .map_err(|err| Error::new(ErrorKind::InvalidResponse, format!("cannot write JSON: {err}")))?;
    println!("{text}");
    Ok(())
}

/// Runs an async command on a runtime made for it.
pub(crate) fn block_on(command: impl std::future::Future<Output = Result<(), Error>>) -> Result<(), Error> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|err| Error::new(ErrorKind::Io, format!("could not start the async runtime: {err}")))?;
    runtime.block_on(command)
}

fn exit_code(err: &Error) -> u8 {
    match err.kind() {
        ErrorKind::InvalidInput => 2,
        ErrorKind::NotFound
        | ErrorKind::PermissionDenied
        | ErrorKind::Unauthenticated
        | ErrorKind::Expired
        | ErrorKind::Conflict
        | ErrorKind::Throttled
        | ErrorKind::Service
        | ErrorKind::Network
        | ErrorKind::InvalidResponse
        | ErrorKind::Integrity
        | ErrorKind::Io
        | ErrorKind::Keyring
        | ErrorKind::Cancelled => 1,
    }
}
