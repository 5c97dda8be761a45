//! `osslite-cli profile ...`: connection profiles, with their keys in the OS keyring.

use std::io::{BufRead, IsTerminal};

use chrono::{DateTime, Utc};
use clap::{Args, Subcommand};
use osslite_core::credentials::{mask_access_key_id, run_off_runtime, OsKeyring, StoredSecrets};
use osslite_core::profiles::{save_profile, NewKeys, Profile, ProfileStore, Session};
use osslite_core::{Credentials, Error, ErrorKind, Result, Secret};
use zeroize::Zeroizing;

use crate::connection::AddressingArg;

#[derive(Subcommand)]
pub enum ProfileCommand {
    /// Save a profile. The secret is read from stdin or a no-echo prompt, never from an argument.
    /// With --force and no keys, the stored keys stay, unless the endpoint, proxy or HTTPS setting changed.
    Add(AddArgs),
    /// Store new keys for an existing profile (key rotation, a fresh STS token).
    Rotate(KeyArgs),
    /// List the profiles (no secrets).
    List {
        #[arg(long)]
        json: bool,
    },
    /// Show one profile's settings (no secrets).
    Show {
        name: String,
        #[arg(long)]
        json: bool,
    },
    /// Check that the profile connects: ListBuckets, or its preset path when ListBuckets is denied.
    Test { name: String },
    /// Remove a profile and its keyring entry.
    Remove { name: String },
}

#[derive(Args)]
pub struct AddArgs {
    name: String,
    #[arg(long)]
    region: String,
    /// HOST or URL: public, internal (oss-REGION-internal.aliyuncs.com), acceleration
    /// (oss-accelerate.aliyuncs.com) or the bucket's custom domain with --addressing cname.
    #[arg(long)]
    endpoint: Option<String>,
    #[arg(long, value_enum, ignore_case = true, default_value_t = AddressingArg::Virtual)]
    addressing: AddressingArg,
    /// Use http:// for a bare-host endpoint.
    #[arg(long)]
    http: bool,
    /// oss://bucket/prefix/ to open directly (for keys that may not list buckets).
    #[arg(long, value_name = "oss://BUCKET/PREFIX/")]
    path: Option<String>,
    /// Proxy URL, e.g. http://proxy.example.com:8080; a password in it is kept in the keyring.
    #[arg(long)]
    proxy: Option<String>,
    /// Replace a profile of the same name.
    #[arg(long)]
    force: bool,
    #[command(flatten)]
    keys: KeySource,
}

#[derive(Args)]
pub struct KeyArgs {
    name: String,
    /// Change only the secret (on stdin or at a prompt): the stored AccessKey ID stays.
    #[arg(long, conflicts_with_all = ["from_env", "access_key_id"])]
    secret_only: bool,
    #[command(flatten)]
    keys: KeySource,
}

#[derive(Args)]
pub struct KeySource {
    /// Take the keys from OSS_ACCESS_KEY_ID, OSS_ACCESS_KEY_SECRET and OSS_SESSION_TOKEN.
    #[arg(long, conflicts_with = "access_key_id")]
    from_env: bool,
    /// The AccessKey ID; the secret follows on stdin or at a prompt.
    #[arg(long, value_name = "ID")]
    access_key_id: Option<String>,
    /// Also read an STS security token (after the secret, on stdin or at a prompt).
    #[arg(long, requires = "access_key_id")]
    sts: bool,
    /// When the STS token expires (RFC 3339); links are clipped to it.
    #[arg(long, value_name = "RFC3339")]
    sts_expires: Option<String>,
}

pub fn run(command: ProfileCommand) -> Result<()> {
    let store = ProfileStore::open_default()?;
    let keyring = OsKeyring::default();
    match command {
        ProfileCommand::Add(args) => add(&store, &keyring, args),
        ProfileCommand::Rotate(args) => rotate(&store, &keyring, args),
        ProfileCommand::List { json } => list(&store, json),
        ProfileCommand::Show { name, json } => {
            let profile = store.get(&name)?.for_display();
            print_warnings(&profile);
            if json {
                crate::print_json(&profile)
            } else {
                print_profile(&profile);
                Ok(())
            }
        }
        ProfileCommand::Test { name } => crate::block_on(test(&store, name)),
        ProfileCommand::Remove { name } => remove(&store, &keyring, &name),
    }
}

fn add(store: &ProfileStore, keyring: &OsKeyring, args: AddArgs) -> Result<()> {
    if !args.force && store.get(&args.name).is_ok() {
        return Err(Error::invalid_input(format!(
            "profile '{}' exists: add --force to replace it, or `profile rotate` to change only its keys",
            args.name
        )));
    }
    let mut profile = Profile::new(&args.name, &args.region)?;
    profile.endpoint = args.endpoint;
    profile.addressing = args.addressing.into();
    profile.https = !args.http;
    profile.preset_path = args.path;
    profile.proxy = args.proxy;
    profile.validate()?;
    let secrets = if args.keys.given() {
        Some(read_keys(&args.keys)?)
    } else if store.get(&args.name).is_err() {
        return Err(Error::invalid_input(format!(
            "profile '{}' is new: give its keys with --access-key-id ID (secret on stdin) or --from-env",
            args.name
        )));
    } else if args.keys.sts_expires.is_some() {
        return Err(Error::invalid_input("--sts-expires comes with new STS keys: add --access-key-id ID --sts"));
    } else {
        None
    };
    save(store, keyring, profile, secrets)
}

fn rotate(store: &ProfileStore, keyring: &OsKeyring, args: KeyArgs) -> Result<()> {
    let profile = store.get(&args.name)?;
    if args.secret_only {
        let secret = SecretLines::new().next("AccessKey secret")?;
        let keys = NewKeys {
            access_key_id: None,
            access_key_secret: Secret::new(secret.as_str()),
            security_token: None,
            security_token_expires_at: None,
        };
        let secrets = keys.into_secrets(keyring, &profile.name)?;
        return save(store, keyring, profile, Some(secrets));
    }
    if !args.keys.given() {
        return Err(Error::invalid_input(
            "give the new keys: --access-key-id ID (secret on stdin), --from-env, or --secret-only",
        ));
    }
    let secrets = read_keys(&args.keys)?;
    save(store, keyring, profile, Some(secrets))
}

/// Through the core's save path: keyring first, so a profile is only listed once its keys are stored.
fn save(store: &ProfileStore, keyring: &OsKeyring, profile: Profile, secrets: Option<StoredSecrets>) -> Result<()> {
    let profile = save_profile(store, keyring, profile, secrets)?;
    println!(
        "Saved profile '{}' (AccessKey {}); its keys are in the OS keyring, its settings in {}.",
        profile.name,
        profile.access_key_hint,
        store.path().display()
    );
    print_warnings(&profile);
    Ok(())
}

/// Endpoint warnings go to stderr, so that `--json` output stays clean.
fn print_warnings(profile: &Profile) {
    for warning in profile.endpoint_warnings() {
        eprintln!("warning: {}", warning.message());
    }
}

fn list(store: &ProfileStore, json: bool) -> Result<()> {
    let profiles: Vec<Profile> = store.list()?.iter().map(Profile::for_display).collect();
    if json {
        return crate::print_json(&profiles);
    }
    if profiles.is_empty() {
        println!("No profiles yet: `osslite-cli profile add NAME --region REGION --access-key-id ID` creates one.");
    }
    for profile in &profiles {
        let endpoint = profile.endpoint().map(|e| e.to_string()).unwrap_or_else(|err| err.to_string());
        println!("{}\t{}\t{}\t{}", profile.name, profile.region, endpoint, profile.access_key_hint);
    }
    Ok(())
}

fn remove(store: &ProfileStore, keyring: &OsKeyring, name: &str) -> Result<()> {
    let had_entry = keyring.delete(name)?;
    let had_profile = store.remove(name)?;
    if !had_entry && !had_profile {
        return Err(Error::new(ErrorKind::NotFound, format!("there is no profile '{name}'")));
    }
    println!("Removed profile '{name}' and its keyring entry.");
    Ok(())
}

async fn test(store: &ProfileStore, name: String) -> Result<()> {
    let profile = store.get(&name)?;
    let secrets = run_off_runtime(move || OsKeyring::default().load(&name)).await?;
    let report = Session::from_profile(&profile, secrets)?.check_access().await?;
    println!("{}", report.message);
    Ok(())
}

fn print_profile(profile: &Profile) {
    let endpoint = profile.endpoint().map(|e| e.to_string()).unwrap_or_else(|err| err.to_string());
    println!("name:        {}", profile.name);
    println!("region:      {}", profile.region);
    println!("endpoint:    {endpoint}");
    println!("addressing:  {:?}", profile.addressing);
    println!("access key:  {}", profile.access_key_hint);
    if let Some(path) = &profile.preset_path {
        println!("preset path: {path}");
    }
    if let Some(proxy) = &profile.proxy {
        println!("proxy:       {proxy}");
    }
    if profile.uses_sts {
        let expiry = profile.sts_expires_at.map_or("unknown".to_owned(), |t| t.to_rfc3339());
        println!("sts token:   yes, expires {expiry}");
    }
}

impl KeySource {
    fn given(&self) -> bool {
        self.from_env || self.access_key_id.is_some()
    }
}

fn read_keys(source: &KeySource) -> Result<StoredSecrets> {
    let expires_at = source.sts_expires.as_deref().map(parse_time).transpose()?;
    let credentials = if source.from_env {
        Credentials::from_env()?
    } else {
        let id = source.access_key_id.clone().unwrap_or_default();
        let mut lines = SecretLines::new();
        let secret = lines.next("AccessKey secret")?;
        let credentials = Credentials::new(id, Secret::new(secret.as_str()))?;
        if source.sts {
            let token = lines.next("STS security token")?;
            credentials.with_security_token(Secret::new(token.as_str()))
        } else {
            credentials
        }
    };
    if expires_at.is_some() && credentials.security_token().is_none() {
        return Err(Error::invalid_input("--sts-expires applies to STS credentials only (--sts or OSS_SESSION_TOKEN)"));
    }
    eprintln!("AccessKey {}", mask_access_key_id(credentials.access_key_id()));
    Ok(StoredSecrets { security_token_expires_at: expires_at, ..StoredSecrets::new(credentials) })
}

fn parse_time(text: &str) -> Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text).map(|t| t.with_timezone(&Utc)).map_err(|err| {
        Error::invalid_input(format!("'{text}' is not an RFC 3339 time such as 2026-01-01T12:00:00Z: {err}"))
    })
}

/// Secrets from a no-echo prompt on a terminal, or line by line from piped stdin.
struct SecretLines {
    interactive: bool,
}

impl SecretLines {
    fn new() -> Self {
        Self { interactive: std::io::stdin().is_terminal() }
    }

    fn next(&mut self, what: &str) -> Result<Zeroizing<String>> {
        let text = if self.interactive {
            rpassword::prompt_password(format!("{what} (not shown): ")).map(Zeroizing::new)
        } else {
            let mut line = Zeroizing::new(String::new());
            std::io::stdin().lock().read_line(&mut line).map(|_| line)
        }
        .map_err(|err| Error::new(ErrorKind::Io, format!("could not read the {what}: {err}")))?;
        let trimmed = Zeroizing::new(text.trim_end_matches(['\r', '\n']).to_owned());
        if trimmed.is_empty() {
            return Err(Error::invalid_input(format!(
                "no {what} was given: type it at the prompt, or pipe it on stdin"
            )));
        }
        Ok(trimmed)
    }
}
