//! What a search keeps: name globs or substring, size range, modified range, storage class;
//! and the parsers of its CLI forms (`10MiB`, `7d`, RFC 3339).

use chrono::{DateTime, Duration, NaiveDate, Utc};
use globset::{GlobBuilder, GlobSet, GlobSetBuilder};

use crate::error::{Error, Result};
use crate::xml::ObjectSummary;

/// The criteria of a search, as the app and the CLI give them. Every set criterion must hold.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase", default)]
pub struct SearchCriteria {
    /// Globs on the object's name (the part after the last `/`), case-insensitive; any one matches.
    /// A glob holding `/` matches the key below the searched prefix instead.
    pub names: Vec<String>,
    /// Case-insensitive substring of the object's name.
    pub contains: Option<String>,
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub min_size: Option<u64>,
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub max_size: Option<u64>,
    /// Modified at or after this instant.
    pub newer: Option<DateTime<Utc>>,
    /// Modified before this instant.
    pub older: Option<DateTime<Utc>>,
    /// `Standard`, `IA`, `Archive`, … (any letter case).
    pub storage_class: Option<String>,
}

/// [`SearchCriteria`] compiled for matching many keys fast.
#[derive(Debug, Clone)]
pub struct Matcher {
    names: Option<GlobSet>,
    paths: Option<GlobSet>,
    contains: Option<String>,
    criteria: SearchCriteria,
}

impl Matcher {
    pub fn new(criteria: &SearchCriteria) -> Result<Self> {
        if let (Some(min), Some(max)) = (criteria.min_size, criteria.max_size) {
            if min > max {
                return Err(Error::invalid_input(format!("the minimum size {min} is above the maximum {max}")));
            }
        }
        if let Some(class) = &criteria.storage_class {
            crate::share::check_storage_class(class)?;
        }
        let (paths, names): (Vec<&String>, Vec<&String>) = criteria.names.iter().partition(|glob| glob.contains('/'));
        Ok(Self {
            names: glob_set(&names)?,
            paths: glob_set(&paths)?,
            contains: criteria.contains.as_ref().filter(|t| !t.is_empty()).map(|t| t.to_lowercase()),
            criteria: criteria.clone(),
        })
    }

    /// Whether `object`, found below `prefix`, meets every criterion.
    pub fn matches(&self, prefix: &str, object: &ObjectSummary) -> bool {
        let relative = object.key.strip_prefix(prefix).unwrap_or(&object.key);
        let name = relative.trim_end_matches('/').rsplit('/').next().unwrap_or(relative);
        let c = &self.criteria;
        let globs_match = match (&self.names, &self.paths) {
            (None, None) => true,
            (names, paths) => {
                names.as_ref().is_some_and(|set| set.is_match(name))
                    || paths.as_ref().is_some_and(|set| set.is_match(relative))
            }
        };
        globs_match
            && self.contains.as_ref().is_none_or(|text| name.to_lowercase().contains(text.as_str()))
            && c.min_size.is_none_or(|min| object.size >= min)
            && c.max_size.is_none_or(|max| object.size <= max)
            && c.newer.is_none_or(|t| object.last_modified.is_some_and(|m| m >= t))
            && c.older.is_none_or(|t| object.last_modified.is_some_and(|m| m < t))
            && c.storage_class
                .as_ref()
                .is_none_or(|class| object.storage_class.as_deref().unwrap_or("Standard").eq_ignore_ascii_case(class))
    }
}

fn glob_set(globs: &[&String]) -> Result<Option<GlobSet>> {
    if globs.is_empty() {
        return Ok(None);
    }
    let mut set = GlobSetBuilder::new();
    for glob in globs {
        let compiled = GlobBuilder::new(glob)
            .case_insensitive(true)
            .literal_separator(true)
            .build()
            .map_err(|err| Error::invalid_input(format!("'{glob}' is not a valid glob: {err}")))?;
        set.add(compiled);
    }
    set.build().map(Some).map_err(|err| Error::invalid_input(format!("the name globs do not compile: {err}")))
}

/// A size as `1234`, `10K`, `10KB`, `10KiB`, `1.5M`, `2G`, `1T` (powers of 1024).
pub fn parse_size(text: &str) -> Result<u64> {
    let text = text.trim();
    let split = text.find(|c: char| !(c.is_ascii_digit() || c == '.')).unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: f64 = number.parse().map_err(|_| bad_size(text))?;
    let shift = match unit.trim().to_ascii_uppercase().as_str() {
        "" | "B" => 0,
        "K" | "KB" | "KIB" => 10,
        "M" | "MB" | "MIB" => 20,
        "G" | "GB" | "GIB" => 30,
        "T" | "TB" | "TIB" => 40,
        _ => return Err(bad_size(text)),
    };
    let bytes = number * (1u64 << shift) as f64;
    if !bytes.is_finite() || bytes < 0.0 || bytes > u64::MAX as f64 {
        return Err(bad_size(text));
    }
    Ok(bytes.round() as u64)
}

fn bad_size(text: &str) -> Error {
    Error::invalid_input(format!("'{text}' is not a size: use bytes or a number with K, M, G or T (such as 10M)"))
}

/// An instant as RFC 3339 (`2026-12-01T10:00:00Z`), a date (`2026-12-01`, midnight UTC), or a
/// duration before `now` (`30m`, `12h`, `7d`, `2w`).
pub fn parse_instant(text: &str, now: DateTime<Utc>) -> Result<DateTime<Utc>> {
    let text = text.trim();
    if let Ok(time) = DateTime::parse_from_rfc3339(text) {
        return Ok(time.with_timezone(&Utc));
    }
    if let Ok(date) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Ok(date.and_hms_opt(0, 0, 0).map(|t| t.and_utc()).unwrap_or(now));
    }
    let split = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let number: i64 = number.parse().map_err(|_| bad_instant(text))?;
    let duration = match unit {
        "s" => Duration::try_seconds(number),
        "m" => Duration::try_minutes(number),
        "h" => Duration::try_hours(number),
        "d" => Duration::try_days(number),
        "w" => Duration::try_weeks(number),
        _ => None,
    };
    duration.and_then(|d| now.checked_sub_signed(d)).ok_or_else(|| bad_instant(text))
}

fn bad_instant(text: &str) -> Error {
    Error::invalid_input(format!(
        "'{text}' is not a time: use RFC 3339 (2026-12-01T10:00:00Z), a date (2026-12-01) or an age (30m, 12h, 7d, 2w)"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn object(key: &str, size: u64, day: u32, class: &str) -> ObjectSummary {
        ObjectSummary {
            key: key.into(),
            size,
            last_modified: Some(
                NaiveDate::from_ymd_opt(2026, 12, day).unwrap().and_hms_opt(12, 0, 0).unwrap().and_utc(),
            ),
            storage_class: Some(class.into()),
            ..Default::default()
        }
    }

    #[test]
    fn globs_match_the_name_or_with_a_slash_the_relative_key() {
        let m = Matcher::new(&SearchCriteria {
            names: vec!["*.JPG".into(), "logs/*/today.txt".into()],
            ..Default::default()
        })
        .unwrap();
        assert!(m.matches("p/", &object("p/a/b/cat.jpg", 1, 1, "Standard")));
        assert!(!m.matches("p/", &object("p/a/jpg/cat.png", 1, 1, "Standard")));
        assert!(m.matches("p/", &object("p/logs/x/today.txt", 1, 1, "Standard")));
        assert!(!m.matches("p/", &object("p/logs/x/y/today.txt", 1, 1, "Standard")));
        assert!(Matcher::new(&SearchCriteria { names: vec!["[".into()], ..Default::default() }).is_err());
    }

    #[test]
    fn every_criterion_must_hold() {
        let criteria = SearchCriteria {
            contains: Some("Report".into()),
            min_size: Some(10),
            max_size: Some(100),
            newer: Some(parse_instant("2026-12-02", Utc::now()).unwrap()),
            older: Some(parse_instant("2026-12-04T00:00:00Z", Utc::now()).unwrap()),
            storage_class: Some("ia".into()),
            ..Default::default()
        };
        let m = Matcher::new(&criteria).unwrap();
        assert!(m.matches("", &object("dir/q3-report.pdf", 50, 3, "IA")));
        assert!(!m.matches("", &object("report-dir/q3.pdf", 50, 3, "IA")), "the name, not a folder, must contain it");
        assert!(!m.matches("", &object("q3-report.pdf", 5, 3, "IA")));
        assert!(!m.matches("", &object("q3-report.pdf", 500, 3, "IA")));
        assert!(!m.matches("", &object("q3-report.pdf", 50, 1, "IA")));
        assert!(!m.matches("", &object("q3-report.pdf", 50, 4, "IA")));
        assert!(!m.matches("", &object("q3-report.pdf", 50, 3, "Standard")));
        let inverted = SearchCriteria { min_size: Some(2), max_size: Some(1), ..Default::default() };
        assert!(Matcher::new(&inverted).is_err());
        let gold = SearchCriteria { storage_class: Some("Gold".into()), ..Default::default() };
        assert!(Matcher::new(&gold).is_err());
    }

    #[test]
    fn sizes_and_instants_parse() {
        assert_eq!(parse_size("1234").unwrap(), 1234);
        assert_eq!(parse_size("10K").unwrap(), 10240);
        assert_eq!(parse_size("1.5MiB").unwrap(), 1_572_864);
        assert_eq!(parse_size("2gb").unwrap(), 2 << 30);
        assert!(parse_size("ten").is_err() && parse_size("5X").is_err());
        let now = DateTime::parse_from_rfc3339("2026-12-04T00:00:00Z").unwrap().with_timezone(&Utc);
        assert_eq!(parse_instant("7d", now).unwrap().to_rfc3339(), "2026-11-27T00:00:00+00:00");
        assert_eq!(parse_instant("12h", now).unwrap().to_rfc3339(), "2026-12-03T12:00:00+00:00");
        assert_eq!(parse_instant("2026-12-01T08:00:00+08:00", now).unwrap().to_rfc3339(), "2026-12-01T00:00:00+00:00");
        assert!(parse_instant("yesterday", now).unwrap_err().to_string().contains("RFC 3339"));
    }
}
