//! A proxy password never sits in `profiles.toml`: it is split off the URL when a profile is saved,
//! kept in the profile's keyring entry, and put back when a session opens.

use crate::credentials::Secret;

/// `http://user:password@host:3128` → (`http://user@host:3128`, the password). A URL without a
/// password comes back as it was. The password stays percent-encoded, as it was typed.
pub fn split_proxy_password(url: &str) -> (String, Option<Secret>) {
    let Some((before, user, password, after)) = userinfo_parts(url) else { return (url.to_owned(), None) };
    if password.is_empty() {
        return (format!("{before}{user}@{after}"), None);
    }
    (format!("{before}{user}@{after}"), Some(Secret::new(password)))
}

/// Puts `password` back into a proxy URL saved without it: `http://user@host` + `pw` →
/// `http://user:pw@host`. Without a user name there is nowhere to put it, so the URL stays.
pub fn join_proxy_password(url: &str, password: Option<&Secret>) -> String {
    let Some(password) = password else { return url.to_owned() };
    match userinfo_parts(url) {
        Some((before, user, _, after)) => format!("{before}{user}:{}@{after}", password.expose()),
        None => url.to_owned(),
    }
}

/// (`scheme://`, user, password, `host:port/...`) when the URL's authority has a user part.
fn userinfo_parts(url: &str) -> Option<(&str, &str, &str, &str)> {
    let scheme_end = url.find("://")? + 3;
    let rest = &url[scheme_end..];
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let at = rest[..authority_end].rfind('@')?;
    let (user, password) = rest[..at].split_once(':').unwrap_or((&rest[..at], ""));
    Some((&url[..scheme_end], user, password, &rest[at + 1..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_is_split_off_and_put_back() {
        let (url, password) = split_proxy_password("http://alice:p%40ss:w0rd@proxy.local:3128");
        assert_eq!(url, "http://alice@proxy.local:3128");
        assert_eq!(password.as_ref().map(Secret::expose), Some("p%40ss:w0rd"));
        assert_eq!(join_proxy_password(&url, password.as_ref()), "http://alice:p%40ss:w0rd@proxy.local:3128");
    }

    #[test]
    fn urls_without_a_password_stay_as_they_are() {
        for url in ["http://proxy.local:3128", "socks5://bob@proxy.local:1080", "http://proxy.local/a@b"] {
            let (split, password) = split_proxy_password(url);
            assert_eq!(split, url);
            assert!(password.is_none());
            assert_eq!(join_proxy_password(url, None), url);
        }
        assert_eq!(split_proxy_password("http://bob:@proxy.local").0, "http://bob@proxy.local");
        assert_eq!(join_proxy_password("http://proxy.local", Some(&Secret::new("pw"))), "http://proxy.local");
    }
}
