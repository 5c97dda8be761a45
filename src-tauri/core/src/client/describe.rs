//! reqwest's errors as one line for messages: the error and its sources, never the URL. Below
//! both the sending of requests and the reading of bodies.

/// An error and its sources in one line (`error sending request: connection refused`), without
/// the URL, which may carry a presigned signature or token.
pub(crate) fn describe(err: &reqwest::Error) -> String {
    let mut text = String::new();
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(err);
    let mut first = true;
    while let Some(current) = source {
        let piece = if first {
            first = false;
            // reqwest prints `… for url (…)`; `without_url` is only on an owned error.
            let own = current.to_string();
            own.split(" for url (").next().unwrap_or(&own).to_owned()
        } else {
            current.to_string()
        };
        if !piece.is_empty() && !text.contains(&piece) {
            if !text.is_empty() {
                text.push_str(": ");
            }
            text.push_str(&piece);
        }
        source = current.source();
    }
    text
}
