//! ListBuckets (GET /): <https://www.alibabacloud.com/help/en/oss/developer-reference/listbuckets>.

use hyper::StatusCode;

use super::{blocking, write_owner, Call};
use crate::error::OssResult;
use crate::http::{self, Reply};
use crate::time::iso8601;
use crate::xml::XmlWriter;

pub async fn list_buckets(call: &mut Call<'_>) -> OssResult<Reply> {
    call.require_signed()?;
    let prefix = call.query.non_empty("prefix").unwrap_or("").to_owned();
    let marker = call.query.non_empty("marker").unwrap_or("").to_owned();
    let max_keys = call.query.number("max-keys", 100, 1..=1000)? as usize;
    let paged = call.query.has("prefix") || call.query.has("marker") || call.query.has("max-keys");

    let store = call.state.store.clone();
    let all = blocking(move || Ok(store.list_buckets())).await?;
    let mut matching = all.into_iter().filter(|b| b.name.starts_with(&prefix) && b.name.as_str() > marker.as_str());
    let page: Vec<_> = matching.by_ref().take(max_keys).collect();
    let truncated = matching.next().is_some();

    let mut doc = XmlWriter::new("ListAllMyBucketsResult");
    if paged || truncated {
        doc.element("Prefix", &prefix);
        doc.element("Marker", &marker);
        doc.element_display("MaxKeys", max_keys);
        doc.element_display("IsTruncated", truncated);
        if let (true, Some(last)) = (truncated, page.last()) {
            doc.element("NextMarker", &last.name);
        }
    }
    write_owner(&mut doc);
    doc.open("Buckets");
    for bucket in &page {
        let region = call.state.bucket_regions.region_of(&bucket.name);
        doc.open("Bucket");
        doc.element("CreationDate", &iso8601(bucket.created));
        doc.element("ExtranetEndpoint", &call.state.authority);
        doc.element("IntranetEndpoint", &call.state.authority);
        doc.element("Location", &format!("oss-{region}"));
        doc.element("Name", &bucket.name);
        doc.element("Region", &region);
        doc.element("StorageClass", bucket.storage_class.as_str());
        doc.close("Bucket");
    }
    doc.close("Buckets");
    Ok(http::xml(StatusCode::OK, doc.finish("ListAllMyBucketsResult")))
}
