//! Image processing on GET (`x-oss-process=image/…`): resize modes, crop, rotate, format,
//! quality and info on PNG, JPEG, GIF and WebP sources, chained; OSS's errors for bad parameters,
//! for what is not an image and for sources beyond OSS's limits; presigned URLs carry it too.

mod common;

use std::io::Cursor;

use chrono::Utc;
use common::*;
use image::{DynamicImage, GenericImageView, ImageFormat, Rgb, RgbImage};
use osslite_core::Method;

fn picture(width: u32, height: u32) -> DynamicImage {
    DynamicImage::ImageRgb8(RgbImage::from_fn(width, height, |x, y| Rgb([(x % 256) as u8, (y % 256) as u8, 128])))
}

fn encoded(picture: &DynamicImage, format: ImageFormat) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    let picture = if format == ImageFormat::Jpeg {
        DynamicImage::ImageRgb8(picture.to_rgb8())
    } else {
        DynamicImage::ImageRgba8(picture.to_rgba8())
    };
    picture.write_to(&mut out, format).unwrap();
    out.into_inner()
}

async fn processed(server: &TestServer, key: &str, process: &str) -> Reply {
    server.send(server.object(Method::Get, key).with_query("x-oss-process", process), Vec::new()).await
}

fn decoded(reply: &Reply) -> (ImageFormat, (u32, u32)) {
    reply.assert_ok();
    let format = image::guess_format(&reply.body).unwrap();
    (format, image::load_from_memory(&reply.body).unwrap().dimensions())
}

#[tokio::test]
async fn resizes_every_source_format_in_each_mode() {
    let server = start().await;
    for (key, format) in [
        ("a.png", ImageFormat::Png),
        ("a.jpg", ImageFormat::Jpeg),
        ("a.gif", ImageFormat::Gif),
        ("a.webp", ImageFormat::WebP),
    ] {
        server.put(key, encoded(&picture(400, 200), format)).await;
        let reply = processed(&server, key, "image/resize,w_100").await;
        assert_eq!(decoded(&reply), (format, (100, 50)), "{key}");
        assert_eq!(reply.header("content-type").unwrap(), format.to_mime_type());
    }
    for (process, size) in [
        ("image/resize,w_100,h_100", (100, 50)),
        ("image/resize,w_100,h_100,m_mfit", (200, 100)),
        ("image/resize,w_100,h_100,m_fill", (100, 100)),
        ("image/resize,w_100,h_100,m_pad,color_FF0000", (100, 100)),
        ("image/resize,w_100,h_100,m_fixed", (100, 100)),
        ("image/resize,l_200", (200, 100)),
        ("image/resize,s_50", (100, 50)),
        ("image/resize,p_10", (40, 20)),
        ("image/resize,w_800", (400, 200)),
        ("image/resize,w_800,limit_0", (800, 400)),
    ] {
        assert_eq!(decoded(&processed(&server, "a.png", process).await).1, size, "{process}");
    }
    let padded = processed(&server, "a.png", "image/resize,w_100,h_100,m_pad,color_FF0000").await;
    let corner = image::load_from_memory(&padded.body).unwrap().to_rgb8().get_pixel(0, 0).0;
    assert_eq!(corner, [255, 0, 0]);
}

#[tokio::test]
async fn chains_crop_rotate_format_quality_and_info() {
    let server = start().await;
    let source = encoded(&picture(400, 200), ImageFormat::Png);
    server.put("photo.png", source.clone()).await;
    let chained = processed(&server, "photo.png", "image/crop,x_10,y_10,w_200,h_100/rotate,90/format,jpg").await;
    assert_eq!(decoded(&chained), (ImageFormat::Jpeg, (100, 200)));
    let gravity = processed(&server, "photo.png", "image/crop,w_50,h_40,g_se").await;
    assert_eq!(decoded(&gravity).1, (50, 40));
    assert_eq!(decoded(&processed(&server, "photo.png", "image/format,webp").await).0, ImageFormat::WebP);
    assert_eq!(decoded(&processed(&server, "photo.png", "image/format,gif").await).0, ImageFormat::Gif);

    let low = processed(&server, "photo.png", "image/format,jpg/quality,Q_10").await;
    let high = processed(&server, "photo.png", "image/format,jpg/quality,q_95").await;
    assert!(low.body.len() < high.body.len(), "{} vs {}", low.body.len(), high.body.len());

    let info = processed(&server, "photo.png", "image/info").await;
    info.assert_ok();
    assert_eq!(info.header("content-type"), Some("application/json"));
    let json: serde_json::Value = serde_json::from_slice(&info.body).unwrap();
    assert_eq!(json["FileSize"]["value"], source.len().to_string());
    assert_eq!(json["Format"]["value"], "png");
    assert_eq!(
        (json["ImageWidth"]["value"].as_str(), json["ImageHeight"]["value"].as_str()),
        (Some("400"), Some("200"))
    );
    let resized_info = processed(&server, "photo.png", "image/resize,w_40/info").await;
    let json: serde_json::Value = serde_json::from_slice(&resized_info.body).unwrap();
    assert_eq!(json["ImageWidth"]["value"], "40");
}

#[tokio::test]
async fn bad_parameters_and_sources_answer_as_oss_does() {
    let server = start().await;
    server.put("p.png", encoded(&picture(40, 20), ImageFormat::Png)).await;
    for bad in [
        "image/resize,w_0",
        "image/resize,m_huge,w_10",
        "image/rotate,400",
        "image/format,txt",
        "image/crop,x_40",
        "image/nosuch",
    ] {
        processed(&server, "p.png", bad).await.assert_error(400, "InvalidArgument");
    }
    processed(&server, "p.png", "image/watermark,text_aGk").await.assert_error(501, "NotImplemented");
    server.put("text.txt", "not an image").await;
    processed(&server, "text.txt", "image/resize,w_10").await.assert_error(400, "BadRequest");
    processed(&server, "absent.png", "image/resize,w_10").await.assert_error(404, "NoSuchKey");

    server.put("wide.png", encoded(&picture(30_001, 1), ImageFormat::Png)).await;
    let wide = processed(&server, "wide.png", "image/info").await;
    wide.assert_error(400, "InvalidArgument");
    assert_eq!(wide.header("x-oss-ec"), Some("0040-00000019"));
    server.put("big.png", vec![0u8; (20 << 20) + 1]).await;
    processed(&server, "big.png", "image/info").await.assert_error(400, "InvalidArgument");

    let put = server.object(Method::Put, "p.png").with_query("x-oss-process", "image/resize,w_10");
    server.send(put, Vec::new()).await.assert_error(501, "NotImplemented");
}

#[tokio::test]
async fn presigned_urls_carry_the_process() {
    let server = start().await;
    server.put("thumb.jpg", encoded(&picture(300, 300), ImageFormat::Jpeg)).await;
    let request = server.object(Method::Get, "thumb.jpg").with_query("x-oss-process", "image/resize,w_100");
    let url = server.presign(&request, Utc::now(), 600).await;
    let reply = server.send_url(Method::Get, &url, &[], Vec::new()).await;
    assert_eq!(decoded(&reply), (ImageFormat::Jpeg, (100, 100)));
}
