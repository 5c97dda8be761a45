//! `osslite-cli`: OSS Lite's headless commands. Exit codes: 0 success, 1 failure, 2 bad usage or input.

mod presign;

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use osslite_core::{Error, ErrorKind};

#[derive(Parser)]
#[command(name = "osslite-cli", version, about = "OSS Lite: share Alibaba Cloud OSS objects from the command line")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Print a presigned URL (signature V4) for an object.
    Presign(presign::PresignArgs),
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
    let result = match cli.command {
        Command::Presign(args) => presign::run(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("osslite-cli: {err}");
            ExitCode::from(exit_code(&err))
        }
    }
}

fn exit_code(err: &Error) -> u8 {
    match err.kind() {
        ErrorKind::InvalidInput => 2,
    }
}
