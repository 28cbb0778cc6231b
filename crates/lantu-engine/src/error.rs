//! What can stop a run.

/// Why the engine could not produce a blueprint.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// The walking network was asked for, but the dataset has no walkways.
    #[error("步行网络分析需要步行道图层 / the walking-network metric needs walkways, and the data has none")]
    NoWalkways,
    /// Ground heights could not be sampled.
    #[error("地面高程取样失败 / cannot sample ground heights")]
    Heights(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// A coverage area could not be traced.
    #[error("覆盖范围生成失败 / cannot trace the coverage area of {kind} ({circle})")]
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
