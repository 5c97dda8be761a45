//! Where a command connects and with which keys: a saved profile (`--profile`, keys from the OS
//! keyring) or the environment (`OSS_ACCESS_KEY_ID`, ...), with explicit options overriding both.

use clap::{Args, ValueEnum};
use osslite_core::client::{endpoint_for_region, Client, ProxyConfig};
use osslite_core::credentials::{run_off_runtime, OsKeyring};
use osslite_core::profiles::{default_data_dir, load_profile_secrets, Profile, ProfileStore, Session};
use osslite_core::{Addressing, Credentials, Endpoint, Error, Result, Scheme};

#[derive(Args, Debug, Clone, Default)]
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
        let data_dir = default_data_dir()?;
        let secrets = run_off_runtime(move || load_profile_secrets(&OsKeyring::default(), &data_dir, &name)).await?;
        let stored_region = profile.region.clone();
        let mut profile = Profile {
            region: self.region.clone().unwrap_or(profile.region.clone()),
            addressing: self.addressing.map(Addressing::from).unwrap_or(profile.addressing),
            ..profile
        };
        match &self.endpoint {
            Some(endpoint) => profile.endpoint = Some(endpoint.clone()),
            // --region for a profile with a regional endpoint: that region's endpoint, as OSS wants.
            None if profile.region != stored_region && profile.endpoint.is_some() => {
                let regional = profile.endpoint().map(|endpoint| endpoint_for_region(&endpoint, &profile.region));
                if let Ok(endpoint) = regional {
                    profile.endpoint = Some(endpoint.to_string());
                }
            }
            None => {}
        }
        Session::from_profile(&profile, secrets)
    }
}

/// Says on stderr, when it goes out of scope, that this computer's clock is off from the
/// server's, as the client learned from OSS's answers (requests and links were then signed with
/// the server's time). Held for the whole command, so the note comes on failure too.
pub struct ClockSkewNote(Client);

impl ClockSkewNote {
    pub fn watch(client: &Client) -> Self {
        Self(client.clone())
    }
}

impl Drop for ClockSkewNote {
    fn drop(&mut self) {
        if let Some(note) = clock_skew_note(self.0.clock_offset_secs()) {
            eprintln!("{note}");
        }
    }
}

/// The note for an offset, `None` when the clocks agree.
pub fn clock_skew_note(offset_secs: i64) -> Option<String> {
    let direction = match offset_secs {
        0 => return None,
        ahead if ahead > 0 => "behind",
        _ => "ahead of",
    };
    Some(format!(
        "note: this computer's clock is {} s {direction} the server's; requests and links were signed with the server's time",
        offset_secs.unsigned_abs()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_note_says_which_way_the_clock_is_off() {
        assert_eq!(clock_skew_note(0), None);
        assert!(clock_skew_note(1800).unwrap().contains("1800 s behind the server's"));
        assert!(clock_skew_note(-90).unwrap().contains("90 s ahead of the server's"));
    }
}
