//! Statistics over simulated time, for a chart of the whole run.
//!
//! Counted by the world at the moment each thing happens, so a column holds
//! exactly what happened in its stretch of simulated time, however the run
//! was driven (frame by frame, replayed, or sought). At most [`BUCKETS`]
//! columns: when the run outgrows them, neighbours merge in pairs and the
//! width doubles, so memory is fixed however long the run.

/// Chart columns: enough to see a dip, few enough to draw every frame.
pub const BUCKETS: usize = 48;

/// Simulated time per column at the start of a run.
const FIRST_WIDTH_US: u64 = 500_000;

/// What happened during one column of simulated time.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Bucket {
    pub reads: u64,
    pub stale_reads: u64,
    /// Operations that ended, and those of them that succeeded.
    pub completed: u64,
    pub succeeded: u64,
    pub elections: u64,
}

impl Bucket {
    fn add(&mut self, more: Bucket) {
        self.reads += more.reads;
        self.stale_reads += more.stale_reads;
        self.completed += more.completed;
        self.succeeded += more.succeeded;
        self.elections += more.elections;
    }

    pub fn stale_percent(&self) -> Option<f64> {
        percent(self.stale_reads, self.reads)
    }

    pub fn availability_percent(&self) -> Option<f64> {
        percent(self.succeeded, self.completed)
    }
}

/// `part` of `whole` in percent; `None` when there is no whole to speak of.
pub fn percent(part: u64, whole: u64) -> Option<f64> {
    (whole > 0).then(|| 100.0 * part as f64 / whole as f64)
}

#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    width_us: u64,
    /// Column i covers [i·width, (i+1)·width) of simulated time.
    buckets: Vec<Bucket>,
}

impl Default for Series {
    fn default() -> Self {
        Series {
            width_us: FIRST_WIDTH_US,
            buckets: Vec::with_capacity(BUCKETS),
        }
    }
}

impl Series {
    /// Adds `delta` to the column holding `at_us`.
    pub fn record(&mut self, at_us: u64, delta: Bucket) {
        while at_us / self.width_us >= BUCKETS as u64 {
            self.merge_pairs();
        }
        let index = (at_us / self.width_us) as usize;
        if self.buckets.len() <= index {
            self.buckets.resize(index + 1, Bucket::default());
        }
        self.buckets[index].add(delta);
    }

    /// Extends the columns to `at_us` with empty ones, so the chart's time
    /// axis reaches the present even while nothing is counted.
    pub fn reach(&mut self, at_us: u64) {
        self.record(at_us, Bucket::default());
    }

    fn merge_pairs(&mut self) {
        self.buckets = self
            .buckets
            .chunks(2)
            .map(|pair| {
                let mut merged = pair[0];
                if let Some(&second) = pair.get(1) {
                    merged.add(second);
                }
                merged
            })
            .collect();
        self.width_us *= 2;
    }

    pub fn buckets(&self) -> &[Bucket] {
        &self.buckets
    }

    pub fn width_us(&self) -> u64 {
        self.width_us
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reads(reads: u64, stale_reads: u64) -> Bucket {
        Bucket {
            reads,
            stale_reads,
            ..Bucket::default()
        }
    }

    #[test]
    fn percentages_need_a_whole() {
        assert_eq!(percent(1, 4), Some(25.0));
        assert_eq!(percent(0, 0), None);
        assert_eq!(reads(8, 2).stale_percent(), Some(25.0));
        let b = Bucket {
            completed: 10,
            succeeded: 9,
            ..Bucket::default()
        };
        assert_eq!(b.availability_percent(), Some(90.0));
        assert_eq!(Bucket::default().availability_percent(), None);
    }

    #[test]
    fn samples_land_in_the_bucket_of_their_time() {
        let mut s = Series::default();
        s.record(0, reads(1, 0));
        s.record(FIRST_WIDTH_US - 1, reads(1, 1));
        s.record(3 * FIRST_WIDTH_US, reads(2, 0));
        assert_eq!(
            s.buckets,
            &[reads(2, 1), reads(0, 0), reads(0, 0), reads(2, 0)]
        );
    }

    #[test]
    fn a_long_run_merges_buckets_and_keeps_every_count() {
        let mut s = Series::default();
        let hours = 3 * 3600 * 1_000_000u64;
        let mut t = 0;
        let mut samples = 0u64;
        while t < hours {
            s.record(t, reads(3, 1));
            t += 16_000 * 50;
            samples += 1;
        }
        assert!(s.buckets.len() <= BUCKETS);
        assert!(s.buckets.len() > BUCKETS / 2, "the chart stays filled");
        assert!(s.width_us as f64 * BUCKETS as f64 >= hours as f64);
        let total: u64 = s.buckets.iter().map(|b| b.reads).sum();
        assert_eq!(total, 3 * samples);
        let stale: u64 = s.buckets.iter().map(|b| b.stale_reads).sum();
        assert_eq!(stale, samples);
    }

    #[test]
    fn a_merge_adds_neighbours_in_pairs() {
        let mut s = Series::default();
        for i in 0..BUCKETS as u64 {
            s.record(i * FIRST_WIDTH_US, reads(i, 0));
        }
        s.record(BUCKETS as u64 * FIRST_WIDTH_US, reads(100, 0));
        assert_eq!(s.width_us, 2 * FIRST_WIDTH_US);
        assert_eq!(s.buckets.len(), BUCKETS / 2 + 1);
        assert_eq!(s.buckets[0].reads, 1);
        assert_eq!(s.buckets[1].reads, 2 + 3);
        assert_eq!(s.buckets[BUCKETS / 2].reads, 100);
    }
}
