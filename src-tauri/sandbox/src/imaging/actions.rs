//! Reading `x-oss-process=image/ACTION,PARAM_VALUE,…/ACTION,…` into actions, with OSS's ranges
//! and its 400 InvalidArgument for a bad parameter.
//! <https://www.alibabacloud.com/help/en/oss/user-guide/resize-images-4>.

use crate::error::{OssError, OssResult};

/// The largest width, height, longest or shortest side a resize asks for.
const MAX_SIDE: u32 = 16_384;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResizeMode {
    Lfit,
    Mfit,
    Fill,
    Pad,
    Fixed,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resize {
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub longest: Option<u32>,
    pub shortest: Option<u32>,
    pub percent: Option<u32>,
    pub mode: ResizeMode,
    /// `limit_1` (the default): never enlarge.
    pub limit: bool,
    /// `color` for `m_pad`, RGB.
    pub color: [u8; 3],
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gravity {
    NorthWest,
    North,
    NorthEast,
    West,
    Center,
    East,
    SouthWest,
    South,
    SouthEast,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Crop {
    pub x: u32,
    pub y: u32,
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub gravity: Gravity,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Jpg,
    Png,
    Webp,
    Gif,
}

impl Format {
    /// As `image/format` and `image/info` name it.
    pub fn name(self) -> &'static str {
        match self {
            Format::Jpg => "jpg",
            Format::Png => "png",
            Format::Webp => "webp",
            Format::Gif => "gif",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Jpg => "image/jpeg",
            Format::Png => "image/png",
            Format::Webp => "image/webp",
            Format::Gif => "image/gif",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Resize(Resize),
    Crop(Crop),
    /// Degrees clockwise, 0 to 360.
    Rotate(u32),
    Format(Format),
    /// JPEG and WebP quality, 1 to 100.
    Quality(u8),
    /// Turn by the EXIF orientation (`auto-orient,1`).
    AutoOrient(bool),
    Info,
}

/// OSS image actions the sandbox does not perform; naming them beats a wrong picture.
const UNSUPPORTED_ACTIONS: &[&str] = &[
    "average-hue",
    "blur",
    "bright",
    "circle",
    "contrast",
    "indexcrop",
    "interlace",
    "rounded-corners",
    "sharpen",
    "watermark",
];

fn bad(message: impl Into<String>) -> OssError {
    OssError::invalid_argument(message).with_ec("0040-00000001")
}

/// Parses the whole `x-oss-process` value.
pub fn parse_process(value: &str) -> OssResult<Vec<Action>> {
    let mut segments = value.split('/');
    match segments.next().unwrap_or("") {
        "image" => {}
        "style" => return Err(OssError::not_implemented("image styles (x-oss-process=style/…)")),
        other => {
            return Err(bad(format!(
                "The x-oss-process value '{value}' is not supported: the sandbox processes image/… only, not '{other}'."
            )))
        }
    }
    let actions = segments.filter(|s| !s.is_empty()).map(parse_action).collect::<OssResult<Vec<_>>>()?;
    if actions.is_empty() {
        return Err(bad("x-oss-process=image/ names no action, e.g. image/resize,w_100."));
    }
    Ok(actions)
}

fn parse_action(text: &str) -> OssResult<Action> {
    let mut parts = text.split(',');
    let name = parts.next().unwrap_or("");
    let params: Vec<&str> = parts.filter(|p| !p.is_empty()).collect();
    match name {
        "resize" => parse_resize(&params).map(Action::Resize),
        "crop" => parse_crop(&params).map(Action::Crop),
        "rotate" => {
            let value = single(name, &params)?;
            number(name, "value", value, 0, 360).map(Action::Rotate)
        }
        "format" => parse_format(single(name, &params)?).map(Action::Format),
        "quality" => {
            let [param] = params.as_slice() else { return Err(bad("quality takes one parameter: q_N or Q_N.")) };
            let (key, value) = split_param(param)?;
            if key != "q" && key != "Q" {
                return Err(bad(format!("quality has no parameter '{key}': use q_N or Q_N (1-100).")));
            }
            Ok(Action::Quality(number("quality", key, value, 1, 100)? as u8))
        }
        "auto-orient" => Ok(Action::AutoOrient(number(name, "value", single(name, &params)?, 0, 1)? == 1)),
        "info" if params.is_empty() => Ok(Action::Info),
        "info" => Err(bad("info takes no parameters.")),
        other if UNSUPPORTED_ACTIONS.contains(&other) => {
            Err(OssError::not_implemented(&format!("the image action '{other}'")))
        }
        other => Err(bad(format!("The image action '{other}' does not exist."))),
    }
}

fn single<'a>(action: &str, params: &[&'a str]) -> OssResult<&'a str> {
    match params {
        [value] => Ok(value),
        _ => Err(bad(format!("{action} takes exactly one value, e.g. {action},90."))),
    }
}

fn split_param(param: &str) -> OssResult<(&str, &str)> {
    param.split_once('_').ok_or_else(|| bad(format!("The parameter '{param}' is not NAME_VALUE.")))
}

fn number(action: &str, name: &str, value: &str, min: u32, max: u32) -> OssResult<u32> {
    match value.parse::<u32>() {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        _ => Err(bad(format!("{action}: {name} must be an integer from {min} to {max}, not '{value}'."))),
    }
}

fn parse_resize(params: &[&str]) -> OssResult<Resize> {
    let mut resize = Resize {
        width: None,
        height: None,
        longest: None,
        shortest: None,
        percent: None,
        mode: ResizeMode::Lfit,
        limit: true,
        color: [255, 255, 255],
    };
    for param in params {
        let (key, value) = split_param(param)?;
        match key {
            "w" => resize.width = Some(number("resize", key, value, 1, MAX_SIDE)?),
            "h" => resize.height = Some(number("resize", key, value, 1, MAX_SIDE)?),
            "l" => resize.longest = Some(number("resize", key, value, 1, MAX_SIDE)?),
            "s" => resize.shortest = Some(number("resize", key, value, 1, MAX_SIDE)?),
            "p" => resize.percent = Some(number("resize", key, value, 1, 1000)?),
            "limit" => resize.limit = number("resize", key, value, 0, 1)? == 1,
            "m" => {
                resize.mode = match value {
                    "lfit" => ResizeMode::Lfit,
                    "mfit" => ResizeMode::Mfit,
                    "fill" => ResizeMode::Fill,
                    "pad" => ResizeMode::Pad,
                    "fixed" => ResizeMode::Fixed,
                    other => {
                        return Err(bad(format!("resize: m must be lfit, mfit, fill, pad or fixed, not '{other}'.")))
                    }
                }
            }
            "color" => resize.color = parse_color(value)?,
            other => return Err(bad(format!("resize has no parameter '{other}'."))),
        }
    }
    let sized = [resize.width, resize.height, resize.longest, resize.shortest, resize.percent];
    if sized.iter().all(Option::is_none) {
        return Err(bad("resize needs w, h, l, s or p."));
    }
    Ok(resize)
}

fn parse_color(value: &str) -> OssResult<[u8; 3]> {
    let invalid = || bad(format!("resize: color must be six hex digits RRGGBB, not '{value}'."));
    if value.len() != 6 {
        return Err(invalid());
    }
    let bytes = hex::decode(value).map_err(|_| invalid())?;
    Ok([bytes[0], bytes[1], bytes[2]])
}

fn parse_crop(params: &[&str]) -> OssResult<Crop> {
    let mut crop = Crop { x: 0, y: 0, width: None, height: None, gravity: Gravity::NorthWest };
    for param in params {
        let (key, value) = split_param(param)?;
        match key {
            "x" => crop.x = number("crop", key, value, 0, u32::MAX)?,
            "y" => crop.y = number("crop", key, value, 0, u32::MAX)?,
            "w" => crop.width = Some(number("crop", key, value, 1, u32::MAX)?),
            "h" => crop.height = Some(number("crop", key, value, 1, u32::MAX)?),
            "g" => {
                crop.gravity = match value {
                    "nw" => Gravity::NorthWest,
                    "north" => Gravity::North,
                    "ne" => Gravity::NorthEast,
                    "west" => Gravity::West,
                    "center" => Gravity::Center,
                    "east" => Gravity::East,
                    "sw" => Gravity::SouthWest,
                    "south" => Gravity::South,
                    "se" => Gravity::SouthEast,
                    other => {
                        return Err(bad(format!(
                            "crop: g must be nw, north, ne, west, center, east, sw, south or se, not '{other}'."
                        )))
                    }
                }
            }
            other => return Err(bad(format!("crop has no parameter '{other}'."))),
        }
    }
    Ok(crop)
}

fn parse_format(value: &str) -> OssResult<Format> {
    match value {
        "jpg" | "jpeg" => Ok(Format::Jpg),
        "png" => Ok(Format::Png),
        "webp" => Ok(Format::Webp),
        "gif" => Ok(Format::Gif),
        "bmp" | "tiff" | "heic" | "avif" => Err(OssError::not_implemented(&format!("conversion to {value}"))),
        other => Err(bad(format!("format must be jpg, png, webp or gif, not '{other}'."))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chains_parse_in_order_with_defaults() {
        let actions =
            parse_process("image/resize,w_100,h_50,m_pad,color_FF0000/rotate,90/format,png/quality,Q_80/info").unwrap();
        let Action::Resize(resize) = &actions[0] else { panic!("{actions:?}") };
        assert_eq!(
            (resize.width, resize.height, resize.mode, resize.color),
            (Some(100), Some(50), ResizeMode::Pad, [255, 0, 0])
        );
        assert!(resize.limit);
        assert_eq!(actions[1..], [Action::Rotate(90), Action::Format(Format::Png), Action::Quality(80), Action::Info]);
        let crop = parse_process("image/crop,x_10,y_20,w_30,g_se").unwrap();
        assert_eq!(
            crop,
            [Action::Crop(Crop { x: 10, y: 20, width: Some(30), height: None, gravity: Gravity::SouthEast })]
        );
    }

    #[test]
    fn bad_parameters_are_invalid_arguments_and_unsupported_actions_are_named() {
        for bad in [
            "image/resize,w_0",
            "image/resize,w_16385",
            "image/resize,m_stretch,w_10",
            "image/resize",
            "image/resize,color_12,w_1,m_pad",
            "image/rotate,361",
            "image/format,txt",
            "image/quality,q_0",
            "image/crop,g_middle",
            "image/nosuch",
            "image/",
            "video/snapshot,t_0",
        ] {
            assert_eq!(parse_process(bad).unwrap_err().code, "InvalidArgument", "{bad}");
        }
        assert_eq!(parse_process("image/watermark,text_aGk").unwrap_err().code, "NotImplemented");
        assert_eq!(parse_process("style/thumb").unwrap_err().code, "NotImplemented");
    }
}
