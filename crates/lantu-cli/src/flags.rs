//! Command-line parsing, kept here and turned into plain settings for the rest.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// lantu（蓝图）：按社区找出重庆试点要求的社区嵌入式服务设施缺口。
/// lantu (blueprint): where communities lack the everyday services of Chongqing's 2024 pilot.
#[derive(Parser, Debug)]
#[command(name = "lantu", version, about, long_about = None)]
pub struct Cli {
    /// 输出语言 / language of messages
    #[arg(long, value_enum, global = true, default_value = "zh")]
    pub lang: LangArg,
    /// 覆盖内置规则的配置文件（TOML）/ a profile file overriding the built-in rules
    #[arg(long, global = true, value_name = "FILE")]
    pub profile: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

/// Language.
#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum LangArg {
    /// 中文
    Zh,
    /// English
    En,
}

/// The subcommands.
#[derive(Subcommand, Debug)]
pub enum Command {
    /// 检查输入数据能否分析 / check that the inputs can be analysed
    Check(InputArgs),
    /// 打印当前生效的规则配置 / print the profile in force
    Profile,
    /// 缺口分析，输出表格 / gap analysis, writing the tables
    Analyze(AnalyzeArgs),
    /// 运行内置示例（默认：合成的重庆式街道；--example monaco：摩纳哥真实数据）/ run an embedded example (default: a synthetic Chongqing-like district; --example monaco: real Monaco data)
    Demo(DemoArgs),
    /// 比较两次分析（不同年份，或规划实施前后）/ compare two blueprints of the same area (two years, or before and after a plan)
    Compare(CompareArgs),
    /// 生成合成城市（基准测试用）/ generate a synthetic Chongqing-like city (for benchmarks)
    Synth(SynthArgs),
    /// 用本版本重新生成输出文件夹中的交互地图网页（不重新分析）/ write an output folder's web page again with this version, without re-running
    Web {
        /// 输出文件夹 / the output folder
        dir: PathBuf,
    },
    /// 发布输出文件夹（只读）：OGC API – Features、矢量瓦片与网页 / serve output folders read-only: OGC API – Features, vector tiles and the page
    Serve {
        /// 输出文件夹 / output folders
        #[arg(required = true, value_name = "DIR")]
        dirs: Vec<PathBuf>,
        /// 监听地址（默认仅本机；局域网请显式给出）/ address to listen on (loopback unless given)
        #[arg(long, default_value = "127.0.0.1:8787")]
        bind: std::net::SocketAddr,
        /// 每个请求记录一行 / a log line per request
        #[arg(long)]
        log: bool,
    },
    /// 多区域：拆分项目（split）、汇总输出（merge）；逐区运行见 batch/ / many areas: split a project, merge the outputs
    #[command(subcommand)]
    Batch(BatchCommand),
}

/// `lantu batch`: many areas, one run each.
#[derive(Subcommand, Debug)]
pub enum BatchCommand {
    /// 按区县（或社区图层的任一字段）拆成每区一个项目，并写 batch.csv / one project per area, and batch.csv
    Split {
        /// 项目文件 / project file
        project: PathBuf,
        /// 拆分依据：district（区划代码前 6 位）或字段名 / `district` (the code's first six digits) or a field name
        #[arg(long, default_value = "district", value_name = "district|FIELD")]
        by: String,
        /// 各区外保留设施的范围（米，默认最大生活圈）/ border kept around each area, m (default: the largest circle)
        #[arg(long, value_name = "M")]
        border: Option<f64>,
        #[command(flatten)]
        out: OutArgs,
    },
    /// 把各区的输出汇总到一个文件夹 / merge the areas' output folders into one summary
    Merge {
        /// 各区输出文件夹，或其上级文件夹 / the areas' output folders, or the folder holding them
        #[arg(required = true, value_name = "DIR")]
        dirs: Vec<PathBuf>,
        #[command(flatten)]
        out: OutArgs,
        /// 跨区域排名的试点数 / pilots to rank across the areas
        #[arg(long, value_name = "N")]
        pilots: Option<usize>,
        /// 每个区县最多试点数 / at most M pilots per district
        #[arg(long, value_name = "M")]
        pilots_per_district: Option<usize>,
        /// 不绘制总览图 / skip the overview map
        #[arg(long)]
        no_maps: bool,
    },
}

/// Where a command writes.
#[derive(Args, Debug, Clone)]
pub struct OutArgs {
    /// 输出文件夹 / output folder
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// 覆盖已存在的输出文件夹 / replace an existing output folder
    #[arg(long)]
    pub force: bool,
}

/// `lantu compare`.
#[derive(Args, Debug, Clone)]
pub struct CompareArgs {
    /// 较早的输出文件夹 / the earlier blueprint's folder
    #[arg(value_name = "OLD_DIR")]
    pub old: PathBuf,
    /// 较新的输出文件夹 / the later blueprint's folder
    #[arg(value_name = "NEW_DIR")]
    pub new: PathBuf,
    #[command(flatten)]
    pub out: OutArgs,
    /// 不绘制变化图 / skip the change maps
    #[arg(long)]
    pub no_maps: bool,
    /// 地图分辨率 / map resolution (dpi)
    #[arg(long, default_value_t = 200, value_parser = clap::value_parser!(u32).range(50..=600))]
    pub dpi: u32,
}

/// `lantu synth`.
#[derive(Args, Debug, Clone)]
pub struct SynthArgs {
    /// 社区数 / number of communities
    #[arg(long, default_value_t = 200, value_parser = clap::value_parser!(u32).range(1..=20000))]
    pub communities: u32,
    /// 随机种子 / seed
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// 城市数：多于 1 时生成合成省（各市三个区县，东西并排）/ cities: more than 1 makes a synthetic province
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=20))]
    pub cities: u32,
    #[command(flatten)]
    pub out: OutArgs,
}

/// How walking distance is measured.
#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum MetricArg {
    /// 步行网络距离（有 DEM 时计坡度）/ walking-network distance (slope counted with a DEM)
    Network,
    /// 直线距离 / straight-line distance
    Euclidean,
}

/// Options of every run that writes outputs.
#[derive(Args, Debug, Clone)]
pub struct RunArgs {
    /// 覆盖已存在的输出文件夹 / replace an existing output folder
    #[arg(long)]
    pub force: bool,
    /// 线程数（默认全部核心）/ worker threads (default: all cores)
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
    /// 地图分辨率（A4 横向）/ map resolution, dots per inch of an A4 landscape page
    #[arg(long, default_value_t = 200, value_name = "DPI", value_parser = clap::value_parser!(u32).range(50..=600))]
    pub dpi: u32,
    /// 推荐 K 处闲置资源改造选址（闲置资源不超过 1000 处时默认 10，0 为不推荐）/ recommend up to K idle buildings to convert (default 10 when there are 1–1,000 candidates; 0: none)
    #[arg(long, value_name = "K")]
    pub sites: Option<usize>,
    /// 不绘制地图 / skip the PNG maps
    #[arg(long)]
    pub no_maps: bool,
    /// 覆盖范围图层包含所有生活圈（步行道超过 10 万段时默认仅各服务类型自身的生活圈）/ coverage areas for every circle even for a city-size network
    #[arg(long)]
    pub all_circles: bool,
    /// 另写 inputs.gpkg（规范化后的输入图层）/ also write inputs.gpkg, the normalised input layers
    #[arg(long)]
    pub inputs_gpkg: bool,
    /// 步行距离的度量（默认：有步行网络时用网络）/ how walking distance is measured (default: network when walkways exist)
    #[arg(long, value_enum)]
    pub metric: Option<MetricArg>,
    /// 规划项目表（GeoPackage、Shapefile、CSV/XLSX；可多次给出以比较方案）/ a plan of projects (GeoPackage, Shapefile, CSV/XLSX); repeat to compare plans
    #[arg(long = "plan", value_name = "FILE")]
    pub plans: Vec<PathBuf>,
    /// 规划项目表的坐标系（表中为投影坐标或 WKT 且文件未声明时）/ the CRS of a plan's coordinates when the file declares none
    #[arg(long, value_name = "EPSG:CODE")]
    pub plan_crs: Option<String>,
    /// 选择试点社区（默认数量取自规则配置：100 个，其中前 50 个 2025 年前启动）/ choose pilot communities (default count from the profile: 100, the first 50 by 2025)
    #[arg(long, value_name = "N", num_args = 0..=1)]
    pub pilots: Option<Option<usize>>,
    /// 每个区县最多试点数 / at most M pilots per district
    #[arg(long, value_name = "M", requires = "pilots")]
    pub pilots_per_district: Option<usize>,
    /// 每个街道最多试点数 / at most M pilots per street
    #[arg(long, value_name = "M", requires = "pilots")]
    pub pilots_per_street: Option<usize>,
    /// 进度显示：auto 在终端中显示进度条，json 为每个阶段向标准错误输出一行 JSON（供 QGIS 等调用方读取）/ progress: `auto` shows a progress line on a terminal, `bar` always, `json` one JSON line per stage event on stderr (for callers such as QGIS), `none` nothing
    #[arg(long, value_enum, default_value = "auto")]
    pub progress: ProgressArg,
}

/// How progress is shown.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProgressArg {
    /// A progress line when stderr is a terminal, else nothing.
    Auto,
    /// A progress line with a spinner, each stage ticked off with its time.
    Bar,
    /// Nothing beyond the summary.
    None,
    /// One JSON object per line on stderr: `{"stage":"graph + costs","event":"finished","seconds":0.38}`.
    Json,
}

/// `lantu analyze`.
#[derive(Args, Debug, Clone)]
pub struct AnalyzeArgs {
    #[command(flatten)]
    pub input: InputArgs,
    /// 输出文件夹 / output folder
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    #[command(flatten)]
    pub run: RunArgs,
}

/// Where the inputs come from.
#[derive(Args, Debug, Clone, Default)]
pub struct InputArgs {
    /// 项目文件（TOML）/ project file (TOML)
    #[arg(value_name = "PROJECT", required_unless_present = "osm", conflicts_with = "osm")]
    pub project: Option<PathBuf>,
    /// OpenStreetMap 数据（.osm.pbf）/ an OpenStreetMap extract
    #[arg(long, value_name = "FILE")]
    pub osm: Option<PathBuf>,
    /// 数字高程模型 / DEM raster (GeoTIFF, .hgt, .zip)
    #[arg(long, value_name = "FILE")]
    pub dem: Option<PathBuf>,
    /// 人口格网（每像元人数，如 WorldPop ppp）/ population grid: people per cell (e.g. WorldPop ppp)
    #[arg(long, value_name = "FILE")]
    pub population: Option<PathBuf>,
    /// OSM 中作为社区的行政边界级别 / admin_level of OSM boundaries used as communities
    #[arg(long, default_value_t = 10, value_name = "N")]
    pub admin_level: u8,
    /// OSM 标签对照表 / OSM tag table (TOML), default data/osm-tags.toml
    #[arg(long, value_name = "FILE")]
    pub osm_tags: Option<PathBuf>,
    /// 指定度量坐标系 / metric CRS to work in, e.g. EPSG:4545
    #[arg(long, value_name = "EPSG:CODE")]
    pub metric_crs: Option<String>,
}

/// The embedded examples.
#[derive(Clone, Copy, Debug, ValueEnum, PartialEq, Eq)]
pub enum ExampleArg {
    /// 合成的重庆式城区（合成示例数据）/ a synthetic Chongqing-like district (made-up data)
    Chongqing,
    /// 摩纳哥（OpenStreetMap 真实数据，户数为估算）/ Monaco (real OpenStreetMap data, households estimated)
    Monaco,
}

/// `lantu demo`.
#[derive(Args, Debug, Clone)]
pub struct DemoArgs {
    /// 示例 / which example
    #[arg(long, value_enum, default_value = "chongqing")]
    pub example: ExampleArg,
    /// 输出文件夹 / output folder
    #[arg(long, value_name = "DIR", default_value = "lantu-demo")]
    pub out: PathBuf,
    #[command(flatten)]
    pub run: RunArgs,
}
