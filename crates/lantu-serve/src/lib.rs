//! # lantu-serve: finished blueprints served, read-only
//!
//! [`run`] serves one or more lantu output folders over HTTP: every layer as an
//! **OGC API – Features** collection (Part 1 Core, GeoJSON, longitude/latitude; landing
//! page, `/api`, `/conformance`, `/collections`, items with `bbox`, `limit` and `offset`),
//! the same layers as **Mapbox Vector Tiles** (`/tiles/{collection}/{z}/{x}/{y}.mvt` with a
//! TileJSON), and each folder's page (`/web/{folder}/index.html`), which then draws the
//! city's buildings and walkways from the tiles.
//!
//! Read-only: GET only, files only from the folders' `web/` with every path confined to it;
//! bound to loopback unless asked otherwise. The layers are read once at start ([`Catalog`]).
#![deny(missing_docs)]

mod catalog;
mod features;
mod files;
mod http;
mod tiles;

pub use catalog::{Catalog, Collection, Feature, Folder};
pub use features::{CONFORMANCE, DEFAULT_LIMIT, MAX_LIMIT};
pub use tiles::{MAX_ZOOM, MIN_ZOOM};

use lantu_core::{Lang, Localized};
use std::net::SocketAddr;
use std::path::PathBuf;

/// Why the blueprint could not be served.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    /// A folder is not a finished lantu output (no `blueprint.gpkg`).
    NotAnOutput {
        /// The folder.
        dir: PathBuf,
    },
    /// A layer could not be read.
    Read {
        /// The file.
        path: PathBuf,
        /// GDAL's or the system's reason.
        message: String,
    },
    /// The address could not be bound.
    Bind {
        /// The address.
        addr: SocketAddr,
        /// The system's reason.
        source: std::io::Error,
    },
}

impl Localized for ServeError {
    fn message(&self, lang: Lang) -> String {
        match self {
            ServeError::NotAnOutput { dir } => lang.pick(
                format!("{}：不是 lantu 的输出文件夹（没有 blueprint.gpkg）", dir.display()),
                format!("{}: not a lantu output folder (no blueprint.gpkg)", dir.display()),
            ),
            ServeError::Read { path, message } => lang.pick(
                format!("{}：无法读取（{message}）", path.display()),
                format!("{}: cannot be read ({message})", path.display()),
            ),
            ServeError::Bind { addr, source } => {
                lang.pick(format!("无法监听 {addr}（{source}）"), format!("cannot listen on {addr} ({source})"))
            }
        }
    }
}

lantu_core::display_in_chinese!(ServeError);

/// How to serve.
#[derive(Clone, Debug)]
pub struct ServeOptions {
    /// The output folders.
    pub dirs: Vec<PathBuf>,
    /// The address to listen on (loopback unless the user says otherwise).
    pub bind: SocketAddr,
    /// One line per request on standard error.
    pub log: bool,
}

/// Reads the folders, listens, calls `ready` with the address and what is served, and
/// serves until Ctrl-C or SIGTERM.
pub fn run(opts: &ServeOptions, ready: impl FnOnce(SocketAddr, &Catalog)) -> Result<(), ServeError> {
    let catalog = Catalog::load(&opts.dirs)?;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|source| ServeError::Bind { addr: opts.bind, source })?;
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(opts.bind)
            .await
            .map_err(|source| ServeError::Bind { addr: opts.bind, source })?;
        let addr = listener.local_addr().map_err(|source| ServeError::Bind { addr: opts.bind, source })?;
        ready(addr, &catalog);
        let app = http::router(catalog, opts.log);
        axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let ctrl_c = tokio::signal::ctrl_c();
                #[cfg(unix)]
                {
                    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
                        .expect("a SIGTERM handler");
                    tokio::select! { _ = ctrl_c => {}, _ = term.recv() => {} }
                }
                #[cfg(not(unix))]
                let _ = ctrl_c.await;
            })
            .await
            .map_err(|source| ServeError::Bind { addr, source })
    })
}

/// What the server says once it listens: the address, the layers and features, the page.
pub fn ready_message(addr: SocketAddr, cat: &Catalog, lang: Lang) -> String {
    let n: usize = cat.collections.iter().map(|c| c.features.len()).sum();
    let layers = cat.collections.len();
    let mut s = lang.pick(
        format!("已发布 {layers} 个图层、{n} 个要素（OGC API – Features 与矢量瓦片，只读）：http://{addr}/"),
        format!(
            "serving {layers} layers, {n} features (OGC API – Features and vector tiles, read-only) at http://{addr}/"
        ),
    );
    for f in cat.folders.iter().filter(|f| f.web.is_some()) {
        s += &lang.pick(
            format!("\n网页：http://{addr}/web/{}/index.html", f.slug),
            format!("\npage: http://{addr}/web/{}/index.html", f.slug),
        );
    }
    if !addr.ip().is_loopback() {
        s += lang
            .pick("\n注意：已在本机以外可访问的地址上发布", "\nnote: reachable from other machines at this address");
    }
    s
}
