//! A token bucket: how long to wait before handling the next message.

use std::time::{Duration, Instant};

pub(crate) struct TokenBucket {
    per_second: f64,
    capacity: f64,
    tokens: f64,
    refilled: Instant,
}

impl TokenBucket {
    /// `per_second` sustained, bursts of twice that.
    pub(crate) fn new(per_second: u32) -> Self {
        let per_second = f64::from(per_second.max(1));
        Self { per_second, capacity: per_second * 2.0, tokens: per_second * 2.0, refilled: Instant::now() }
    }

    /// Takes a token; `Some(wait)` if the caller must first wait that long.
    pub(crate) fn take(&mut self) -> Option<Duration> {
        self.take_at(Instant::now())
    }

    fn take_at(&mut self, now: Instant) -> Option<Duration> {
        let elapsed = now.saturating_duration_since(self.refilled).as_secs_f64();
        self.tokens = (self.tokens + elapsed * self.per_second).min(self.capacity);
        self.refilled = now;
        self.tokens -= 1.0;
        (self.tokens < 0.0).then(|| Duration::from_secs_f64(-self.tokens / self.per_second))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bursts_pass_then_the_rate_holds() {
        let start = Instant::now();
        let mut bucket = TokenBucket::new(10);
        bucket.refilled = start;
        for _ in 0..20 {
            assert_eq!(bucket.take_at(start), None);
        }
        let wait = bucket.take_at(start).expect("the burst is spent");
        assert!((wait.as_secs_f64() - 0.1).abs() < 1e-9, "{wait:?}");
        // A second later ten more have come back.
        let later = start + Duration::from_secs(1);
        for _ in 0..9 {
            assert_eq!(bucket.take_at(later), None);
        }
    }
}
