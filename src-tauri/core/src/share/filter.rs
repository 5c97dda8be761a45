//! Which objects a batch takes: include/exclude globs on the key below the chosen folder, as
//! ossutil's `--include` / `--exclude` (`*` also crosses `/`; exclude wins).

use globset::{Glob, GlobSet, GlobSetBuilder};

use crate::error::{Error, Result};

#[derive(Debug, Clone)]
pub struct KeyFilter {
    base_prefix: String,
    include: GlobSet,
    has_includes: bool,
    exclude: GlobSet,
}

impl KeyFilter {
    /// Patterns match the key with `base_prefix` removed (`photos/2024/a.jpg` under `photos/` is `2024/a.jpg`).
    pub fn new(base_prefix: &str, include: &[String], exclude: &[String]) -> Result<Self> {
        Ok(Self {
            base_prefix: base_prefix.to_owned(),
            include: glob_set(include, "--include")?,
            has_includes: !include.is_empty(),
            exclude: glob_set(exclude, "--exclude")?,
        })
    }

    pub fn everything() -> Self {
        Self { base_prefix: String::new(), include: GlobSet::empty(), has_includes: false, exclude: GlobSet::empty() }
    }

    /// Whether `key` is taken. Folder markers (keys ending in `/`) never are.
    pub fn matches(&self, key: &str) -> bool {
        if key.ends_with('/') {
            return false;
        }
        let relative = key.strip_prefix(&self.base_prefix).unwrap_or(key);
        (!self.has_includes || self.include.is_match(relative)) && !self.exclude.is_match(relative)
    }
}

fn glob_set(patterns: &[String], option: &str) -> Result<GlobSet> {
    let mut builder = GlobSetBuilder::new();
    for pattern in patterns {
        let glob = Glob::new(pattern)
            .map_err(|err| Error::invalid_input(format!("{option} '{pattern}' is not a valid glob pattern: {err}")))?;
        builder.add(glob);
    }
    builder.build().map_err(|err| Error::invalid_input(format!("the {option} patterns could not be combined: {err}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn include_and_exclude_apply_below_the_folder_and_exclude_wins() {
        let filter = KeyFilter::new("photos/", &strings(&["*.jpg", "*.png"]), &strings(&["raw/*"])).unwrap();
        assert!(filter.matches("photos/a.jpg"));
        assert!(filter.matches("photos/2024/b.png"));
        assert!(!filter.matches("photos/raw/c.jpg"));
        assert!(!filter.matches("photos/notes.txt"));
        assert!(!filter.matches("photos/2024/"));
        assert!(KeyFilter::everything().matches("anything/at/all"));
    }

    #[test]
    fn a_broken_pattern_is_named() {
        let err = KeyFilter::new("", &strings(&["[abc"]), &[]).unwrap_err();
        assert!(err.message().contains("--include '[abc'"), "{err}");
    }
}
