//! The multipart operations of [`Client`]: initiate, upload parts (signed or through presigned
//! URLs), list parts, complete, abort, and list the unfinished uploads of a bucket.

use futures_util::Stream;

use super::send::{Call, Target};
use super::{paginate, put_result, read_body, with_content_md5, Body, Client, Idempotency, ObjectMeta, UploadedPart};
use crate::error::{Error, Result};
use crate::ops::{self, ListMultipartUploadsParams, ListPartsParams, PutObjectOptions};
use crate::sign::PresignedRequest;
use crate::xml::{self as model, from_xml};

impl Client {
    pub async fn initiate_multipart_upload(
        &self,
        bucket: &str,
        key: &str,
        options: &PutObjectOptions,
    ) -> Result<model::InitiateMultipartUploadResult> {
        let request = ops::initiate_multipart_upload_request(bucket, key, options)?;
        let body = self.send_read("InitiateMultipartUpload", &request, None, Idempotency::OnlyIfRefused).await?;
        from_xml::<model::InitiateMultipartUploadResult>(&body, "InitiateMultipartUpload")?.normalize()
    }

    /// UploadPart, signed with headers. Retried when the body can be rebuilt (use
    /// [`Body::file_range`] for parts of a file).
    pub async fn upload_part(
        &self,
        bucket: &str,
        key: &str,
        upload_id: &str,
        part_number: u32,
        body: Body,
    ) -> Result<UploadedPart> {
        let request = with_content_md5(ops::upload_part_request(bucket, key, upload_id, part_number)?, &body);
        let response = self.send("UploadPart", &request, Some(&body), Idempotency::Idempotent).await?;
        let result = put_result(&response)?;
        Ok(UploadedPart { part_number, etag: result.etag, crc64: result.crc64 })
    }

    /// A presigned URL for one part (Alibaba's "upload with presigned URLs", multipart): whoever
    /// holds it can PUT that part without credentials until it expires. With `content_md5`
    /// (base64, as [`Body::content_md5`] gives it), the URL is signed for that header and only
    /// a body with that MD5 is accepted.
    pub fn presign_upload_part(
        &self,
        bucket: &str,
        key: &str,
        upload_id: &str,
        part_number: u32,
        content_md5: Option<&str>,
        expires_secs: u64,
    ) -> Result<PresignedRequest> {
        let mut request = ops::upload_part_request(bucket, key, upload_id, part_number)?;
        if let Some(md5) = content_md5 {
            request = request.with_header("Content-MD5", md5);
        }
        self.presign(&request, expires_secs)
    }

    /// Sends a part with a plain PUT to a presigned URL (no signing here), with the headers the
    /// URL was signed for. Same retries and error mapping as every other request.
    pub async fn upload_part_presigned(
        &self,
        presigned: &PresignedRequest,
        part_number: u32,
        body: Body,
    ) -> Result<UploadedPart> {
        if presigned.method != crate::request::Method::Put {
            return Err(Error::invalid_input(format!("a part is uploaded with PUT, not {}", presigned.method)));
        }
        let call = Call {
            op: "UploadPart",
            target: Target::Presigned(presigned),
            body: Some(&body),
            idempotency: Idempotency::Idempotent,
        };
        let response = self.inner.send(call).await?;
        let result = put_result(&response)?;
        Ok(UploadedPart { part_number, etag: result.etag, crc64: result.crc64 })
    }

    /// One page of ListParts.
    pub async fn list_parts(
        &self,
        bucket: &str,
        key: &str,
        upload_id: &str,
        params: &ListPartsParams,
    ) -> Result<model::ListPartsPage> {
        let request = ops::list_parts_request(bucket, key, upload_id, params)?;
        self.get_xml::<model::ListPartsPage>("ListParts", &request).await?.normalize()
    }

    /// Every part of an upload, following the part-number markers.
    pub fn list_all_parts(
        &self,
        bucket: &str,
        key: &str,
        upload_id: &str,
    ) -> impl Stream<Item = Result<model::PartSummary>> + Send + 'static {
        let client = self.clone();
        let (bucket, key, upload_id) = (bucket.to_owned(), key.to_owned(), upload_id.to_owned());
        paginate(None, move |marker: Option<u32>| {
            let client = client.clone();
            let (bucket, key, upload_id) = (bucket.clone(), key.clone(), upload_id.clone());
            async move {
                let params = ListPartsParams { max_parts: Some(1000), part_number_marker: marker };
                let page = client.list_parts(&bucket, &key, &upload_id, &params).await?;
                let next = page.next_marker();
                Ok((page.parts, next))
            }
        })
    }

    /// CompleteMultipartUpload with the parts in ascending order. Retried only when OSS refused
    /// it outright (429/503) or no connection was made: a repeat after it took effect would fail.
    pub async fn complete_multipart_upload(
        &self,
        bucket: &str,
        key: &str,
        upload_id: &str,
        parts: &[model::CompletedPart],
        forbid_overwrite: bool,
    ) -> Result<model::CompleteMultipartUploadResult> {
        let (request, body) = ops::complete_multipart_upload_request(bucket, key, upload_id, parts, forbid_overwrite)?;
        let body = Body::from_bytes(body);
        let response = self.send("CompleteMultipartUpload", &request, Some(&body), Idempotency::OnlyIfRefused).await?;
        let meta = ObjectMeta::from_headers(response.headers());
        let answer = read_body("CompleteMultipartUpload", response).await?;
        let mut result =
            from_xml::<model::CompleteMultipartUploadResult>(&answer, "CompleteMultipartUpload")?.normalize()?;
        result.crc64 = meta.crc64;
        result.version_id = meta.version_id;
        Ok(result)
    }

    pub async fn abort_multipart_upload(&self, bucket: &str, key: &str, upload_id: &str) -> Result<()> {
        let request = ops::abort_multipart_upload_request(bucket, key, upload_id)?;
        self.send("AbortMultipartUpload", &request, None, Idempotency::Idempotent).await?;
        Ok(())
    }

    /// One page of ListMultipartUploads.
    pub async fn list_multipart_uploads(
        &self,
        params: &ListMultipartUploadsParams,
    ) -> Result<model::ListMultipartUploadsPage> {
        let request = ops::list_multipart_uploads_request(params)?;
        self.get_xml::<model::ListMultipartUploadsPage>("ListMultipartUploads", &request).await?.normalize()
    }
}
