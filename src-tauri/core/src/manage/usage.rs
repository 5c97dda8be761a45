//! Folder sizes: objects and bytes under a prefix (or of a selection), in all and per storage
//! class, from a streamed listing that can be cancelled at any page.

use std::collections::BTreeMap;

use futures_util::StreamExt;
use serde::Serialize;
use tokio_util::sync::CancellationToken;

use crate::client::{Client, ListEntry};
use crate::error::{Error, ErrorKind, Result};
use crate::ops::check_bucket_name;

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ClassUsage {
    pub objects: u64,
    pub bytes: u64,
}

/// Objects and bytes, in all and per storage class (`Standard`, `IA`, …).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Usage {
    pub objects: u64,
    pub bytes: u64,
    pub by_class: BTreeMap<String, ClassUsage>,
}

impl Usage {
    pub fn add(&mut self, storage_class: Option<&str>, size: u64) {
        self.objects += 1;
        self.bytes += size;
        let class = self.by_class.entry(storage_class.unwrap_or("Standard").to_owned()).or_default();
        class.objects += 1;
        class.bytes += size;
    }

    pub fn merge(&mut self, other: &Usage) {
        self.objects += other.objects;
        self.bytes += other.bytes;
        for (class, usage) in &other.by_class {
            let mine = self.by_class.entry(class.clone()).or_default();
            mine.objects += usage.objects;
            mine.bytes += usage.bytes;
        }
    }
}

fn cancelled() -> Error {
    Error::new(ErrorKind::Cancelled, "the size count was cancelled")
}

/// Everything under `prefix` (`None` or empty: the whole bucket). `progress` sees the running
/// totals after each object; `cancel` stops the count with a `Cancelled` error.
pub async fn disk_usage(
    client: &Client,
    bucket: &str,
    prefix: Option<&str>,
    cancel: &CancellationToken,
    mut progress: impl FnMut(&Usage) + Send,
) -> Result<Usage> {
    check_bucket_name(bucket)?;
    let mut usage = Usage::default();
    let mut listing = Box::pin(client.list_all(bucket, prefix.filter(|p| !p.is_empty()), None));
    loop {
        let entry = tokio::select! {
            entry = listing.next() => entry,
            () = cancel.cancelled() => return Err(cancelled()),
        };
        let Some(entry) = entry else { break };
        if let ListEntry::Object(object) = entry? {
            usage.add(object.storage_class.as_deref(), object.size);
            progress(&usage);
        }
    }
    Ok(usage)
}

/// The same for a selection: keys ending in `/` are folders, the others single objects.
pub async fn selection_usage(
    client: &Client,
    bucket: &str,
    keys: &[String],
    cancel: &CancellationToken,
    mut progress: impl FnMut(&Usage) + Send,
) -> Result<Usage> {
    let mut total = Usage::default();
    for key in keys {
        if cancel.is_cancelled() {
            return Err(cancelled());
        }
        if key.ends_with('/') {
            let before = total.clone();
            let folder = disk_usage(client, bucket, Some(key), cancel, |usage| {
                let mut running = before.clone();
                running.merge(usage);
                progress(&running);
            })
            .await?;
            total.merge(&folder);
        } else {
            let meta = client.head_object(bucket, key).await?;
            total.add(meta.storage_class.as_deref(), meta.content_length.unwrap_or(0));
            progress(&total);
        }
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usage_counts_per_class_and_prints_as_the_cli_promises() {
        let mut usage = Usage::default();
        usage.add(Some("Standard"), 10);
        usage.add(None, 5);
        usage.add(Some("IA"), 7);
        let mut other = Usage::default();
        other.add(Some("IA"), 1);
        usage.merge(&other);
        assert_eq!(
            serde_json::to_value(&usage).unwrap(),
            serde_json::json!({"objects": 4, "bytes": 23, "byClass": {
                "IA": {"objects": 2, "bytes": 8}, "Standard": {"objects": 2, "bytes": 15}}})
        );
    }
}
