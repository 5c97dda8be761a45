//! Writes OSS response documents: `<?xml ...?>` then elements with escaped text.

use osslite_core::sign::encode::uri_encode;

pub struct XmlWriter {
    out: String,
    /// Whether `value_of` url-encodes, as `encoding-type=url` asks for keys and prefixes.
    url_encode: bool,
}

impl XmlWriter {
    pub fn new(root: &str) -> Self {
        let mut writer = Self { out: String::with_capacity(512), url_encode: false };
        writer.out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        writer.open(root);
        writer
    }

    /// Makes [`XmlWriter::encoded`] url-encode its values.
    pub fn with_url_encoding(mut self, url_encode: bool) -> Self {
        self.url_encode = url_encode;
        self
    }

    pub fn open(&mut self, tag: &str) {
        self.out.push('<');
        self.out.push_str(tag);
        self.out.push('>');
    }

    pub fn close(&mut self, tag: &str) {
        self.out.push_str("</");
        self.out.push_str(tag);
        self.out.push('>');
    }

    /// `<tag>text</tag>` with `text` escaped.
    pub fn element(&mut self, tag: &str, text: &str) {
        self.open(tag);
        push_escaped(&mut self.out, text);
        self.close(tag);
    }

    /// An element holding a key or prefix: url-encoded when `encoding-type=url` was asked for.
    pub fn encoded(&mut self, tag: &str, text: &str) {
        if self.url_encode {
            self.element(tag, &uri_encode(text));
        } else {
            self.element(tag, text);
        }
    }

    /// Escaped text directly inside the currently open element.
    pub fn text(&mut self, text: &str) {
        push_escaped(&mut self.out, text);
    }

    pub fn element_display(&mut self, tag: &str, value: impl std::fmt::Display) {
        self.element(tag, &value.to_string());
    }

    /// Closes `root` and returns the document.
    pub fn finish(mut self, root: &str) -> String {
        self.close(root);
        self.out
    }
}

/// Escapes the five XML specials and writes other control characters as numeric references, as
/// the official SDKs escape request bodies.
pub fn push_escaped(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => {
                out.push_str("&#");
                out.push_str(&u32::from(c).to_string());
                out.push(';');
            }
            c if u32::from(c) < 0x20 => {
                out.push_str("&#");
                out.push_str(&u32::from(c).to_string());
                out.push(';');
            }
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_escaped_and_url_encoded_values() {
        let mut writer = XmlWriter::new("R").with_url_encoding(true);
        writer.element("A", "a<b>&\"c'");
        writer.encoded("Key", "a b/中");
        assert_eq!(
            writer.finish("R"),
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<R><A>a&lt;b&gt;&amp;&quot;c&apos;</A><Key>a%20b%2F%E4%B8%AD</Key></R>"
        );
    }
}
