//! An object's archive state, from its storage class and `x-oss-restore` header.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::client::ObjectMeta;

/// Where a restore stands, as `x-oss-restore` tells it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "state", rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum RestoreState {
    /// `ongoing-request="true"`.
    Restoring,
    /// `ongoing-request="false", expiry-date="…"`: readable until then.
    Restored { until: Option<DateTime<Utc>> },
}

/// The state of an `x-oss-restore` header; `None` without one (or one that says neither).
pub fn restore_state(header: Option<&str>) -> Option<RestoreState> {
    let header = header?;
    let value_of = |name: &str| {
        let start = header.find(name)? + name.len();
        let rest = header[start..].trim_start().strip_prefix('=')?.trim_start().strip_prefix('"')?;
        rest.split('"').next()
    };
    match value_of("ongoing-request")? {
        "true" => Some(RestoreState::Restoring),
        "false" => {
            let until = value_of("expiry-date")
                .and_then(|date| DateTime::parse_from_rfc2822(date).ok())
                .map(|date| date.with_timezone(&Utc));
            Some(RestoreState::Restored { until })
        }
        _ => None,
    }
}

/// Whether an object can be read: what the list and the details panel show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "state", rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum ObjectState {
    /// Not archived: readable.
    Readable,
    /// Archived and not restored: a GET fails with InvalidObjectState until it is restored.
    Archived,
    Restoring,
    Restored {
        until: Option<DateTime<Utc>>,
    },
}

/// Archive, Cold Archive and Deep Cold Archive objects must be restored before they can be read.
pub fn is_archive_class(storage_class: &str) -> bool {
    ["Archive", "ColdArchive", "DeepColdArchive"].iter().any(|class| class.eq_ignore_ascii_case(storage_class))
}

pub fn object_state(meta: &ObjectMeta) -> ObjectState {
    state_of(meta.storage_class.as_deref(), meta.restore.as_deref())
}

/// The state from a storage class and an `x-oss-restore` header (or a listing's `RestoreInfo`).
pub fn state_of(storage_class: Option<&str>, restore: Option<&str>) -> ObjectState {
    let archived = storage_class.is_some_and(is_archive_class);
    match restore_state(restore) {
        Some(RestoreState::Restoring) => ObjectState::Restoring,
        Some(RestoreState::Restored { until }) => ObjectState::Restored { until },
        None if archived => ObjectState::Archived,
        None => ObjectState::Readable,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn restore_headers_parse_as_oss_writes_them() {
        assert_eq!(restore_state(None), None);
        assert_eq!(restore_state(Some(r#"ongoing-request="true""#)), Some(RestoreState::Restoring));
        let restored = restore_state(Some(r#"ongoing-request="false", expiry-date="Sun, 16 Apr 2017 08:12:33 GMT""#));
        let until = DateTime::parse_from_rfc2822("Sun, 16 Apr 2017 08:12:33 GMT").unwrap().with_timezone(&Utc);
        assert_eq!(restored, Some(RestoreState::Restored { until: Some(until) }));
        assert_eq!(restore_state(Some("garbage")), None);
    }

    #[test]
    fn archived_objects_without_a_restore_are_archived() {
        let meta = |class: &str, restore: Option<&str>| ObjectMeta {
            storage_class: Some(class.into()),
            restore: restore.map(str::to_owned),
            ..ObjectMeta::default()
        };
        assert_eq!(object_state(&meta("Standard", None)), ObjectState::Readable);
        assert_eq!(object_state(&meta("ColdArchive", None)), ObjectState::Archived);
        assert_eq!(object_state(&meta("Archive", Some(r#"ongoing-request="true""#))), ObjectState::Restoring);
        assert!(matches!(
            object_state(&meta("Archive", Some(r#"ongoing-request="false", expiry-date="x""#))),
            ObjectState::Restored { until: None }
        ));
    }
}
