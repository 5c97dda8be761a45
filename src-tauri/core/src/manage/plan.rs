//! A request's selection expanded into one (source key, target key) pair per object: folders
//! are listed, names mapped into the target, and moves of a folder into itself refused.

use futures_util::StreamExt;
use serde::{Deserialize, Serialize};

use super::{CopyTarget, ManageAction, ManageRequest};
use crate::client::{Client, ListEntry};
use crate::error::{Error, Result};
use crate::ops::{check_bucket_name, check_object_key};
use crate::transfer::paths::as_folder_prefix;

/// One object of a job: where it is, where it goes (itself for updates), and what the listing
/// or HeadObject said of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KeyPair {
    pub source: String,
    pub target: String,
    pub size: u64,
    pub storage_class: Option<String>,
}

/// Every object of a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Plan {
    pub source_bucket: String,
    /// The source bucket for updates.
    pub target_bucket: String,
    pub pairs: Vec<KeyPair>,
}

impl Plan {
    pub fn total_bytes(&self) -> u64 {
        self.pairs.iter().map(|pair| pair.size).sum()
    }
}

/// The last name of a key or folder: `a/b.txt` → `b.txt`, `a/sub/` → `sub/`.
fn base_name(selected: &str) -> &str {
    let trimmed = selected.strip_suffix('/').unwrap_or(selected);
    let start = trimmed.rfind('/').map_or(0, |slash| slash + 1);
    &selected[start..]
}

/// Where the selected key or folder `selected` goes in `target` (a folder: ends with `/`).
fn target_root(selected: &str, target: &CopyTarget) -> String {
    match target {
        CopyTarget::IntoFolder { prefix, .. } => format!("{}{}", as_folder_prefix(prefix), base_name(selected)),
        CopyTarget::Exact { key, .. } if selected.ends_with('/') => as_folder_prefix(key),
        CopyTarget::Exact { key, .. } if key.ends_with('/') => format!("{key}{}", base_name(selected)),
        CopyTarget::Exact { key, .. } => key.clone(),
    }
}

/// The target key of `key`, an object found under the selected `selected` (or `selected` itself).
pub fn target_key_for(selected: &str, key: &str, target: &CopyTarget) -> String {
    let rest = key.strip_prefix(selected).unwrap_or("");
    format!("{}{rest}", target_root(selected, target))
}

/// Refuses targets that cannot work before anything is listed: several sources to one exact
/// key, a folder into itself, an object onto itself.
fn check_target(request: &ManageRequest, target: &CopyTarget) -> Result<()> {
    check_bucket_name(target.bucket())?;
    if let CopyTarget::Exact { .. } = target {
        if request.keys.len() != 1 {
            return Err(Error::invalid_input(format!(
                "{} sources cannot all go to one name; copy them into a folder instead",
                request.keys.len()
            )));
        }
    }
    let same_bucket = target.bucket() == request.bucket;
    for selected in &request.keys {
        let root = target_root(selected, target);
        if !selected.ends_with('/') {
            check_object_key(&root)?;
        }
        if same_bucket && selected.ends_with('/') && root.starts_with(selected.as_str()) {
            let what = if root == *selected { "is already there" } else { "cannot go into itself" };
            return Err(Error::invalid_input(format!(
                "oss://{}/{selected} {what} (target oss://{}/{root}); choose a folder outside it",
                request.bucket,
                target.bucket()
            )));
        }
        if same_bucket && root == *selected {
            return Err(Error::invalid_input(format!(
                "oss://{}/{selected} is already there; choose another name or folder",
                request.bucket
            )));
        }
    }
    Ok(())
}

/// Refuses a request that cannot work before anything is listed or queued.
pub fn check_request(request: &ManageRequest) -> Result<()> {
    check_bucket_name(&request.bucket)?;
    if request.keys.is_empty() {
        return Err(Error::invalid_input("nothing is selected"));
    }
    for key in &request.keys {
        check_object_key(key)?;
    }
    match &request.action {
        ManageAction::Copy { target } | ManageAction::Move { target } => check_target(request, target),
        ManageAction::SetMeta { edit } => edit.check(),
        ManageAction::SetClass { storage_class } => crate::share::check_storage_class(storage_class).map(drop),
        ManageAction::SetAcl { .. } => Ok(()),
        ManageAction::Restore { days, .. } => match days {
            Some(days) if !(1..=crate::ops::MAX_RESTORE_DAYS).contains(days) => Err(Error::invalid_input(format!(
                "a restore lasts 1 to {} days; {days} is out of range",
                crate::ops::MAX_RESTORE_DAYS
            ))),
            _ => Ok(()),
        },
    }
}

/// Lists the folders and reads the single objects of `request`, into one pair per object.
pub async fn plan(client: &Client, request: &ManageRequest) -> Result<Plan> {
    check_request(request)?;
    let target = match &request.action {
        ManageAction::Copy { target } | ManageAction::Move { target } => Some(target),
        _ => None,
    };
    let map = |selected: &str, key: &str| match target {
        Some(target) => target_key_for(selected, key, target),
        None => key.to_owned(),
    };
    let mut pairs = Vec::new();
    for selected in &request.keys {
        if selected.ends_with('/') {
            let mut listing = Box::pin(client.list_all(&request.bucket, Some(selected), None));
            while let Some(entry) = listing.next().await {
                let ListEntry::Object(object) = entry? else { continue };
                pairs.push(KeyPair {
                    target: map(selected, &object.key),
                    source: object.key,
                    size: object.size,
                    storage_class: object.storage_class,
                });
            }
        } else {
            let meta = client
                .head_object(&request.bucket, selected)
                .await
                .map_err(|err| err.context(format!("oss://{}/{selected}", request.bucket)))?;
            pairs.push(KeyPair {
                source: selected.clone(),
                target: map(selected, selected),
                size: meta.content_length.unwrap_or(0),
                storage_class: meta.storage_class,
            });
        }
    }
    pairs.sort_by(|a, b| a.source.cmp(&b.source));
    pairs.dedup_by(|a, b| a.source == b.source);
    let target_bucket = target.map_or_else(|| request.bucket.clone(), |target| target.bucket().to_owned());
    Ok(Plan { source_bucket: request.bucket.clone(), target_bucket, pairs })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn into(prefix: &str) -> CopyTarget {
        CopyTarget::IntoFolder { bucket: "b12".into(), prefix: prefix.into() }
    }

    fn exact(key: &str) -> CopyTarget {
        CopyTarget::Exact { bucket: "b12".into(), key: key.into() }
    }

    #[test]
    fn keys_map_into_folders_and_onto_exact_names() {
        assert_eq!(target_key_for("dir/a.txt", "dir/a.txt", &into("dst")), "dst/a.txt");
        assert_eq!(target_key_for("dir/sub/", "dir/sub/x/y.txt", &into("dst/")), "dst/sub/x/y.txt");
        assert_eq!(target_key_for("dir/sub/", "dir/sub/", &into("")), "sub/");
        assert_eq!(target_key_for("a.txt", "a.txt", &exact("b.txt")), "b.txt");
        assert_eq!(target_key_for("a.txt", "a.txt", &exact("d/")), "d/a.txt");
        assert_eq!(target_key_for("old/", "old/x", &exact("new")), "new/x");
    }

    fn request(keys: &[&str], target: CopyTarget) -> ManageRequest {
        ManageRequest {
            bucket: "b12".into(),
            keys: keys.iter().map(|k| k.to_string()).collect(),
            action: ManageAction::Move { target },
        }
    }

    #[test]
    fn a_folder_cannot_move_into_itself_nor_an_object_onto_itself() {
        let into_itself = check_target(&request(&["a/"], into("a/b")), &into("a/b")).unwrap_err();
        assert!(into_itself.to_string().contains("cannot go into itself"), "{into_itself}");
        let renamed_inside = check_target(&request(&["a/"], exact("a/b/")), &exact("a/b/")).unwrap_err();
        assert!(renamed_inside.to_string().contains("into itself"));
        assert!(check_target(&request(&["a/"], into("")), &into("")).unwrap_err().to_string().contains("already"));
        assert!(check_target(&request(&["a/x"], into("a")), &into("a")).is_err());
        assert!(check_target(&request(&["a/"], into("ab/")), &into("ab/")).is_ok());
        assert!(check_target(&request(&["a/"], exact("ab/")), &exact("ab/")).is_ok());
        let other_bucket = CopyTarget::IntoFolder { bucket: "other".into(), prefix: "a/".into() };
        assert!(check_target(&request(&["a/"], other_bucket.clone()), &other_bucket).is_ok());
        let two = check_target(&request(&["a", "b"], exact("c")), &exact("c")).unwrap_err();
        assert!(two.to_string().contains("cannot all go to one name"));
    }
}
