//! `find`: search below a prefix by name, size, date and storage class, one key a line (or
//! JSON lines), with the running count of keys scanned on stderr.

use std::io::{IsTerminal, Write};

use clap::Args;
use futures_util::StreamExt;
use osslite_core::search::{
    parse_instant, parse_size, search, CancellationToken, SearchCriteria, SearchEnd, SearchRequest, DEFAULT_MAX_SCAN,
};
use osslite_core::transfer::paths::escape_controls;
use osslite_core::{Error, ErrorKind, Result};

use crate::connection::{ClockSkewNote, ConnectionArgs};
use crate::target::OssPath;

#[derive(Args)]
pub struct FindArgs {
    /// oss://BUCKET[/PREFIX/]: searched recursively.
    target: String,
    /// A glob on the object's name (`*.jpg`, `report-??.pdf`; with a `/`, on the key below the prefix). Repeatable: any matches.
    #[arg(long = "name", value_name = "GLOB")]
    names: Vec<String>,
    /// The object's name contains TEXT (any letter case).
    #[arg(long, value_name = "TEXT")]
    contains: Option<String>,
    /// At least SIZE (bytes, or with K, M, G, T).
    #[arg(long, value_name = "SIZE")]
    min_size: Option<String>,
    /// At most SIZE.
    #[arg(long, value_name = "SIZE")]
    max_size: Option<String>,
    /// Modified since: RFC 3339, a date (2026-12-01) or an age (30m, 12h, 7d, 2w).
    #[arg(long, value_name = "WHEN")]
    newer: Option<String>,
    /// Modified before: as --newer.
    #[arg(long, value_name = "WHEN")]
    older: Option<String>,
    /// Storage class: Standard, IA, Archive, ColdArchive, DeepColdArchive.
    #[arg(long = "class", value_name = "CLASS")]
    storage_class: Option<String>,
    /// Stop after scanning this many keys.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_SCAN)]
    max_scan: u64,
    /// One JSON object a line: key, size, last_modified, storage_class, etag.
    #[arg(long)]
    json: bool,
    #[command(flatten)]
    connection: ConnectionArgs,
}

impl FindArgs {
    fn criteria(&self) -> Result<SearchCriteria> {
        let now = chrono::Utc::now();
        let size = |text: &Option<String>| text.as_deref().map(parse_size).transpose();
        let instant = |text: &Option<String>| text.as_deref().map(|t| parse_instant(t, now)).transpose();
        Ok(SearchCriteria {
            names: self.names.clone(),
            contains: self.contains.clone(),
            min_size: size(&self.min_size)?,
            max_size: size(&self.max_size)?,
            newer: instant(&self.newer)?,
            older: instant(&self.older)?,
            storage_class: self.storage_class.clone(),
        })
    }
}

pub async fn run(args: FindArgs) -> Result<()> {
    let target = OssPath::parse(&args.target)?;
    let mut request = SearchRequest::new(&target.bucket, &target.prefix, args.criteria()?);
    request.max_scan = args.max_scan;
    let session = args.connection.open().await?;
    let _clock_note = ClockSkewNote::watch(&session.client);
    let cancel = CancellationToken::new();
    let on_interrupt = cancel.clone();
    tokio::spawn(async move {
        crate::signals::stop_requested().await;
        on_interrupt.cancel();
    });
    let show_progress = std::io::stderr().is_terminal();
    let mut batches = Box::pin(search(&session.client, request, cancel)?);
    let mut stdout = std::io::stdout().lock();
    while let Some(batch) = batches.next().await {
        let batch = batch?;
        for hit in &batch.matches {
            let line = if args.json {
                serde_json::json!({
                    "key": hit.key,
                    "size": hit.size,
                    "last_modified": hit.last_modified,
                    "storage_class": hit.storage_class.as_deref().unwrap_or("Standard"),
                    "etag": hit.etag,
                })
                .to_string()
            } else {
                escape_controls(&hit.key)
            };
            writeln!(stdout, "{line}").map_err(|err| Error::new(ErrorKind::Io, format!("cannot write: {err}")))?;
        }
        if show_progress && batch.end.is_none() {
            eprint!("\r{} keys scanned, {} found", batch.scanned, batch.matched);
        }
        match batch.end {
            Some(SearchEnd::Complete) => eprintln!("\r{} keys scanned, {} found", batch.scanned, batch.matched),
            Some(SearchEnd::Capped) => eprintln!(
                "\rstopped after {} keys scanned ({} found): raise --max-scan to search further",
                batch.scanned, batch.matched
            ),
            Some(SearchEnd::Cancelled) => {
                eprintln!("\rcancelled after {} keys scanned ({} found)", batch.scanned, batch.matched);
                return Err(Error::new(ErrorKind::Cancelled, "the search was interrupted"));
            }
            None => {}
        }
    }
    Ok(())
}
