//! Image processing on GET (`x-oss-process=image/…`), OSS's basic set: resize, crop, rotate,
//! format, quality, auto-orient and info, chained with `/`, on PNG, JPEG, GIF and WebP (a GIF's
//! first frame). Sources beyond OSS's limits are refused before they are decoded.
//! <https://www.alibabacloud.com/help/en/oss/user-guide/img-parameters>.

mod actions;
mod transform;

use std::io::Cursor;

use image::codecs::jpeg::JpegEncoder;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader};

use crate::error::{OssError, OssResult};
pub use actions::{parse_process, Action, Format};

/// The largest source image OSS processes.
pub const MAX_SOURCE_BYTES: u64 = 20 << 20;
/// The largest width or height of a source image.
const MAX_SOURCE_SIDE: u32 = 30_000;
/// The most pixels of a source image.
const MAX_SOURCE_PIXELS: u64 = 250_000_000;
/// JPEG and WebP quality when none is asked for.
const DEFAULT_QUALITY: u8 = 90;

/// A processed image, ready to send.
pub struct Processed {
    pub body: Vec<u8>,
    pub content_type: &'static str,
}

fn too_large(message: String, ec: &'static str) -> OssError {
    OssError::invalid_argument(message).with_ec(ec)
}

/// Refuses a source larger than OSS processes, before reading it.
pub fn check_source_size(size: u64) -> OssResult<()> {
    if size > MAX_SOURCE_BYTES {
        return Err(too_large(
            format!("The source image is {size} bytes; image processing takes images of up to 20 MB."),
            "0040-00000012",
        ));
    }
    Ok(())
}

fn source_format(bytes: &[u8]) -> OssResult<Format> {
    let unsupported = || {
        OssError::new(
            hyper::StatusCode::BAD_REQUEST,
            "BadRequest",
            "The object is not an image the sandbox processes (PNG, JPEG, GIF or WebP).",
        )
        .with_ec("0040-00000002")
    };
    match image::guess_format(bytes).map_err(|_| unsupported())? {
        ImageFormat::Png => Ok(Format::Png),
        ImageFormat::Jpeg => Ok(Format::Jpg),
        ImageFormat::Gif => Ok(Format::Gif),
        ImageFormat::WebP => Ok(Format::Webp),
        _ => Err(unsupported()),
    }
}

fn image_format(format: Format) -> ImageFormat {
    match format {
        Format::Jpg => ImageFormat::Jpeg,
        Format::Png => ImageFormat::Png,
        Format::Webp => ImageFormat::WebP,
        Format::Gif => ImageFormat::Gif,
    }
}

/// Decodes the source after checking its dimensions, with its EXIF orientation.
fn decode(bytes: &[u8], format: Format) -> OssResult<(DynamicImage, image::metadata::Orientation)> {
    let broken = |err: image::ImageError| {
        OssError::new(
            hyper::StatusCode::BAD_REQUEST,
            "BadRequest",
            format!("The source image cannot be decoded: {err}."),
        )
        .with_ec("0040-00000002")
    };
    let reader = ImageReader::with_format(Cursor::new(bytes), image_format(format));
    let mut decoder = reader.into_decoder().map_err(broken)?;
    let (width, height) = decoder.dimensions();
    if width > MAX_SOURCE_SIDE || height > MAX_SOURCE_SIDE {
        return Err(too_large(
            format!("The source image is {width}x{height}; image processing takes sides of up to 30000 pixels."),
            "0040-00000019",
        ));
    }
    if u64::from(width) * u64::from(height) > MAX_SOURCE_PIXELS {
        return Err(too_large(
            format!(
                "The source image has {} pixels; image processing takes up to 250000000.",
                u64::from(width) * u64::from(height)
            ),
            "0040-00000012",
        ));
    }
    let orientation = decoder.orientation().unwrap_or(image::metadata::Orientation::NoTransforms);
    let image = DynamicImage::from_decoder(decoder).map_err(broken)?;
    Ok((image, orientation))
}

/// Runs `actions` on the image in `bytes`.
pub fn process(bytes: &[u8], actions: &[Action]) -> OssResult<Processed> {
    let source = source_format(bytes)?;
    let (mut picture, orientation) = decode(bytes, source)?;
    let mut format = source;
    let mut quality = DEFAULT_QUALITY;
    let mut changed = false;
    for action in actions {
        match action {
            Action::Resize(resize) => {
                picture = transform::resize(picture, resize)?;
                changed = true;
            }
            Action::Crop(crop) => {
                picture = transform::crop(&picture, crop)?;
                changed = true;
            }
            Action::Rotate(degrees) => {
                picture = transform::rotate(picture, *degrees);
                changed = true;
            }
            Action::AutoOrient(true) => {
                picture.apply_orientation(orientation);
                changed = true;
            }
            Action::AutoOrient(false) => {}
            Action::Format(target) => {
                changed |= *target != format;
                format = *target;
            }
            Action::Quality(q) => {
                quality = *q;
                changed = true;
            }
            Action::Info => {
                let body = if changed { encode(&picture, format, quality)? } else { bytes.to_vec() };
                return Ok(Processed { body: info(&picture, format, body.len()), content_type: "application/json" });
            }
        }
    }
    let body = if changed { encode(&picture, format, quality)? } else { bytes.to_vec() };
    Ok(Processed { body, content_type: format.content_type() })
}

fn encode(picture: &DynamicImage, format: Format, quality: u8) -> OssResult<Vec<u8>> {
    let mut out = Cursor::new(Vec::new());
    let failed =
        |err: image::ImageError| OssError::internal(format!("encoding the image as {} failed: {err}", format.name()));
    match format {
        Format::Jpg => {
            let encoder = JpegEncoder::new_with_quality(&mut out, quality);
            DynamicImage::ImageRgb8(picture.to_rgb8()).write_with_encoder(encoder).map_err(failed)?;
        }
        Format::Png => picture.write_to(&mut out, ImageFormat::Png).map_err(failed)?,
        Format::Webp | Format::Gif => {
            DynamicImage::ImageRgba8(picture.to_rgba8()).write_to(&mut out, image_format(format)).map_err(failed)?;
        }
    }
    Ok(out.into_inner())
}

/// `image/info` as OSS answers it: each field an object with a string `value`.
fn info(picture: &DynamicImage, format: Format, file_size: usize) -> Vec<u8> {
    let field = |value: String| serde_json::json!({ "value": value });
    let document = serde_json::json!({
        "FileSize": field(file_size.to_string()),
        "Format": field(format.name().to_owned()),
        "ImageHeight": field(picture.height().to_string()),
        "ImageWidth": field(picture.width().to_string()),
        "ResolutionUnit": field("1".to_owned()),
        "XResolution": field("1/1".to_owned()),
        "YResolution": field("1/1".to_owned()),
    });
    serde_json::to_vec(&document).unwrap_or_default()
}
