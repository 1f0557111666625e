//! Percentiles and number formatting.

/// Nearest-rank percentile `p` (0–100) of `values`; NaN when there are none.
pub(crate) fn percentile(values: &[f64], p: f64) -> f64 {
    let mut sorted: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    if sorted.is_empty() {
        return f64::NAN;
    }
    sorted.sort_by(f64::total_cmp);
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

/// `value` with one decimal, or `-` when it is not a number.
pub(crate) fn ms(value: f64) -> String {
    if value.is_finite() { format!("{value:.1}") } else { "-".to_owned() }
}

pub(crate) fn opt_ms(value: Option<f64>) -> String {
    value.map_or_else(|| "-".to_owned(), ms)
}
