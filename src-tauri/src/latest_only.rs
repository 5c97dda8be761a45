//! Work of which only the latest request matters (a folder's size, a search): starting one
//! cancels the one before, and a stop cancels whichever is running.

use std::sync::Mutex;

use tokio_util::sync::CancellationToken;

#[derive(Default)]
pub struct LatestOnly {
    running: Mutex<Option<CancellationToken>>,
}

impl LatestOnly {
    /// The new run's token; the previous run, if any, is cancelled.
    pub fn start(&self) -> CancellationToken {
        let token = CancellationToken::new();
        if let Some(previous) =
            self.running.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).replace(token.clone())
        {
            previous.cancel();
        }
        token
    }

    pub fn cancel(&self) {
        if let Some(token) = self.running.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).take() {
            token.cancel();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::LatestOnly;

    #[test]
    fn a_new_run_cancels_the_one_before_and_cancel_stops_the_last() {
        let runs = LatestOnly::default();
        let first = runs.start();
        let second = runs.start();
        assert!(first.is_cancelled());
        assert!(!second.is_cancelled());
        runs.cancel();
        assert!(second.is_cancelled());
    }
}
