//! A ready-to-run curl command for a presigned request, with every header it must send.

use crate::request::Method;
use crate::sign::PresignedRequest;

/// `curl` for the link: GET saves to `output_name`, PUT uploads `upload_file`, HEAD prints headers.
pub fn curl_command(presigned: &PresignedRequest, output_name: &str, upload_file: &str) -> String {
    let mut parts: Vec<String> = vec!["curl".into(), "--fail-with-body".into()];
    match presigned.method {
        Method::Get => parts.extend(["-o".into(), shell_quote(output_name)]),
        Method::Put => parts.extend(["-T".into(), shell_quote(upload_file)]),
        Method::Head => parts.push("-I".into()),
        other => parts.extend(["-X".into(), other.as_str().into()]),
    }
    for (name, value) in &presigned.signed_headers {
        parts.extend(["-H".into(), shell_quote(&format!("{name}: {value}"))]);
    }
    parts.push(shell_quote(&presigned.url));
    parts.join(" ")
}

/// Single-quotes for POSIX shells: `it's` → `'it'\''s'`.
fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    #[test]
    fn put_commands_send_every_signed_header_and_quote_safely() {
        let presigned = PresignedRequest {
            method: Method::Put,
            url: "https://b.example.com/k?x=1&y=2".into(),
            signed_at: Utc::now(),
            expires_at: Utc::now(),
            signed_headers: vec![("Content-Type".into(), "text/plain".into()), ("x-oss-meta-n".into(), "it's".into())],
        };
        assert_eq!(
            curl_command(&presigned, "k", "my file.txt"),
            "curl --fail-with-body -T 'my file.txt' -H 'Content-Type: text/plain' -H 'x-oss-meta-n: it'\\''s' \
             'https://b.example.com/k?x=1&y=2'"
        );
    }
}
