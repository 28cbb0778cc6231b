//! `lantu`: the command line. Parsing lives in `flags`; each command in its module.

mod demo;
mod flags;
mod inputs;
mod pipeline;
mod print;

use anyhow::Context;
use clap::Parser;
use flags::{Cli, Command, LangArg};
use lantu_core::{Lang, Profile};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Set by the signal handler: errors after it are its doing, not the user's.
static INTERRUPTED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Exit status: the data can be analysed / cannot / usage error (clap's own is 2).
pub const EXIT_OK: u8 = 0;
/// The data cannot be analysed (or a file cannot be read).
pub const EXIT_CANNOT: u8 = 1;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => usage_error(e),
    };
    let lang = match cli.lang {
        LangArg::Zh => Lang::Zh,
        LangArg::En => Lang::En,
    };
    lantu_read::init_gdal();
    // Ctrl-C, SIGTERM, SIGHUP: remove the partial output folder before leaving
    let _ = ctrlc::set_handler(move || {
        INTERRUPTED.store(true, std::sync::atomic::Ordering::SeqCst);
        lantu_write::remove_unfinished_outputs();
        eprintln!("lantu: {}", lang.pick("已中断，未完成的输出已清除", "interrupted; unfinished outputs removed"));
        // at once, without running exit handlers while the main thread may still be in GDAL
        unsafe { libc::_exit(130) };
    });
    // a panic caused by files removed under the run waits for the handler's exit as well
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if INTERRUPTED.load(std::sync::atomic::Ordering::SeqCst) {
            loop {
                std::thread::park();
            }
        }
        default_hook(info)
    }));
    match run(&cli, lang) {
        Ok(code) => ExitCode::from(code),
        Err(_) if INTERRUPTED.load(std::sync::atomic::Ordering::SeqCst) => loop {
            // the run failed because its files were removed under it: the handler exits
            std::thread::park();
        },
        Err(e) => {
            let head = lang.pick("错误", "error");
            eprintln!("lantu: {head}: {}", lantu_output::error_in_words(&*e, lang));
            ExitCode::from(EXIT_CANNOT)
        }
    }
}

fn run(cli: &Cli, lang: Lang) -> anyhow::Result<u8> {
    let profile = load_profile(cli.profile.as_deref(), lang)?;
    match &cli.command {
        Command::Profile => {
            print!("{}", profile.to_toml());
            Ok(EXIT_OK)
        }
        Command::Web { dir } => {
            let s = lantu_web::rebuild_web(dir)?;
            let msg = lang.pick("网页已重新生成", "page written again");
            println!("{msg}: {} ({} layers)", dir.join("web/index.html").display(), s.layers.len());
            Ok(EXIT_OK)
        }
        Command::Serve { dirs, bind, log } => {
            let opts = lantu_serve::ServeOptions { dirs: dirs.clone(), bind: *bind, log: *log };
            lantu_serve::run(&opts, |addr, cat| println!("{}", lantu_serve::ready_message(addr, cat, lang)))
                .map_err(|e| in_words(e, lang))?;
            Ok(EXIT_OK)
        }
        Command::Check(args) => {
            let (loaded, _) = inputs::load(args, &profile, lang)?;
            print!("{}", lantu_output::check_report(&loaded.report, &profile.kinds, lang));
            Ok(if loaded.report.can_analyse() { EXIT_OK } else { EXIT_CANNOT })
        }
        Command::Analyze(args) => {
            pipeline::set_threads(&args.run, lang)?;
            let inputs = inputs::input_paths(&args.input, &args.run.plans, cli.profile.as_deref());
            let out = output_dir(&args.out, args.run.force, &inputs, lang)?;
            let (mut loaded, profile) = inputs::load(&args.input, &profile, lang)?;
            if args.run.metric == Some(flags::MetricArg::Euclidean) {
                loaded.report.allow_straight_line();
            }
            pipeline::run(&loaded, &profile, &args.run, lang, out)
        }
        Command::Demo(args) => demo::run(args, &profile, lang),
        Command::Compare(args) => {
            let compared = [args.old.clone(), args.new.clone()];
            let out = output_dir(&args.out.out, args.out.force, &compared, lang)?;
            let dpi = (!args.no_maps).then_some(args.dpi);
            let c = lantu_output::write_comparison(&args.old, &args.new, &profile, dpi, lang, out)?;
            println!("{}", c.in_words().get(lang));
            println!("{} {}", lang.pick("输出已写入", "outputs written to"), c.dir.display());
            Ok(EXIT_OK)
        }
        Command::Batch(flags::BatchCommand::Split { project, by, border, out }) => {
            let args = flags::InputArgs { project: Some(project.clone()), ..Default::default() };
            let dir = output_dir(&out.out, out.force, &inputs::input_paths(&args, &[], cli.profile.as_deref()), lang)?;
            let (loaded, profile) = inputs::load(&args, &profile, lang)?;
            let opts = lantu_batch::SplitOptions { by: lantu_batch::AreaKey::parse(by), border_m: *border };
            let s = lantu_batch::split(&lantu_read::Project::load(project)?, &loaded, &profile, &opts, dir.path())
                .map_err(|e| in_words(e, lang))?;
            let dir = dir.commit()?;
            println!("{}", lantu_batch::split_in_words(&s, &dir, lang));
            Ok(EXIT_OK)
        }
        Command::Batch(flags::BatchCommand::Merge { dirs, out, pilots, pilots_per_district, no_maps }) => {
            let dir = output_dir(&out.out, out.force, dirs, lang)?;
            let mut opts = lantu_batch::MergeOptions::new(lang, dir.target());
            (opts.pilots, opts.pilots_per_district, opts.maps) = (*pilots, *pilots_per_district, !no_maps);
            let m = lantu_batch::merge(dirs, &profile, &opts, dir.path()).map_err(|e| in_words(e, lang))?;
            let dir = dir.commit()?;
            println!("{}", lantu_batch::merge_in_words(&m, &dir, lang));
            Ok(EXIT_OK)
        }
        Command::Synth(args) => {
            let out = output_dir(&args.out.out, args.out.force, &[], lang)?;
            let s = lantu_synth::generate(
                out.path(),
                &lantu_synth::SynthOptions {
                    communities: args.communities as usize,
                    seed: args.seed,
                    kinds: profile.kinds.clone(),
                    cities: args.cities as usize,
                },
            )?;
            let dir = out.commit()?;
            println!("{}", s.in_words(&dir).get(lang));
            Ok(EXIT_OK)
        }
    }
}

/// clap's own errors are English: a Chinese line first says what is wrong (unless
/// `--lang en`), then clap's message and usage; exit status 2.
fn usage_error(e: clap::Error) -> ! {
    use clap::error::{ContextKind, ErrorKind::*};
    let args: Vec<String> = std::env::args().collect();
    let english = args.windows(2).any(|w| w[0] == "--lang" && w[1] == "en") || args.iter().any(|a| a == "--lang=en");
    let zh = match e.kind() {
        DisplayHelp | DisplayVersion | DisplayHelpOnMissingArgumentOrSubcommand => None,
        UnknownArgument => Some("未知的参数"),
        InvalidSubcommand => Some("未知的命令（lantu --help 列出全部命令）"),
        InvalidValue | ValueValidation => Some("参数值无效或超出范围"),
        MissingRequiredArgument | MissingSubcommand => Some("缺少必需的参数"),
        ArgumentConflict => Some("参数不能同时使用"),
        TooManyValues | TooFewValues | WrongNumberOfValues => Some("参数值的个数不对"),
        NoEquals => Some("参数须写作 --参数=值"),
        InvalidUtf8 => Some("参数含无效的 UTF-8 文本"),
        _ => Some("命令行有误"),
    };
    if let (Some(zh), false) = (zh, english) {
        let what: Vec<String> = [ContextKind::InvalidArg, ContextKind::InvalidValue, ContextKind::InvalidSubcommand]
            .into_iter()
            .filter_map(|k| e.get(k).map(|v| v.to_string()))
            .collect();
        let what = if what.is_empty() { String::new() } else { format!("：{}", what.join(" ")) };
        eprintln!("lantu: 错误: {zh}{what}（以下为英文说明；lantu --help 列出全部命令与参数）");
    }
    e.exit()
}

/// Prepares the output folder before anything is read (so `--out .` or a busy folder is
/// refused at once), and says which leftovers of interrupted runs it removed.
pub fn output_dir(path: &Path, force: bool, inputs: &[PathBuf], lang: Lang) -> anyhow::Result<lantu_write::OutputDir> {
    let out = lantu_write::OutputDir::create(path, force, inputs).map_err(|e| {
        // the library names no flag: the command line says which one helps
        let hint = match &e {
            lantu_write::WriteError::OutputExists { .. } => lang.pick("加 --force 覆盖", "pass --force to replace it"),
            lantu_write::WriteError::OutputIsWorkingFolder { .. } => lang.pick("例如 --out 输出", "e.g. --out 输出"),
            _ => return anyhow::Error::new(e),
        };
        anyhow::anyhow!("--out {}; {hint}", lantu_output::error_in_words(&e, lang))
    })?;
    for p in out.cleared() {
        let what = lang.pick("已清除中断运行留下的临时文件", "removed a leftover of an interrupted run:");
        eprintln!("lantu: {what} {}", p.display());
    }
    Ok(out)
}

/// A library's error in the language asked for.
fn in_words(e: impl lantu_core::Localized, lang: Lang) -> anyhow::Error {
    anyhow::anyhow!(e.message(lang))
}

/// "<file>: cannot read <what>" in the language asked for.
pub fn cannot_read(path: &std::path::Path, (zh, en): (&str, &str), lang: Lang) -> String {
    let f = path.display();
    lang.pick(format!("{f}：无法读取{zh}"), format!("{f}: cannot read {en}"))
}

/// The built-in profile, with a user file's values over it.
fn load_profile(path: Option<&std::path::Path>, lang: Lang) -> anyhow::Result<Profile> {
    let builtin = Profile::builtin();
    match path {
        None => Ok(builtin),
        Some(p) => {
            let text = std::fs::read_to_string(p).with_context(|| cannot_read(p, ("规则配置", "the profile"), lang))?;
            Ok(builtin.with_overrides(&text, &p.display().to_string())?)
        }
    }
}
