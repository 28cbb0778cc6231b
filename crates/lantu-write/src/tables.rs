//! The analysis as CSV tables: `communities.csv` and `streets.csv`.
//!
//! UTF-8 with a byte-order mark, so that Excel opens the Chinese text correctly;
//! numbers with fixed decimals, so that the same input gives the same bytes.

use crate::{Result, WriteError};
use lantu_core::{
    Analysis, CommunityFigures, Dataset, KindDef, Kinds, Lang, People, PerKind, ServiceKind, StreetFigures, TargetGroup,
};
use lantu_engine::style::no_street_name;
use std::path::Path;

/// A community's row as its cells see it.
pub struct CommunityCell<'a> {
    /// The dataset.
    pub d: &'a Dataset,
    /// The analysis.
    pub a: &'a Analysis,
    /// The community's figures.
    pub f: &'a CommunityFigures,
    /// The language of text cells.
    pub lang: Lang,
}

/// A street's row as its cells see it.
pub struct StreetCell<'a> {
    /// The dataset.
    pub d: &'a Dataset,
    /// The analysis.
    pub a: &'a Analysis,
    /// The street's figures.
    pub s: &'a StreetFigures,
    /// The language of text cells.
    pub lang: Lang,
}

/// A column of a table and its layer: its code (whose labels, meaning and type are in
/// [`lantu_core::registry`]) and how its cell is taken from a row. Each column is listed
/// once, so a name and its value cannot drift apart.
pub struct Column<F: ?Sized> {
    /// The column's code.
    pub code: String,
    /// Its cell.
    pub cell: Box<F>,
}

/// How a community's cell is taken.
pub type CommunityCellFn = dyn for<'r> Fn(&CommunityCell<'r>) -> String + Send + Sync;
/// How a street's cell is taken.
pub type StreetCellFn = dyn for<'r> Fn(&StreetCell<'r>) -> String + Send + Sync;
/// A column of `communities.csv` and the communities layer.
pub type CommunityColumn = Column<CommunityCellFn>;
/// A column of `streets.csv` and the streets layer.
pub type StreetColumn = Column<StreetCellFn>;

impl CommunityColumn {
    /// A column `code` whose cell is `cell`.
    pub fn community(
        code: impl Into<String>,
        cell: impl for<'r> Fn(&CommunityCell<'r>) -> String + Send + Sync + 'static,
    ) -> CommunityColumn {
        Column { code: code.into(), cell: Box::new(cell) }
    }
}

impl StreetColumn {
    /// A column `code` whose cell is `cell`.
    pub fn street(
        code: impl Into<String>,
        cell: impl for<'r> Fn(&StreetCell<'r>) -> String + Send + Sync + 'static,
    ) -> StreetColumn {
        Column { code: code.into(), cell: Box::new(cell) }
    }
}

/// The column names of the kinds, `<prefix><code>`, each with its kind.
fn per_kind<'k>(kinds: &'k Kinds, prefix: &'k str) -> impl Iterator<Item = (String, ServiceKind)> + 'k {
    kind_columns(kinds, prefix, "").zip(kinds.all())
}

/// The same for the kinds `which` picks.
fn per_kind_where<'k>(
    kinds: &'k Kinds,
    prefix: &'k str,
    which: impl Fn(&KindDef) -> bool + 'k,
) -> impl Iterator<Item = (String, ServiceKind)> + 'k {
    per_kind(kinds, prefix).filter(move |(_, k)| which(kinds.def(*k)))
}

/// What the people columns read, of a community or a street.
trait PeopleFigures {
    fn people(&self) -> &People;
    /// People within reach, their share, places per 1,000, per kind.
    fn per_kind(&self) -> [&PerKind<Option<f64>>; 3];
}

impl PeopleFigures for CommunityFigures {
    fn people(&self) -> &People {
        &self.people
    }
    fn per_kind(&self) -> [&PerKind<Option<f64>>; 3] {
        [&self.people_in_reach, &self.coverage_people, &self.places_per_1000]
    }
}

impl PeopleFigures for StreetFigures {
    fn people(&self) -> &People {
        &self.people
    }
    fn per_kind(&self) -> [&PerKind<Option<f64>>; 3] {
        [&self.people_in_reach, &self.coverage_people, &self.places_per_1000]
    }
}

/// A cell of a people column.
type PeopleCell = Box<dyn Fn(&dyn PeopleFigures) -> String + Send + Sync>;

/// The people columns of the communities and streets tables: the groups, then per kind the
/// people within reach, their share where the kind serves one group, and places per 1,000
/// with their target where the kind is counted by capacity.
fn people_columns(kinds: &Kinds) -> Vec<(String, PeopleCell)> {
    let mut c: Vec<(String, PeopleCell)> = Vec::new();
    for g in TargetGroup::ALL {
        let code = if g == TargetGroup::All { "population".to_string() } else { format!("people_{}", g.code()) };
        c.push((code, Box::new(move |r: &dyn PeopleFigures| opt(r.people().of(g), 1))));
    }
    c.push((
        "people_estimated".into(),
        Box::new(|r: &dyn PeopleFigures| flag(r.people().estimated.iter().any(|e| *e))),
    ));
    let figure = |prefix: &'static str, which: usize, decimals: usize, pick: fn(&KindDef) -> bool| {
        per_kind_where(kinds, prefix, pick)
            .map(move |(code, k)| {
                let cell: PeopleCell =
                    Box::new(move |r: &dyn PeopleFigures| opt(r.per_kind()[which][k.index()], decimals));
                (code, cell)
            })
            .collect::<Vec<_>>()
    };
    c.extend(figure("people_in_reach_", 0, 1, |_| true));
    c.extend(figure("coverage_people_", 1, 4, |d| d.serves != TargetGroup::All));
    c.extend(figure("places_per_1000_", 2, 2, |d| d.capacity.is_some()));
    for (code, k) in per_kind_where(kinds, "places_target_met_", |d| target_of(d).is_some()) {
        let target = target_of(kinds.def(k)).expect("filtered");
        let cell: PeopleCell = Box::new(move |r: &dyn PeopleFigures| {
            r.per_kind()[2][k.index()].map_or(String::new(), |v| flag(v >= target))
        });
        c.push((code, cell));
    }
    c
}

/// A kind's target of places per 1,000 people, if it has one.
pub fn target_of(def: &KindDef) -> Option<f64> {
    def.capacity.as_ref()?.target_per_1000
}

/// A coverage figure, empty where it was not computed.
fn share(c: Option<&PerKind<Option<f64>>>, k: ServiceKind) -> String {
    c.map_or(String::new(), |c| opt(c[k.index()], 4))
}

/// The columns of `communities.csv` and the communities layer, in order (documented in
/// the README).
pub fn community_table(kinds: &Kinds) -> Vec<CommunityColumn> {
    type C<'r> = CommunityCell<'r>;
    fn col(
        code: impl Into<String>,
        cell: impl for<'r> Fn(&C<'r>) -> String + Send + Sync + 'static,
    ) -> CommunityColumn {
        CommunityColumn::community(code, cell)
    }
    let mut c: Vec<CommunityColumn> = vec![
        col("priority_rank", |r: &C<'_>| r.f.priority_rank.to_string()),
        col("community_code", |r: &C<'_>| r.d.community(r.f.id).code.clone()),
        col("community_name", |r: &C<'_>| r.d.community(r.f.id).name.clone()),
        col("street_code", |r: &C<'_>| r.f.street_code_and_name(r.d).0),
        col("street_name", |r: &C<'_>| r.f.street_code_and_name(r.d).1),
        col("households", |r: &C<'_>| opt(r.f.households.map(|h| h.0), 1)),
        col("households_estimated", |r: &C<'_>| flag(r.f.households_estimated)),
        col("households_source", |r: &C<'_>| {
            r.f.households.map_or(String::new(), |_| r.f.households_source.code().to_string())
        }),
        col("facility_area_m2", |r: &C<'_>| num(r.f.facility_area.0, 2)),
        col("area_per_100hh_m2", |r: &C<'_>| opt(r.f.area_per_100hh.map(|a| a.0), 2)),
        col("area_standard_m2", |r: &C<'_>| num(r.f.area_standard.0, 2)),
        col("area_required_m2", |r: &C<'_>| opt(r.f.area_required.map(|a| a.0), 2)),
        col("area_gap_m2", |r: &C<'_>| opt(r.f.area_gap.map(|a| a.0), 2)),
        col("gap_class", |r: &C<'_>| {
            lantu_engine::style::community_gap_class(r.f).map_or(String::new(), |c| c.to_string())
        }),
        col("largest_complex_m2", |r: &C<'_>| num(r.f.largest_complex.0, 2)),
        col("complex_meets_min", |r: &C<'_>| flag(r.f.complex_meets_min)),
        col("complex_meets_preferred", |r: &C<'_>| flag(r.f.complex_meets_preferred)),
        col("functions", |r: &C<'_>| r.a.kinds.codes(&r.f.functions)),
        col("functions_count", |r: &C<'_>| r.f.functions_count.to_string()),
        col("core_functions_count", |r: &C<'_>| r.f.core_functions_count.to_string()),
        col("core_required", |r: &C<'_>| r.f.core_required.to_string()),
        col("config_ok", |r: &C<'_>| flag(r.f.config_ok)),
        col("config_reason", |r: &C<'_>| {
            r.f.config_reason.as_ref().map(|t| t.get(r.lang).to_string()).unwrap_or_default()
        }),
    ];
    c.extend(per_kind(kinds, "coverage_").map(|(code, k)| col(code, move |r: &C<'_>| share(Some(&r.f.coverage), k))));
    c.extend(
        per_kind(kinds, "coverage_flat_")
            .map(|(code, k)| col(code, move |r: &C<'_>| share(r.f.coverage_flat.as_ref(), k))),
    );
    c.extend(
        per_kind(kinds, "coverage_accessible_")
            .map(|(code, k)| col(code, move |r: &C<'_>| share(r.f.coverage_accessible.as_ref(), k))),
    );
    c.extend(people_columns(kinds).into_iter().map(|(code, cell)| col(code, move |r: &C<'_>| cell(r.f))));
    c.extend([
        col("uncovered_households", |r: &C<'_>| num(r.f.uncovered_households.0, 1)),
        col("uncovered_households_accessible", |r: &C<'_>| opt(r.f.uncovered_households_accessible.map(|h| h.0), 1)),
        col("priority_score", |r: &C<'_>| num(r.f.priority_score, 4)),
        col("metric", |r: &C<'_>| r.a.metric.to_string()),
        col("remarks", |r: &C<'_>| {
            let sep = r.lang.pick("；", "; ");
            r.f.remarks.iter().map(|t| t.get(r.lang)).collect::<Vec<_>>().join(sep)
        }),
    ]);
    c
}

/// Column names of `communities.csv`, in order.
pub fn community_columns(kinds: &Kinds) -> Vec<String> {
    codes(&community_table(kinds))
}

/// The codes of a table's columns, in order.
pub fn codes<F: ?Sized>(table: &[Column<F>]) -> Vec<String> {
    table.iter().map(|c| c.code.clone()).collect()
}

/// One column name per kind, `<prefix><code><suffix>` (`coverage_canteen`, `dist_canteen_m`),
/// in the kinds' order.
pub(crate) fn kind_columns<'k>(
    kinds: &'k Kinds,
    prefix: &'k str,
    suffix: &'k str,
) -> impl Iterator<Item = String> + 'k {
    kinds.all().map(move |k| format!("{prefix}{}{suffix}", kinds.code(k)))
}

/// The columns of `streets.csv` and the streets layer, in order.
pub fn street_table(kinds: &Kinds) -> Vec<StreetColumn> {
    type S<'r> = StreetCell<'r>;
    fn col(code: impl Into<String>, cell: impl for<'r> Fn(&S<'r>) -> String + Send + Sync + 'static) -> StreetColumn {
        StreetColumn::street(code, cell)
    }
    fn street(r: &StreetCell<'_>) -> (String, String) {
        match r.s.id {
            Some(id) => (r.d.streets[id.index()].code.clone(), r.d.streets[id.index()].name.clone()),
            None => (String::new(), no_street_name(r.lang).into()),
        }
    }
    let mut c: Vec<StreetColumn> = vec![
        col("street_code", |r: &S<'_>| street(r).0),
        col("street_name", |r: &S<'_>| street(r).1),
        col("communities", |r: &S<'_>| r.s.communities.len().to_string()),
        col("households", |r: &S<'_>| num(r.s.households.0, 1)),
        col("households_estimated", |r: &S<'_>| flag(r.s.households_estimated)),
        col("facility_area_m2", |r: &S<'_>| num(r.s.facility_area.0, 2)),
        col("area_per_100hh_m2", |r: &S<'_>| opt(r.s.area_per_100hh.map(|a| a.0), 2)),
        col("area_required_m2", |r: &S<'_>| num(r.s.area_required.0, 2)),
        col("area_gap_m2", |r: &S<'_>| num(r.s.area_gap.0, 2)),
        col("communities_failing_area", |r: &S<'_>| r.s.fail_area.to_string()),
        col("communities_failing_complex", |r: &S<'_>| r.s.fail_complex.to_string()),
        col("communities_failing_config", |r: &S<'_>| r.s.fail_config.to_string()),
    ];
    c.extend(per_kind(kinds, "coverage_").map(|(code, k)| col(code, move |r: &S<'_>| share(Some(&r.s.coverage), k))));
    c.extend(
        per_kind(kinds, "coverage_accessible_")
            .map(|(code, k)| col(code, move |r: &S<'_>| share(r.s.coverage_accessible.as_ref(), k))),
    );
    c.extend(people_columns(kinds).into_iter().map(|(code, cell)| col(code, move |r: &S<'_>| cell(r.s))));
    c.push(col("uncovered_households", |r: &S<'_>| num(r.s.uncovered_households.0, 1)));
    c
}

/// Column names of `streets.csv`, in order.
pub fn street_columns(kinds: &Kinds) -> Vec<String> {
    codes(&street_table(kinds))
}

pub(crate) fn num(x: f64, decimals: usize) -> String {
    // -0.00 and 0.00 print alike
    let s = format!("{:.*}", decimals, x);
    if s.trim_start_matches('-').chars().all(|c| c == '0' || c == '.') {
        format!("{:.*}", decimals, 0.0)
    } else {
        s
    }
}
pub(crate) fn opt(x: Option<f64>, decimals: usize) -> String {
    x.map_or(String::new(), |v| num(v, decimals))
}
pub(crate) fn flag(b: bool) -> String {
    (b as u8).to_string()
}

/// The rows of `communities.csv` in rank order (rank 1 first), cell by cell as `table` says.
pub fn community_rows(d: &Dataset, a: &Analysis, table: &[CommunityColumn], lang: Lang) -> Vec<Vec<String>> {
    let mut order: Vec<&CommunityFigures> = a.communities.iter().collect();
    order.sort_by_key(|c| c.priority_rank);
    order
        .into_iter()
        .map(|f| {
            let row = CommunityCell { d, a, f, lang };
            table.iter().map(|c| (c.cell)(&row)).collect()
        })
        .collect()
}

/// The rows of `streets.csv`, cell by cell as `table` says.
pub fn street_rows(d: &Dataset, a: &Analysis, table: &[StreetColumn], lang: Lang) -> Vec<Vec<String>> {
    a.streets
        .iter()
        .map(|s| {
            let row = StreetCell { d, a, s, lang };
            table.iter().map(|c| (c.cell)(&row)).collect()
        })
        .collect()
}

/// The rows of a table as text, made one at a time when they are written (to CSV, then to
/// XLSX): a city's million facilities are never held as a million rows of strings.
pub struct Rows<'a> {
    len: usize,
    make: Box<dyn Fn(usize) -> Vec<String> + Send + Sync + 'a>,
}

impl<'a> Rows<'a> {
    /// `len` rows, row `i` made by `make(i)`.
    pub fn new(len: usize, make: impl Fn(usize) -> Vec<String> + Send + Sync + 'a) -> Rows<'a> {
        Rows { len, make: Box::new(make) }
    }
    /// Rows already made.
    pub fn from_vec(rows: &'a [Vec<String>]) -> Rows<'a> {
        Rows::new(rows.len(), move |i| rows[i].clone())
    }
    /// How many rows.
    pub fn len(&self) -> usize {
        self.len
    }
    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
    /// Row `i`.
    pub fn row(&self, i: usize) -> Vec<String> {
        (self.make)(i)
    }
    /// Every row, in order.
    pub fn iter(&self) -> impl Iterator<Item = Vec<String>> + '_ {
        (0..self.len).map(|i| self.row(i))
    }
    /// The same rows with one more cell at the end of each.
    pub fn with_last(self, cell: String) -> Rows<'a> {
        let Rows { len, make } = self;
        Rows::new(len, move |i| {
            let mut r = make(i);
            r.push(cell.clone());
            r
        })
    }
}

/// A cell as written to a CSV a person opens: text that a spreadsheet would run as a
/// formula (beginning `=`, `+`, `-`, `@`, tab or carriage return, e.g.
/// `=HYPERLINK(…)`) gets a leading `'`, as OWASP advises; numbers (`-3.5`) stay numbers.
/// [`csv_cell_read`] undoes it.
///
/// ```
/// use lantu_write::{csv_cell, csv_cell_read};
/// assert_eq!(csv_cell("=HYPERLINK(\"http://x\")"), "'=HYPERLINK(\"http://x\")");
/// assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
/// assert_eq!(csv_cell("-12.5"), "-12.5");
/// assert_eq!(csv_cell("解放碑社区"), "解放碑社区");
/// assert_eq!(csv_cell_read(&csv_cell("+1+1")), "+1+1");
/// assert_eq!(csv_cell_read("'plain"), "'plain");
/// ```
pub fn csv_cell(cell: &str) -> std::borrow::Cow<'_, str> {
    if runs_as_formula(cell) {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

/// A cell read back from a CSV lantu wrote ([`csv_cell`] undone).
pub fn csv_cell_read(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if runs_as_formula(rest) => rest,
        _ => cell,
    }
}

/// Whether a spreadsheet would run this text as a formula: it begins with `=`, `+`, `-`,
/// `@`, tab or carriage return and is not a number.
fn runs_as_formula(cell: &str) -> bool {
    cell.starts_with(['=', '+', '-', '@', '\t', '\r']) && cell.trim().parse::<f64>().is_err()
}

/// Writes a CSV file (UTF-8 with BOM), streaming the rows to disk; cells that would run
/// as formulas are escaped ([`csv_cell`]).
pub fn write_csv(path: &Path, header: &[String], rows: &Rows) -> Result<()> {
    use std::io::Write;
    let file = std::fs::File::create(path).map_err(|e| WriteError::write(path, e))?;
    let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
    out.write_all("\u{feff}".as_bytes()).map_err(|e| WriteError::write(path, e))?;
    let csv_err = |e: csv::Error| match e.into_kind() {
        csv::ErrorKind::Io(io) => WriteError::write(path, io),
        other => WriteError::Write { path: path.to_path_buf(), source: format!("{other:?}").into() },
    };
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(out);
    w.write_record(header).map_err(csv_err)?;
    for r in rows.iter() {
        for c in &r {
            w.write_field(csv_cell(c).as_bytes()).map_err(csv_err)?;
        }
        w.write_record(None::<&[u8]>).map_err(csv_err)?;
    }
    // flushes the CSV buffer and the BufWriter: a full disk is an error here, not lost in a drop
    w.flush().map_err(|e| WriteError::write(path, e))
}

/// Column names of `facilities.csv`.
pub fn facility_columns() -> Vec<String> {
    [
        "source_id",
        "name",
        "kinds",
        "kinds_zh",
        "floor_area_m2",
        "counted_area_m2",
        "complex",
        "community_code",
        "community_name",
        "street_code",
        "street_name",
        "shared_by",
        "snap_m",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

/// The rows of `facilities.csv`, in input order. `snaps` are where each facility joined
/// the walking network, when one was used.
pub fn facility_rows<'a>(
    d: &'a Dataset,
    assignment: &'a lantu_core::Assignment,
    a: &'a Analysis,
    snaps: Option<&'a [Option<lantu_net::Snap>]>,
) -> Rows<'a> {
    Rows::new(d.facilities.len(), move |i| {
        let f = &d.facilities[i];
        let c = assignment.facility_community[i].map(|c| d.community(c));
        let street = assignment.facility_community[i]
            .and_then(|c| assignment.community_street.get(c.index()).copied().flatten())
            .map(|s| &d.streets[s.index()]);
        vec![
            f.source_id.clone(),
            f.name.clone(),
            a.kinds.codes(&f.kinds),
            a.kinds.names(&f.kinds, Lang::Zh),
            opt(f.floor_area.map(|x| x.0), 2),
            num(a.facility_shares[i].iter().map(|s| s.1 .0).sum(), 2),
            flag(f.complex),
            c.map(|c| c.code.clone()).unwrap_or_default(),
            c.map(|c| c.name.clone()).unwrap_or_default(),
            street.map(|s| s.code.clone()).unwrap_or_default(),
            street.map(|s| s.name.clone()).unwrap_or_default(),
            f.shared_by.join(";"),
            opt(snaps.and_then(|s| s[i]).map(|s| s.access_m), 1),
        ]
    })
}

/// Column names of `sites.csv`.
pub fn site_columns(kinds: &Kinds) -> Vec<String> {
    let mut c: Vec<String> = [
        "site_rank",
        "source_id",
        "name",
        "community_code",
        "community_name",
        "floor_area_m2",
        "kinds",
        "kinds_zh",
        "new_households",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    c.extend(kind_columns(kinds, "new_", "_hh"));
    c.extend(kind_columns(kinds, "new_", "_people"));
    c.extend(
        ["area_gap_closed_m2", "core_added", "community_rules_after", "subsidy_yuan", "gain"]
            .iter()
            .map(|s| s.to_string()),
    );
    c
}

/// The rows of `sites.csv`. `after` is the analysis with the sites converted.
pub fn site_rows(d: &Dataset, plan: &lantu_core::SitePlan, after: &Analysis, lang: Lang) -> Vec<Vec<String>> {
    plan.sites
        .iter()
        .map(|s| {
            let c = &d.candidates[s.candidate.index()];
            let cm = s.community.map(|id| d.community(id));
            let rules_after = s.community.map(|id| {
                let f = &after.communities[id.index()];
                let ok = f.config_ok && f.area_gap.is_none_or(|g| g.0 <= 0.0);
                match (ok, lang) {
                    (true, Lang::Zh) => "面积与功能配置均达标".to_string(),
                    (true, Lang::En) => "area and function rules met".to_string(),
                    (false, _) => f.config_reason.as_ref().map(|t| t.get(lang).to_string()).unwrap_or_else(|| {
                        if lang == Lang::Zh {
                            "功能达标，面积仍有缺口".into()
                        } else {
                            "functions met, area gap remains".into()
                        }
                    }),
                }
            });
            let mut row = vec![
                s.rank.to_string(),
                c.source_id.clone(),
                c.name.clone(),
                cm.map(|c| c.code.clone()).unwrap_or_default(),
                cm.map(|c| c.name.clone()).unwrap_or_default(),
                opt(c.floor_area.map(|a| a.0), 1),
                after.kinds.codes(&s.kinds),
                after.kinds.names(&s.kinds, Lang::Zh),
                num(s.new_households.iter().sum(), 1),
            ];
            row.extend(s.new_households.iter().map(|h| num(*h, 1)));
            row.extend(s.new_people.iter().map(|p| num(*p, 1)));
            row.push(num(s.area_gap_closed.0, 2));
            row.push(after.kinds.codes(&s.core_added));
            row.push(rules_after.unwrap_or_default());
            row.push(num(s.subsidy_yuan, 0));
            row.push(num(s.gain, 3));
            row
        })
        .collect()
}

/// Column names of `sites_before_after.csv`.
pub fn before_after_columns(kinds: &Kinds) -> Vec<String> {
    let mut c: Vec<String> = [
        "level",
        "code",
        "name",
        "households",
        "area_gap_before_m2",
        "area_gap_after_m2",
        "config_ok_before",
        "config_ok_after",
        "core_functions_before",
        "core_functions_after",
        "uncovered_households_before",
        "uncovered_households_after",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for k in kinds.all() {
        c.push(format!("coverage_before_{}", kinds.code(k)));
        c.push(format!("coverage_after_{}", kinds.code(k)));
    }
    c
}

/// Per community, then per street: the figures before and after converting the sites.
pub fn before_after_rows(d: &Dataset, before: &Analysis, after: &Analysis, lang: Lang) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    for (b, a) in before.communities.iter().zip(&after.communities) {
        let c = d.community(b.id);
        let mut row = vec![
            "community".to_string(),
            c.code.clone(),
            c.name.clone(),
            opt(b.households.map(|h| h.0), 1),
            opt(b.area_gap.map(|g| g.0), 2),
            opt(a.area_gap.map(|g| g.0), 2),
            flag(b.config_ok),
            flag(a.config_ok),
            b.core_functions_count.to_string(),
            a.core_functions_count.to_string(),
            num(b.uncovered_households.0, 1),
            num(a.uncovered_households.0, 1),
        ];
        for k in 0..before.kinds.len() {
            row.push(opt(b.coverage[k], 4));
            row.push(opt(a.coverage[k], 4));
        }
        rows.push(row);
    }
    for (b, a) in before.streets.iter().zip(&after.streets) {
        let (code, name) = match b.id {
            Some(id) => (d.streets[id.index()].code.clone(), d.streets[id.index()].name.clone()),
            None => (String::new(), no_street_name(lang).into()),
        };
        let mut row = vec![
            "street".to_string(),
            code,
            name,
            num(b.households.0, 1),
            num(b.area_gap.0, 2),
            num(a.area_gap.0, 2),
            (b.communities.len() as u32 - b.fail_config).to_string(),
            (a.communities.len() as u32 - a.fail_config).to_string(),
            String::new(),
            String::new(),
            num(b.uncovered_households.0, 1),
            num(a.uncovered_households.0, 1),
        ];
        for k in 0..before.kinds.len() {
            row.push(opt(b.coverage[k], 4));
            row.push(opt(a.coverage[k], 4));
        }
        rows.push(row);
    }
    rows
}
