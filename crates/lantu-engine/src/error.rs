//! What can stop a run.

use lantu_core::{Lang, Localized};

/// Why the engine could not produce a blueprint.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// The walking network was asked for, but the dataset has no walkways.
    NoWalkways,
    /// Ground heights could not be sampled.
    Heights(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// A coverage area could not be traced.
    Tracing {
        /// The kind's code.
        kind: String,
        /// The circle's name.
        circle: String,
        /// What went wrong.
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
}

impl Localized for EngineError {
    fn message(&self, lang: Lang) -> String {
        match self {
            EngineError::NoWalkways => lang
                .pick(
                    "步行网络分析需要步行道图层，而数据中没有",
                    "the walking-network metric needs walkways, and the data has none",
                )
                .into(),
            EngineError::Heights(_) => lang.pick("地面高程取样失败", "cannot sample ground heights").into(),
            EngineError::Tracing { kind, circle, .. } => lang.pick(
                format!("{kind}（{circle}）的覆盖范围生成失败"),
                format!("cannot trace the coverage area of {kind} ({circle})"),
            ),
        }
    }
}

lantu_core::display_in_chinese!(EngineError);
