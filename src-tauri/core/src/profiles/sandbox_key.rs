//! The Local sandbox's AccessKey: generated on first use and kept in an owner-only file in the data
//! directory, never in the OS keyring. It opens nothing but the sandbox on loopback, so the sandbox
//! works on a machine whose keyring is missing or locked. Every other profile's keys stay in the
//! keyring ([`load_profile_secrets`]).

use std::path::{Path, PathBuf};

use zeroize::Zeroizing;

use super::SANDBOX_PROFILE;
use crate::credentials::{OsKeyring, StoredSecrets};
use crate::error::{Error, ErrorKind, Result};
use crate::private_files;
use crate::{Credentials, Secret};

const FILE_NAME: &str = "sandbox-key.json";

#[derive(serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct KeyFile {
    access_key_id: String,
    access_key_secret: Zeroizing<String>,
}

/// Where the sandbox's key is kept, below OSS Lite's data directory.
pub fn sandbox_key_path(data_dir: &Path) -> PathBuf {
    data_dir.join(FILE_NAME)
}

/// The sandbox's key from `data_dir`, or a new random one saved there (0600) on first use.
pub fn sandbox_key_load_or_create(data_dir: &Path) -> Result<StoredSecrets> {
    match sandbox_key_load(data_dir) {
        Err(err) if err.kind() == ErrorKind::NotFound => {}
        other => return other,
    }
    let mut bytes = [0u8; 28];
    rand::fill(&mut bytes);
    let file = KeyFile {
        access_key_id: format!("SANDBOX{}", hex::encode_upper(&bytes[..8])),
        access_key_secret: Zeroizing::new(hex::encode(&bytes[8..])),
    };
    let path = sandbox_key_path(data_dir);
    let text = Zeroizing::new(serde_json::to_vec(&file).map_err(|err| Error::new(ErrorKind::Io, err.to_string()))?);
    private_files::create_private_dir(data_dir).and_then(|()| private_files::write_private(&path, &text)).map_err(
        |err| Error::new(ErrorKind::Io, format!("could not save the Local sandbox's key to {}: {err}", path.display())),
    )?;
    secrets_of(file)
}

/// The sandbox's saved key; NotFound when the Local sandbox was never started on this account.
pub fn sandbox_key_load(data_dir: &Path) -> Result<StoredSecrets> {
    let path = sandbox_key_path(data_dir);
    let text = match std::fs::read(&path) {
        Ok(text) => Zeroizing::new(text),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            return Err(Error::new(
                ErrorKind::NotFound,
                format!("the Local sandbox has no key yet ({} is missing): start it once in the app", path.display()),
            ))
        }
        Err(err) => return Err(Error::new(ErrorKind::Io, format!("could not read {}: {err}", path.display()))),
    };
    let file: KeyFile = serde_json::from_slice(&text).map_err(|err| {
        Error::new(
            ErrorKind::Io,
            format!("{} is damaged ({err}): delete it and a new key is made when the sandbox starts", path.display()),
        )
    })?;
    secrets_of(file)
}

fn secrets_of(file: KeyFile) -> Result<StoredSecrets> {
    let credentials = Credentials::new(file.access_key_id, Secret::new(file.access_key_secret.as_str()))?;
    Ok(StoredSecrets::new(credentials))
}

/// A profile's keys: the Local sandbox's from its file in `data_dir`, every other from the keyring.
/// Blocking (the keyring is a D-Bus round trip): async callers go through `run_off_runtime`.
pub fn load_profile_secrets(keyring: &OsKeyring, data_dir: &Path, profile: &str) -> Result<StoredSecrets> {
    if profile == SANDBOX_PROFILE {
        sandbox_key_load(data_dir)
    } else {
        keyring.load(profile)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sandbox_key_is_made_once_and_kept_owner_only() {
        let dir = tempfile::tempdir().unwrap();
        let data_dir = dir.path().join("osslite");
        assert_eq!(sandbox_key_load(&data_dir).unwrap_err().kind(), ErrorKind::NotFound);

        let first = sandbox_key_load_or_create(&data_dir).unwrap();
        assert!(first.credentials.access_key_id().starts_with("SANDBOX"));
        let again = sandbox_key_load_or_create(&data_dir).unwrap();
        assert_eq!(again.credentials.access_key_id(), first.credentials.access_key_id());
        assert_eq!(again.credentials.access_key_secret().expose(), first.credentials.access_key_secret().expose());

        let loaded = load_profile_secrets(&OsKeyring::default(), &data_dir, SANDBOX_PROFILE).unwrap();
        assert_eq!(loaded.credentials.access_key_id(), first.credentials.access_key_id());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(sandbox_key_path(&data_dir)).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn a_damaged_key_file_says_how_to_recover() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(sandbox_key_path(dir.path()), "{").unwrap();
        let err = sandbox_key_load_or_create(dir.path()).unwrap_err();
        assert!(err.to_string().contains("delete it"), "{err}");
    }
}
