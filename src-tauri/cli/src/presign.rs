//! `osslite-cli presign oss://BUCKET/KEY`: one presigned URL, as a bare URL, JSON or a curl command.

use chrono::{DateTime, Utc};
use clap::{Args, ValueEnum};
use osslite_core::share::{curl_command, share_request, ShareOptions};
use osslite_core::{Addressing, Credentials, Endpoint, Error, Method, Result, Scheme, Signer};

#[derive(Args)]
pub struct PresignArgs {
    /// The object, as oss://BUCKET/KEY.
    target: String,
    /// Region id, e.g. cn-hangzhou.
    #[arg(long)]
    region: String,
    /// HOST or URL; default https://oss-REGION.aliyuncs.com. An http:// URL gives an http link.
    #[arg(long)]
    endpoint: Option<String>,
    /// virtual (BUCKET.ENDPOINT), path (ENDPOINT/BUCKET) or cname (the endpoint is the bucket's custom domain).
    #[arg(long, value_enum, ignore_case = true, default_value_t = AddressingArg::Virtual)]
    addressing: AddressingArg,
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
    /// Sign this header too although OSS does not require it. Repeatable.
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
    #[arg(long, conflicts_with = "curl")]
    json: bool,
    /// Print a ready-to-run curl command with every signed header.
    #[arg(long)]
    curl: bool,
}

#[derive(Clone, Copy, ValueEnum)]
enum AddressingArg {
    Virtual,
    Path,
    Cname,
}

#[derive(Clone, Copy, ValueEnum)]
enum MethodArg {
    Get,
    Put,
    Head,
}

pub fn run(args: PresignArgs) -> Result<()> {
    let (bucket, key) = parse_object_url(&args.target)?;
    let addressing = match args.addressing {
        AddressingArg::Virtual => Addressing::Virtual,
        AddressingArg::Path => Addressing::Path,
        AddressingArg::Cname => Addressing::Cname,
    };
    let method = match args.method {
        MethodArg::Get => Method::Get,
        MethodArg::Put => Method::Put,
        MethodArg::Head => Method::Head,
    };
    let endpoint = match &args.endpoint {
        Some(text) => Endpoint::parse(text, addressing)?,
        None if addressing == Addressing::Cname => {
            return Err(Error::invalid_input("--addressing cname needs --endpoint with the bucket's custom domain"))
        }
        None => Endpoint::for_region(&args.region, Scheme::Https),
    };
    let at = match &args.at {
        Some(text) => parse_time(text)?,
        None => Utc::now(),
    };
    let options = ShareOptions {
        version_id: args.version_id,
        process: args.process,
        download_as: args.download_as,
        content_type: args.content_type,
        storage_class: args.storage_class,
        meta: args.meta.iter().map(|m| split_pair(m, '=', "--meta", true)).collect::<Result<_>>()?,
        query: args.query.iter().map(|q| split_pair(q, '=', "--query", false)).collect::<Result<_>>()?,
        headers: args.header.iter().map(|h| parse_header(h)).collect::<Result<_>>()?,
        additional_headers: args.additional_header,
    };
    let request = share_request(method, bucket, key, &options)?;
    let signer = Signer::new(Credentials::from_env()?, args.region)?;
    let presigned = signer.presign(&endpoint, &request, at, args.expires)?;

    if args.json {
        let json = serde_json::to_string_pretty(&presigned)
            .map_err(|err| Error::invalid_input(format!("cannot write JSON: {err}")))?;
        println!("{json}");
    } else if args.curl {
        let file_name = key.rsplit('/').next().filter(|name| !name.is_empty()).unwrap_or("download");
        println!("{}", curl_command(&presigned, file_name, "FILE"));
    } else {
        println!("{}", presigned.url);
    }
    Ok(())
}

/// `oss://bucket/key` → (bucket, key). The key is everything after the first '/' and may hold '/'s.
pub fn parse_object_url(text: &str) -> Result<(&str, &str)> {
    let rest = text
        .strip_prefix("oss://")
        .ok_or_else(|| Error::invalid_input(format!("'{text}' is not an object URL: write oss://BUCKET/KEY")))?;
    match rest.split_once('/') {
        Some((bucket, key)) if !bucket.is_empty() && !key.is_empty() => Ok((bucket, key)),
        _ => Err(Error::invalid_input(format!("'{text}' names no object: write oss://BUCKET/KEY"))),
    }
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
