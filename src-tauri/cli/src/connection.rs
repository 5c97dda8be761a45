//! Where a command connects and with which keys: a saved profile (`--profile`, keys from the OS
//! keyring) or the environment (`OSS_ACCESS_KEY_ID`, ...), with explicit options overriding both.

use clap::{Args, ValueEnum};
use osslite_core::client::ProxyConfig;
use osslite_core::credentials::{run_off_runtime, OsKeyring};
use osslite_core::profiles::{Profile, ProfileStore, Session};
use osslite_core::{Addressing, Credentials, Endpoint, Error, Result, Scheme};

#[derive(Args, Debug, Clone)]
pub struct ConnectionArgs {
    /// Use a saved profile; its keys come from the OS keyring.
    #[arg(long)]
    pub profile: Option<String>,
    /// Region id, e.g. cn-hangzhou (required without --profile).
    #[arg(long)]
    pub region: Option<String>,
    /// HOST or URL; default https://oss-REGION.aliyuncs.com. An http:// URL gives http.
    #[arg(long)]
    pub endpoint: Option<String>,
    /// virtual (BUCKET.ENDPOINT), path (ENDPOINT/BUCKET) or cname (the endpoint is the bucket's custom domain).
    #[arg(long, value_enum, ignore_case = true)]
    pub addressing: Option<AddressingArg>,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum AddressingArg {
    Virtual,
    Path,
    Cname,
}

impl From<AddressingArg> for Addressing {
    fn from(arg: AddressingArg) -> Self {
        match arg {
            AddressingArg::Virtual => Addressing::Virtual,
            AddressingArg::Path => Addressing::Path,
            AddressingArg::Cname => Addressing::Cname,
        }
    }
}

impl ConnectionArgs {
    /// The session these options describe; keyring reads run off the async workers.
    pub async fn open(&self) -> Result<Session> {
        let Some(name) = self.profile.clone() else {
            let credentials = Credentials::from_env()?;
            let region = self
                .region
                .clone()
                .ok_or_else(|| Error::invalid_input("--region is required (or use --profile NAME)"))?;
            let addressing = self.addressing.map(Addressing::from).unwrap_or_default();
            let endpoint = match &self.endpoint {
                Some(text) => Endpoint::parse(text, addressing)?,
                None if addressing == Addressing::Cname => {
                    return Err(Error::invalid_input(
                        "--addressing cname needs --endpoint with the bucket's custom domain",
                    ))
                }
                None => Endpoint::for_region(&region, Scheme::Https),
            };
            return Session::connect(endpoint, &region, credentials, ProxyConfig::System);
        };
        let profile = ProfileStore::open_default()?.get(&name)?;
        let secrets = run_off_runtime(move || OsKeyring::default().load(&name)).await?;
        let mut profile = Profile {
            region: self.region.clone().unwrap_or(profile.region.clone()),
            addressing: self.addressing.map(Addressing::from).unwrap_or(profile.addressing),
            ..profile
        };
        if let Some(endpoint) = &self.endpoint {
            profile.endpoint = Some(endpoint.clone());
        }
        Session::from_profile(&profile, secrets)
    }
}
