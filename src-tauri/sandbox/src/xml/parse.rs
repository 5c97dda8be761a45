//! A small, strict XML reader for request bodies (Delete, CompleteMultipartUpload,
//! CreateBucketConfiguration): elements, text, the predefined and numeric entities, CDATA,
//! comments and processing instructions. DOCTYPEs are refused, nesting is capped.

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Element {
    pub name: String,
    pub children: Vec<Element>,
    /// The element's own text, concatenated, untrimmed.
    pub text: String,
}

impl Element {
    pub fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|child| child.name == name)
    }

    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |child| child.name == name)
    }

    pub fn child_text(&self, name: &str) -> Option<&str> {
        self.child(name).map(|child| child.text.as_str())
    }
}

const MAX_DEPTH: usize = 32;

/// Parses a whole document; the error says what is wrong and where.
pub fn parse(text: &str) -> Result<Element, String> {
    let mut parser = Parser { text, pos: 0 };
    parser.skip_prolog_and_misc()?;
    let root = parser.element(0)?;
    parser.skip_prolog_and_misc()?;
    if parser.pos < text.len() {
        return Err(parser.error("content after the root element"));
    }
    Ok(root)
}

struct Parser<'a> {
    text: &'a str,
    pos: usize,
}

impl<'a> Parser<'a> {
    fn rest(&self) -> &'a str {
        self.text.get(self.pos..).unwrap_or("")
    }

    fn error(&self, what: &str) -> String {
        format!("{what} at byte {}", self.pos)
    }

    fn skip_whitespace(&mut self) {
        let rest = self.rest();
        self.pos += rest.len() - rest.trim_start_matches([' ', '\t', '\r', '\n', '\u{feff}']).len();
    }

    /// Skips everything up to and including `end`, or fails naming `what`.
    fn skip_past(&mut self, end: &str, what: &str) -> Result<&'a str, String> {
        let rest = self.rest();
        let at = rest.find(end).ok_or_else(|| self.error(&format!("unterminated {what}")))?;
        self.pos += at + end.len();
        Ok(rest.get(..at).unwrap_or(""))
    }

    fn skip_prolog_and_misc(&mut self) -> Result<(), String> {
        loop {
            self.skip_whitespace();
            let rest = self.rest();
            if rest.starts_with("<?") {
                self.skip_past("?>", "processing instruction")?;
            } else if rest.starts_with("<!--") {
                self.skip_past("-->", "comment")?;
            } else if rest.starts_with("<!") {
                return Err(self.error("DOCTYPE and other declarations are not accepted"));
            } else {
                return Ok(());
            }
        }
    }

    fn name(&mut self) -> Result<String, String> {
        let rest = self.rest();
        let end = rest
            .find(|c: char| c.is_whitespace() || matches!(c, '>' | '/' | '<' | '=' | '"' | '\''))
            .unwrap_or(rest.len());
        if end == 0 {
            return Err(self.error("expected an element name"));
        }
        self.pos += end;
        Ok(rest.get(..end).unwrap_or("").to_owned())
    }

    fn element(&mut self, depth: usize) -> Result<Element, String> {
        if depth >= MAX_DEPTH {
            return Err(self.error("elements nested too deeply"));
        }
        if !self.rest().starts_with('<') {
            return Err(self.error("expected '<'"));
        }
        self.pos += 1;
        let name = self.name()?;
        let self_closing = self.skip_attributes()?;
        let mut element = Element { name, ..Element::default() };
        if self_closing {
            return Ok(element);
        }
        loop {
            let rest = self.rest();
            if rest.is_empty() {
                return Err(self.error(&format!("element <{}> is not closed", element.name)));
            }
            if rest.starts_with("</") {
                self.pos += 2;
                let closing = self.name()?;
                if closing != element.name {
                    return Err(self.error(&format!("</{closing}> closes <{}>", element.name)));
                }
                self.skip_whitespace();
                if !self.rest().starts_with('>') {
                    return Err(self.error("expected '>'"));
                }
                self.pos += 1;
                return Ok(element);
            } else if rest.starts_with("<!--") {
                self.skip_past("-->", "comment")?;
            } else if rest.starts_with("<![CDATA[") {
                self.pos += "<![CDATA[".len();
                let data = self.skip_past("]]>", "CDATA section")?;
                element.text.push_str(data);
            } else if rest.starts_with("<?") {
                self.skip_past("?>", "processing instruction")?;
            } else if rest.starts_with("<!") {
                return Err(self.error("declarations are not accepted inside elements"));
            } else if rest.starts_with('<') {
                element.children.push(self.element(depth + 1)?);
            } else {
                let end = rest.find('<').unwrap_or(rest.len());
                let raw = rest.get(..end).unwrap_or("");
                decode_entities(raw, &mut element.text).map_err(|why| self.error(&why))?;
                self.pos += end;
            }
        }
    }

    /// Skips attributes (quoted values may hold '>'); returns whether the tag ends in `/>`.
    fn skip_attributes(&mut self) -> Result<bool, String> {
        let bytes = self.text.as_bytes();
        let mut quote: Option<u8> = None;
        while let Some(&byte) = bytes.get(self.pos) {
            self.pos += 1;
            match (quote, byte) {
                (Some(q), b) if b == q => quote = None,
                (Some(_), _) => {}
                (None, b'"' | b'\'') => quote = Some(byte),
                (None, b'<') => return Err(self.error("'<' inside a tag")),
                (None, b'>') => return Ok(bytes.get(self.pos.wrapping_sub(2)) == Some(&b'/')),
                (None, _) => {}
            }
        }
        Err(self.error("unterminated tag"))
    }
}

/// Appends `raw` with `&lt;` `&gt;` `&amp;` `&quot;` `&apos;` `&#N;` `&#xN;` decoded.
fn decode_entities(raw: &str, out: &mut String) -> Result<(), String> {
    let mut rest = raw;
    while let Some(at) = rest.find('&') {
        out.push_str(rest.get(..at).unwrap_or(""));
        let after = rest.get(at + 1..).unwrap_or("");
        let end = after.find(';').ok_or("an '&' without a closing ';'")?;
        let entity = after.get(..end).unwrap_or("");
        let decoded = match entity {
            "lt" => '<',
            "gt" => '>',
            "amp" => '&',
            "quot" => '"',
            "apos" => '\'',
            _ => {
                let code = if let Some(hex) = entity.strip_prefix("#x").or_else(|| entity.strip_prefix("#X")) {
                    u32::from_str_radix(hex, 16).ok()
                } else if let Some(decimal) = entity.strip_prefix('#') {
                    decimal.parse::<u32>().ok()
                } else {
                    None
                };
                code.and_then(char::from_u32).ok_or_else(|| format!("unknown entity '&{entity};'"))?
            }
        };
        out.push(decoded);
        rest = after.get(end + 1..).unwrap_or("");
    }
    out.push_str(rest);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_sdk_delete_body_with_escapes() {
        let body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Delete><Quiet>false</Quiet>\
                    <Object><Key>a&amp;b&#09;&#x4E2D;</Key></Object><Object><Key><![CDATA[<x>]]></Key></Object>\
                    <!-- note --><Object><Key/></Object></Delete>";
        let root = parse(body).unwrap();
        assert_eq!(root.name, "Delete");
        assert_eq!(root.child_text("Quiet"), Some("false"));
        let keys: Vec<&str> = root.children_named("Object").filter_map(|o| o.child_text("Key")).collect();
        assert_eq!(keys, ["a&b\t中", "<x>", ""]);
    }

    #[test]
    fn attributes_with_gt_and_self_closing_tags() {
        let root = parse("<A x=\"1>2\" y='/'><B/><C z=\"q\" /></A>").unwrap();
        assert_eq!(root.children.len(), 2);
    }

    #[test]
    fn refuses_malformed_documents_without_panicking() {
        let deep = "<a>".repeat(100) + &"</a>".repeat(100);
        for bad in [
            "",
            "<",
            "<a>",
            "<a></b>",
            "<a>&bogus;</a>",
            "<a>&#xFFFFFFFF;</a>",
            "<a>&amp</a>",
            "<!DOCTYPE x [<!ENTITY e 'x'>]><a>&e;</a>",
            "<a></a><b></b>",
            "<a x=\"unterminated></a>",
            "text",
            "<a><![CDATA[x</a>",
            "<中>é</中",
            deep.as_str(),
        ] {
            assert!(parse(bad).is_err(), "{bad:?} parsed");
        }
    }
}
