//! Recognising the fields of planners' layers by their usual Chinese and English names.

use crate::LayerRole;
use std::collections::BTreeMap;

/// What a field means.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FieldRole {
    /// An identifier.
    Id,
    /// Community or street code.
    Code,
    /// Name.
    Name,
    /// Street code.
    StreetCode,
    /// Street name.
    StreetName,
    /// Households (户数).
    Households,
    /// Population.
    Population,
    /// People aged 60 and over (七普 60 岁及以上).
    Elderly,
    /// Infants aged 0–3.
    Infants,
    /// Children aged 6–12.
    Children,
    /// A facility's places (床位, 托位, 座位, 学位).
    Capacity,
    /// 有条件 flag.
    Capable,
    /// Conditions for centralised building.
    Centralised,
    /// Building use.
    Use,
    /// Floors.
    Floors,
    /// Building height, m (floors are derived from it where none are given).
    Height,
    /// Residential compound.
    Compound,
    /// Service kinds.
    Service,
    /// Floor area, m².
    FloorArea,
    /// Complex flag.
    Complex,
    /// Communities sharing a facility.
    SharedBy,
    /// Road class.
    Class,
    /// Stairway flag.
    Steps,
    /// Access.
    Access,
    /// A ramp beside stairs (barrier-free).
    Ramp,
    /// Bridge or tunnel (a deck whose slope is its ends').
    Deck,
    /// Owner type.
    Owner,
    /// Longitude / x column of a table.
    X,
    /// Latitude / y column of a table.
    Y,
    /// WKT geometry column of a table.
    Wkt,
    /// One column holding "longitude,latitude" (高德's `location`).
    LonLat,
    /// A POI export's type path (高德 `type`: 医疗保健服务;诊所;诊所, 百度 `tag`).
    PoiType,
    /// A planned project's type (新建, 改扩建, 存量转型…).
    ProjectType,
    /// A planned project's year.
    Year,
    /// A planned project's cost (yuan, or 万元 when the field's name says so).
    Cost,
    /// The id of the building or idle building a planned project stands in.
    Site,
}

impl FieldRole {
    /// Every role.
    pub const ALL: [FieldRole; 36] = {
        use FieldRole::*;
        [
            Id,
            Code,
            Name,
            StreetCode,
            StreetName,
            Households,
            Population,
            Elderly,
            Infants,
            Children,
            Capacity,
            Capable,
            Centralised,
            Use,
            Floors,
            Height,
            Compound,
            Service,
            FloorArea,
            Complex,
            SharedBy,
            Class,
            Steps,
            Access,
            Ramp,
            Deck,
            Owner,
            X,
            Y,
            Wkt,
            LonLat,
            PoiType,
            ProjectType,
            Year,
            Cost,
            Site,
        ]
    };

    /// The key used in `[layer.fields]` of the project file.
    pub fn key(self) -> &'static str {
        match self {
            FieldRole::Id => "id",
            FieldRole::Code => "code",
            FieldRole::Name => "name",
            FieldRole::StreetCode => "street_code",
            FieldRole::StreetName => "street_name",
            FieldRole::Households => "households",
            FieldRole::Population => "population",
            FieldRole::Elderly => "elderly",
            FieldRole::Infants => "infants",
            FieldRole::Children => "children",
            FieldRole::Capacity => "capacity",
            FieldRole::Capable => "capable",
            FieldRole::Centralised => "centralised",
            FieldRole::Use => "use",
            FieldRole::Floors => "floors",
            FieldRole::Height => "height",
            FieldRole::Compound => "compound",
            FieldRole::Service => "service",
            FieldRole::FloorArea => "floor_area",
            FieldRole::Complex => "complex",
            FieldRole::SharedBy => "shared_by",
            FieldRole::Class => "class",
            FieldRole::Steps => "steps",
            FieldRole::Access => "access",
            FieldRole::Ramp => "ramp",
            FieldRole::Deck => "deck",
            FieldRole::Owner => "owner",
            FieldRole::X => "x",
            FieldRole::Y => "y",
            FieldRole::Wkt => "wkt",
            FieldRole::LonLat => "location",
            FieldRole::PoiType => "poi_type",
            FieldRole::ProjectType => "project_type",
            FieldRole::Year => "year",
            FieldRole::Cost => "cost",
            FieldRole::Site => "site",
        }
    }

    /// Names recognised without mapping, best first (compared ignoring case).
    pub fn known_names(self) -> &'static [&'static str] {
        match self {
            FieldRole::Id => &["id", "编号", "fid", "osm_id", "objectid", "序号"],
            FieldRole::Code => {
                &["社区代码", "社区编码", "code", "community_code", "comm_code", "代码", "编码", "区划代码"]
            }
            FieldRole::Name => &[
                "社区名称",
                "名称",
                "name",
                "社区",
                "社区名",
                "设施名称",
                "community_name",
                "comm_name",
                "资源名称",
                "项目名称",
            ],
            FieldRole::StreetCode => &["街道代码", "街道编码", "street_code", "jd_code"],
            FieldRole::StreetName => &["街道名称", "街道", "所属街道", "street_name", "street", "街道办"],
            FieldRole::Households => &["户数", "总户数", "住户数", "居民户数", "households", "hh", "hhld"],
            FieldRole::Population => &["人口", "常住人口", "人口数", "population", "pop"],
            FieldRole::Elderly => &[
                "60岁及以上",
                "60岁以上",
                "60 岁及以上",
                "60岁及以上人口",
                "老年人口",
                "老年人",
                "elderly",
                "age60plus",
                "pop_60p",
            ],
            FieldRole::Infants => &["0-3岁", "0～3岁", "0—3岁", "0-3 岁", "婴幼儿", "婴幼儿人数", "infants", "age0_3"],
            FieldRole::Children => {
                &["6-12岁", "6～12岁", "6—12岁", "6-12 岁", "儿童", "学龄儿童", "children", "age6_12"]
            }
            FieldRole::Capacity => &[
                "床位",
                "床位数",
                "托位",
                "托位数",
                "座位",
                "座位数",
                "学位",
                "容量",
                "服务容量",
                "capacity",
                "places",
                "beds",
                "seats",
            ],
            FieldRole::Capable => &["有条件", "是否有条件", "capable"],
            FieldRole::Centralised => &["集中建设", "具备集中建设条件", "集中建设条件", "centralised", "centralized"],
            FieldRole::Use => &["用途", "建筑用途", "性质", "建筑性质", "use", "building", "type"],
            FieldRole::Floors => &["层数", "楼层数", "地上层数", "楼层", "floors", "levels", "building_levels"],
            FieldRole::Height => &[
                "高度",
                "建筑高度",
                "楼高",
                "房屋高度",
                "height",
                "height_m",
                "bldg_height",
                "building_height",
                "elevation",
            ],
            FieldRole::Compound => &["小区", "小区名称", "所属小区", "compound"],
            FieldRole::Service => {
                &["服务类型", "功能", "服务功能", "类型", "设施类型", "service", "services", "kind", "kinds"]
            }
            FieldRole::FloorArea => &["建筑面积", "面积", "使用面积", "floor_area", "area", "area_m2"],
            FieldRole::Complex => &["综合体", "是否综合体", "complex"],
            FieldRole::SharedBy => &["共享社区", "服务社区", "shared_by"],
            FieldRole::Class => &["道路等级", "等级", "class", "highway", "fclass"],
            FieldRole::Steps => &["台阶", "梯道", "步道台阶", "steps"],
            FieldRole::Access => &["通行", "access", "foot"],
            FieldRole::Ramp => &["坡道", "无障碍坡道", "ramp"],
            FieldRole::Deck => &["桥隧", "桥梁", "桥", "隧道", "bridge", "tunnel", "deck"],
            FieldRole::Owner => &["权属", "产权", "产权类型", "owner", "owner_type"],
            FieldRole::X => &["经度", "lon", "lng", "longitude", "x", "long"],
            FieldRole::Y => &["纬度", "lat", "latitude", "y"],
            FieldRole::Wkt => &["wkt", "geometry", "geom", "几何", "the_geom"],
            FieldRole::LonLat => &["location", "经纬度", "坐标", "lnglat", "lonlat"],
            FieldRole::PoiType => &["type", "tag", "poi_type", "poi类型", "标签", "分类", "行业类型"],
            FieldRole::ProjectType => &["项目类型", "建设类型", "建设方式", "实施方式", "project_type", "type"],
            FieldRole::Year => &["年份", "建设年份", "实施年份", "计划年份", "完成年份", "year"],
            FieldRole::Cost => &[
                "投资",
                "总投资",
                "投资估算",
                "估算投资",
                "投资（元）",
                "投资（万元）",
                "投资(万元)",
                "cost",
                "cost_yuan",
            ],
            FieldRole::Site => &["所在建筑", "建筑编号", "闲置资源编号", "资源编号", "site", "site_id", "building_id"],
        }
    }

    /// The roles a layer of the given kind may carry.
    pub fn for_layer(layer: LayerRole) -> &'static [FieldRole] {
        use FieldRole::*;
        match layer {
            LayerRole::Communities => &[
                Code,
                Name,
                StreetCode,
                StreetName,
                Households,
                Population,
                Elderly,
                Infants,
                Children,
                Capable,
                Centralised,
            ],
            LayerRole::Streets => &[StreetCode, StreetName, Code, Name],
            LayerRole::Buildings => &[Id, Use, Floors, Height, Households, Compound],
            LayerRole::Facilities => &[Id, Name, Service, PoiType, FloorArea, Capacity, Complex, SharedBy],
            LayerRole::Walkways => &[Id, Class, Steps, Access, Ramp, Deck],
            LayerRole::Candidates => &[Id, Name, FloorArea, Owner],
            LayerRole::Entrances => &[Id],
        }
    }

    /// Parses a key of `[layer.fields]`.
    pub fn from_key(key: &str) -> Option<FieldRole> {
        Self::ALL.into_iter().find(|r| r.key() == key)
    }
}

/// Which field of a layer was taken for which role, and how.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct FieldMap {
    /// role → (field index, field name, whether the project mapped it explicitly).
    pub chosen: BTreeMap<FieldRole, (usize, String, bool)>,
}

impl FieldMap {
    /// Resolves the roles among `field_names`: explicit mappings first, then known
    /// names. A field is taken for one role only. Returns the map and the explicit
    /// mappings that named no field of the layer.
    pub fn resolve(
        roles: &[FieldRole],
        field_names: &[String],
        explicit: &BTreeMap<String, String>,
    ) -> (FieldMap, Vec<String>) {
        let mut map = FieldMap::default();
        let mut problems = Vec::new();
        let mut taken = vec![false; field_names.len()];
        for (key, field) in explicit {
            let Some(role) = FieldRole::from_key(key) else {
                problems.push(format!("unknown field role {key:?}"));
                continue;
            };
            match field_names.iter().position(|f| f == field) {
                Some(i) => {
                    taken[i] = true;
                    map.chosen.insert(role, (i, field.clone(), true));
                }
                None => problems.push(format!("{key} = {field:?}: no such field")),
            }
        }
        for &role in roles {
            if map.chosen.contains_key(&role) {
                continue;
            }
            'names: for known in role.known_names() {
                for (i, f) in field_names.iter().enumerate() {
                    if !taken[i] && f.trim().eq_ignore_ascii_case(known) {
                        taken[i] = true;
                        map.chosen.insert(role, (i, f.clone(), false));
                        break 'names;
                    }
                }
            }
        }
        (map, problems)
    }

    /// The index of the field taken for a role.
    pub fn get(&self, role: FieldRole) -> Option<usize> {
        self.chosen.get(&role).map(|c| c.0)
    }
    /// The name of the field taken for a role.
    pub fn name(&self, role: FieldRole) -> Option<&str> {
        self.chosen.get(&role).map(|c| c.1.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn chinese_names_are_recognised_and_explicit_mapping_wins() {
        let fields = names(&["社区代码", "社区名称", "街道", "户数", "HH2023"]);
        let (m, p) = FieldMap::resolve(FieldRole::for_layer(LayerRole::Communities), &fields, &BTreeMap::new());
        assert!(p.is_empty());
        assert_eq!(m.name(FieldRole::Code), Some("社区代码"));
        assert_eq!(m.name(FieldRole::Name), Some("社区名称"));
        assert_eq!(m.name(FieldRole::StreetName), Some("街道"));
        assert_eq!(m.name(FieldRole::Households), Some("户数"));
        let explicit = BTreeMap::from([("households".to_string(), "HH2023".to_string())]);
        let (m, _) = FieldMap::resolve(FieldRole::for_layer(LayerRole::Communities), &fields, &explicit);
        assert_eq!(m.name(FieldRole::Households), Some("HH2023"));
    }

    #[test]
    fn a_field_serves_one_role_and_bad_mappings_are_reported() {
        let fields = names(&["名称", "NAME"]);
        let (m, _) = FieldMap::resolve(&[FieldRole::Name, FieldRole::StreetName], &fields, &BTreeMap::new());
        assert_eq!(m.name(FieldRole::Name), Some("名称"));
        assert_eq!(m.name(FieldRole::StreetName), None);
        let explicit = BTreeMap::from([
            ("households".to_string(), "nope".to_string()),
            ("colour".to_string(), "名称".to_string()),
        ]);
        let (_, p) = FieldMap::resolve(&[FieldRole::Name], &fields, &explicit);
        assert_eq!(p.len(), 2, "{p:?}");
    }
}
