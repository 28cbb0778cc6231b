//! Units as newtypes, so that a distance is never added to an area by mistake.
//!
//! Every measure lantu computes lives in a metric CRS, so these are plain metres
//! and square metres on the ground.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::ops::{Add, AddAssign, Div, Mul, Sub};

macro_rules! unit {
    ($(#[$doc:meta])* $name:ident, $suffix:literal) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, Default, PartialEq, PartialOrd, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub f64);

        impl $name {
            /// Zero of this unit.
            pub const ZERO: Self = Self(0.0);
            /// The raw number.
            pub fn value(self) -> f64 {
                self.0
            }
        }
        impl Add for $name {
            type Output = Self;
            fn add(self, o: Self) -> Self {
                Self(self.0 + o.0)
            }
        }
        impl AddAssign for $name {
            fn add_assign(&mut self, o: Self) {
                self.0 += o.0;
            }
        }
        impl Sub for $name {
            type Output = Self;
            fn sub(self, o: Self) -> Self {
                Self(self.0 - o.0)
            }
        }
        impl Mul<f64> for $name {
            type Output = Self;
            fn mul(self, k: f64) -> Self {
                Self(self.0 * k)
            }
        }
        impl Div<f64> for $name {
            type Output = Self;
            fn div(self, k: f64) -> Self {
                Self(self.0 / k)
            }
        }
        impl std::iter::Sum for $name {
            fn sum<I: Iterator<Item = Self>>(it: I) -> Self {
                Self(it.map(|x| x.0).sum())
            }
        }
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{:.1} {}", self.0, $suffix)
            }
        }
    };
}

unit!(
    /// A length on the ground, in metres.
    Metres,
    "m"
);
unit!(
    /// A floor or ground area, in square metres.
    SquareMetres,
    "m²"
);
unit!(
    /// A walking time, in minutes.
    Minutes,
    "min"
);
unit!(
    /// Money, in yuan (元).
    Yuan,
    "元"
);
unit!(
    /// A number of households (户). Fractional where it was estimated or split.
    Households,
    "户"
);

impl Div<Metres> for Metres {
    type Output = f64;
    fn div(self, o: Metres) -> f64 {
        self.0 / o.0
    }
}

/// A walking speed, in metres per minute.
#[derive(Clone, Copy, Debug, PartialEq, PartialOrd, Serialize, Deserialize)]
#[serde(transparent)]
pub struct MetresPerMinute(pub f64);

impl Mul<Minutes> for MetresPerMinute {
    type Output = Metres;
    fn mul(self, t: Minutes) -> Metres {
        Metres(self.0 * t.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arithmetic_keeps_units() {
        let d = Metres(300.0) + Metres(200.0);
        assert_eq!(d, Metres(500.0));
        assert_eq!(MetresPerMinute(60.0) * Minutes(5.0), Metres(300.0));
        assert_eq!(Metres(500.0) / Metres(250.0), 2.0);
        assert_eq!(format!("{}", SquareMetres(600.0)), "600.0 m²");
    }
}
