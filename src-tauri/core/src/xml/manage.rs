//! XML of the management operations: RestoreObject's and PutBucket's request bodies, and
//! UploadPartCopy's answer. GetBucketAcl answers the same `AccessControlPolicy` as GetObjectACL.

use serde::{Deserialize, Serialize};

/// RestoreObject's body: `<RestoreRequest><Days/><JobParameters><Tier/></JobParameters></RestoreRequest>`.
#[derive(Debug, Serialize)]
#[serde(rename = "RestoreRequest")]
pub(crate) struct RestoreRequestXml {
    #[serde(rename = "Days")]
    pub days: u32,
    #[serde(rename = "JobParameters", skip_serializing_if = "Option::is_none")]
    pub job_parameters: Option<JobParametersXml>,
}

#[derive(Debug, Serialize)]
pub(crate) struct JobParametersXml {
    #[serde(rename = "Tier")]
    pub tier: &'static str,
}

/// PutBucket's body: `<CreateBucketConfiguration><StorageClass/></CreateBucketConfiguration>`.
#[derive(Debug, Serialize)]
#[serde(rename = "CreateBucketConfiguration")]
pub(crate) struct CreateBucketConfigurationXml {
    #[serde(rename = "StorageClass", skip_serializing_if = "Option::is_none")]
    pub storage_class: Option<String>,
}

/// UploadPartCopy's answer: `<CopyPartResult><LastModified/><ETag/></CopyPartResult>`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct CopyPartResult {
    #[serde(rename = "ETag")]
    pub etag: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::xml::{from_xml, to_xml};

    #[test]
    fn restore_and_create_bucket_bodies_are_the_xml_oss_documents() {
        let body = RestoreRequestXml { days: 2, job_parameters: Some(JobParametersXml { tier: "Bulk" }) };
        assert!(to_xml(&body).unwrap().ends_with(
            "<RestoreRequest><Days>2</Days><JobParameters><Tier>Bulk</Tier></JobParameters></RestoreRequest>"
        ));
        let plain = RestoreRequestXml { days: 1, job_parameters: None };
        assert!(to_xml(&plain).unwrap().ends_with("<RestoreRequest><Days>1</Days></RestoreRequest>"));
        let bucket = CreateBucketConfigurationXml { storage_class: Some("IA".into()) };
        assert!(to_xml(&bucket)
            .unwrap()
            .ends_with("<CreateBucketConfiguration><StorageClass>IA</StorageClass></CreateBucketConfiguration>"));
    }

    #[test]
    fn copy_part_result_gives_the_etag() {
        // Alibaba Cloud docs, "UploadPartCopy", response example.
        let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<CopyPartResult xmlns="http://doc.oss-cn-hangzhou.aliyuncs.com">
    <LastModified>2014-07-17T06:27:54.000Z</LastModified>
    <ETag>"5B3C1A2E053D763E1B002CC607C5A0FE"</ETag>
</CopyPartResult>"#;
        let result: CopyPartResult = from_xml(xml.as_bytes(), "UploadPartCopy").unwrap();
        assert_eq!(result.etag, "\"5B3C1A2E053D763E1B002CC607C5A0FE\"");
    }
}
