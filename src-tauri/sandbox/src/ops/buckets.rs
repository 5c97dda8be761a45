//! Bucket operations: PutBucket, DeleteBucket, GetBucketInfo, GetBucketLocation, Get/PutBucketAcl.
//! <https://www.alibabacloud.com/help/en/oss/developer-reference/putbucket>,
//! <https://www.alibabacloud.com/help/en/oss/developer-reference/getbucketinfo>.

use hyper::StatusCode;

use super::{blocking, write_owner, Call};
use crate::error::{OssError, OssResult};
use crate::http::{self, Reply};
use crate::names::{Acl, StorageClass};
use crate::time::iso8601;
use crate::xml::{self, XmlWriter};

const MAX_CONFIGURATION_BYTES: usize = 64 * 1024;

pub async fn put_bucket(call: &mut Call<'_>) -> OssResult<Reply> {
    call.require_signed()?;
    let acl = match call.header("x-oss-acl") {
        Some(text) => Acl::parse_bucket(&text)?,
        None => Acl::Private,
    };
    let body = call.body.read_to_vec(MAX_CONFIGURATION_BYTES).await?;
    let mut storage_class = StorageClass::Standard;
    if !body.iter().all(u8::is_ascii_whitespace) {
        let text = std::str::from_utf8(&body).map_err(|_| OssError::malformed_xml("the body is not UTF-8"))?;
        let root = xml::parse(text).map_err(OssError::malformed_xml)?;
        if root.name != "CreateBucketConfiguration" {
            return Err(OssError::malformed_xml("the root element must be CreateBucketConfiguration"));
        }
        if let Some(class) = root.child_text("StorageClass") {
            storage_class = StorageClass::parse(class)?;
        }
    }
    let store = call.state.store.clone();
    let bucket = call.bucket().to_owned();
    blocking(move || store.create_bucket(&bucket, acl, storage_class)).await?;
    // OSS creates a bucket in the region of the endpoint it is sent to, which it is signed for.
    let region = call.principal.signing_region().unwrap_or(&call.state.region).to_owned();
    call.state.bucket_regions.created(call.bucket(), &region);
    let mut response = http::empty(StatusCode::OK);
    http::set(&mut response, "location", &format!("/{}", call.bucket()));
    Ok(response)
}

pub async fn delete_bucket(call: &mut Call<'_>) -> OssResult<Reply> {
    call.require_signed()?;
    let store = call.state.store.clone();
    let bucket = call.bucket().to_owned();
    blocking(move || store.delete_bucket(&bucket)).await?;
    call.state.bucket_regions.deleted(call.bucket());
    Ok(http::empty(StatusCode::NO_CONTENT))
}

pub async fn get_bucket_info(call: &mut Call<'_>) -> OssResult<Reply> {
    call.require_signed()?;
    let meta = call.bucket_meta().await?;
    let region = call.state.bucket_regions.region_of(call.bucket());
    let mut doc = XmlWriter::new("BucketInfo");
    doc.open("Bucket");
    doc.element("AccessMonitor", "Disabled");
    doc.element("CreationDate", &iso8601(meta.created));
    doc.element("ExtranetEndpoint", &call.state.authority);
    doc.element("IntranetEndpoint", &call.state.authority);
    doc.element("Location", &format!("oss-{region}"));
    doc.element("StorageClass", meta.storage_class.as_str());
    doc.element("TransferAcceleration", "Disabled");
    doc.element("CrossRegionReplication", "Disabled");
    doc.element("Name", &meta.name);
    doc.element("DataRedundancyType", &meta.data_redundancy);
    doc.element("Versioning", meta.versioning.as_str());
    write_owner(&mut doc);
    doc.open("AccessControlList");
    doc.element("Grant", meta.acl.as_str());
    doc.close("AccessControlList");
    doc.element("Comment", "");
    doc.open("ServerSideEncryptionRule");
    doc.element("SSEAlgorithm", "None");
    doc.close("ServerSideEncryptionRule");
    doc.open("BucketPolicy");
    doc.element("LogBucket", "");
    doc.element("LogPrefix", "");
    doc.close("BucketPolicy");
    doc.close("Bucket");
    Ok(http::xml(StatusCode::OK, doc.finish("BucketInfo")))
}

pub async fn get_bucket_location(call: &mut Call<'_>) -> OssResult<Reply> {
    call.require_signed()?;
    call.bucket_meta().await?;
    let mut doc = XmlWriter::new("LocationConstraint");
    let location = format!("oss-{}", call.state.bucket_regions.region_of(call.bucket()));
    doc.text(&location);
    Ok(http::xml(StatusCode::OK, doc.finish("LocationConstraint")))
}

pub async fn get_bucket_acl(call: &mut Call<'_>) -> OssResult<Reply> {
    call.require_signed()?;
    let meta = call.bucket_meta().await?;
    Ok(http::xml(StatusCode::OK, acl_document(meta.acl)))
}

pub async fn put_bucket_acl(call: &mut Call<'_>) -> OssResult<Reply> {
    call.require_signed()?;
    let text = call.header("x-oss-acl").ok_or_else(|| {
        OssError::invalid_argument("The x-oss-acl header is required.").with_detail("ArgumentName", "x-oss-acl")
    })?;
    let acl = Acl::parse_bucket(&text)?;
    let store = call.state.store.clone();
    let bucket = call.bucket().to_owned();
    blocking(move || store.set_bucket_acl(&bucket, acl)).await?;
    Ok(http::empty(StatusCode::OK))
}

/// `<AccessControlPolicy>` with the owner and one grant, for buckets and objects.
pub fn acl_document(acl: Acl) -> String {
    let mut doc = XmlWriter::new("AccessControlPolicy");
    write_owner(&mut doc);
    doc.open("AccessControlList");
    doc.element("Grant", acl.as_str());
    doc.close("AccessControlList");
    doc.finish("AccessControlPolicy")
}
