//! The line of transfers waiting for a slot, and the slots: at most `jobs` transfers run at
//! once, and they start in the order they were queued. Waiting transfers cost no task.
//!
//! Changing `jobs` takes effect at once for what starts next: with more slots, waiting
//! transfers start now; with fewer, the running ones go on to their end (nothing is paused),
//! and none starts until fewer than `jobs` run.

use std::collections::VecDeque;
use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Mutex};

use futures_util::FutureExt;

use super::entry::{drive, lock, Entry};

pub(crate) struct Queue {
    line: Mutex<Line>,
}

struct Line {
    jobs: usize,
    running: usize,
    waiting: VecDeque<Arc<Entry>>,
}

/// A slot taken by a running transfer; given back when dropped (which starts the next one).
pub(crate) struct Slot(Arc<Queue>);

impl Drop for Slot {
    fn drop(&mut self) {
        lock(&self.0.line).running -= 1;
        self.0.start_waiting();
    }
}

impl Queue {
    pub fn new(jobs: usize) -> Arc<Self> {
        Arc::new(Self { line: Mutex::new(Line { jobs: jobs.max(1), running: 0, waiting: VecDeque::new() }) })
    }

    #[cfg(test)]
    pub fn jobs(&self) -> usize {
        lock(&self.line).jobs
    }

    /// How many transfers hold a slot now.
    #[cfg(test)]
    pub fn running(&self) -> usize {
        lock(&self.line).running
    }

    /// Changes the number of slots (at least 1); see the module's comment.
    pub fn set_jobs(self: &Arc<Self>, jobs: usize) {
        lock(&self.line).jobs = jobs.max(1);
        self.start_waiting();
    }

    /// Puts the transfer in line (once, however often it is asked).
    pub fn enqueue(self: &Arc<Self>, entry: Arc<Entry>) {
        if entry.queued.swap(true, std::sync::atomic::Ordering::AcqRel) {
            return;
        }
        lock(&self.line).waiting.push_back(entry);
        self.start_waiting();
    }

    /// Hands free slots to the transfers first in line, skipping those paused or cancelled
    /// while they waited.
    fn start_waiting(self: &Arc<Self>) {
        loop {
            let entry = {
                let mut line = lock(&self.line);
                if line.running >= line.jobs {
                    return;
                }
                let Some(entry) = line.waiting.pop_front() else { return };
                entry.queued.store(false, std::sync::atomic::Ordering::Release);
                if !entry.claim_for_slot() {
                    continue;
                }
                line.running += 1;
                entry
            };
            let slot = Slot(self.clone());
            let queue = self.clone();
            tokio::spawn(async move {
                let run = AssertUnwindSafe(drive(entry.clone(), slot)).catch_unwind().await;
                match run {
                    Ok(Some(again)) => {
                        again.set_driving(false);
                        queue.enqueue(again);
                    }
                    Ok(None) => {}
                    Err(_) => entry.conclude_after_panic(),
                }
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};
    use std::time::Duration;

    use futures_util::future::BoxFuture;

    use super::super::env::{Env, Outcome, Work};
    use super::super::progress::{no_events, Direction, TransferId, TransferStatus};
    use super::super::request::Planned;
    use super::super::verify::Verification;
    use super::super::{CheckpointStore, TransferManager, TransferOptions};
    use crate::client::{Client, ClientConfig};
    use crate::credentials::{Credentials, Secret};
    use crate::endpoint::{Addressing, Endpoint};
    use crate::error::Result;

    /// What the fake jobs did, in order.
    #[derive(Default)]
    struct Log {
        started: Mutex<Vec<usize>>,
        cleaned_up: Mutex<Vec<usize>>,
    }

    /// A job that records its start and runs until its gate opens: no server, no file.
    struct Fake {
        number: usize,
        log: Arc<Log>,
        gate: Arc<tokio::sync::Semaphore>,
    }

    impl Work for Fake {
        fn run<'a>(&'a self, _env: &'a Env) -> BoxFuture<'a, Result<Outcome>> {
            Box::pin(async move {
                self.log.started.lock().unwrap().push(self.number);
                if let Ok(permit) = self.gate.acquire().await {
                    permit.forget();
                }
                Ok(Outcome::moved(format!("fake {}", self.number), Verification::Crc64))
            })
        }

        fn clean_up_after_cancel<'a>(&'a self, _env: &'a Env) -> BoxFuture<'a, ()> {
            Box::pin(async move { self.log.cleaned_up.lock().unwrap().push(self.number) })
        }
    }

    struct Bench {
        manager: TransferManager,
        log: Arc<Log>,
        gates: Vec<Arc<tokio::sync::Semaphore>>,
        ids: Vec<TransferId>,
        _dir: tempfile::TempDir,
    }

    /// `count` fake transfers queued in order on a manager with `jobs` slots.
    fn bench(jobs: usize, count: usize) -> Bench {
        let dir = tempfile::tempdir().unwrap();
        let manager = TransferManager::new(jobs, CheckpointStore::new(dir.path().to_path_buf()));
        // Never contacted: the fake jobs ignore it.
        let endpoint = Endpoint::parse("http://127.0.0.1:9", Addressing::Path).unwrap();
        let credentials = Credentials::new("id", Secret::new("secret")).unwrap();
        let client = Client::new(ClientConfig::builder(endpoint, "cn-hangzhou", credentials).build().unwrap()).unwrap();
        let log = Arc::new(Log::default());
        let gates: Vec<_> = (0..count).map(|_| Arc::new(tokio::sync::Semaphore::new(0))).collect();
        let planned = gates
            .iter()
            .enumerate()
            .map(|(number, gate)| Planned {
                work: Ok(Box::new(Fake { number, log: log.clone(), gate: gate.clone() }) as Box<dyn Work>),
                direction: Direction::Upload,
                source: format!("source {number}"),
                destination: format!("destination {number}"),
                size: 0,
            })
            .collect();
        let ids = manager.start_all(&client, planned, TransferOptions::default(), &no_events());
        Bench { manager, log, gates, ids, _dir: dir }
    }

    impl Bench {
        fn finish(&self, number: usize) {
            self.gates[number].add_permits(1);
        }

        fn started(&self) -> Vec<usize> {
            self.log.started.lock().unwrap().clone()
        }

        /// Waits (up to 5 s) until exactly `expected` have started, then a little longer to
        /// see that no other starts.
        async fn expect_started(&self, expected: &[usize]) {
            for _ in 0..500 {
                if self.started().len() >= expected.len() {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(10)).await;
            }
            tokio::time::sleep(Duration::from_millis(30)).await;
            assert_eq!(self.started(), expected);
        }

        async fn state(&self, number: usize) -> TransferStatus {
            self.manager.get(self.ids[number]).unwrap().state
        }
    }

    #[tokio::test]
    async fn transfers_start_in_order_and_no_more_than_jobs_at_once() {
        let bench = bench(2, 5);
        bench.expect_started(&[0, 1]).await;
        assert_eq!(bench.state(2).await, TransferStatus::Queued);
        bench.finish(1);
        bench.expect_started(&[0, 1, 2]).await;
        bench.finish(0);
        bench.expect_started(&[0, 1, 2, 3]).await;
        for number in 2..5 {
            bench.finish(number);
        }
        let ends = bench.manager.wait_all(&bench.ids).await;
        assert!(ends.iter().all(|end| end.state == TransferStatus::Done), "{ends:?}");
        assert_eq!(bench.started(), vec![0, 1, 2, 3, 4]);
        assert_eq!(bench.manager.queue().running(), 0);
    }

    #[tokio::test]
    async fn a_transfer_paused_while_queued_is_skipped_until_resumed_then_goes_to_the_back() {
        let bench = bench(1, 3);
        bench.expect_started(&[0]).await;
        bench.manager.pause(bench.ids[1]).unwrap();
        assert_eq!(bench.state(1).await, TransferStatus::Paused);
        bench.finish(0);
        bench.expect_started(&[0, 2]).await;
        assert_eq!(bench.state(1).await, TransferStatus::Paused, "paused ones stay paused");
        bench.manager.resume(bench.ids[1]).unwrap();
        assert_eq!(bench.state(1).await, TransferStatus::Queued);
        bench.finish(2);
        bench.expect_started(&[0, 2, 1]).await;
        bench.finish(1);
        let ends = bench.manager.wait_all(&bench.ids).await;
        assert!(ends.iter().all(|end| end.state == TransferStatus::Done), "{ends:?}");
    }

    #[tokio::test]
    async fn a_transfer_cancelled_while_queued_never_starts_and_is_cleaned_up() {
        let bench = bench(1, 3);
        bench.expect_started(&[0]).await;
        bench.manager.cancel(bench.ids[1]).unwrap();
        let cancelled = bench.manager.wait(bench.ids[1]).await.unwrap();
        assert_eq!(cancelled.state, TransferStatus::Cancelled);
        assert_eq!(*bench.log.cleaned_up.lock().unwrap(), vec![1]);
        assert!(bench.manager.resume(bench.ids[1]).is_err(), "a cancelled transfer stays cancelled");
        bench.finish(0);
        bench.expect_started(&[0, 2]).await;
        bench.finish(2);
        bench.manager.wait_all(&bench.ids).await;
        assert_eq!(bench.started(), vec![0, 2]);
    }

    #[tokio::test]
    async fn more_jobs_start_waiting_transfers_at_once() {
        let bench = bench(1, 4);
        bench.expect_started(&[0]).await;
        bench.manager.set_jobs(3);
        bench.expect_started(&[0, 1, 2]).await;
        assert_eq!(bench.manager.queue().running(), 3);
        for number in 0..4 {
            bench.finish(number);
        }
        bench.manager.wait_all(&bench.ids).await;
        assert_eq!(bench.started(), vec![0, 1, 2, 3]);
    }

    #[tokio::test]
    async fn fewer_jobs_let_running_transfers_finish_and_start_none_until_below_the_limit() {
        let bench = bench(3, 5);
        bench.expect_started(&[0, 1, 2]).await;
        bench.manager.set_jobs(1);
        assert_eq!(bench.manager.queue().jobs(), 1);
        assert_eq!(bench.state(0).await, TransferStatus::Running, "running ones are not stopped");
        bench.finish(0);
        bench.expect_started(&[0, 1, 2]).await;
        bench.finish(2);
        bench.expect_started(&[0, 1, 2]).await;
        assert_eq!(bench.manager.queue().running(), 1);
        bench.finish(1);
        bench.expect_started(&[0, 1, 2, 3]).await;
        assert_eq!(bench.manager.queue().running(), 1);
        bench.manager.set_jobs(0);
        assert_eq!(bench.manager.queue().jobs(), 1, "at least one slot");
        bench.finish(3);
        bench.finish(4);
        bench.manager.wait_all(&bench.ids).await;
        assert_eq!(bench.started(), vec![0, 1, 2, 3, 4]);
    }
}
