//! Errors of reading and writing, each naming the file, layer, feature and field.

use std::path::{Path, PathBuf};

/// The result of reading and writing.
pub type Result<T, E = IoError> = std::result::Result<T, E>;

/// The underlying cause of an error (GDAL's, PROJ's, the system's, or lantu's words when
/// there is no other), printed after the error by `{:#}`.
pub type Cause = Box<dyn std::error::Error + Send + Sync>;

/// Why a file could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum IoError {
    /// The file is missing or no GDAL driver can read it.
    #[error("{path}: 无法打开 / cannot open")]
    Open {
        /// The file.
        path: PathBuf,
        /// GDAL's or the system's reason.
        #[source]
        source: Cause,
    },
    /// The named layer is not in the file.
    #[error("{path}: 文件中没有图层 {layer:?} / no layer {layer:?}; the file has: {available}")]
    UnknownLayer {
        /// The file.
        path: PathBuf,
        /// The layer asked for.
        layer: String,
        /// The layers it has.
        available: String,
    },
    /// The layer has no CRS and the project gives none.
    #[error("{path} 图层 {layer}：没有坐标系，请在项目文件中为该图层设置 crs = \"EPSG:…\"（或 coords = \"gcj02\"，或坐标系文件 crs = \"….prj\"） / {path} layer {layer}: no coordinate reference system; set `crs = \"EPSG:…\"` (or `coords = \"gcj02\"`, or a CRS file `crs = \"….prj\"`) for this layer in the project file")]
    NoCrs {
        /// The file.
        path: PathBuf,
        /// The layer.
        layer: String,
    },
    /// A table without geometry and without coordinate or WKT columns.
    #[error("{path} layer {layer}: no geometry, and no longitude/latitude (经度/纬度, lon/lat, x/y) or WKT column; name them with x/y or wkt under [<layer>.fields] in the project (fields: {fields})")]
    NoGeometry {
        /// The file.
        path: PathBuf,
        /// The layer.
        layer: String,
        /// The layer's fields.
        fields: String,
    },
    /// The layer's geometries are of the wrong type for its role.
    #[error("{path} 图层 {layer} 的几何类型不符 / {path} layer {layer}: {role} need {expected} geometries, but the layer holds {found}")]
    WrongGeometryType {
        /// The file.
        path: PathBuf,
        /// The layer.
        layer: String,
        /// The role of the layer (communities, ...).
        role: String,
        /// What is needed.
        expected: String,
        /// What was found.
        found: String,
    },
    /// A feature could not be read.
    #[error("{path} 图层 {layer} 要素 {feature} / {path} layer {layer} feature {feature}: {message}")]
    Feature {
        /// The file.
        path: PathBuf,
        /// The layer.
        layer: String,
        /// The feature id.
        feature: String,
        /// What is wrong.
        message: String,
    },
    /// A plan of projects cannot be used.
    #[error("{path}: 规划项目表无法使用 / the plan cannot be used: {message}")]
    Plan {
        /// The plan file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// A plan's coordinates are projected or WKT and neither the file nor the caller names
    /// their CRS.
    #[error("{path}: 规划项目表的坐标系未知，请指定（EPSG:…）/ the plan's CRS is unknown: name it (EPSG:…)")]
    PlanNoCrs {
        /// The plan file.
        path: PathBuf,
    },
    /// A folder given to `compare` is not a lantu output that can be compared.
    #[error("{path}: 无法比较 / cannot compare: {message}")]
    Compare {
        /// The folder or file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// A layer beside the main ones (population grid, land use) cannot be used.
    #[error("{path}: {message}")]
    SideLayer {
        /// The file.
        path: PathBuf,
        /// What is wrong, in both languages.
        message: String,
    },
    /// The project file is wrong.
    #[error("项目文件 / project {path}: {message}")]
    Project {
        /// The project file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// A CRS could not be built or used.
    #[error("坐标系 / CRS {crs}")]
    Crs {
        /// The definition.
        crs: String,
        /// PROJ's reason.
        #[source]
        source: Cause,
    },
    /// A raster (DEM) could not be read.
    #[error("{path}: 数字高程模型（DEM）无法使用 / the DEM cannot be used")]
    Raster {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        #[source]
        source: Cause,
    },
    /// An output could not be written.
    #[error("{path}: 无法写入 / cannot write")]
    Write {
        /// The file or folder.
        path: PathBuf,
        /// What went wrong.
        #[source]
        source: Cause,
    },
    /// The text of a layer is in neither the declared encoding nor GBK.
    #[error("{path}: 属性文本的编码无法识别{} / the attributes are in an encoding lantu cannot recognise{}; set encoding = \"…\" (e.g. \"GBK\", \"GB18030\", \"Big5\") for this layer in the project file", declared.as_ref().map_or(String::new(), |d| format!("（.cpg 声明 {d}，但文本不是 {d}）")), declared.as_ref().map_or(String::new(), |d| format!(" (the .cpg says {d}, but the text is not {d})")))]
    Encoding {
        /// The file.
        path: PathBuf,
        /// What its .cpg declares, if any.
        declared: Option<String>,
    },
    /// The disk (or quota) is full.
    #[error("{path}: 磁盘空间不足，无法写入 / the disk is full: cannot write")]
    DiskFull {
        /// The file or folder.
        path: PathBuf,
    },
    /// The output folder is the working folder or one of its parents.
    #[error("{path}: 不能输出到当前文件夹或其上级文件夹 / cannot write into the working folder or a folder above it; name a new folder")]
    OutputIsWorkingFolder {
        /// The folder.
        path: PathBuf,
    },
    /// Another run is writing the same output folder.
    #[error("{path}: 另一个 lantu 进程（{pid}）正在写入该输出文件夹 / another lantu run (process {pid}) is writing this output folder; wait for it or choose another")]
    OutputBusy {
        /// The folder.
        path: PathBuf,
        /// The other run's process id.
        pid: u32,
    },
    /// The output folder was created, filled or replaced by someone else during the run.
    #[error("{path}: 运行期间该文件夹被创建或改动，未覆盖；本次结果保存在 {kept} / the folder was created or changed while lantu ran, so it was not replaced; this run's outputs are in {kept}")]
    OutputChanged {
        /// The folder.
        path: PathBuf,
        /// Where the finished outputs were kept.
        kept: PathBuf,
    },
    /// The output folder is, holds or lies inside one of the run's inputs.
    #[error("{path}: 输出位置与输入 {input} 重叠（是它、包含它或位于其中），覆盖会删除输入，已拒绝 / the output is, holds or lies inside the input {input}; replacing it would delete the input, so it is refused")]
    OutputHoldsInput {
        /// The output folder.
        path: PathBuf,
        /// The input it overlaps.
        input: PathBuf,
    },
    /// The output folder exists with other files in it.
    #[error("{path}: 输出位置已存在，且不是空文件夹 / the output already exists and is not an empty folder; choose another or replace it")]
    OutputExists {
        /// The folder.
        path: PathBuf,
    },
    /// The tag table for OpenStreetMap is wrong.
    #[error("OSM 标签表 / OSM tag table {source_name}: {message}")]
    TagTable {
        /// Where it came from.
        source_name: String,
        /// What is wrong.
        message: String,
    },
}

impl IoError {
    /// A write error from the system, naming the file; a full disk is said so.
    pub fn write(path: &Path, e: std::io::Error) -> IoError {
        if is_disk_full(&e) {
            IoError::DiskFull { path: path.to_path_buf() }
        } else {
            IoError::Write { path: path.to_path_buf(), source: e.into() }
        }
    }

    /// A write error from GDAL (whose messages do not say why, e.g. "… returned error: '6'"):
    /// a full disk is recognised by the free space left where `path` is written.
    pub fn gdal_write(path: &Path, message: String) -> IoError {
        if disk_nearly_full(path) {
            IoError::DiskFull { path: path.to_path_buf() }
        } else {
            IoError::Write { path: path.to_path_buf(), source: message.into() }
        }
    }
}

fn is_disk_full(e: &std::io::Error) -> bool {
    e.kind() == std::io::ErrorKind::StorageFull || e.kind() == std::io::ErrorKind::QuotaExceeded
}

/// Whether the file system holding `path` (or its nearest existing parent) has less than
/// 1 MiB free: then a failed write is a full disk.
pub(crate) fn disk_nearly_full(path: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let mut p = path;
        while !p.exists() {
            match p.parent() {
                Some(q) if !q.as_os_str().is_empty() => p = q,
                _ => return false,
            }
        }
        let Ok(c) = std::ffi::CString::new(p.as_os_str().as_bytes()) else { return false };
        let mut s: libc::statvfs = unsafe { std::mem::zeroed() };
        if unsafe { libc::statvfs(c.as_ptr(), &mut s) } != 0 {
            return false;
        }
        (s.f_bavail as u128) * (s.f_frsize as u128) < 1 << 20
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_device_is_called_a_full_disk_and_named() {
        use std::io::Write;
        let mut f = std::fs::OpenOptions::new().write(true).open("/dev/full").unwrap();
        let e = f.write_all(&[0u8; 4096]).and_then(|_| f.flush()).unwrap_err();
        let msg = IoError::write(Path::new("/dev/full"), e).to_string();
        assert!(msg.contains("磁盘空间不足") && msg.contains("/dev/full"), "{msg}");
    }
}
