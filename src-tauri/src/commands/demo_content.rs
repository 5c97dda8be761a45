//! The sample objects the "Local sandbox" profile starts with: images, text, nested folders.

use osslite_core::client::Body;
use osslite_core::ops::{ListObjectsV2Params, PutObjectOptions};
use osslite_core::profiles::Session;
use osslite_core::Result;

const SAMPLES: &[(&str, &[u8])] = &[
    (
        "README.txt",
        b"Welcome to OSS Lite's local sandbox.\n\nEverything here lives on this computer: browse the folders, \
open the share dialog on any file, and try presigned download and upload links without an Alibaba Cloud account.\n",
    ),
    ("images/logo-32.png", include_bytes!("../../../icons/32x32.png")),
    ("images/logo-128.png", include_bytes!("../../../icons/128x128.png")),
    ("images/logo-256.png", include_bytes!("../../../icons/128x128@2x.png")),
    ("images/icon-source.svg", include_bytes!("../../../icons/source.svg")),
    ("images/photos/sunset.jpg", include_bytes!("../../demo-samples/sunset.jpg")),
    ("images/photos/sample-card.png", include_bytes!("../../demo-samples/sample-card.png")),
    ("docs/getting-started.md", b"# Getting started\n\n1. Pick a file.\n2. Share it with a link that expires.\n"),
    ("docs/reports/2026/q1 summary.txt", b"Quarter 1: presigned links shared on time.\n"),
    ("docs/reports/2026/q2 summary.txt", b"Quarter 2: URL lists exported as CSV.\n"),
    (
        "docs/reports/2026/\u{5e74}\u{5ea6}\u{62a5}\u{544a}.txt",
        "\u{5e74}\u{5ea6}\u{62a5}\u{544a}\u{ff1a}\u{4e00}\u{5207}\u{987a}\u{5229}\u{3002}\n".as_bytes(),
    ),
    ("data/measurements.csv", b"day,value\n1,3.14\n2,2.72\n3,1.41\n"),
    ("data/config.json", b"{\n  \"sample\": true,\n  \"items\": [1, 2, 3]\n}\n"),
];

/// Puts the samples into `bucket` when it holds no objects yet.
pub async fn seed_if_empty(session: &Session, bucket: &str) -> Result<()> {
    let first = session.client.list_objects_v2(&ListObjectsV2Params::new(bucket).with_max_keys(1)).await?;
    if !first.contents.is_empty() {
        return Ok(());
    }
    for (key, bytes) in SAMPLES {
        session.client.put_object(bucket, key, Body::from_bytes(bytes.to_vec()), &PutObjectOptions::default()).await?;
    }
    Ok(())
}
