//! Deleting many objects at once: chosen keys and everything under chosen prefixes (folders),
//! with DeleteMultipleObjects, 1000 keys a call. The app's Delete dialog and `osslite-cli rm -r`
//! both go through [`delete_all`].

use futures_util::TryStreamExt;

use crate::client::Client;
use crate::error::{Error, Result};
use crate::ops::MAX_DELETE_KEYS;

/// How far a deletion has got, in cumulative counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeleteProgress {
    pub deleted: usize,
    pub total: usize,
}

/// What a deletion did. The calls stop at the first one that fails: a failure such as a denied
/// permission or a lost network would fail every call after it too.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeleteOutcome {
    /// Keys sent in calls that succeeded (a key that did not exist counts as deleted).
    pub deleted: usize,
    /// Keys not deleted, in key order: those of the call that failed and of every call after it.
    pub failed: Vec<String>,
    /// Why the failed keys were not deleted.
    pub error: Option<Error>,
}

impl DeleteOutcome {
    pub fn total(&self) -> usize {
        self.deleted + self.failed.len()
    }

    /// The number deleted, or the error saying how many were and were not.
    pub fn into_result(self) -> Result<usize> {
        match self.error {
            None => Ok(self.deleted),
            Some(error) => Err(error.context(format!(
                "{} of {} objects were not deleted ({} were)",
                self.failed.len(),
                self.deleted + self.failed.len(),
                self.deleted
            ))),
        }
    }
}

/// `keys` and every object under each of `prefixes` (all levels), sorted, each key once. An empty
/// prefix is refused: it would name every object of the bucket.
pub async fn keys_to_delete(
    client: &Client,
    bucket: &str,
    keys: Vec<String>,
    prefixes: &[String],
) -> Result<Vec<String>> {
    if prefixes.iter().any(|prefix| prefix.is_empty()) {
        return Err(Error::invalid_input(format!(
            "refusing to delete every object of bucket '{bucket}': name a folder (a prefix such as 'photos/')"
        )));
    }
    let mut all = keys;
    for prefix in prefixes {
        let mut below: Vec<String> =
            client.list_all(bucket, Some(prefix), None).map_ok(|entry| entry.name().to_owned()).try_collect().await?;
        all.append(&mut below);
    }
    all.sort();
    all.dedup();
    Ok(all)
}

/// Deletes `keys` and everything under `prefixes`, reporting progress after each call. A failed
/// listing deletes nothing and is the error; a failed deletion call ends the work and is reported
/// in the outcome, with the keys left.
pub async fn delete_all(
    client: &Client,
    bucket: &str,
    keys: Vec<String>,
    prefixes: &[String],
    mut on_progress: impl FnMut(DeleteProgress),
) -> Result<DeleteOutcome> {
    let all = keys_to_delete(client, bucket, keys, prefixes).await?;
    let total = all.len();
    let mut deleted = 0;
    for chunk in all.chunks(MAX_DELETE_KEYS) {
        if let Err(error) = client.delete_objects(bucket, chunk).await {
            return Ok(DeleteOutcome { deleted, failed: all[deleted..].to_vec(), error: Some(error) });
        }
        deleted += chunk.len();
        on_progress(DeleteProgress { deleted, total });
    }
    Ok(DeleteOutcome { deleted, failed: Vec::new(), error: None })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    #[test]
    fn a_failed_outcome_says_how_many_were_and_were_not_deleted() {
        let outcome = DeleteOutcome {
            deleted: 1000,
            failed: vec!["b".into(), "c".into()],
            error: Some(Error::new(ErrorKind::PermissionDenied, "OSS answered 403 AccessDenied")),
        };
        assert_eq!(outcome.total(), 1002);
        let error = outcome.into_result().unwrap_err();
        assert_eq!(error.kind(), ErrorKind::PermissionDenied);
        assert_eq!(error.message(), "2 of 1002 objects were not deleted (1000 were): OSS answered 403 AccessDenied");

        let done = DeleteOutcome { deleted: 3, failed: Vec::new(), error: None };
        assert_eq!(done.into_result().unwrap(), 3);
    }
}
