//! RestoreObject (POST `?restore`): makes an archived object readable after the sandbox's
//! restore delay. <https://www.alibabacloud.com/help/en/oss/developer-reference/restoreobject>.

use hyper::StatusCode;

use super::{blocking, Call};
use crate::error::{OssError, OssResult};
use crate::http::{self, Reply};
use crate::names::StorageClass;
use crate::store::{RestoreOutcome, RestoreRequest};
use crate::time::now_millis;
use crate::xml;

const MAX_REQUEST_BYTES: usize = 64 * 1024;
const TIERS: [&str; 3] = ["Expedited", "Standard", "Bulk"];

/// `<RestoreRequest><Days/><JobParameters><Tier/></JobParameters></RestoreRequest>`: the days
/// asked for (1 when absent). The tier is checked; the sandbox restores every tier alike.
fn parse_restore_request(body: &[u8]) -> OssResult<Option<u32>> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(None);
    }
    let text = std::str::from_utf8(body).map_err(|_| OssError::malformed_xml("the body is not UTF-8"))?;
    let root = xml::parse(text).map_err(OssError::malformed_xml)?;
    if root.name != "RestoreRequest" {
        return Err(OssError::malformed_xml("the root element must be RestoreRequest"));
    }
    if let Some(tier) = root.child("JobParameters").and_then(|job| job.child_text("Tier")) {
        if !TIERS.contains(&tier.trim()) {
            return Err(OssError::invalid_argument("The Tier is invalid; use Expedited, Standard or Bulk.")
                .with_ec("0016-00000703")
                .with_detail("ArgumentName", "Tier")
                .with_detail("ArgumentValue", tier));
        }
    }
    match root.child_text("Days") {
        None => Ok(None),
        Some(days) => days.trim().parse::<u32>().map(Some).map_err(|_| invalid_days(days)),
    }
}

fn invalid_days(days: &str) -> OssError {
    OssError::invalid_argument(
        "Days must be an integer from 1 to 7 for Archive objects, and from 1 to 365 for ColdArchive and DeepColdArchive objects.",
    )
    .with_detail("ArgumentName", "Days")
    .with_detail("ArgumentValue", days)
}

fn max_days(class: StorageClass) -> u32 {
    match class {
        StorageClass::Archive => 7,
        _ => 365,
    }
}

pub async fn restore_object(call: &mut Call<'_>) -> OssResult<Reply> {
    let bucket_meta = call.bucket_meta().await?;
    call.require_write(&bucket_meta)?;
    let body = call.body.read_to_vec(MAX_REQUEST_BYTES).await?;
    let days = parse_restore_request(&body)?;

    let store = call.state.store.clone();
    let (bucket, key) = (call.bucket().to_owned(), call.key().to_owned());
    let (_, meta) = blocking(move || store.object(&bucket, &key, None)).await?;
    let days = days.unwrap_or(1);
    if !(1..=max_days(meta.attributes.storage_class)).contains(&days) {
        return Err(invalid_days(&days.to_string()));
    }
    let request = RestoreRequest {
        days,
        delay_ms: i64::try_from(call.state.restore_delay.as_millis()).unwrap_or(i64::MAX),
        now_ms: now_millis(),
    };
    let store = call.state.store.clone();
    let (bucket, key) = (call.bucket().to_owned(), call.key().to_owned());
    let outcome = blocking(move || store.restore_object(&bucket, &key, request)).await?;
    Ok(http::empty(match outcome {
        RestoreOutcome::Started => StatusCode::ACCEPTED,
        RestoreOutcome::Extended => StatusCode::OK,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn restore_requests_parse_days_and_check_the_tier() {
        assert_eq!(parse_restore_request(b"").unwrap(), None);
        let body = b"<RestoreRequest><Days>2</Days><JobParameters><Tier>Bulk</Tier></JobParameters></RestoreRequest>";
        assert_eq!(parse_restore_request(body).unwrap(), Some(2));
        let bad_tier =
            b"<RestoreRequest><Days>2</Days><JobParameters><Tier>Test</Tier></JobParameters></RestoreRequest>";
        assert_eq!(parse_restore_request(bad_tier).unwrap_err().code, "InvalidArgument");
        assert_eq!(
            parse_restore_request(b"<RestoreRequest><Days>x</Days></RestoreRequest>").unwrap_err().code,
            "InvalidArgument"
        );
        assert_eq!(parse_restore_request(b"<Restore/>").unwrap_err().code, "MalformedXML");
    }
}
