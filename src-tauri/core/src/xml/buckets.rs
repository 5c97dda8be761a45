//! Bucket-level responses: ListBuckets (GetService), GetBucketInfo, GetBucketLocation.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize};

use super::{flag, non_empty, opt_number, opt_time};

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default, rename_all(deserialize = "PascalCase", serialize = "camelCase"))]
pub struct Owner {
    #[serde(rename(deserialize = "ID"))]
    pub id: String,
    pub display_name: String,
}

/// One bucket in a ListBuckets page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default, rename_all(deserialize = "PascalCase", serialize = "camelCase"))]
pub struct BucketSummary {
    pub name: String,
    /// `oss-cn-hangzhou`.
    pub location: String,
    /// `cn-hangzhou`; older answers leave it out.
    pub region: Option<String>,
    #[serde(deserialize_with = "opt_time")]
    pub creation_date: Option<DateTime<Utc>>,
    pub extranet_endpoint: Option<String>,
    pub intranet_endpoint: Option<String>,
    pub storage_class: Option<String>,
    pub resource_group_id: Option<String>,
}

/// One page of ListBuckets (`GET /`, root element `ListAllMyBucketsResult`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default, rename_all(deserialize = "PascalCase", serialize = "camelCase"))]
pub struct ListBucketsPage {
    pub prefix: Option<String>,
    pub marker: Option<String>,
    #[serde(deserialize_with = "opt_number")]
    pub max_keys: Option<u32>,
    #[serde(deserialize_with = "flag")]
    pub is_truncated: bool,
    pub next_marker: Option<String>,
    pub owner: Option<Owner>,
    #[serde(deserialize_with = "bucket_list")]
    pub buckets: Vec<BucketSummary>,
}

impl ListBucketsPage {
    /// The marker of the next page, when there is one.
    pub fn next_marker(&self) -> Option<&str> {
        self.next_marker.as_deref().filter(|m| self.is_truncated && !m.is_empty())
    }

    pub(crate) fn normalize(mut self) -> Self {
        self.prefix = non_empty(self.prefix);
        self.marker = non_empty(self.marker);
        self.next_marker = non_empty(self.next_marker);
        self
    }
}

fn bucket_list<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<BucketSummary>, D::Error> {
    #[derive(Deserialize)]
    struct Buckets {
        #[serde(rename = "Bucket", default)]
        items: Vec<BucketSummary>,
    }
    Ok(Buckets::deserialize(deserializer)?.items)
}

/// GetBucketInfo (`GET /?bucketInfo`): the `<Bucket>` inside `<BucketInfo>`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(default, rename_all(deserialize = "PascalCase", serialize = "camelCase"))]
pub struct BucketInfo {
    pub name: String,
    pub location: String,
    #[serde(deserialize_with = "opt_time")]
    pub creation_date: Option<DateTime<Utc>>,
    pub extranet_endpoint: Option<String>,
    pub intranet_endpoint: Option<String>,
    pub storage_class: Option<String>,
    pub data_redundancy_type: Option<String>,
    pub access_monitor: Option<String>,
    pub transfer_acceleration: Option<String>,
    pub cross_region_replication: Option<String>,
    pub versioning: Option<String>,
    pub resource_group_id: Option<String>,
    pub comment: Option<String>,
    pub owner: Option<Owner>,
    /// `private`, `public-read` or `public-read-write`, from `<AccessControlList><Grant>`.
    #[serde(rename(deserialize = "AccessControlList"), deserialize_with = "grant")]
    pub acl: Option<String>,
}

pub(crate) fn grant<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    #[derive(Deserialize)]
    struct AccessControlList {
        #[serde(rename = "Grant", default)]
        grant: Option<String>,
    }
    Ok(AccessControlList::deserialize(deserializer)?.grant.map(|g| g.trim().to_owned()).filter(|g| !g.is_empty()))
}

#[derive(Debug, Deserialize)]
pub(crate) struct BucketInfoXml {
    #[serde(rename = "Bucket")]
    pub bucket: BucketInfo,
}

/// GetBucketLocation (`GET /?location`): `<LocationConstraint>oss-cn-hangzhou</LocationConstraint>`.
#[derive(Debug, Deserialize)]
pub(crate) struct LocationXml {
    #[serde(rename = "$text", default)]
    pub location: String,
}

#[cfg(test)]
pub(crate) mod samples {
    // Alibaba Cloud docs, "ListBuckets (GetService)", response example.
    pub const LIST_BUCKETS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<ListAllMyBucketsResult>
  <Prefix>my</Prefix>
  <Marker>mybucket</Marker>
  <MaxKeys>10</MaxKeys>
  <IsTruncated>true</IsTruncated>
  <NextMarker>mybucket10</NextMarker>
  <Owner>
    <ID>512**</ID>
    <DisplayName>51264</DisplayName>
  </Owner>
  <Buckets>
    <Bucket>
      <CreationDate>2014-02-07T18:12:43.000Z</CreationDate>
      <ExtranetEndpoint>oss-cn-shanghai.aliyuncs.com</ExtranetEndpoint>
      <IntranetEndpoint>oss-cn-shanghai-internal.aliyuncs.com</IntranetEndpoint>
      <Location>oss-cn-shanghai</Location>
      <Name>test-bucket-1</Name>
      <Region>cn-shanghai</Region>
      <StorageClass>Standard</StorageClass>
      <ResourceGroupId>rg-aek27tc****</ResourceGroupId>
    </Bucket>
    <Bucket>
      <CreationDate>2014-02-05T11:21:04.000Z</CreationDate>
      <ExtranetEndpoint>oss-cn-hangzhou.aliyuncs.com</ExtranetEndpoint>
      <IntranetEndpoint>oss-cn-hangzhou-internal.aliyuncs.com</IntranetEndpoint>
      <Location>oss-cn-hangzhou</Location>
      <Name>test-bucket-2</Name>
      <Region>cn-hangzhou</Region>
      <StorageClass>IA</StorageClass>
    </Bucket>
  </Buckets>
</ListAllMyBucketsResult>"#;

    // Alibaba Cloud docs, "GetBucketInfo", response example.
    pub const BUCKET_INFO: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<BucketInfo>
  <Bucket>
    <AccessMonitor>Enabled</AccessMonitor>
    <CreationDate>2013-07-31T10:56:21.000Z</CreationDate>
    <ExtranetEndpoint>oss-cn-hangzhou.aliyuncs.com</ExtranetEndpoint>
    <IntranetEndpoint>oss-cn-hangzhou-internal.aliyuncs.com</IntranetEndpoint>
    <Location>oss-cn-hangzhou</Location>
    <StorageClass>Standard</StorageClass>
    <TransferAcceleration>Disabled</TransferAcceleration>
    <CrossRegionReplication>Disabled</CrossRegionReplication>
    <DataRedundancyType>LRS</DataRedundancyType>
    <Name>oss-example</Name>
    <ResourceGroupId>rg-aek27tc********</ResourceGroupId>
    <Owner>
      <DisplayName>username</DisplayName>
      <ID>27183473914****</ID>
    </Owner>
    <AccessControlList>
      <Grant>private</Grant>
    </AccessControlList>
    <Comment>test</Comment>
    <BucketPolicy>
      <LogBucket>examplebucket</LogBucket>
      <LogPrefix>log/</LogPrefix>
    </BucketPolicy>
  </Bucket>
</BucketInfo>"#;

    // Alibaba Cloud docs, "GetBucketLocation", response example.
    pub const LOCATION: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<LocationConstraint>oss-cn-hangzhou</LocationConstraint>"#;
}

#[cfg(test)]
mod tests {
    use super::samples::*;
    use super::*;
    use crate::xml::from_xml;

    #[test]
    fn list_buckets_sample_parses_with_paging_fields() {
        let page = from_xml::<ListBucketsPage>(LIST_BUCKETS.as_bytes(), "ListBuckets").unwrap().normalize();
        assert_eq!(page.prefix.as_deref(), Some("my"));
        assert_eq!(page.max_keys, Some(10));
        assert!(page.is_truncated);
        assert_eq!(page.next_marker(), Some("mybucket10"));
        assert_eq!(page.owner.as_ref().unwrap().id, "512**");
        assert_eq!(page.buckets.len(), 2);
        let first = &page.buckets[0];
        assert_eq!(first.name, "test-bucket-1");
        assert_eq!(first.region.as_deref(), Some("cn-shanghai"));
        assert_eq!(first.creation_date.unwrap().to_rfc3339(), "2014-02-07T18:12:43+00:00");
        assert_eq!(page.buckets[1].storage_class.as_deref(), Some("IA"));
        assert_eq!(page.buckets[1].resource_group_id, None);
    }

    #[test]
    fn an_empty_bucket_list_parses() {
        let xml = "<ListAllMyBucketsResult><Owner><ID>1</ID><DisplayName>1</DisplayName></Owner><Buckets/></ListAllMyBucketsResult>";
        let page = from_xml::<ListBucketsPage>(xml.as_bytes(), "ListBuckets").unwrap().normalize();
        assert!(page.buckets.is_empty());
        assert_eq!(page.next_marker(), None);
    }

    #[test]
    fn bucket_info_and_location_samples_parse() {
        let info = from_xml::<BucketInfoXml>(BUCKET_INFO.as_bytes(), "GetBucketInfo").unwrap().bucket;
        assert_eq!(info.name, "oss-example");
        assert_eq!(info.location, "oss-cn-hangzhou");
        assert_eq!(info.acl.as_deref(), Some("private"));
        assert_eq!(info.data_redundancy_type.as_deref(), Some("LRS"));
        assert_eq!(info.owner.unwrap().display_name, "username");

        let location = from_xml::<LocationXml>(LOCATION.as_bytes(), "GetBucketLocation").unwrap();
        assert_eq!(location.location, "oss-cn-hangzhou");
    }
}
