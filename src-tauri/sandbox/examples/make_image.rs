//! Writes a test picture with the image library the sandbox processes pictures with:
//! `make_image OUT WIDTH HEIGHT [BYTES]`. The format follows OUT's extension (png, jpg, gif, webp).
//! The pixels are noise, so a JPEG at quality 100 is big; with BYTES, a JPEG is padded to exactly
//! that size with comment segments (for the 20 MB preview benchmark).

use std::io::Cursor;

use image::codecs::jpeg::JpegEncoder;
use image::{ImageFormat, RgbImage};
use rand::{Rng, SeedableRng};

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = || "usage: make_image OUT WIDTH HEIGHT [BYTES]".to_owned();
    let out = args.first().ok_or_else(usage)?;
    let width: u32 = args.get(1).and_then(|w| w.parse().ok()).ok_or_else(usage)?;
    let height: u32 = args.get(2).and_then(|h| h.parse().ok()).ok_or_else(usage)?;
    let padded_to: Option<usize> = args.get(3).map(|b| b.parse().map_err(|_| usage())).transpose()?;

    let mut rng = rand::rngs::SmallRng::seed_from_u64(7);
    let picture = RgbImage::from_fn(width, height, |x, y| {
        let base = [(x * 255 / width.max(1)) as u8, (y * 255 / height.max(1)) as u8, 128];
        image::Rgb(base.map(|c| c.wrapping_add(rng.random_range(0..64))))
    });
    let format = ImageFormat::from_path(out).map_err(|err| format!("{out}: {err}"))?;
    let mut bytes = Vec::new();
    if format == ImageFormat::Jpeg {
        JpegEncoder::new_with_quality(&mut bytes, 100).encode_image(&picture).map_err(|err| err.to_string())?;
    } else {
        picture.write_to(&mut Cursor::new(&mut bytes), format).map_err(|err| err.to_string())?;
    }
    if let Some(target) = padded_to {
        bytes = pad_jpeg(bytes, target)?;
    }
    std::fs::write(out, &bytes).map_err(|err| format!("{out}: {err}"))?;
    println!("{out}: {width}x{height}, {} bytes", bytes.len());
    Ok(())
}

/// Inserts COM segments after SOI until the JPEG is `target` bytes long.
fn pad_jpeg(jpeg: Vec<u8>, target: usize) -> Result<Vec<u8>, String> {
    if !jpeg.starts_with(&[0xFF, 0xD8]) {
        return Err("only a JPEG can be padded".into());
    }
    let mut missing = target.checked_sub(jpeg.len()).ok_or(format!("the JPEG is already {} bytes", jpeg.len()))?;
    if (1..4).contains(&missing) {
        return Err(format!("{missing} bytes are too few for a comment segment: ask for a few more"));
    }
    let mut padded = Vec::with_capacity(target);
    padded.extend_from_slice(&jpeg[..2]);
    while missing > 0 {
        // A segment is 4 bytes of header and up to 65,533 of comment; never leave less than 4.
        let mut payload = missing.saturating_sub(4).min(65_533);
        if missing - (payload + 4) < 4 && missing - (payload + 4) > 0 {
            payload -= 4;
        }
        padded.extend_from_slice(&[0xFF, 0xFE]);
        padded.extend_from_slice(&((payload + 2) as u16).to_be_bytes());
        padded.resize(padded.len() + payload, b' ');
        missing -= payload + 4;
    }
    padded.extend_from_slice(&jpeg[2..]);
    Ok(padded)
}
