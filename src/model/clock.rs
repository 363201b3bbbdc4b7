//! How wall-clock time on the page becomes simulated time.

/// Simulated milliseconds per wall millisecond, slowest first. The slow end
/// lets a 50 ms message take seconds to cross the screen; the fast end runs
/// a workload long enough to see statistics settle.
pub const SPEEDS: [f64; 11] = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0, 50.0];

/// Slow motion on a first visit: a 50 ms message takes a second to cross.
pub const DEFAULT_SPEED_STEP: usize = 2;

/// A frame longer than this (a background tab, a debugger pause) is treated
/// as this long, so the simulation never leaps ahead while nobody watches.
const MAX_FRAME_MS: f64 = 100.0;

pub fn speed_label(step: usize) -> String {
    let s = SPEEDS[step.min(SPEEDS.len() - 1)];
    if s < 1.0 {
        format!("{}× (slow motion)", s)
    } else {
        format!("{}×", s)
    }
}

/// Simulated microseconds to advance for a frame of `wall_ms` at `step`.
pub fn advance_us(wall_ms: f64, step: usize) -> u64 {
    if !wall_ms.is_finite() || wall_ms <= 0.0 {
        return 0;
    }
    let speed = SPEEDS[step.min(SPEEDS.len() - 1)];
    (wall_ms.min(MAX_FRAME_MS) * speed * 1000.0).round() as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_are_capped_and_scaled() {
        assert_eq!(advance_us(16.0, 6), 16_000);
        assert_eq!(advance_us(16.0, 0), 160);
        assert_eq!(
            advance_us(10_000.0, 6),
            100_000,
            "a stalled tab does not leap"
        );
        assert_eq!(advance_us(f64::NAN, 6), 0);
        assert_eq!(advance_us(-5.0, 6), 0);
    }

    #[test]
    fn labels_say_slow_motion() {
        assert_eq!(speed_label(DEFAULT_SPEED_STEP), "0.05× (slow motion)");
        assert_eq!(speed_label(99), "50×");
    }
}
