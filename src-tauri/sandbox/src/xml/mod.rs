//! XML as OSS writes its response bodies and reads its request bodies.

mod parse;
mod write;

pub use parse::parse;
pub use write::XmlWriter;
