//! Counters for `/metrics`, in the Prometheus text format.

use std::fmt::Write;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};
use std::time::Duration;

/// Upper bounds of the storage-latency buckets, in seconds.
const BUCKETS: [f64; 12] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5];

#[derive(Default)]
pub struct Metrics {
    pub(crate) connections: AtomicI64,
    pub(crate) messages_in: AtomicU64,
    pub(crate) bytes_in: AtomicU64,
    pub(crate) messages_out: AtomicU64,
    pub(crate) bytes_out: AtomicU64,
    pub(crate) refused: AtomicU64,
    pub(crate) flushes: AtomicU64,
    write_latency: Histogram,
}

#[derive(Default)]
struct Histogram {
    buckets: [AtomicU64; BUCKETS.len()],
    count: AtomicU64,
    /// Microseconds.
    sum: AtomicU64,
}

fn inc(counter: &AtomicU64, by: u64) {
    counter.fetch_add(by, Ordering::Relaxed);
}

impl Metrics {
    pub(crate) fn received(&self, bytes: usize) {
        inc(&self.messages_in, 1);
        inc(&self.bytes_in, bytes as u64);
    }

    pub(crate) fn sent(&self, bytes: usize) {
        inc(&self.messages_out, 1);
        inc(&self.bytes_out, bytes as u64);
    }

    /// One write, from the moment it was asked for until it was on disk.
    pub(crate) fn storage_write(&self, took: Duration) {
        let seconds = took.as_secs_f64();
        for (bucket, bound) in self.write_latency.buckets.iter().zip(BUCKETS) {
            if seconds <= bound {
                inc(bucket, 1);
            }
        }
        inc(&self.write_latency.count, 1);
        inc(&self.write_latency.sum, took.as_micros() as u64);
    }

    pub(crate) fn render(&self, documents_loaded: usize) -> String {
        let get = |c: &AtomicU64| c.load(Ordering::Relaxed);
        let mut out = String::new();
        let mut metric = |name: &str, kind: &str, help: &str, value: String| {
            let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}\n{name} {value}");
        };
        metric(
            "launchplan_connections",
            "gauge",
            "Open WebSocket connections.",
            self.connections.load(Ordering::Relaxed).to_string(),
        );
        metric("launchplan_documents_loaded", "gauge", "Documents in memory.", documents_loaded.to_string());
        metric(
            "launchplan_messages_in_total",
            "counter",
            "Frames received.",
            get(&self.messages_in).to_string(),
        );
        metric("launchplan_bytes_in_total", "counter", "Bytes received.", get(&self.bytes_in).to_string());
        metric(
            "launchplan_messages_out_total",
            "counter",
            "Frames sent.",
            get(&self.messages_out).to_string(),
        );
        metric("launchplan_bytes_out_total", "counter", "Bytes sent.", get(&self.bytes_out).to_string());
        metric(
            "launchplan_refused_total",
            "counter",
            "Connections closed for bad input.",
            get(&self.refused).to_string(),
        );
        metric(
            "launchplan_storage_flushes_total",
            "counter",
            "Disk flushes (each may commit many writes).",
            get(&self.flushes).to_string(),
        );
        let name = "launchplan_storage_write_seconds";
        let _ = writeln!(out, "# HELP {name} Time from a write being asked for to it being on disk.");
        let _ = writeln!(out, "# TYPE {name} histogram");
        for (bucket, bound) in self.write_latency.buckets.iter().zip(BUCKETS) {
            let _ = writeln!(out, "{name}_bucket{{le=\"{bound}\"}} {}", get(bucket));
        }
        let count = get(&self.write_latency.count);
        let _ = writeln!(out, "{name}_bucket{{le=\"+Inf\"}} {count}");
        let _ = writeln!(out, "{name}_sum {}", get(&self.write_latency.sum) as f64 / 1e6);
        let _ = writeln!(out, "{name}_count {count}");
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_counters_and_a_cumulative_histogram() {
        let metrics = Metrics::default();
        metrics.received(10);
        metrics.storage_write(Duration::from_micros(700));
        metrics.storage_write(Duration::from_millis(30));
        let text = metrics.render(3);
        assert!(text.contains("launchplan_documents_loaded 3\n"));
        assert!(text.contains("launchplan_bytes_in_total 10\n"));
        assert!(text.contains("launchplan_storage_write_seconds_bucket{le=\"0.0005\"} 0\n"));
        assert!(text.contains("launchplan_storage_write_seconds_bucket{le=\"0.001\"} 1\n"));
        assert!(text.contains("launchplan_storage_write_seconds_bucket{le=\"0.05\"} 2\n"));
        assert!(text.contains("launchplan_storage_write_seconds_count 2\n"));
    }
}
