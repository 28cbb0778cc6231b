//! Loading inputs from a project file or an OSM extract, as the flags say.

use crate::flags::InputArgs;
use anyhow::Context;
use lantu_core::{Lang, Profile};
use lantu_read::{load_osm, load_project, Loaded, OsmOptions, Project, TagTable};
use std::path::{Path, PathBuf};

/// Every input file the command line names (the project's layers, tables, profile and
/// DEM; the OSM extract, tag table, plans and `--profile`): what the output folder must not
/// replace. A project file that cannot be read yet names only itself (loading says why).
pub fn input_paths(args: &InputArgs, plans: &[PathBuf], profile: Option<&Path>) -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = Vec::new();
    if let Some(p) = &args.project {
        match Project::load(p) {
            Ok(project) => paths.extend(project.input_files()),
            Err(_) => paths.push(p.clone()),
        }
    }
    paths.extend(args.osm.iter().chain(&args.dem).chain(&args.population).chain(&args.osm_tags).chain(plans).cloned());
    paths.extend(profile.map(Path::to_path_buf));
    paths
}

/// Reads the inputs named on the command line.
pub fn load(args: &InputArgs, profile: &Profile, lang: Lang) -> anyhow::Result<(Loaded, Profile)> {
    if let Some(osm) = &args.osm {
        let tags = match &args.osm_tags {
            None => TagTable::builtin(),
            Some(p) => {
                let text = std::fs::read_to_string(p)
                    .with_context(|| crate::cannot_read(p, ("标签表", "the tag table"), lang))?;
                TagTable::parse(&text, &p.display().to_string())?
            }
        };
        let opts = OsmOptions {
            admin_level: args.admin_level,
            tags,
            dem: args.dem.clone(),
            population: args.population.clone(),
            metric_crs: args.metric_crs.clone(),
        };
        return Ok((load_osm(osm, &opts, profile)?, profile.clone()));
    }
    let path = args.project.as_ref().expect("clap requires a project or --osm");
    let mut project = Project::load(path)?;
    if args.metric_crs.is_some() {
        project.metric_crs = args.metric_crs.clone();
    }
    if let Some(dem) = &args.dem {
        project.dem = Some(lantu_read::DemSource { path: dem.clone() });
    }
    if let Some(grid) = &args.population {
        // a path on the command line is the user's, not the project file's: made absolute
        let path = std::path::absolute(grid).unwrap_or_else(|_| grid.clone());
        project.population = Some(lantu_read::LayerSource { path, ..Default::default() });
    }
    let profile = match &project.profile {
        Some(p) => {
            let p = project.resolve(p);
            let text = std::fs::read_to_string(&p)
                .with_context(|| crate::cannot_read(&p, ("项目的规则配置", "the project's profile"), lang))?;
            profile.with_overrides(&text, &p.display().to_string())?
        }
        None => profile.clone(),
    };
    Ok((load_project(&project, &profile)?, profile))
}
