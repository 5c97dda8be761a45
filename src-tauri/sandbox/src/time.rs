//! The time formats OSS speaks: RFC 1123 in headers, ISO 8601 with milliseconds in XML,
//! `YYYYMMDDTHHMMSSZ` in signatures. Times are stored as Unix seconds.

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};

pub fn now_secs() -> i64 {
    Utc::now().timestamp()
}

pub fn now_millis() -> i64 {
    Utc::now().timestamp_millis()
}

fn from_secs(secs: i64) -> DateTime<Utc> {
    Utc.timestamp_opt(secs, 0).single().unwrap_or_default()
}

/// `Tue, 17 Nov 2015 17:27:45 GMT`.
pub fn http_date(secs: i64) -> String {
    from_secs(secs).format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

/// `2015-11-17T17:27:45.000Z`.
pub fn iso8601(secs: i64) -> String {
    from_secs(secs).format("%Y-%m-%dT%H:%M:%S.000Z").to_string()
}

/// Parses an RFC 1123 date as in `If-Modified-Since`.
pub fn parse_http_date(text: &str) -> Option<i64> {
    DateTime::parse_from_rfc2822(text.trim()).ok().map(|t| t.timestamp())
}

/// Parses the V4 timestamp `YYYYMMDDTHHMMSSZ`.
pub fn parse_v4_timestamp(text: &str) -> Option<i64> {
    if text.len() != 16 || !text.ends_with('Z') {
        return None;
    }
    NaiveDateTime::parse_from_str(text, "%Y%m%dT%H%M%SZ").ok().map(|t| t.and_utc().timestamp())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_parses_the_oss_shapes() {
        assert_eq!(http_date(1_447_781_265), "Tue, 17 Nov 2015 17:27:45 GMT");
        assert_eq!(iso8601(1_447_781_265), "2015-11-17T17:27:45.000Z");
        assert_eq!(parse_http_date("Tue, 17 Nov 2015 17:27:45 GMT"), Some(1_447_781_265));
        assert_eq!(parse_v4_timestamp("20151117T172745Z"), Some(1_447_781_265));
        for bad in ["", "20151117T172745", "2015-11-17T17:27:45Z", "20151317T172745Z", "２0151117T172745Z"] {
            assert_eq!(parse_v4_timestamp(bad), None, "{bad}");
        }
    }
}
