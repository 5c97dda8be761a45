//! Fault injection: random 503s from a seeded RNG, added latency, bandwidth caps, dropped
//! connections and wrong CRCs. Off unless configured.

use std::sync::{Mutex, RwLock};
use std::time::{Duration, Instant};

use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};

use crate::config::Faults;

pub struct FaultInjector {
    faults: RwLock<Faults>,
    rng: Mutex<SmallRng>,
}

impl FaultInjector {
    pub fn new(faults: Faults) -> Self {
        let rng = SmallRng::seed_from_u64(faults.seed);
        Self { faults: RwLock::new(faults), rng: Mutex::new(rng) }
    }

    /// Replaces the faults and reseeds the RNG.
    pub fn set(&self, faults: Faults) {
        *self.rng.lock().unwrap_or_else(|p| p.into_inner()) = SmallRng::seed_from_u64(faults.seed);
        *self.faults.write().unwrap_or_else(|p| p.into_inner()) = faults;
    }

    pub fn current(&self) -> Faults {
        self.faults.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Draws whether this request gets an injected 503.
    pub fn draw_503(&self, ratio: f64) -> bool {
        if ratio <= 0.0 {
            return false;
        }
        let roll: f64 = self.rng.lock().unwrap_or_else(|p| p.into_inner()).random();
        roll < ratio
    }
}

/// Paces a body to `bytes_per_sec`: after `n` bytes it may not be earlier than `start + n / rate`.
#[derive(Debug)]
pub struct Throttle {
    bytes_per_sec: u64,
    started: Instant,
    transferred: u64,
}

impl Throttle {
    pub fn new(bytes_per_sec: u64) -> Self {
        Self { bytes_per_sec: bytes_per_sec.max(1), started: Instant::now(), transferred: 0 }
    }

    /// The largest piece to pass at once, so pacing stays smooth (a twentieth of a second).
    pub fn max_chunk(&self) -> usize {
        (self.bytes_per_sec / 20).clamp(512, 1 << 20) as usize
    }

    /// Records `bytes` more and returns how long to wait before the next piece.
    pub fn delay_after(&mut self, bytes: usize) -> Option<Duration> {
        self.transferred += bytes as u64;
        let due = Duration::from_secs_f64(self.transferred as f64 / self.bytes_per_sec as f64);
        due.checked_sub(self.started.elapsed()).filter(|wait| !wait.is_zero())
    }
}

/// A CRC other than the real one, for `corrupt_crc`.
pub fn corrupted_crc(real: &str) -> String {
    let value: u64 = real.parse().unwrap_or(0);
    (value ^ 0x00FF_0000_0000_FF01).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_draws_the_same_faults() {
        let faults = Faults { error_503_ratio: 0.5, seed: 7, ..Faults::default() };
        let a = FaultInjector::new(faults.clone());
        let b = FaultInjector::new(faults);
        let draws_a: Vec<bool> = (0..64).map(|_| a.draw_503(0.5)).collect();
        let draws_b: Vec<bool> = (0..64).map(|_| b.draw_503(0.5)).collect();
        assert_eq!(draws_a, draws_b);
        assert!(draws_a.iter().any(|d| *d) && draws_a.iter().any(|d| !*d));
        assert!(!a.draw_503(0.0));
    }

    #[test]
    fn throttle_asks_to_wait_once_ahead_of_the_rate() {
        let mut throttle = Throttle::new(1000);
        let wait = throttle.delay_after(500).unwrap();
        assert!(wait > Duration::from_millis(400) && wait <= Duration::from_millis(500), "{wait:?}");
        assert_eq!(corrupted_crc("0"), (0x00FF_0000_0000_FF01u64).to_string());
    }
}
