//! Typed indices into lantu's owned vectors, so that a building index is never used
//! to look up a community.

use serde::{Deserialize, Serialize};

macro_rules! id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        pub struct $name(pub u32);

        impl $name {
            /// The index into the owning vector.
            pub fn index(self) -> usize {
                self.0 as usize
            }
            /// The id of the `i`-th item of the owning vector.
            pub fn from_index(i: usize) -> Self {
                Self(u32::try_from(i).expect("more than u32::MAX items"))
            }
        }
    };
}

id!(
    /// Index of a [`crate::Community`] in [`crate::Dataset::communities`].
    CommunityId
);
id!(
    /// Index of a [`crate::Street`] in [`crate::Dataset::streets`].
    StreetId
);
id!(
    /// Index of a [`crate::Building`] in [`crate::Dataset::buildings`].
    BuildingId
);
id!(
    /// Index of a [`crate::Facility`] in [`crate::Dataset::facilities`].
    FacilityId
);
id!(
    /// Index of a [`crate::CandidateSite`] in [`crate::Dataset::candidates`].
    CandidateId
);
