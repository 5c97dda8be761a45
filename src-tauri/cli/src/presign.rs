//! `osslite-cli presign oss://BUCKET/KEY`: one presigned URL, as a bare URL, JSON or a curl command;
//! with `-r`, a URL for every object under a prefix, as lines or a CSV file.

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

use chrono::{DateTime, Utc};
use clap::{Args, ValueEnum};
use osslite_core::share::export::{objects_under, presign_each, BatchOptions, CsvFile};
use osslite_core::share::{curl_command, curl_output_name, share_request, KeyFilter, ShareOptions};
use osslite_core::sign::check_expires;
use osslite_core::{Error, Method, Result};

use crate::connection::{ClockSkewNote, ConnectionArgs};
use crate::target::OssPath;

#[derive(Args)]
pub struct PresignArgs {
    /// The object, as oss://BUCKET/KEY; with -r, a folder as oss://BUCKET/PREFIX/.
    target: String,
    #[command(flatten)]
    connection: ConnectionArgs,
    /// The bucket's region when it differs from the profile's (cn-beijing), or `auto` to ask OSS
    /// (one request); the link then goes to that region's endpoint, signed for it.
    #[arg(long, value_name = "REGION|auto")]
    bucket_region: Option<String>,
    #[arg(long, value_enum, ignore_case = true, default_value_t = MethodArg::Get)]
    method: MethodArg,
    /// Validity in seconds, 1 to 604800.
    #[arg(long, default_value_t = 3600)]
    expires: u64,
    /// Signing time as RFC 3339 (any UTC offset); default now.
    #[arg(long)]
    at: Option<String>,
    /// Extra query parameter KEY[=VALUE], signed; KEY alone means an empty value. Repeatable.
    #[arg(long = "query", value_name = "KEY[=VALUE]")]
    query: Vec<String>,
    /// A header the recipient must send, 'Name: value', signed. Repeatable.
    #[arg(long = "header", value_name = "NAME: VALUE")]
    header: Vec<String>,
    /// Sign this header too although OSS does not require it: `host` (the URL's host) or a name
    /// given with --header; naming a header that is not sent is an error. Repeatable.
    #[arg(long = "additional-header", value_name = "NAME")]
    additional_header: Vec<String>,
    #[arg(long)]
    version_id: Option<String>,
    /// Image or document processing style, sent as x-oss-process.
    #[arg(long)]
    process: Option<String>,
    /// Force a download under this file name (response-content-disposition).
    #[arg(long, value_name = "FILENAME")]
    download_as: Option<String>,
    /// GET/HEAD: the Content-Type the response gets; PUT: the Content-Type the uploader must send.
    #[arg(long)]
    content_type: Option<String>,
    /// PUT: the storage class the uploader must send (Standard, IA, Archive, ColdArchive, DeepColdArchive).
    #[arg(long)]
    storage_class: Option<String>,
    /// PUT: user metadata KEY=VALUE the uploader must send as x-oss-meta-KEY. Repeatable.
    #[arg(long = "meta", value_name = "KEY=VALUE")]
    meta: Vec<String>,
    /// Print {"url","method","expiresAt","signedHeaders"} instead of the bare URL.
    #[arg(long, conflicts_with_all = ["curl", "recursive"])]
    json: bool,
    /// Print a ready-to-run curl command with every signed header.
    #[arg(long, conflicts_with = "recursive")]
    curl: bool,
    /// Presign every object under the prefix (as ossutil's presign -r).
    #[arg(short, long)]
    recursive: bool,
    /// With -r: only keys (below the prefix) matching this glob. Repeatable.
    #[arg(long, value_name = "GLOB", requires = "recursive")]
    include: Vec<String>,
    /// With -r: skip keys (below the prefix) matching this glob; wins over --include. Repeatable.
    #[arg(long, value_name = "GLOB", requires = "recursive")]
    exclude: Vec<String>,
    /// With -r: write key,url,method,expires_at,size,last_modified,etag to this CSV file.
    #[arg(long, value_name = "FILE", requires = "recursive")]
    csv: Option<PathBuf>,
    /// With --csv: start the file with a UTF-8 BOM so Excel reads non-ASCII keys right.
    #[arg(long, requires = "csv")]
    excel_bom: bool,
    /// With --csv: write fields as they are. By default a field starting with = + - @ tab or CR
    /// gets a leading ' so that a spreadsheet does not run it as a formula.
    #[arg(long, requires = "csv")]
    raw_csv: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum MethodArg {
    Get,
    Put,
    Head,
}

pub async fn run(args: PresignArgs) -> Result<()> {
    let target = OssPath::parse(&args.target)?;
    let method = match args.method {
        MethodArg::Get => Method::Get,
        MethodArg::Put => Method::Put,
        MethodArg::Head => Method::Head,
    };
    let at = match &args.at {
        Some(text) => parse_time(text)?,
        None => Utc::now(),
    };
    let options = ShareOptions {
        version_id: args.version_id.clone(),
        process: args.process.clone(),
        download_as: args.download_as.clone(),
        content_type: args.content_type.clone(),
        storage_class: args.storage_class.clone(),
        meta: args.meta.iter().map(|m| split_pair(m, '=', "--meta", true)).collect::<Result<_>>()?,
        query: args.query.iter().map(|q| split_pair(q, '=', "--query", false)).collect::<Result<_>>()?,
        headers: args.header.iter().map(|h| parse_header(h)).collect::<Result<_>>()?,
        additional_headers: args.additional_header.clone(),
    };
    check_expires(args.expires)?;
    if args.recursive {
        return presign_folder(&args, &target, method, at, options).await;
    }
    let key = target.object_key()?;
    let request = share_request(method, &target.bucket, key, &options)?;
    let session = args.connection.open().await?;
    let _clock_note = ClockSkewNote::watch(&session.client);
    learn_bucket_region(&session.client, &target.bucket, args.bucket_region.as_deref()).await?;
    let validity = session.link_validity(args.expires, at)?;
    if let Some(token_end) = validity.clipped_to {
        eprintln!(
            "note: the link is valid for {} s, not {} s: the profile's STS token expires at {}",
            validity.seconds,
            args.expires,
            token_end.to_rfc3339()
        );
    }
    let presigned = session.client.presign_on(session.client.endpoint(), &request, at, validity.seconds)?;

    if args.json {
        let mut json = serde_json::to_value(&presigned)
            .map_err(|err| Error::invalid_input(format!("cannot write JSON: {err}")))?;
        if let (Some(token_end), Some(object)) = (validity.clipped_to, json.as_object_mut()) {
            object.insert("validityClippedToTokenExpiry".into(), token_end.to_rfc3339().into());
        }
        println!("{json:#}");
    } else if args.curl {
        let file_name = curl_output_name(key, args.download_as.as_deref());
        println!("{}", curl_command(&presigned, &file_name, "FILE"));
    } else {
        println!("{}", presigned.url);
    }
    Ok(())
}

async fn presign_folder(
    args: &PresignArgs,
    target: &OssPath,
    method: Method,
    at: DateTime<Utc>,
    share: ShareOptions,
) -> Result<()> {
    let filter = KeyFilter::new(&target.prefix, &args.include, &args.exclude)?;
    let session = args.connection.open().await?;
    let _clock_note = ClockSkewNote::watch(&session.client);
    learn_bucket_region(&session.client, &target.bucket, args.bucket_region.as_deref()).await?;
    let validity = session.link_validity(args.expires, at)?;
    let endpoint = session.client.endpoint().clone();
    let options = BatchOptions { method, expires_secs: validity.seconds, at, share, endpoint };
    let objects = objects_under(&session.client, &target.bucket, &target.prefix, true);
    let never_cancelled = AtomicBool::new(false);
    match &args.csv {
        Some(path) => {
            let mut csv = CsvFile::create(path, args.excel_bom)?.with_raw_values(args.raw_csv);
            let rows =
                presign_each(&session.client, &target.bucket, objects, &filter, &options, &never_cancelled, |row| {
                    csv.write(&row)
                })
                .await?;
            let path = csv.finish()?;
            eprintln!("{rows} URLs written to {}", path.display());
        }
        None => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            presign_each(&session.client, &target.bucket, objects, &filter, &options, &never_cancelled, |row| {
                use std::io::Write;
                writeln!(out, "{}", row.url)
                    .map_err(|err| Error::invalid_input(format!("cannot write to stdout: {err}")))
            })
            .await?;
        }
    }
    Ok(())
}

fn parse_time(text: &str) -> Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text).map(|t| t.with_timezone(&Utc)).map_err(|err| {
        Error::invalid_input(format!("--at '{text}' is not an RFC 3339 time such as 2024-05-01T12:00:00Z: {err}"))
    })
}

fn split_pair(text: &str, separator: char, option: &str, value_required: bool) -> Result<(String, String)> {
    match text.split_once(separator) {
        Some((name, value)) if !name.is_empty() => Ok((name.to_owned(), value.to_owned())),
        None if !value_required && !text.is_empty() => Ok((text.to_owned(), String::new())),
        _ => Err(Error::invalid_input(format!("{option} '{text}' must be KEY{separator}VALUE"))),
    }
}

fn parse_header(text: &str) -> Result<(String, String)> {
    match text.split_once(':') {
        Some((name, value)) if !name.trim().is_empty() => {
            Ok((name.trim().to_owned(), value.strip_prefix(' ').unwrap_or(value).to_owned()))
        }
        _ => Err(Error::invalid_input(format!("--header '{text}' must be 'Name: value'"))),
    }
}

/// `--bucket-region`: a region id noted as the bucket's, or `auto` to ask OSS.
async fn learn_bucket_region(client: &osslite_core::client::Client, bucket: &str, region: Option<&str>) -> Result<()> {
    match region {
        None => Ok(()),
        Some("auto") => client.find_bucket_region(bucket).await.map(|_| ()),
        Some(region) => {
            osslite_core::sign::check_region(region)?;
            client.set_bucket_region(bucket, region);
            Ok(())
        }
    }
}
