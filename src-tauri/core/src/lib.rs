//! OSS Lite's core: everything about Alibaba Cloud OSS, and nothing about the desktop shell.

pub mod address;
pub mod client;
pub mod credentials;
pub mod delete;
pub mod download_folder;
pub mod endpoint;
pub mod error;
pub mod gb18030;
pub mod manage;
pub mod ops;
pub mod preview;
pub mod preview_read;
pub mod private_files;
pub mod profiles;
pub mod request;
pub mod search;
pub mod share;
pub mod sign;
pub mod transfer;
pub mod versions;
pub mod xml;

pub use credentials::{Credentials, Secret};
pub use endpoint::{Addressing, Endpoint, Scheme};
pub use error::{Error, ErrorKind, Result};
pub use request::{Method, OssRequest};
pub use sign::{PresignedRequest, Signer};
