//! An OSS request before it is signed: what the signer canonicalises and the client sends.

use std::fmt;
use std::str::FromStr;

use crate::error::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "UPPERCASE")]
pub enum Method {
    Get,
    Put,
    Head,
    Post,
    Delete,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Head => "HEAD",
            Method::Post => "POST",
            Method::Delete => "DELETE",
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Method {
    type Err = Error;

    fn from_str(text: &str) -> Result<Self> {
        match text.to_ascii_uppercase().as_str() {
            "GET" => Ok(Method::Get),
            "PUT" => Ok(Method::Put),
            "HEAD" => Ok(Method::Head),
            "POST" => Ok(Method::Post),
            "DELETE" => Ok(Method::Delete),
            _ => Err(Error::invalid_input(format!("unknown HTTP method '{text}': use GET, PUT, HEAD, POST or DELETE"))),
        }
    }
}

/// A request to OSS in its logical form: bucket and key unencoded, query values decoded,
/// headers exactly as they will be sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OssRequest {
    pub method: Method,
    pub bucket: Option<String>,
    pub key: Option<String>,
    /// Query parameters in the order they appear in the URL; an empty value is a bare `key`.
    pub query: Vec<(String, String)>,
    pub headers: Vec<(String, String)>,
    /// Headers outside the default set (`x-oss-*`, Content-Type, Content-MD5) that are signed too.
    pub additional_headers: Vec<String>,
}

impl OssRequest {
    pub fn new(method: Method, bucket: Option<&str>, key: Option<&str>) -> Self {
        Self {
            method,
            bucket: bucket.map(str::to_owned),
            key: key.map(str::to_owned),
            query: Vec::new(),
            headers: Vec::new(),
            additional_headers: Vec::new(),
        }
    }

    pub fn object(method: Method, bucket: &str, key: &str) -> Self {
        Self::new(method, Some(bucket), Some(key))
    }

    pub fn with_query(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.query.push((name.into(), value.into()));
        self
    }

    pub fn with_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.set_header(name, value);
        self
    }

    /// The value of a header, matched case-insensitively.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    /// Sets a header, replacing any value under the same name in any letter case.
    pub fn set_header(&mut self, name: impl Into<String>, value: impl Into<String>) {
        let name = name.into();
        let value = value.into();
        match self.headers.iter_mut().find(|(n, _)| n.eq_ignore_ascii_case(&name)) {
            Some(slot) => slot.1 = value,
            None => self.headers.push((name, value)),
        }
    }
}
