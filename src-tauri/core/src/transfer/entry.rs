//! One transfer's state machine: what the user wants of it (run, pause, cancel), where it is
//! (queued, running, verifying, paused, done, failed, cancelled), who is driving it, and the
//! events and snapshots that report it.

use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, Weak};
use std::time::Instant;

use tokio::sync::Notify;

use super::checkpoint::CheckpointStore;
use super::env::{Env, Outcome, Work};
use super::progress::{
    Counters, Direction, EventSink, RateMeter, TransferError, TransferEvent, TransferId, TransferSnapshot,
    TransferStatus, PROGRESS_INTERVAL,
};
use super::verify::Verification;
use super::TransferOptions;
use crate::client::Client;
use crate::error::{Error, Result};

pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // Plain bookkeeping: a panic elsewhere cannot leave it half-updated in a way that matters.
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// What a new entry is made of.
pub(crate) struct NewEntry<'a> {
    pub id: TransferId,
    pub job: Option<Box<dyn Work>>,
    pub direction: Direction,
    pub source: String,
    pub destination: String,
    pub total: u64,
    pub client: &'a Client,
    pub options: &'a Arc<TransferOptions>,
    pub checkpoints: &'a Arc<CheckpointStore>,
    pub events: &'a EventSink,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Desired {
    Run,
    Pause,
    Cancel,
}

/// One transfer. Waiting and paused ones are only this: no task runs for them.
pub(crate) struct Entry {
    pub id: TransferId,
    direction: Direction,
    source: String,
    /// `None` for a transfer refused before it could start: it never runs.
    job: Option<Box<dyn Work>>,
    env: Env,
    sink: EventSink,
    desired: Mutex<Desired>,
    /// Wakes the running driver when `desired` changes.
    wake: Notify,
    state: Mutex<State>,
    /// Wakes the waiters when the status or `driving` changes.
    changed: Notify,
    /// A driver (or a cancel's clean-up) is working on it.
    driving: AtomicBool,
    /// In the queue's line.
    pub queued: AtomicBool,
}

#[derive(Default)]
struct State {
    status: TransferStatus,
    destination: String,
    skipped: bool,
    verification: Option<Verification>,
    error: Option<TransferError>,
    meter: RateMeter,
    last_emit: Option<Instant>,
    last_sent: Option<(TransferStatus, u64, u64)>,
}

impl Entry {
    /// A queued transfer (not yet in line), its `Queued` event sent.
    pub fn create(new: NewEntry<'_>) -> Arc<Entry> {
        let counters = Arc::new(Counters::default());
        counters.set_total(new.total);
        let entry = Arc::new_cyclic(|weak: &Weak<Entry>| {
            let weak = weak.clone();
            Entry {
                id: new.id,
                direction: new.direction,
                source: new.source,
                job: new.job,
                env: Env {
                    client: new.client.clone(),
                    options: new.options.clone(),
                    checkpoints: new.checkpoints.clone(),
                    counters,
                    phase: Arc::new(move |phase| {
                        if let Some(entry) = weak.upgrade() {
                            entry.set_status(phase);
                        }
                    }),
                },
                sink: new.events.clone(),
                desired: Mutex::new(Desired::Run),
                wake: Notify::new(),
                state: Mutex::new(State {
                    status: TransferStatus::Queued,
                    destination: new.destination,
                    ..State::default()
                }),
                changed: Notify::new(),
                driving: AtomicBool::new(false),
                queued: AtomicBool::new(false),
            }
        });
        entry.emit(TransferEvent::Queued { transfer: entry.snapshot() });
        entry
    }

    /// Takes a transfer the queue reached: `false` when it was paused or cancelled while it
    /// waited (resume and cancel take it from there).
    pub fn claim_for_slot(&self) -> bool {
        *lock(&self.desired) == Desired::Run && !self.driving.swap(true, Ordering::AcqRel)
    }

    /// Stops moving bytes and keeps the checkpoint; parts in flight are dropped.
    pub fn pause(&self) -> Result<()> {
        let id = self.id;
        if self.status().is_terminal() {
            return Err(Error::invalid_input(format!("transfer {id} has ended; there is nothing to pause")));
        }
        // `desired` changes under its lock, and whoever sets `driving` acts on the transfer.
        let owner = {
            let mut desired = lock(&self.desired);
            if *desired != Desired::Run {
                return Ok(());
            }
            *desired = Desired::Pause;
            !self.driving.swap(true, Ordering::AcqRel)
        };
        if owner {
            // Waiting in the queue: it stays there, skipped, until resumed.
            self.set_status(TransferStatus::Paused);
            self.set_driving(false);
        } else {
            self.wake.notify_one();
        }
        Ok(())
    }

    /// Continues a paused transfer, or tries a failed one again. `Ok(true)`: it must go back in
    /// line; otherwise it is queued, or its driver is still stopping and will put it back.
    pub fn resume(&self) -> Result<bool> {
        let id = self.id;
        match self.status() {
            TransferStatus::Done | TransferStatus::Cancelled => {
                return Err(Error::invalid_input(format!("transfer {id} has ended; start it again instead")));
            }
            TransferStatus::Failed if self.job.is_none() => {
                let reason = lock(&self.state).error.as_ref().map(|e| e.message.clone()).unwrap_or_default();
                return Err(Error::invalid_input(format!("transfer {id} cannot be tried again: {reason}")));
            }
            _ => {}
        }
        let owner = {
            let mut desired = lock(&self.desired);
            if *desired == Desired::Cancel {
                return Err(Error::invalid_input(format!("transfer {id} is being cancelled")));
            }
            *desired = Desired::Run;
            matches!(self.status(), TransferStatus::Paused | TransferStatus::Failed)
                && !self.driving.swap(true, Ordering::AcqRel)
        };
        if owner {
            lock(&self.state).error = None;
            self.set_status(TransferStatus::Queued);
            self.set_driving(false);
        }
        Ok(owner)
    }

    /// Stops for good: aborts the multipart upload on OSS, or deletes the part file.
    pub fn cancel(self: &Arc<Self>) -> Result<()> {
        let id = self.id;
        if matches!(self.status(), TransferStatus::Done | TransferStatus::Cancelled) {
            return Err(Error::invalid_input(format!("transfer {id} has ended; there is nothing to cancel")));
        }
        let owner = {
            let mut desired = lock(&self.desired);
            if *desired == Desired::Cancel {
                return Ok(());
            }
            *desired = Desired::Cancel;
            !self.driving.swap(true, Ordering::AcqRel)
        };
        if owner {
            // Queued, paused or failed: clean up here (the queue skips it).
            let entry = self.clone();
            tokio::spawn(async move {
                entry.conclude_cancelled().await;
                entry.set_driving(false);
            });
        } else {
            // Running: its driver stops it and cleans up.
            self.wake.notify_one();
        }
        Ok(())
    }

    /// Waits until `ready` holds for its status and no driver works on it.
    pub async fn wait_for(&self, ready: impl Fn(TransferStatus) -> bool) -> TransferSnapshot {
        loop {
            let changed = self.changed.notified();
            tokio::pin!(changed);
            changed.as_mut().enable();
            if ready(self.status()) && !self.driving.load(Ordering::Acquire) {
                return self.snapshot();
            }
            changed.await;
        }
    }

    /// A bug, not a transfer error: still end in a state the UI can act on.
    pub fn conclude_after_panic(&self) {
        self.conclude(Err(Error::new(crate::error::ErrorKind::Io, "the transfer stopped on an internal error")));
        self.set_driving(false);
    }

    /// Hands an event to the sink; a sink that panics (a closed pipe, say) loses the event but
    /// cannot stop the transfer.
    pub fn emit(&self, event: TransferEvent) {
        let _ = std::panic::catch_unwind(AssertUnwindSafe(|| (self.sink)(event)));
    }

    /// The objects a management job could not handle in its last run.
    pub fn failures(&self) -> Vec<crate::manage::ItemFailure> {
        self.job.as_ref().map(|job| job.failures()).unwrap_or_default()
    }

    pub fn status(&self) -> TransferStatus {
        lock(&self.state).status
    }

    pub fn set_driving(&self, driving: bool) {
        self.driving.store(driving, Ordering::Release);
        self.changed.notify_waiters();
    }

    pub fn snapshot(&self) -> TransferSnapshot {
        let state = lock(&self.state);
        let (done, total) = (self.env.counters.done(), self.env.counters.total());
        let moving = matches!(state.status, TransferStatus::Running | TransferStatus::Verifying);
        TransferSnapshot {
            id: self.id,
            direction: self.direction,
            source: self.source.clone(),
            destination: state.destination.clone(),
            state: state.status,
            done,
            total,
            bytes_per_sec: if moving { state.meter.bytes_per_sec() } else { 0 },
            eta_secs: if moving { state.meter.eta_secs(done, total) } else { None },
            skipped: state.skipped,
            verification: state.verification,
            error: state.error.clone(),
        }
    }

    /// A new non-final state, reported at once.
    pub fn set_status(&self, status: TransferStatus) {
        {
            let mut state = lock(&self.state);
            state.status = status;
            if status == TransferStatus::Running {
                state.meter.reset();
            }
        }
        self.emit_progress(true);
        self.changed.notify_waiters();
    }

    /// A progress event, unless nothing changed or (for a mere tick) the last one was less than
    /// 100 ms ago.
    pub fn emit_progress(&self, forced: bool) {
        let (done, total) = (self.env.counters.done(), self.env.counters.total());
        let now = Instant::now();
        let event = {
            let mut state = lock(&self.state);
            let status = state.status;
            state.meter.sample(now, done);
            let changed = state.last_sent != Some((status, done, total));
            let due = forced || state.last_emit.is_none_or(|at| now.duration_since(at) >= PROGRESS_INTERVAL);
            if !changed || !due {
                return;
            }
            state.last_emit = Some(now);
            state.last_sent = Some((status, done, total));
            let moving = matches!(status, TransferStatus::Running | TransferStatus::Verifying);
            TransferEvent::Progress {
                id: self.id,
                state: status,
                done,
                total,
                bytes_per_sec: if moving { state.meter.bytes_per_sec() } else { 0 },
                eta_secs: if moving { state.meter.eta_secs(done, total) } else { None },
            }
        };
        self.emit(event);
    }

    /// The final state and event.
    pub fn conclude(&self, result: Result<Outcome>) {
        let (done, total) = (self.env.counters.done(), self.env.counters.total());
        let event = {
            let mut state = lock(&self.state);
            match result {
                Ok(outcome) => {
                    state.status = TransferStatus::Done;
                    state.destination = outcome.destination.clone();
                    state.skipped = outcome.skipped;
                    state.verification = outcome.verification;
                    TransferEvent::Finished {
                        id: self.id,
                        destination: outcome.destination,
                        done,
                        total,
                        skipped: outcome.skipped,
                        verification: outcome.verification,
                    }
                }
                Err(err) => {
                    let error = TransferError::from(&err);
                    state.status = TransferStatus::Failed;
                    state.error = Some(error.clone());
                    TransferEvent::Failed { id: self.id, done, total, error }
                }
            }
        };
        self.emit(event);
        self.changed.notify_waiters();
    }

    pub async fn conclude_cancelled(&self) {
        if let Some(job) = &self.job {
            job.clean_up_after_cancel(&self.env).await;
        }
        let (done, total) = (self.env.counters.done(), self.env.counters.total());
        lock(&self.state).status = TransferStatus::Cancelled;
        self.emit(TransferEvent::Cancelled { id: self.id, done, total });
        tracing::info!(id = self.id, "transfer cancelled");
        self.changed.notify_waiters();
    }
}

/// Runs one transfer in `slot` (held until the work stops), until it ends or is paused or
/// cancelled (a pause drops the work, whose checkpoint is saved as it goes). Clears `driving`
/// when it is done with the transfer, or returns the transfer, still marked driving, to go back
/// in line.
pub(crate) async fn drive<Slot: Send>(entry: Arc<Entry>, slot: Slot) -> Option<Arc<Entry>> {
    let Some(job) = &entry.job else {
        entry.conclude(Err(Error::invalid_input("this transfer was refused before it started")));
        entry.set_driving(false);
        return None;
    };
    entry.set_status(TransferStatus::Running);
    let finished = {
        // Boxed (by `Work::run`): the work's state is large and only exists while it runs.
        let mut work = job.run(&entry.env);
        let mut ticker = tokio::time::interval(PROGRESS_INTERVAL);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
        loop {
            // Verifying is the commit (CompleteMultipartUpload, the final rename): it finishes.
            if *lock(&entry.desired) != Desired::Run && entry.status() != TransferStatus::Verifying {
                break None;
            }
            tokio::select! {
                result = &mut work => break Some(result),
                () = entry.wake.notified() => {}
                _ = ticker.tick() => entry.emit_progress(false),
            }
        }
    };
    drop(slot);
    if let Some(result) = finished {
        entry.emit_progress(true);
        if result.is_err() && *lock(&entry.desired) == Desired::Cancel {
            // Cancelled while it was committing, and the commit failed: cancelled it is.
            entry.conclude_cancelled().await;
        } else {
            entry.conclude(result);
        }
        entry.set_driving(false);
        return None;
    }
    if *lock(&entry.desired) == Desired::Pause {
        entry.set_status(TransferStatus::Paused);
    }
    // Decided under the lock that pause, resume and cancel take: each either sees this driver
    // still in charge (and leaves the rest to it) or sees it gone (and acts itself).
    let desired = {
        let desired = lock(&entry.desired);
        if *desired == Desired::Pause {
            entry.driving.store(false, Ordering::Release);
        }
        *desired
    };
    match desired {
        Desired::Pause => {
            entry.changed.notify_waiters();
            None
        }
        Desired::Run => {
            entry.set_status(TransferStatus::Queued);
            Some(entry.clone())
        }
        Desired::Cancel => {
            entry.conclude_cancelled().await;
            entry.set_driving(false);
            None
        }
    }
}
