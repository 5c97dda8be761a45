//! The OSS operations: which one a request is ([`route`]), who may run it, and running it.

mod batch_delete;
mod buckets;
mod copy;
mod listing;
mod multipart;
mod object_headers;
mod objects;
mod reading;
mod restore;
mod service;
mod versions;

use std::sync::Arc;

use hyper::{HeaderMap, Method, StatusCode};

use crate::addressing::Target;
use crate::auth::Principal;
use crate::body::RequestBody;
use crate::error::{OssError, OssResult};
use crate::http::Reply;
use crate::names::Acl;
use crate::query::Query;
use crate::state::State;
use crate::store::BucketMeta;

/// The account every bucket and object belongs to.
pub const OWNER_ID: &str = "1000000000000000";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    ListBuckets,
    PutBucket,
    DeleteBucket,
    GetBucketInfo,
    GetBucketLocation,
    GetBucketAcl,
    PutBucketAcl,
    ListObjects,
    ListObjectsV2,
    ListMultipartUploads,
    DeleteMultipleObjects,
    GetObject,
    HeadObject,
    GetObjectMeta,
    PutObject,
    CopyObject,
    DeleteObject,
    GetObjectAcl,
    PutObjectAcl,
    RestoreObject,
    InitiateMultipartUpload,
    UploadPart,
    UploadPartCopy,
    CompleteMultipartUpload,
    AbortMultipartUpload,
    ListParts,
    GetBucketVersioning,
    PutBucketVersioning,
    ListObjectVersions,
}

impl Operation {
    pub fn name(self) -> &'static str {
        match self {
            Operation::ListBuckets => "ListBuckets",
            Operation::PutBucket => "PutBucket",
            Operation::DeleteBucket => "DeleteBucket",
            Operation::GetBucketInfo => "GetBucketInfo",
            Operation::GetBucketLocation => "GetBucketLocation",
            Operation::GetBucketAcl => "GetBucketAcl",
            Operation::PutBucketAcl => "PutBucketAcl",
            Operation::ListObjects => "ListObjects",
            Operation::ListObjectsV2 => "ListObjectsV2",
            Operation::ListMultipartUploads => "ListMultipartUploads",
            Operation::DeleteMultipleObjects => "DeleteMultipleObjects",
            Operation::GetObject => "GetObject",
            Operation::HeadObject => "HeadObject",
            Operation::GetObjectMeta => "GetObjectMeta",
            Operation::PutObject => "PutObject",
            Operation::CopyObject => "CopyObject",
            Operation::DeleteObject => "DeleteObject",
            Operation::GetObjectAcl => "GetObjectACL",
            Operation::PutObjectAcl => "PutObjectACL",
            Operation::RestoreObject => "RestoreObject",
            Operation::InitiateMultipartUpload => "InitiateMultipartUpload",
            Operation::UploadPart => "UploadPart",
            Operation::UploadPartCopy => "UploadPartCopy",
            Operation::CompleteMultipartUpload => "CompleteMultipartUpload",
            Operation::AbortMultipartUpload => "AbortMultipartUpload",
            Operation::ListParts => "ListParts",
            Operation::GetBucketVersioning => "GetBucketVersioning",
            Operation::PutBucketVersioning => "PutBucketVersioning",
            Operation::ListObjectVersions => "ListObjectVersions",
        }
    }
}

/// Image processing on GetObject.
pub const PROCESS_PARAMETER: &str = "x-oss-process";

/// Sub-resources OSS has and the sandbox does not; naming them beats answering the wrong thing.
const UNSUPPORTED_SUBRESOURCES: &[&str] = &[
    "append",
    "cname",
    "cors",
    "encryption",
    "inventory",
    "lifecycle",
    "logging",
    "policy",
    "qos",
    "referer",
    "replication",
    "requestPayment",
    "select",
    "stat",
    "style",
    "symlink",
    "tagging",
    "transferAcceleration",
    "website",
    "worm",
];

pub fn route(method: &Method, target: &Target, query: &Query, headers: &HeaderMap) -> OssResult<Operation> {
    if let Some(name) = UNSUPPORTED_SUBRESOURCES.iter().find(|name| query.has(name)) {
        return Err(OssError::not_implemented(&format!("the '{name}' sub-resource")));
    }
    let reads_object = *method == Method::GET && target.key.is_some();
    if query.has(PROCESS_PARAMETER) && !reads_object {
        return Err(OssError::not_implemented("x-oss-process except on GetObject (image processing)"));
    }
    let has_copy_source = headers.contains_key("x-oss-copy-source");
    let operation = match (&target.bucket, &target.key) {
        (None, _) => match *method {
            Method::GET => Operation::ListBuckets,
            _ => return Err(method_not_allowed(method)),
        },
        (Some(_), None) => match *method {
            Method::GET if query.has("bucketInfo") => Operation::GetBucketInfo,
            Method::GET if query.has("location") => Operation::GetBucketLocation,
            Method::GET if query.has("acl") => Operation::GetBucketAcl,
            Method::GET if query.has("uploads") => Operation::ListMultipartUploads,
            Method::GET if query.has("versioning") => Operation::GetBucketVersioning,
            Method::GET if query.has("versions") => Operation::ListObjectVersions,
            Method::GET if query.get("list-type") == Some("2") => Operation::ListObjectsV2,
            Method::GET => Operation::ListObjects,
            Method::PUT if query.has("acl") => Operation::PutBucketAcl,
            Method::PUT if query.has("versioning") => Operation::PutBucketVersioning,
            Method::PUT => Operation::PutBucket,
            Method::POST if query.has("delete") => Operation::DeleteMultipleObjects,
            Method::DELETE => Operation::DeleteBucket,
            _ => return Err(method_not_allowed(method)),
        },
        (Some(_), Some(_)) => match *method {
            Method::GET if query.has("acl") => Operation::GetObjectAcl,
            Method::GET if query.has("uploadId") => Operation::ListParts,
            Method::GET => Operation::GetObject,
            Method::HEAD if query.has("objectMeta") => Operation::GetObjectMeta,
            Method::HEAD => Operation::HeadObject,
            Method::PUT if query.has("acl") => Operation::PutObjectAcl,
            Method::PUT if query.has("uploadId") && has_copy_source => Operation::UploadPartCopy,
            Method::PUT if query.has("uploadId") => Operation::UploadPart,
            Method::PUT if has_copy_source => Operation::CopyObject,
            Method::PUT => Operation::PutObject,
            Method::POST if query.has("restore") => Operation::RestoreObject,
            Method::POST if query.has("uploads") => Operation::InitiateMultipartUpload,
            Method::POST if query.has("uploadId") => Operation::CompleteMultipartUpload,
            Method::DELETE if query.has("uploadId") => Operation::AbortMultipartUpload,
            Method::DELETE => Operation::DeleteObject,
            _ => return Err(method_not_allowed(method)),
        },
    };
    Ok(operation)
}

fn method_not_allowed(method: &Method) -> OssError {
    OssError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "MethodNotAllowed",
        "The specified method is not allowed against this resource.",
    )
    .with_detail("Method", method.as_str())
}

/// One request on its way through an operation.
pub struct Call<'a> {
    pub state: &'a Arc<State>,
    pub target: Target,
    pub query: Query,
    pub headers: &'a HeaderMap,
    pub body: &'a mut RequestBody,
    pub principal: Principal,
}

impl Call<'_> {
    /// The bucket; [`route`] sends only bucket-level requests to operations that call this.
    pub fn bucket(&self) -> &str {
        self.target.bucket.as_deref().unwrap_or_default()
    }

    /// The key; [`route`] sends only object-level requests to operations that call this.
    pub fn key(&self) -> &str {
        self.target.key.as_deref().unwrap_or_default()
    }

    /// `?versionId=`, when given.
    pub fn version_id(&self) -> Option<String> {
        self.query.non_empty("versionId").map(str::to_owned)
    }

    pub fn header(&self, name: &str) -> Option<std::borrow::Cow<'_, str>> {
        crate::http::header(self.headers, name)
    }

    fn is_anonymous(&self) -> bool {
        self.principal == Principal::Anonymous
    }

    /// Operations only the owner may run (bucket settings, ACLs, listing buckets).
    pub fn require_signed(&self) -> OssResult<()> {
        if self.is_anonymous() {
            return Err(OssError::access_denied(
                "You are forbidden to do this operation anonymously; sign the request.",
            ));
        }
        Ok(())
    }

    /// Reading an object (or listing) anonymously needs a public-read ACL.
    pub fn require_read(&self, bucket: &BucketMeta, object_acl: Acl) -> OssResult<()> {
        if self.is_anonymous() && !object_acl.effective(bucket.acl).allows_anonymous_read() {
            return Err(OssError::access_denied("You have no right to access this object because of bucket acl."));
        }
        Ok(())
    }

    /// Writing anonymously needs a public-read-write bucket.
    pub fn require_write(&self, bucket: &BucketMeta) -> OssResult<()> {
        if self.is_anonymous() && !bucket.acl.allows_anonymous_write() {
            return Err(OssError::access_denied("You have no right to access this object because of bucket acl."));
        }
        Ok(())
    }

    /// The bucket's metadata, from the store.
    pub async fn bucket_meta(&self) -> OssResult<BucketMeta> {
        let store = self.state.store.clone();
        let bucket = self.bucket().to_owned();
        blocking(move || store.bucket(&bucket)).await
    }
}

pub async fn run(operation: Operation, call: &mut Call<'_>) -> OssResult<Reply> {
    match operation {
        Operation::ListBuckets => service::list_buckets(call).await,
        Operation::PutBucket => buckets::put_bucket(call).await,
        Operation::DeleteBucket => buckets::delete_bucket(call).await,
        Operation::GetBucketInfo => buckets::get_bucket_info(call).await,
        Operation::GetBucketLocation => buckets::get_bucket_location(call).await,
        Operation::GetBucketAcl => buckets::get_bucket_acl(call).await,
        Operation::PutBucketAcl => buckets::put_bucket_acl(call).await,
        Operation::ListObjects => listing::list_objects(call).await,
        Operation::ListObjectsV2 => listing::list_objects_v2(call).await,
        Operation::ListMultipartUploads => multipart::list_multipart_uploads(call).await,
        Operation::DeleteMultipleObjects => batch_delete::delete_multiple_objects(call).await,
        Operation::GetObject => reading::get_object(call).await,
        Operation::HeadObject => reading::head_object(call).await,
        Operation::GetObjectMeta => reading::get_object_meta(call).await,
        Operation::PutObject => objects::put_object(call).await,
        Operation::CopyObject => copy::copy_object(call).await,
        Operation::DeleteObject => objects::delete_object(call).await,
        Operation::GetObjectAcl => objects::get_object_acl(call).await,
        Operation::PutObjectAcl => objects::put_object_acl(call).await,
        Operation::RestoreObject => restore::restore_object(call).await,
        Operation::InitiateMultipartUpload => multipart::initiate_multipart_upload(call).await,
        Operation::UploadPart => multipart::upload_part(call).await,
        Operation::UploadPartCopy => copy::upload_part_copy(call).await,
        Operation::CompleteMultipartUpload => multipart::complete_multipart_upload(call).await,
        Operation::AbortMultipartUpload => multipart::abort_multipart_upload(call).await,
        Operation::ListParts => multipart::list_parts(call).await,
        Operation::GetBucketVersioning => versions::get_bucket_versioning(call).await,
        Operation::PutBucketVersioning => versions::put_bucket_versioning(call).await,
        Operation::ListObjectVersions => versions::list_object_versions(call).await,
    }
}

/// Runs store work (file system calls) off the async threads.
pub async fn blocking<T: Send + 'static>(work: impl FnOnce() -> OssResult<T> + Send + 'static) -> OssResult<T> {
    tokio::task::spawn_blocking(work).await.map_err(OssError::internal)?
}

/// `<Owner><ID/><DisplayName/></Owner>`.
pub fn write_owner(doc: &mut crate::xml::XmlWriter) {
    doc.open("Owner");
    doc.element("ID", OWNER_ID);
    doc.element("DisplayName", OWNER_ID);
    doc.close("Owner");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(bucket: Option<&str>, key: Option<&str>) -> Target {
        Target { bucket: bucket.map(str::to_owned), key: key.map(str::to_owned) }
    }

    fn route_of(method: Method, bucket: Option<&str>, key: Option<&str>, query: &str) -> OssResult<Operation> {
        route(&method, &target(bucket, key), &Query::parse(Some(query)).unwrap(), &HeaderMap::new())
    }

    #[test]
    fn routes_by_method_target_and_sub_resource() {
        assert_eq!(route_of(Method::GET, None, None, "").unwrap(), Operation::ListBuckets);
        assert_eq!(route_of(Method::GET, Some("b"), None, "list-type=2&prefix=a").unwrap(), Operation::ListObjectsV2);
        assert_eq!(route_of(Method::GET, Some("b"), None, "bucketInfo").unwrap(), Operation::GetBucketInfo);
        assert_eq!(route_of(Method::POST, Some("b"), None, "delete").unwrap(), Operation::DeleteMultipleObjects);
        assert_eq!(
            route_of(Method::PUT, Some("b"), Some("k"), "partNumber=1&uploadId=X").unwrap(),
            Operation::UploadPart
        );
        assert_eq!(route_of(Method::HEAD, Some("b"), Some("k"), "objectMeta").unwrap(), Operation::GetObjectMeta);
        assert_eq!(route_of(Method::POST, Some("b"), Some("k"), "restore").unwrap(), Operation::RestoreObject);
        assert_eq!(
            route_of(Method::POST, Some("b"), Some("k"), "uploads").unwrap(),
            Operation::InitiateMultipartUpload
        );
        assert_eq!(
            route_of(Method::GET, Some("b"), Some("k"), "response-content-type=x").unwrap(),
            Operation::GetObject
        );
    }

    #[test]
    fn unsupported_sub_resources_and_methods_are_named() {
        let err = route_of(Method::GET, Some("b"), Some("k"), "tagging").unwrap_err();
        assert_eq!((err.status, err.code), (StatusCode::NOT_IMPLEMENTED, "NotImplemented"));
        assert!(err.message.contains("tagging"));
        assert_eq!(route_of(Method::PATCH, Some("b"), Some("k"), "").unwrap_err().code, "MethodNotAllowed");
    }
}
