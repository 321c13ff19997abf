//! Percentiles of latencies (nearest rank: every figure reported is one that was measured).

use std::time::Duration;

#[derive(Debug, Clone, Copy)]
pub struct Summary {
    pub count: usize,
    pub p50: Duration,
    pub p99: Duration,
    pub max: Duration,
}

pub fn summarize(mut samples: Vec<Duration>) -> Option<Summary> {
    if samples.is_empty() {
        return None;
    }
    samples.sort();
    let rank = |p: f64| {
        let k = (p * samples.len() as f64).ceil() as usize;
        samples[k.clamp(1, samples.len()) - 1]
    };
    Some(Summary {
        count: samples.len(),
        p50: rank(0.50),
        p99: rank(0.99),
        max: samples[samples.len() - 1],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank() {
        let ms = |v: &[u64]| v.iter().map(|&m| Duration::from_millis(m)).collect::<Vec<_>>();
        let s = summarize(ms(&[5, 1, 4, 2, 3])).unwrap();
        assert_eq!(
            (s.count, s.p50, s.p99, s.max),
            (5, ms(&[3])[0], ms(&[5])[0], ms(&[5])[0])
        );
        let s = summarize((1..=100).map(Duration::from_millis).collect()).unwrap();
        assert_eq!(
            (s.p50, s.p99),
            (Duration::from_millis(50), Duration::from_millis(99))
        );
        assert!(summarize(Vec::new()).is_none());
    }
}
