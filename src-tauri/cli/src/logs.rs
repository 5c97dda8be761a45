//! Logs on stderr: silent by default (stdout is for output that scripts parse), `-v` for info,
//! `-vv` for debug, `-vvv` for trace; `RUST_LOG` replaces the level when set.

use std::io::IsTerminal;

/// Our crates at `level`, the rest at warn.
fn directives(level: &str) -> String {
    format!("warn,osslite_cli={level},osslite_core={level},osslite_sandbox={level}")
}

/// The filter for `verbosity` (how many `-v`), or none when nothing is to be logged.
fn filter(verbosity: u8, rust_log: Option<String>) -> Option<String> {
    if let Some(directives) = rust_log.filter(|value| !value.trim().is_empty()) {
        return Some(directives);
    }
    match verbosity {
        0 => None,
        1 => Some(directives("info")),
        2 => Some(directives("debug")),
        _ => Some(directives("trace")),
    }
}

pub fn start(verbosity: u8) {
    let Some(filter) = filter(verbosity, std::env::var("RUST_LOG").ok()) else { return };
    // Fails only if a subscriber is already set, which nothing else in the CLI does.
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
        .try_init();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn silent_unless_asked_and_rust_log_wins() {
        assert_eq!(filter(0, None), None);
        assert_eq!(filter(0, Some(" ".to_owned())), None);
        assert_eq!(filter(1, None).unwrap(), "warn,osslite_cli=info,osslite_core=info,osslite_sandbox=info");
        assert!(filter(2, None).unwrap().contains("osslite_core=debug"));
        assert!(filter(5, None).unwrap().contains("osslite_core=trace"));
        assert_eq!(filter(2, Some("hyper=trace".to_owned())).unwrap(), "hyper=trace");
    }
}
