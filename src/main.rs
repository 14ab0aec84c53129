//! The command line: parses arguments and calls the library.
mod progress;

use clap::{Parser, Subcommand};
use kwiki::site::{self, Site};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "kwiki",
    version,
    about = "Build a wiki of K-content collaborations from news articles"
)]
struct Cli {
    /// The site directory (holding site.yaml, seeds/, templates/, static/).
    #[arg(long, global = true, default_value = ".")]
    root: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into public/ (or output_dir).
    Build {
        /// Write the site here instead of output_dir.
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// Override base_url from site.yaml (e.g. https://user.github.io/repo).
        #[arg(long)]
        base_url: Option<String>,
        /// Print the wall time of each stage (lines `timing STAGE SECONDS`) and one JSON
        /// line with the same figures, on standard output.
        #[arg(long)]
        timings: bool,
    },
    /// Score the extraction against a gold annotation (the format of tests/gold-seeds.yaml).
    Eval {
        #[arg(long)]
        gold: PathBuf,
        /// Score a built site's api/*.json instead of building in memory.
        #[arg(long)]
        site: Option<PathBuf>,
        /// Only these article ids (comma-separated).
        #[arg(long)]
        articles: Option<String>,
    },
    /// List what an editor should look at: low-confidence entities and partnerships,
    /// likely duplicates, corrections that no longer match.
    Check,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> kwiki::Result<ExitCode> {
    match cli.command {
        Command::Build {
            output,
            base_url,
            timings,
        } => {
            let mut site = Site::load(&cli.root)?;
            if let Some(o) = output {
                site.config.output_dir = std::env::current_dir().map(|d| d.join(&o)).unwrap_or(o);
            }
            if let Some(b) = base_url {
                site.config.base_url = b;
            }
            let t = std::time::Instant::now();
            let bar = progress::Bar::new(t);
            let result = site::build_with_progress(&site, &|p| bar.update(p));
            bar.finish();
            let report = result?;
            for w in &report.warnings {
                eprintln!("warning: {w}");
            }
            eprintln!(
                "built {} articles, {} entities, {} partnerships, {} pages in {:.1} s ({} files written) into {}",
                progress::thousands(report.articles),
                progress::thousands(report.entities),
                progress::thousands(report.partnerships),
                progress::thousands(report.pages),
                t.elapsed().as_secs_f64(),
                progress::thousands(report.written),
                site.output_dir().display()
            );
            if timings {
                print!("{}", report.timings_text(t.elapsed()));
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Eval {
            gold,
            site: built,
            articles,
        } => {
            let gold_data = kwiki::eval::Gold::load(&gold)?;
            let (ents, parts) = match built {
                Some(dir) => {
                    let read = |name: &str| -> kwiki::Result<String> {
                        let p = dir.join("api").join(name);
                        std::fs::read_to_string(&p).map_err(|e| kwiki::Error::io(&p, e))
                    };
                    let e: kwiki::render::api::EntitiesFile =
                        serde_json::from_str(&read("entities.json")?)
                            .map_err(|e| kwiki::Error::Other(e.to_string()))?;
                    let p: kwiki::render::api::PartnershipsFile =
                        serde_json::from_str(&read("partnerships.json")?)
                            .map_err(|e| kwiki::Error::Other(e.to_string()))?;
                    (e.entities, p.partnerships)
                }
                None => {
                    let site = Site::load(&cli.root)?;
                    let (wiki, _) = site.wiki(&mut Default::default())?;
                    (
                        kwiki::render::api::entities(&wiki).entities,
                        kwiki::render::api::partnerships(&wiki).partnerships,
                    )
                }
            };
            let only = articles.map(|a| a.split(',').map(str::to_string).collect());
            let report = kwiki::eval::score(&gold_data, &ents, &parts, only.as_ref());
            print!("{report}");
            Ok(ExitCode::SUCCESS)
        }
        Command::Check => {
            let site = Site::load(&cli.root)?;
            let (wiki, warnings) = site.wiki(&mut Default::default())?;
            let items = kwiki::check::review(&wiki, site.config.review_below);
            for w in &warnings {
                println!("warning: {w}");
            }
            for i in &items {
                println!("{i}");
            }
            println!("{} item(s) to review", items.len() + warnings.len());
            Ok(ExitCode::SUCCESS)
        }
    }
}
