//! Metadata edits: which headers and `x-oss-meta-*` change, the headers a copy onto itself
//! with `x-oss-metadata-directive: REPLACE` must send so that everything else is kept, and a
//! preview of the changes.

use serde::{Deserialize, Serialize};

use crate::client::{Client, ObjectMeta};
use crate::error::{Error, Result};
use crate::ops::PutObjectOptions;

/// A change to an object's headers. For each header, `None` keeps it, `Some("")` removes it,
/// `Some(value)` sets it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(default, rename_all = "camelCase")]
pub struct MetaEdit {
    pub content_type: Option<String>,
    pub cache_control: Option<String>,
    pub content_disposition: Option<String>,
    pub content_encoding: Option<String>,
    pub content_language: Option<String>,
    pub expires: Option<String>,
    /// `x-oss-meta-NAME` to set (NAME without the prefix; stored lower-case).
    pub set_meta: Vec<(String, String)>,
    /// `x-oss-meta-NAME` to remove.
    pub remove_meta: Vec<String>,
}

impl MetaEdit {
    pub fn is_empty(&self) -> bool {
        *self == MetaEdit::default()
    }

    pub(crate) fn check(&self) -> Result<()> {
        if self.is_empty() {
            return Err(Error::invalid_input("the metadata edit changes nothing; name a header or a metadata entry"));
        }
        if self.content_type.as_deref() == Some("") {
            return Err(Error::invalid_input("every object has a Content-Type; give a new one instead of removing it"));
        }
        for name in self.set_meta.iter().map(|(name, _)| name).chain(&self.remove_meta) {
            if name.is_empty() || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
                return Err(Error::invalid_input(format!(
                    "metadata name '{name}' may hold only letters, digits, '-' and '_'"
                )));
            }
        }
        Ok(())
    }
}

/// One header that an edit changes: `before` and `after` (`None`: absent).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct MetaChange {
    /// `Content-Type`, …, or `x-oss-meta-NAME`.
    pub name: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

fn edited(current: &Option<String>, edit: &Option<String>) -> Option<String> {
    match edit.as_deref() {
        None => current.clone(),
        Some("") => None,
        Some(value) => Some(value.to_owned()),
    }
}

/// The object's headers and metadata after `edit`, as CopyObject with REPLACE sends them.
/// `storage_class` and `acl` are what the copy must keep (or set).
pub(crate) fn replaced_headers(current: &ObjectMeta, edit: &MetaEdit) -> PutObjectOptions {
    let mut meta: Vec<(String, String)> = current
        .metadata
        .iter()
        .filter(|(name, _)| !edit.remove_meta.iter().any(|removed| removed.eq_ignore_ascii_case(name)))
        .filter(|(name, _)| !edit.set_meta.iter().any(|(set, _)| set.eq_ignore_ascii_case(name)))
        .cloned()
        .collect();
    meta.extend(edit.set_meta.iter().map(|(name, value)| (name.to_ascii_lowercase(), value.clone())));
    PutObjectOptions {
        content_type: edited(&current.content_type, &edit.content_type),
        cache_control: edited(&current.cache_control, &edit.cache_control),
        content_disposition: edited(&current.content_disposition, &edit.content_disposition),
        content_encoding: edited(&current.content_encoding, &edit.content_encoding),
        content_language: edited(&current.content_language, &edit.content_language),
        expires: edited(&current.expires, &edit.expires),
        meta,
        storage_class: current.storage_class.clone(),
        ..PutObjectOptions::default()
    }
}

/// The headers of an object as it is now, for a copy that must keep them all.
pub(crate) fn kept_headers(current: &ObjectMeta) -> PutObjectOptions {
    replaced_headers(current, &MetaEdit::default())
}

/// What `edit` would change on an object whose headers are `current`.
pub fn preview_meta(current: &ObjectMeta, edit: &MetaEdit) -> Vec<MetaChange> {
    let after = replaced_headers(current, edit);
    let mut changes = Vec::new();
    let mut compare = |name: &str, before: &Option<String>, after: &Option<String>| {
        if before != after {
            changes.push(MetaChange { name: name.to_owned(), before: before.clone(), after: after.clone() });
        }
    };
    compare("Content-Type", &current.content_type, &after.content_type);
    compare("Cache-Control", &current.cache_control, &after.cache_control);
    compare("Content-Disposition", &current.content_disposition, &after.content_disposition);
    compare("Content-Encoding", &current.content_encoding, &after.content_encoding);
    compare("Content-Language", &current.content_language, &after.content_language);
    compare("Expires", &current.expires, &after.expires);
    let find = |list: &[(String, String)], name: &str| {
        list.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.clone())
    };
    let mut names: Vec<String> =
        current.metadata.iter().chain(&after.meta).map(|(name, _)| name.to_ascii_lowercase()).collect();
    names.sort();
    names.dedup();
    for name in names {
        compare(&format!("x-oss-meta-{name}"), &find(&current.metadata, &name), &find(&after.meta, &name));
    }
    changes
}

/// [`preview_meta`] of one object, its headers read with HeadObject.
pub async fn preview_meta_of(client: &Client, bucket: &str, key: &str, edit: &MetaEdit) -> Result<Vec<MetaChange>> {
    edit.check()?;
    Ok(preview_meta(&client.head_object(bucket, key).await?, edit))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn current() -> ObjectMeta {
        ObjectMeta {
            content_type: Some("text/plain".into()),
            cache_control: Some("no-cache".into()),
            content_language: Some("en".into()),
            storage_class: Some("IA".into()),
            metadata: vec![("owner".into(), "alice".into()), ("team".into(), "ops".into())],
            ..ObjectMeta::default()
        }
    }

    #[test]
    fn an_edit_keeps_everything_it_does_not_name() {
        let edit = MetaEdit {
            content_type: Some("text/html".into()),
            content_language: Some(String::new()),
            set_meta: vec![("Owner".into(), "bob".into()), ("new".into(), "1".into())],
            remove_meta: vec!["team".into()],
            ..MetaEdit::default()
        };
        let headers = replaced_headers(&current(), &edit);
        assert_eq!(headers.content_type.as_deref(), Some("text/html"));
        assert_eq!(headers.cache_control.as_deref(), Some("no-cache"));
        assert_eq!(headers.content_language, None);
        assert_eq!(headers.storage_class.as_deref(), Some("IA"));
        assert_eq!(headers.meta, [("owner".to_owned(), "bob".to_owned()), ("new".to_owned(), "1".to_owned())]);
        let names: Vec<String> = preview_meta(&current(), &edit).into_iter().map(|c| c.name).collect();
        assert_eq!(
            names,
            ["Content-Type", "Content-Language", "x-oss-meta-new", "x-oss-meta-owner", "x-oss-meta-team"]
        );
    }

    #[test]
    fn edits_are_checked() {
        assert!(MetaEdit::default().check().is_err());
        let bad = MetaEdit { remove_meta: vec!["a b".into()], ..MetaEdit::default() };
        assert!(bad.check().unwrap_err().to_string().contains("metadata name"));
        let no_type = MetaEdit { content_type: Some(String::new()), ..MetaEdit::default() };
        assert!(no_type.check().is_err());
    }
}
