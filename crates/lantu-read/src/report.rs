//! What reading the inputs found: the report `lantu check` prints.

use crate::{FieldRole, LayerRole, MetricCrs};
use lantu_core::{Metres, ServiceKind, Text};
use std::collections::BTreeMap;
use std::path::PathBuf;

/// What kind of thing a finding is about (findings are grouped by it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FindingKind {
    /// An invalid geometry repaired by GDAL's MakeValid.
    Repaired,
    /// A feature dropped: null, empty, unrepairable or wrong-typed geometry.
    Rejected,
    /// A feature outside every community.
    Outside,
    /// An id that occurs more than once.
    DuplicateId,
    /// Households missing.
    HouseholdsMissing,
    /// Households not a positive number.
    HouseholdsInvalid,
    /// A service name lantu does not know.
    UnknownKind,
    /// A facility with no known kind (dropped).
    NoKind,
    /// A floor area missing or not a positive number.
    FloorAreaInvalid,
    /// Any other value that could not be read (floors, flags).
    BadValue,
    /// A field mapping problem.
    Mapping,
    /// The text encoding declared is not the one of the file.
    Encoding,
    /// Coordinates outside the valid range of their CRS (rejected).
    OutOfRange,
    /// A value beyond the profile's plausibility thresholds (`[checks]`).
    Implausible,
    /// A community's count and its buildings' own counts disagree.
    HouseholdsMismatch,
    /// An assumption lantu had to make that changes figures (every building a home).
    Assumption,
    /// Two sources of a community's households (its count, the grid, the floor-area
    /// estimate) differ beyond the profile's ratio.
    HouseholdSources,
    /// A community code that no community has (e.g. in `shared_by`).
    UnknownCode,
    /// Points that sit about one GCJ-02 (or BD-09) offset from the buildings: the layer's
    /// `coords` is likely wrong.
    Datum,
    /// A note on how the layer was read.
    Note,
}

impl FindingKind {
    /// A heading for the group.
    pub fn heading(self) -> Text {
        let (zh, en) = match self {
            FindingKind::Repaired => ("几何已修复", "geometries repaired"),
            FindingKind::Rejected => ("要素被剔除", "features rejected"),
            FindingKind::Outside => ("不在任何社区内", "outside every community"),
            FindingKind::DuplicateId => ("编号重复", "duplicate ids"),
            FindingKind::HouseholdsMissing => ("户数缺失", "households missing"),
            FindingKind::HouseholdsInvalid => ("户数无效", "households invalid"),
            FindingKind::UnknownKind => ("未知服务类型", "unknown service kinds"),
            FindingKind::NoKind => ("无可识别服务类型（剔除）", "no known service kind (dropped)"),
            FindingKind::FloorAreaInvalid => ("建筑面积缺失或无效", "floor area missing or invalid"),
            FindingKind::BadValue => ("字段值无法读取", "values that could not be read"),
            FindingKind::Mapping => ("字段映射问题", "field mapping problems"),
            FindingKind::Encoding => ("文本编码与声明不符", "text encoding differs from the declared one"),
            FindingKind::OutOfRange => ("坐标超出范围（剔除）", "coordinates out of range (rejected)"),
            FindingKind::Implausible => ("数值不合理，请核实", "implausible values: please check"),
            FindingKind::Assumption => ("按假设处理，请核实", "assumed: please check"),
            FindingKind::HouseholdsMismatch => {
                ("社区户数与其建筑户数之和不符", "community households and the sum of its buildings' households differ")
            }
            FindingKind::HouseholdSources => {
                ("户数来源相差过大，请核实", "sources of households differ widely: please check")
            }
            FindingKind::UnknownCode => ("未知社区代码", "unknown community codes"),
            FindingKind::Datum => ("坐标可能整体偏移，请核实", "coordinates may be offset as a whole: please check"),
            FindingKind::Note => ("说明", "notes"),
        };
        Text::new(zh, en)
    }
}

/// One thing found about one feature (or the layer).
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    /// What it is about.
    pub kind: FindingKind,
    /// The feature's id, when about one feature.
    pub feature: Option<String>,
    /// The field, when about one field.
    pub field: Option<String>,
    /// The detail.
    pub text: Text,
}

/// What reading one layer found.
#[derive(Clone, Debug, PartialEq)]
pub struct LayerReport {
    /// Its role.
    pub role: LayerRole,
    /// The file.
    pub path: PathBuf,
    /// The layer in the file.
    pub layer: String,
    /// The GDAL driver.
    pub driver: String,
    /// Features read.
    pub read: usize,
    /// Features kept for analysis.
    pub kept: usize,
    /// The CRS found, and how it was decided.
    pub crs: Text,
    /// The fields taken: role → (field, mapped explicitly).
    pub fields: Vec<(FieldRole, String, bool)>,
    /// Per-feature findings.
    pub findings: Vec<Finding>,
    /// Facilities per kind (facilities layer only).
    pub per_kind: BTreeMap<ServiceKind, usize>,
    /// Extra counts worth a line (e.g. steps, residential buildings).
    pub counts: Vec<(Text, f64)>,
    /// Features read that are not what the layer is for (a POI export's shops and offices,
    /// a car network's motorways):
    /// left out, and not counted against the share kept.
    pub out_of_scope: usize,
    /// The layer's coordinates were longitude/latitude, read as WGS 84 or declared GCJ-02
    /// or BD-09 (`None`: projected).
    pub lonlat: Option<crate::GeoCoords>,
}

impl LayerReport {
    /// A report for a layer before its features are looked at.
    pub fn new(role: LayerRole, path: PathBuf, layer: String, driver: String) -> LayerReport {
        LayerReport {
            role,
            path,
            layer,
            driver,
            read: 0,
            kept: 0,
            crs: Text::new("", ""),
            fields: Vec::new(),
            findings: Vec::new(),
            per_kind: BTreeMap::new(),
            counts: Vec::new(),
            out_of_scope: 0,
            lonlat: None,
        }
    }

    /// Records a finding.
    pub fn find(&mut self, kind: FindingKind, feature: Option<&str>, field: Option<&str>, text: Text) {
        self.findings.push(Finding {
            kind,
            feature: feature.map(str::to_string),
            field: field.map(str::to_string),
            text,
        });
    }

    /// The field taken for a role, if any.
    pub fn field(&self, role: FieldRole) -> Option<&str> {
        self.fields.iter().find(|(r, _, _)| *r == role).map(|(_, name, _)| name.as_str())
    }

    /// The findings of one kind.
    pub fn of_kind(&self, kind: FindingKind) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(move |f| f.kind == kind)
    }
}

/// The walking network's shape.
#[derive(Clone, Debug, PartialEq)]
pub struct NetworkSummary {
    /// Walkways read.
    pub walkways: usize,
    /// Of which stairways.
    pub steps: usize,
    /// Total length.
    pub length: Metres,
    /// Graph nodes.
    pub nodes: usize,
    /// Graph edges (segments).
    pub edges: usize,
    /// Connected components.
    pub components: usize,
    /// Share of the length in the largest component.
    pub largest_share: f64,
    /// Components other than the largest (islands), and their total length.
    pub islands: usize,
    /// Length of the islands.
    pub islands_length: Metres,
    /// Dead ends.
    pub dangling: usize,
    /// Line ends joined within the tolerance.
    pub joined_ends: usize,
    /// Buildings that join an island: no main-network walkway within `max_access_m`.
    pub buildings_on_islands: usize,
    /// Buildings with no walkway at all within `max_access_m` (off-network).
    pub buildings_off_network: usize,
    /// Facilities that join an island.
    pub facilities_on_islands: usize,
    /// Facilities off-network.
    pub facilities_off_network: usize,
}

/// The DEM's extent and values.
#[derive(Clone, Debug, PartialEq)]
pub struct DemSummary {
    /// The file read.
    pub path: PathBuf,
    /// Size in cells.
    pub width: usize,
    /// Size in cells.
    pub height: usize,
    /// CRS.
    pub crs: String,
    /// Lowest height, m.
    pub min_m: f64,
    /// Highest height, m.
    pub max_m: f64,
    /// Share of the communities' extent the DEM covers (0–1).
    pub covers_share: f64,
    /// Walkway segments with an end outside the DEM (or on a no-data cell): costed as flat.
    pub edges_without_height: usize,
    /// Walkway segments in all.
    pub edges: usize,
}

/// What a population grid is made of.
#[derive(Clone, Debug, PartialEq)]
pub enum PopulationForm {
    /// A raster of people per cell.
    Raster {
        /// Columns of the whole raster.
        width: usize,
        /// Rows of the whole raster.
        height: usize,
        /// Cell size in the raster's CRS units (x, y).
        cell: (f64, f64),
    },
    /// Points with a people field (each point's people go to the community it lies in).
    Points,
    /// Polygons with a people field (cells the buildings stand in).
    Polygons,
}

/// The population grid (`[population]`) and what it gave.
#[derive(Clone, Debug, PartialEq)]
pub struct PopulationSummary {
    /// The file read.
    pub path: PathBuf,
    /// Raster, points or polygons.
    pub form: PopulationForm,
    /// Its CRS.
    pub crs: String,
    /// The people field (vector grids).
    pub field: Option<String>,
    /// Cells (or features) with people, over the communities' extent.
    pub cells: usize,
    /// Their people.
    pub people: f64,
    /// Buildings standing on a cell.
    pub buildings_on_grid: usize,
    /// Cells or features whose value could not be people (negative, not a number).
    pub rejected: usize,
    /// People counted to a community.
    pub in_communities: f64,
    /// People in no community.
    pub outside: f64,
    /// People per km² of the densest cell (rasters; NaN otherwise): far above any city's
    /// density when the raster holds a density per km² instead of people per cell.
    pub densest_per_km2: f64,
}

/// People per km² no city block reaches (Manhattan's densest blocks and 渝中's old town
/// stay well below): a raster whose densest cell is above it holds a density, not people
/// per cell.
pub const MAX_PLAUSIBLE_PER_KM2: f64 = 150_000.0;

/// Everything `lantu check` reports.
#[derive(Clone, Debug, PartialEq)]
pub struct CheckReport {
    /// Per layer.
    pub layers: Vec<LayerReport>,
    /// The metric CRS in force.
    pub metric_crs: MetricCrs,
    /// The walking network, when a walkway layer exists.
    pub network: Option<NetworkSummary>,
    /// The DEM, when given.
    pub dem: Option<DemSummary>,
    /// The population grid, when given.
    pub population: Option<PopulationSummary>,
    /// The land-use layer, when given.
    pub landuse: Option<PathBuf>,
    /// The project file and the profile file it names, when read from a project: inputs
    /// too (a run on the same layers with another project file or profile is another run).
    pub project_files: Vec<PathBuf>,
    /// Problems that make analysis impossible.
    pub errors: Vec<Text>,
    /// Whether any community's household count is an estimate.
    pub households_estimated: bool,
    /// Total households (given or estimated).
    pub total_households: f64,
    /// The tables joined to the communities.
    pub joins: Vec<JoinReport>,
    /// The error of a declared walkways layer without one usable line (also in `errors`):
    /// analysis over the network is impossible, in straight lines it is not.
    pub walkways_unusable: Option<Text>,
}

impl CheckReport {
    /// Straight-line distances were asked for (`--metric euclidean`): an empty walkways
    /// layer no longer stops the analysis.
    pub fn allow_straight_line(&mut self) {
        if let Some(e) = self.walkways_unusable.take() {
            self.errors.retain(|x| x != &e);
        }
    }
    /// Whether the data can be analysed (no errors).
    pub fn can_analyse(&self) -> bool {
        self.errors.is_empty()
    }
    /// The report of a layer role.
    pub fn layer(&self, role: LayerRole) -> Option<&LayerReport> {
        self.layers.iter().find(|l| l.role == role)
    }
}

/// What joining one attribute table to the communities found.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct JoinReport {
    /// The table.
    pub path: PathBuf,
    /// Its sheet or layer.
    pub sheet: String,
    /// `code` or `name`.
    pub by: String,
    /// role → column of the table.
    pub fields: Vec<(String, String)>,
    /// Rows of the table.
    pub rows: usize,
    /// Communities that got a row.
    pub matched: usize,
    /// Communities without a row (code and name).
    pub communities_without_row: Vec<String>,
    /// Rows matching no community (row number and key).
    pub rows_without_community: Vec<String>,
    /// Rows matching several communities, or a community already matched (an error).
    pub ambiguous: Vec<String>,
    /// Where the layer and the table both gave a value and they differ: the table's won.
    pub overridden: Vec<String>,
}
