//! The geometry of resize, crop and rotate, as OSS computes it.

use image::imageops::FilterType;
use image::{DynamicImage, GenericImageView, Rgba, RgbaImage};

use super::actions::{Crop, Gravity, Resize, ResizeMode};
use crate::error::{OssError, OssResult};

/// The most pixels a resize may produce (4096 x 4096).
const MAX_TARGET_PIXELS: u64 = 4096 * 4096;

fn scaled(side: u32, scale: f64) -> u32 {
    ((f64::from(side) * scale).round() as u32).max(1)
}

/// The target width and height before any crop or pad, and the box for fill and pad.
fn plan(width: u32, height: u32, resize: &Resize) -> (u32, u32, Option<(u32, u32)>) {
    let (w, h) = (f64::from(width), f64::from(height));
    if let Some(percent) = resize.percent.filter(|_| resize.width.is_none() && resize.height.is_none()) {
        let scale = f64::from(percent) / 100.0;
        return (scaled(width, scale), scaled(height, scale), None);
    }
    let (box_w, box_h) = match (resize.width, resize.height) {
        (None, None) => {
            let scale = match (resize.longest, resize.shortest) {
                (Some(l), _) => f64::from(l) / w.max(h),
                (None, Some(s)) => f64::from(s) / w.min(h),
                (None, None) => 1.0,
            };
            return (scaled(width, scale), scaled(height, scale), None);
        }
        (Some(bw), None) => {
            let scale = f64::from(bw) / w;
            return (bw, scaled(height, scale), None);
        }
        (None, Some(bh)) => {
            let scale = f64::from(bh) / h;
            return (scaled(width, scale), bh, None);
        }
        (Some(bw), Some(bh)) => (bw, bh),
    };
    let fit = (f64::from(box_w) / w).min(f64::from(box_h) / h);
    let cover = (f64::from(box_w) / w).max(f64::from(box_h) / h);
    match resize.mode {
        ResizeMode::Lfit => (scaled(width, fit), scaled(height, fit), None),
        ResizeMode::Mfit => (scaled(width, cover), scaled(height, cover), None),
        ResizeMode::Fill => (scaled(width, cover), scaled(height, cover), Some((box_w, box_h))),
        ResizeMode::Pad => (scaled(width, fit), scaled(height, fit), Some((box_w, box_h))),
        ResizeMode::Fixed => (box_w, box_h, None),
    }
}

/// A reduction by half or more first averages boxes down to twice the target (fast), then filters:
/// a 20 MB photo becomes a 1024 px preview in a fraction of the time, looking the same.
fn scale(picture: &DynamicImage, width: u32, height: u32) -> DynamicImage {
    let (source_w, source_h) = picture.dimensions();
    let (twice_w, twice_h) = (width.saturating_mul(2), height.saturating_mul(2));
    if source_w > twice_w && source_h > twice_h {
        picture.thumbnail_exact(twice_w, twice_h).resize_exact(width, height, FilterType::Triangle)
    } else {
        picture.resize_exact(width, height, FilterType::Triangle)
    }
}

pub fn resize(picture: DynamicImage, resize: &Resize) -> OssResult<DynamicImage> {
    let (width, height) = picture.dimensions();
    let (target_w, target_h, frame) = plan(width, height, resize);
    let (out_w, out_h) = frame.unwrap_or((target_w, target_h));
    if resize.limit && (out_w > width || out_h > height || target_w > width || target_h > height) {
        return Ok(picture);
    }
    if u64::from(out_w) * u64::from(out_h) > MAX_TARGET_PIXELS {
        return Err(OssError::invalid_argument(format!(
            "resize would make a {out_w}x{out_h} image; the target may have at most 4096x4096 pixels."
        ))
        .with_ec("0040-00000007"));
    }
    let resized = scale(&picture, target_w, target_h);
    Ok(match (resize.mode, frame) {
        (ResizeMode::Fill, Some((bw, bh))) => {
            resized.crop_imm(target_w.saturating_sub(bw) / 2, target_h.saturating_sub(bh) / 2, bw, bh)
        }
        (ResizeMode::Pad, Some((bw, bh))) => {
            let [r, g, b] = resize.color;
            let mut canvas = RgbaImage::from_pixel(bw, bh, Rgba([r, g, b, 255]));
            let (x, y) = ((bw - target_w.min(bw)) / 2, (bh - target_h.min(bh)) / 2);
            image::imageops::overlay(&mut canvas, &resized.to_rgba8(), i64::from(x), i64::from(y));
            DynamicImage::ImageRgba8(canvas)
        }
        _ => resized,
    })
}

pub fn crop(picture: &DynamicImage, crop: &Crop) -> OssResult<DynamicImage> {
    let (width, height) = picture.dimensions();
    let want_w = crop.width.unwrap_or(width).min(width);
    let want_h = crop.height.unwrap_or(height).min(height);
    let (column, row) = match crop.gravity {
        Gravity::NorthWest => (0, 0),
        Gravity::North => (1, 0),
        Gravity::NorthEast => (2, 0),
        Gravity::West => (0, 1),
        Gravity::Center => (1, 1),
        Gravity::East => (2, 1),
        Gravity::SouthWest => (0, 2),
        Gravity::South => (1, 2),
        Gravity::SouthEast => (2, 2),
    };
    let origin = |size: u32, want: u32, place: u32| match place {
        0 => 0,
        1 => (size - want) / 2,
        _ => size - want,
    };
    // Offsets move away from the gravity's edge: right of a west origin, left of an east one.
    let shift = |start: u32, offset: u32, place: u32| match place {
        2 => u64::from(start.saturating_sub(offset)),
        _ => u64::from(start) + u64::from(offset),
    };
    let x = shift(origin(width, want_w, column), crop.x, column);
    let y = shift(origin(height, want_h, row), crop.y, row);
    if x >= u64::from(width) || y >= u64::from(height) {
        return Err(OssError::invalid_argument("Advance cut's position is out of image.").with_ec("0040-00000004"));
    }
    let (x, y) = (x as u32, y as u32);
    let w = if crop.width.is_some() { want_w.min(width - x) } else { width - x };
    let h = if crop.height.is_some() { want_h.min(height - y) } else { height - y };
    Ok(picture.crop_imm(x, y, w, h))
}

/// Turns clockwise; other angles than right ones widen the canvas, filled white.
pub fn rotate(picture: DynamicImage, degrees: u32) -> DynamicImage {
    match degrees % 360 {
        0 => picture,
        90 => picture.rotate90(),
        180 => picture.rotate180(),
        270 => picture.rotate270(),
        other => rotate_any(&picture, f64::from(other)),
    }
}

fn rotate_any(picture: &DynamicImage, degrees: f64) -> DynamicImage {
    let source = picture.to_rgba8();
    let (w, h) = (f64::from(source.width()), f64::from(source.height()));
    let (sin, cos) = degrees.to_radians().sin_cos();
    let out_w = (w * cos.abs() + h * sin.abs()).ceil().max(1.0) as u32;
    let out_h = (w * sin.abs() + h * cos.abs()).ceil().max(1.0) as u32;
    let (cx, cy) = (w / 2.0, h / 2.0);
    let (ox, oy) = (f64::from(out_w) / 2.0, f64::from(out_h) / 2.0);
    let out = RgbaImage::from_fn(out_w, out_h, |x, y| {
        let (dx, dy) = (f64::from(x) + 0.5 - ox, f64::from(y) + 0.5 - oy);
        let sx = dx * cos + dy * sin + cx;
        let sy = -dx * sin + dy * cos + cy;
        if sx >= 0.0 && sy >= 0.0 && sx < w && sy < h {
            *source.get_pixel(sx as u32, sy as u32)
        } else {
            Rgba([255, 255, 255, 255])
        }
    });
    DynamicImage::ImageRgba8(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resize_of(params: &str) -> Resize {
        match &super::super::parse_process(&format!("image/resize,{params}")).unwrap()[0] {
            super::super::Action::Resize(resize) => resize.clone(),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn modes_fit_cover_or_force_the_box() {
        assert_eq!(plan(400, 200, &resize_of("w_100,h_100")), (100, 50, None));
        assert_eq!(plan(400, 200, &resize_of("w_100,h_100,m_mfit")), (200, 100, None));
        assert_eq!(plan(400, 200, &resize_of("w_100,h_100,m_fill")), (200, 100, Some((100, 100))));
        assert_eq!(plan(400, 200, &resize_of("w_100,h_100,m_pad")), (100, 50, Some((100, 100))));
        assert_eq!(plan(400, 200, &resize_of("w_100,h_100,m_fixed")), (100, 100, None));
        assert_eq!(plan(400, 200, &resize_of("w_100")), (100, 50, None));
        assert_eq!(plan(400, 200, &resize_of("l_100")), (100, 50, None));
        assert_eq!(plan(400, 200, &resize_of("s_100")), (200, 100, None));
        assert_eq!(plan(400, 200, &resize_of("p_50")), (200, 100, None));
    }

    #[test]
    fn limit_keeps_small_images_and_huge_targets_are_refused() {
        let picture = DynamicImage::new_rgb8(40, 20);
        assert_eq!(resize(picture.clone(), &resize_of("w_100")).unwrap().dimensions(), (40, 20));
        assert_eq!(resize(picture.clone(), &resize_of("w_100,limit_0")).unwrap().dimensions(), (100, 50));
        assert_eq!(resize(picture.clone(), &resize_of("w_10,h_10,m_pad")).unwrap().dimensions(), (10, 10));
        assert_eq!(resize(picture.clone(), &resize_of("w_10,h_10,m_fill")).unwrap().dimensions(), (10, 10));
        let err = resize(picture, &resize_of("w_5000,h_5000,m_fixed,limit_0")).unwrap_err();
        assert_eq!((err.code, err.ec), ("InvalidArgument", "0040-00000007"));
    }

    #[test]
    fn crops_from_the_gravity_and_refuse_starts_outside() {
        let picture = DynamicImage::new_rgb8(100, 50);
        let crop_of = |params: &str| match &super::super::parse_process(&format!("image/crop,{params}")).unwrap()[0] {
            super::super::Action::Crop(crop) => crop.clone(),
            other => panic!("{other:?}"),
        };
        assert_eq!(crop(&picture, &crop_of("x_10,y_10,w_30,h_20")).unwrap().dimensions(), (30, 20));
        assert_eq!(crop(&picture, &crop_of("x_90,y_0")).unwrap().dimensions(), (10, 50));
        assert_eq!(crop(&picture, &crop_of("w_40,h_40,g_se,x_10")).unwrap().dimensions(), (40, 40));
        let east = crop(
            &DynamicImage::ImageRgb8(image::RgbImage::from_fn(100, 50, |x, _| image::Rgb([x as u8, 0, 0]))),
            &crop_of("w_10,h_10,g_east,x_5"),
        );
        assert_eq!(east.unwrap().to_rgb8().get_pixel(0, 0).0[0], 85);
        assert_eq!(crop(&picture, &crop_of("x_100")).unwrap_err().code, "InvalidArgument");
        assert_eq!(rotate(picture.clone(), 90).dimensions(), (50, 100));
        assert_eq!(rotate(picture, 45).dimensions(), (107, 107));
    }
}
