//! The request's query string, decoded once: V4 canonicalises from these decoded values, and the
//! operations look their parameters up here.

use osslite_core::sign::encode::percent_decode;

use crate::error::{OssError, OssResult};

#[derive(Debug, Clone, Default)]
pub struct Query {
    /// Decoded (name, value) pairs in URL order; a bare `name` has an empty value.
    pairs: Vec<(String, String)>,
}

impl Query {
    /// Splits on `&` and the first `=`, and percent-decodes each side (`+` stays `+`).
    pub fn parse(raw: Option<&str>) -> OssResult<Self> {
        let mut pairs = Vec::new();
        for part in raw.unwrap_or("").split('&').filter(|part| !part.is_empty()) {
            let (name, value) = part.split_once('=').unwrap_or((part, ""));
            let decode = |text: &str| {
                percent_decode(text).map_err(|err| {
                    OssError::invalid_argument(format!("The query parameter '{part}' is not valid: {err}."))
                })
            };
            pairs.push((decode(name)?, decode(value)?));
        }
        Ok(Self { pairs })
    }

    pub fn pairs(&self) -> &[(String, String)] {
        &self.pairs
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.pairs.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    pub fn has(&self, name: &str) -> bool {
        self.pairs.iter().any(|(n, _)| n == name)
    }

    /// A parameter that is present but empty counts as absent, as OSS treats `prefix=`.
    pub fn non_empty(&self, name: &str) -> Option<&str> {
        self.get(name).filter(|v| !v.is_empty())
    }

    /// An integer parameter within `range`, `default` when absent or empty.
    pub fn number(&self, name: &str, default: u64, range: std::ops::RangeInclusive<u64>) -> OssResult<u64> {
        let Some(text) = self.non_empty(name) else { return Ok(default) };
        match text.parse::<u64>() {
            Ok(value) if range.contains(&value) => Ok(value),
            _ => Err(OssError::invalid_argument(format!(
                "Argument {name} must be an integer between {} and {}.",
                range.start(),
                range.end()
            ))
            .with_detail("ArgumentName", name)
            .with_detail("ArgumentValue", text)),
        }
    }

    /// `encoding-type`: only `url` is accepted.
    pub fn url_encoding(&self) -> OssResult<bool> {
        match self.non_empty("encoding-type") {
            None => Ok(false),
            Some(value) if value.eq_ignore_ascii_case("url") => Ok(true),
            Some(value) => Err(OssError::invalid_argument("The Encoding-Type you specified is invalid.")
                .with_detail("ArgumentName", "encoding-type")
                .with_detail("ArgumentValue", value)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_names_and_values_and_keeps_plus() {
        let query = Query::parse(Some("uploads&prefix=a%20b%2Fc&x=1+2&&max-keys=")).unwrap();
        assert_eq!(
            query.pairs(),
            &[
                ("uploads".into(), "".into()),
                ("prefix".into(), "a b/c".into()),
                ("x".into(), "1+2".into()),
                ("max-keys".into(), "".into())
            ]
        );
        assert!(query.has("uploads"));
        assert_eq!(query.non_empty("max-keys"), None);
        assert_eq!(query.number("max-keys", 100, 0..=1000).unwrap(), 100);
    }

    #[test]
    fn bad_escapes_and_numbers_are_invalid_arguments() {
        assert_eq!(Query::parse(Some("a=%zz")).unwrap_err().code, "InvalidArgument");
        let query = Query::parse(Some("max-keys=1001&n=x")).unwrap();
        assert_eq!(query.number("max-keys", 100, 0..=1000).unwrap_err().code, "InvalidArgument");
        assert_eq!(query.number("n", 1, 0..=5).unwrap_err().code, "InvalidArgument");
    }
}
