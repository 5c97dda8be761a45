//! STS tokens expire: a link may not outlive the token that signs it.

use chrono::{DateTime, Utc};

use crate::error::{Error, ErrorKind, Result};

/// A validity after checking it against the STS token's expiry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenBoundValidity {
    pub seconds: u64,
    /// Set when the requested validity was shortened to end with the token.
    pub clipped_to: Option<DateTime<Utc>>,
}

/// Shortens `requested_secs` so the link ends no later than the token; fails when the token
/// has already expired.
pub fn clip_to_token(
    requested_secs: u64,
    now: DateTime<Utc>,
    token_expires_at: Option<DateTime<Utc>>,
) -> Result<TokenBoundValidity> {
    let Some(expires_at) = token_expires_at else {
        return Ok(TokenBoundValidity { seconds: requested_secs, clipped_to: None });
    };
    let remaining = (expires_at - now).num_seconds();
    if remaining < 1 {
        return Err(Error::new(
            ErrorKind::Expired,
            format!(
                "the STS token expired at {}: get a new token and store it with `osslite-cli profile rotate`",
                expires_at.to_rfc3339()
            ),
        ));
    }
    let remaining = remaining as u64;
    if requested_secs > remaining {
        Ok(TokenBoundValidity { seconds: remaining, clipped_to: Some(expires_at) })
    } else {
        Ok(TokenBoundValidity { seconds: requested_secs, clipped_to: None })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    #[test]
    fn validity_is_clipped_to_the_token_and_says_so() {
        let now = Utc.with_ymd_and_hms(2026, 1, 1, 12, 0, 0).unwrap();
        let token_end = now + Duration::seconds(600);
        assert_eq!(
            clip_to_token(300, now, Some(token_end)).unwrap(),
            TokenBoundValidity { seconds: 300, clipped_to: None }
        );
        assert_eq!(
            clip_to_token(3600, now, Some(token_end)).unwrap(),
            TokenBoundValidity { seconds: 600, clipped_to: Some(token_end) }
        );
        assert_eq!(clip_to_token(3600, now, None).unwrap().seconds, 3600);
    }

    #[test]
    fn an_expired_token_is_an_error_naming_when_it_expired() {
        let now = Utc.with_ymd_and_hms(2026, 1, 1, 12, 0, 0).unwrap();
        let err = clip_to_token(60, now, Some(now - Duration::seconds(1))).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Expired);
        assert!(err.message().contains("2026-01-01T11:59:59"), "{err}");
    }
}
