//! Hybrid logical clocks (Kulkarni et al., "Logical Physical Clocks", 2014): a stamp that
//! stays close to the wall clock, yet never goes backwards on a device and always sorts after
//! every stamp the device has seen from others. Two devices whose clocks differ by hours (or a
//! day) still order their changes sensibly: whatever a device does after reading another's
//! segments sorts after what it read, however slow its own clock.
//!
//! The order is total: wall time, then counter, then device name. No two events share a
//! stamp: a device's own stamps strictly increase, and two devices differ by name.

use serde::{Deserialize, Serialize};
use std::fmt;

/// One stamp. Field order is the sort order (derived `Ord`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Hlc {
    /// Milliseconds since the Unix epoch: the largest wall time seen when the stamp was made.
    pub wall_ms: u64,
    /// Orders stamps that share a wall time.
    pub counter: u32,
    /// The device that made the stamp.
    pub device: String,
}

impl fmt::Display for Hlc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}@{}", self.wall_ms, self.counter, self.device)
    }
}

/// A device's clock: the last stamp it made or saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clock {
    device: String,
    wall_ms: u64,
    counter: u32,
}

impl Clock {
    /// A clock for `device` that has seen nothing yet.
    pub fn new(device: &str) -> Clock {
        Clock { device: device.to_string(), wall_ms: 0, counter: 0 }
    }

    /// A clock resumed from the last stamp this device made (kept by the store).
    pub fn resume(last: &Hlc) -> Clock {
        Clock { device: last.device.clone(), wall_ms: last.wall_ms, counter: last.counter }
    }

    pub fn device(&self) -> &str {
        &self.device
    }

    /// A stamp for a local event, `physical_ms` being the wall clock now (see [`wall_ms`]).
    /// Strictly after every stamp this clock made or observed.
    pub fn now(&mut self, physical_ms: u64) -> Hlc {
        if physical_ms > self.wall_ms {
            self.wall_ms = physical_ms;
            self.counter = 0;
        } else {
            self.tick();
        }
        self.stamp()
    }

    /// Takes in a stamp read from another device (or this one's own segments): the clock
    /// moves past it, so what this device does next sorts after it. Returns the stamp made.
    pub fn observe(&mut self, remote: &Hlc, physical_ms: u64) -> Hlc {
        let wall = self.wall_ms.max(remote.wall_ms).max(physical_ms);
        let counter = match (wall == self.wall_ms, wall == remote.wall_ms) {
            (true, true) => Some(self.counter.max(remote.counter)),
            (true, false) => Some(self.counter),
            (false, true) => Some(remote.counter),
            (false, false) => None, // the wall clock is ahead of both: a fresh millisecond
        };
        self.wall_ms = wall;
        match counter {
            Some(c) => {
                self.counter = c;
                self.tick();
            }
            None => self.counter = 0,
        }
        self.stamp()
    }

    /// One step on: the counter, or the next millisecond when the counter is full.
    fn tick(&mut self) {
        match self.counter.checked_add(1) {
            Some(c) => self.counter = c,
            None => {
                self.wall_ms = self.wall_ms.saturating_add(1);
                self.counter = 0;
            }
        }
    }

    fn stamp(&self) -> Hlc {
        Hlc { wall_ms: self.wall_ms, counter: self.counter, device: self.device.clone() }
    }
}

/// The system's wall clock in milliseconds since the Unix epoch (0 before it).
pub fn wall_ms() -> u64 {
    let now = std::time::SystemTime::now();
    now.duration_since(std::time::UNIX_EPOCH).map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const DAY: u64 = 24 * 3600 * 1000;

    #[test]
    fn a_stamp_follows_the_wall_clock_and_never_goes_back() {
        let mut c = Clock::new("laptop");
        let a = c.now(1_000);
        assert_eq!((a.wall_ms, a.counter), (1_000, 0));
        let b = c.now(1_000);
        assert_eq!((b.wall_ms, b.counter), (1_000, 1));
        let back = c.now(500); // the clock was set back
        assert!(back > b);
        assert_eq!((back.wall_ms, back.counter), (1_000, 2));
        assert_eq!(c.now(2_000).counter, 0);
    }

    #[test]
    fn a_device_a_day_behind_still_orders_its_reply_after_what_it_read() {
        let mut ahead = Clock::new("desktop");
        let mut behind = Clock::new("laptop");
        let t = 1_800_000_000_000;
        let decided = ahead.now(t + DAY);
        behind.observe(&decided, t);
        let changed_mind = behind.now(t + 1);
        assert!(changed_mind > decided, "what the laptop did after reading sorts after it");
        assert_eq!(changed_mind.wall_ms, t + DAY, "the stamp stays on the later clock");
        // Once the laptop's own clock passes, it goes on from its own wall time.
        assert_eq!(behind.now(t + 2 * DAY).wall_ms, t + 2 * DAY);
    }

    #[test]
    fn stamps_of_two_devices_at_one_instant_are_told_apart_by_device() {
        let a = Clock::new("a").now(5);
        let b = Clock::new("b").now(5);
        assert!(a < b);
        assert_ne!(a, b);
        assert_eq!(a.to_string(), "5.0@a");
    }

    #[test]
    fn a_full_counter_moves_on_to_the_next_millisecond() {
        let mut c = Clock::resume(&Hlc { wall_ms: 7, counter: u32::MAX, device: "a".into() });
        let next = c.now(7);
        assert_eq!((next.wall_ms, next.counter), (8, 0));
    }

    #[derive(Debug, Clone)]
    enum Step {
        Local { device: usize, wall: u64 },
        Receive { device: usize, from: usize, wall: u64 },
    }

    fn step() -> impl Strategy<Value = Step> {
        // Wall clocks that jump around by up to two days either way, and stand still often.
        let wall = prop_oneof![Just(1_000u64), 0u64..3 * DAY];
        prop_oneof![
            (0..3usize, wall.clone()).prop_map(|(device, wall)| Step::Local { device, wall }),
            (0..3usize, 0..3usize, wall).prop_map(|(device, from, wall)| Step::Receive { device, from, wall }),
        ]
    }

    proptest! {
        /// Whatever the wall clocks do: each device's stamps strictly increase, a stamp made
        /// after receiving another sorts after it, and no two stamps are equal (a total order).
        #[test]
        fn stamps_are_monotonic_causal_and_unique(steps in proptest::collection::vec(step(), 1..200)) {
            let mut clocks: Vec<Clock> = ["a", "b", "c"].iter().map(|d| Clock::new(d)).collect();
            let mut last: Vec<Option<Hlc>> = vec![None; 3];
            let mut all: Vec<Hlc> = Vec::new();
            for s in steps {
                let (device, stamp) = match s {
                    Step::Local { device, wall } => (device, clocks[device].now(wall)),
                    Step::Receive { device, from, wall } => {
                        let Some(sent) = last[from].clone() else { continue };
                        let got = clocks[device].observe(&sent, wall);
                        prop_assert!(got > sent, "{got} after {sent}");
                        (device, got)
                    }
                };
                if let Some(prev) = &last[device] {
                    prop_assert!(stamp > *prev, "{stamp} after {prev}");
                }
                last[device] = Some(stamp.clone());
                all.push(stamp);
            }
            let n = all.len();
            all.sort();
            all.dedup();
            prop_assert_eq!(all.len(), n);
        }
    }
}
