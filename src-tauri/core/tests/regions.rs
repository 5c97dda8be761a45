//! Buckets in another region than the client's, against a sandbox whose server region is
//! cn-hangzhou and whose bucket `far-bucket` is in cn-beijing: every operation reaches it once the
//! client knows its region, learned from ListBuckets or from OSS's 403 naming its endpoint.

use futures_util::TryStreamExt;
use osslite_core::client::{Body, Client, ClientConfig};
use osslite_core::manage::{create_bucket, NewBucket};
use osslite_core::ops::{self, CopyObjectOptions, PutObjectOptions};
use osslite_core::request::{Method, OssRequest};
use osslite_core::{Addressing, Credentials, Endpoint, Secret};
use osslite_sandbox::{AccessKey, Sandbox, SandboxConfig};

const KEY_ID: &str = "LTAI5tRegionsKey";
const SECRET: &str = "CANARY-regions-secret-51a0";
const NEAR: &str = "near-bucket";
const FAR: &str = "far-bucket";

struct Fixture {
    sandbox: Sandbox,
    _root: tempfile::TempDir,
}

async fn start() -> Fixture {
    let root = tempfile::tempdir().unwrap();
    let config = SandboxConfig::new(root.path())
        .with_bucket(NEAR)
        .with_bucket_in_region(FAR, "cn-beijing")
        .with_key(AccessKey::new(KEY_ID, SECRET));
    Fixture { sandbox: Sandbox::start(config).await.unwrap(), _root: root }
}

impl Fixture {
    /// A fresh client of region cn-hangzhou that knows no bucket's region.
    fn client(&self) -> Client {
        let endpoint = Endpoint::parse(self.sandbox.endpoint(), Addressing::Path).unwrap();
        let credentials = Credentials::new(KEY_ID, Secret::new(SECRET)).unwrap();
        Client::new(ClientConfig::builder(endpoint, "cn-hangzhou", credentials).build().unwrap()).unwrap()
    }

    fn refusals(&self) -> usize {
        self.sandbox.request_log().iter().filter(|record| record.status == 403).count()
    }
}

/// Put, stat, get, list, copy within the bucket, and a presigned link fetched without credentials.
async fn every_operation_reaches(client: &Client, bucket: &str, region: &str) {
    client
        .put_object(bucket, "dir/a.txt", Body::from("far away".to_owned()), &PutObjectOptions::default())
        .await
        .unwrap();
    assert_eq!(client.head_object(bucket, "dir/a.txt").await.unwrap().content_length, Some(8));
    let body = client.get_object(bucket, "dir/a.txt", None).await.unwrap().bytes().await.unwrap();
    assert_eq!(&body[..], b"far away");
    client.copy_object(bucket, "dir/a.txt", bucket, "dir/b.txt", &CopyObjectOptions::default()).await.unwrap();
    let names: Vec<String> = client
        .list_all(bucket, Some("dir/"), None)
        .map_ok(|entry| entry.name().to_owned())
        .try_collect()
        .await
        .unwrap();
    assert_eq!(names, ["dir/a.txt", "dir/b.txt"]);
    let link = client.presign(&ops::get_object_request(bucket, "dir/b.txt", None).unwrap(), 300).unwrap();
    assert!(link.url.contains(&format!("%2F{region}%2Foss%2Faliyun_v4_request")), "{}", link.url);
    let fetched = reqwest::get(&link.url).await.unwrap();
    assert_eq!(fetched.status(), 200);
    assert_eq!(fetched.text().await.unwrap(), "far away");
}

#[tokio::test]
async fn a_bucket_of_another_region_listed_by_list_buckets_is_reached_without_a_refusal() {
    let fixture = start().await;
    let client = fixture.client();
    let buckets: Vec<_> = client.list_all_buckets(None).try_collect().await.unwrap();
    let far = buckets.iter().find(|bucket| bucket.name == FAR).unwrap();
    assert_eq!((far.location.as_str(), far.region.as_deref()), ("oss-cn-beijing", Some("cn-beijing")));
    assert_eq!(client.bucket_region(FAR).as_deref(), Some("cn-beijing"));
    assert_eq!(client.bucket_region(NEAR).as_deref(), Some("cn-hangzhou"));
    every_operation_reaches(&client, FAR, "cn-beijing").await;
    every_operation_reaches(&client, NEAR, "cn-hangzhou").await;
    assert_eq!(fixture.refusals(), 0, "{:?}", fixture.sandbox.request_log());
}

#[tokio::test]
async fn a_client_that_never_listed_learns_the_region_from_the_refusal_and_sends_again_once() {
    let fixture = start().await;
    let client = fixture.client();
    client.put_object(FAR, "first.txt", Body::from("x".to_owned()), &PutObjectOptions::default()).await.unwrap();
    assert_eq!(fixture.refusals(), 1, "one refusal, then the same PutObject to the bucket's region");
    assert_eq!(client.bucket_region(FAR).as_deref(), Some("cn-beijing"));
    every_operation_reaches(&client, FAR, "cn-beijing").await;
    assert_eq!(fixture.refusals(), 1);
    // A non-idempotent request is sent again too: OSS refused it before doing anything.
    let fresh = fixture.client();
    assert_eq!(fresh.get_bucket_location(FAR).await.unwrap(), "oss-cn-beijing");
    assert_eq!(fresh.get_bucket_info(FAR).await.unwrap().location, "oss-cn-beijing");
}

#[tokio::test]
async fn the_refusal_names_the_buckets_endpoint_as_oss_does() {
    let fixture = start().await;
    let client = fixture.client();
    let mut request = OssRequest::object(Method::Get, FAR, "missing.txt");
    client.signer().sign_headers(&mut request, client.now()).unwrap();
    let url = format!("{}/{FAR}/missing.txt", fixture.sandbox.endpoint());
    let mut builder = reqwest::Client::new().get(url);
    for (name, value) in &request.headers {
        builder = builder.header(name, value);
    }
    let response = builder.send().await.unwrap();
    assert_eq!(response.status(), 403);
    let body = response.text().await.unwrap();
    for part in [
        "<Code>AccessDenied</Code>",
        "must be addressed using the specified endpoint",
        "<Endpoint>oss-cn-beijing.aliyuncs.com</Endpoint>",
        "<Bucket>far-bucket</Bucket>",
        "<EC>0003-00001403</EC>",
    ] {
        assert!(body.contains(part), "{part} missing from {body}");
    }
}

#[tokio::test]
async fn a_bucket_is_created_in_the_region_asked_for() {
    let fixture = start().await;
    let client = fixture.client();
    let new = NewBucket { name: "made-in-shanghai".into(), region: Some("cn-shanghai".into()), ..NewBucket::default() };
    create_bucket(&client, &new).await.unwrap();
    let fresh = fixture.client();
    assert_eq!(fresh.get_bucket_location("made-in-shanghai").await.unwrap(), "oss-cn-shanghai");
    let here = NewBucket { name: "made-here".into(), ..NewBucket::default() };
    create_bucket(&client, &here).await.unwrap();
    assert_eq!(fresh.get_bucket_location("made-here").await.unwrap(), "oss-cn-hangzhou");
    let bad = NewBucket { name: "bad-region".into(), region: Some("Shanghai".into()), ..NewBucket::default() };
    assert!(create_bucket(&client, &bad).await.unwrap_err().to_string().contains("region 'Shanghai'"));
}
