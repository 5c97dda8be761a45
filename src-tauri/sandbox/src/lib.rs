//! A local OSS-compatible server. The server itself arrives with the client/sandbox work;
//! until then this crate only fixes its place in the workspace.
