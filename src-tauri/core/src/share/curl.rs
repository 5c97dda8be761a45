//! A ready-to-run curl command for a presigned request, with every header it must send.

use crate::request::Method;
use crate::sign::PresignedRequest;

/// `curl` for the link: GET saves to `output_name`, PUT uploads `upload_file`, HEAD prints headers.
/// An upload link signed without a Content-Type gets `-H 'Content-Type:'`, which makes curl send
/// none: a Content-Type the link was not signed with breaks its signature.
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
    if presigned.method == Method::Put && !signs_content_type(presigned) {
        parts.extend(["-H".into(), shell_quote("Content-Type:")]);
    }
    parts.push(shell_quote(&presigned.url));
    parts.join(" ")
}

/// Whether the uploader must send a Content-Type (the link was signed with one).
pub fn signs_content_type(presigned: &PresignedRequest) -> bool {
    presigned.signed_headers.iter().any(|(name, _)| name.eq_ignore_ascii_case("content-type"))
}

/// The file a download saves to: the last part of "Download as" when given, else of the key.
/// Never a path: no folder, no `.`/`..`, no `-` (curl's stdout).
pub fn curl_output_name(key: &str, download_as: Option<&str>) -> String {
    let last_part = |text: &str| text.rsplit(['/', '\\']).next().unwrap_or_default().trim().to_owned();
    [download_as.map(last_part), Some(last_part(key))]
        .into_iter()
        .flatten()
        .find(|name| !name.is_empty() && !matches!(name.as_str(), "." | ".." | "-"))
        .unwrap_or_else(|| "download".into())
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

    #[test]
    fn put_commands_without_a_signed_content_type_send_none() {
        let presigned = PresignedRequest {
            method: Method::Put,
            url: "https://b.example.com/k".into(),
            signed_at: Utc::now(),
            expires_at: Utc::now(),
            signed_headers: vec![],
        };
        assert!(!signs_content_type(&presigned));
        assert_eq!(
            curl_command(&presigned, "k", "FILE"),
            "curl --fail-with-body -T 'FILE' -H 'Content-Type:' 'https://b.example.com/k'"
        );
    }

    #[test]
    fn downloads_save_under_the_download_as_name_quoted_safely() {
        let presigned = PresignedRequest {
            method: Method::Get,
            url: "https://b.example.com/a/logo.png".into(),
            signed_at: Utc::now(),
            expires_at: Utc::now(),
            signed_headers: vec![],
        };
        let name = curl_output_name("a/logo.png", Some("team logo.png"));
        assert_eq!(
            curl_command(&presigned, &name, ""),
            "curl --fail-with-body -o 'team logo.png' 'https://b.example.com/a/logo.png'"
        );
        assert_eq!(curl_output_name("a/logo.png", Some("it's $(rm -rf ~).png")), "it's $(rm -rf ~).png");
        assert_eq!(
            curl_command(&presigned, &curl_output_name("a/logo.png", Some("it's.png")), ""),
            "curl --fail-with-body -o 'it'\\''s.png' 'https://b.example.com/a/logo.png'"
        );
    }

    #[test]
    fn output_names_are_never_paths() {
        assert_eq!(curl_output_name("a/logo.png", None), "logo.png");
        assert_eq!(curl_output_name("a/logo.png", Some("../../etc/passwd")), "passwd");
        assert_eq!(curl_output_name("a/logo.png", Some("..")), "logo.png");
        assert_eq!(curl_output_name("a/logo.png", Some("-")), "logo.png");
        assert_eq!(curl_output_name("a/logo.png", Some("C:\\x\\y.txt")), "y.txt");
        assert_eq!(curl_output_name("a/", Some("  ")), "download");
    }
}
