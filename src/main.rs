//! The command line: parses arguments and calls the library.
mod progress;

// Extraction and rendering allocate many small strings; mimalloc halves what glibc's malloc costs.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::{Parser, Subcommand};
use kwiki::error::shown;
use kwiki::site::{self, Site};
use std::path::PathBuf;
use std::process::ExitCode;

// mimalloc's options: libmimalloc-sys declares them only behind its `extended` feature (one
// more dependency), and with the option numbers of mimalloc 2, not the 3 it builds.
unsafe extern "C" {
    fn mi_option_set(option: std::ffi::c_int, value: std::ffi::c_long);
}

/// `mi_option_purge_delay` in mimalloc 3's `mimalloc.h` (default 1000 ms).
const MI_OPTION_PURGE_DELAY: std::ffi::c_int = 15;

/// For `serve`: keep the memory a rebuild frees instead of handing it back to the system a
/// second later. Each edit's rebuild would otherwise fault it back in page by page: 9,000
/// page faults, about 50 ms, per edit that links again at 10,000 articles. The price: the
/// server holds more memory (~15% at 10,000 articles after a dozen edits). An hour rather
/// than never: a delay keeps the freed memory marked for purging, which the HTTP side
/// forces after a flood of connections (see `serve::http`); with purging off it never could.
fn keep_freed_memory() {
    set_purge_delay(3_600_000);
}

/// For `build` of a large corpus (`LARGE_CORPUS` files under `seeds/`): hand memory a stage
/// frees back to the system at once rather than a second later, so that the next stage
/// reuses pages instead of adding to the peak (a 100,000-article build's peak is what must
/// stay under 2 GiB). A smaller corpus keeps mimalloc's delay: handing pages back at once
/// has the next stage fault them in again, a tenth of a 10,000-article build's time (page
/// clearing and faults, measured), to save a tenth of a peak of 250 MiB.
fn return_freed_memory(site: &Site) {
    // the files under seeds/ (counted up to the bound) say the corpus's size well enough,
    // before any thread starts
    let files = (walkdir::WalkDir::new(site.seeds_dir()).into_iter())
        .filter_map(|e| e.ok().filter(|e| e.file_type().is_file()))
        .take(LARGE_CORPUS)
        .count();
    if files >= LARGE_CORPUS {
        set_purge_delay(0);
    }
}

/// Article files from which a build's memory, rather than its time, is what to save.
const LARGE_CORPUS: usize = 30_000;

/// mimalloc's purge delay in milliseconds, unless the user set `MIMALLOC_PURGE_DELAY`. Called
/// before any thread starts.
fn set_purge_delay(ms: std::ffi::c_long) {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
        return; // the user's choice
    }
    // SAFETY: a plain C call on an option number checked by `tests::purge_delay_option`,
    // before the command starts its threads (setting options is not thread safe)
    unsafe { mi_option_set(MI_OPTION_PURGE_DELAY, ms) }
}

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
        /// Print the JSON context of one page (e.g. `artist/rose/` or `index.html`) and its
        /// template instead of building: what a template can use (see docs/templates.md).
        #[arg(long, value_name = "PATH")]
        dump_context: Option<String>,
        /// Print the wall time of each stage (lines `timing STAGE SECONDS`) and one JSON
        /// line with the same figures, on standard output.
        #[arg(long)]
        timings: bool,
        /// Fail at once when another kwiki process is writing the output, instead of waiting.
        #[arg(long)]
        no_wait: bool,
        /// Neither read nor update the build cache: read and extract every article.
        #[arg(long)]
        no_cache: bool,
        /// Keep the build cache here instead of cache_dir (site.yaml).
        #[arg(long, value_name = "DIR")]
        cache_dir: Option<PathBuf>,
    },
    /// Build, serve the site on 127.0.0.1, rebuild on change and reload open pages.
    Serve {
        /// The port (0 picks a free one).
        #[arg(long, short, default_value_t = 8000)]
        port: u16,
        /// The address to listen on (e.g. 0.0.0.0 to be reached from other machines);
        /// requests must name it, or a loopback name, as their Host.
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
        /// Fail at once when another kwiki process is writing the output, instead of waiting.
        #[arg(long)]
        no_wait: bool,
    },
    /// Remove the built site (output_dir, only when kwiki made it), what kwiki keeps beside
    /// it and the build cache (cache_dir), first finishing or undoing what a killed build left
    /// there: the next build starts from nothing.
    Clean {
        /// The output directory to remove instead of output_dir.
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// The build cache to remove instead of cache_dir.
        #[arg(long, value_name = "DIR")]
        cache_dir: Option<PathBuf>,
        /// Fail at once when another kwiki process is writing the output, instead of waiting.
        #[arg(long)]
        no_wait: bool,
    },
    /// Start a new site in DIR: site.yaml, an example article, the default templates to
    /// edit and a stylesheet. Existing files are never overwritten.
    Init { dir: PathBuf },
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
        /// Also score each part of the gold: its articles grouped by the letters their ids
        /// start with ("da01-..." is in part "da").
        #[arg(long)]
        parts: bool,
    },
    /// List what an editor should look at: low-confidence entities and partnerships,
    /// likely duplicates, corrections that no longer match.
    Check,
    /// Fetch news articles and add them to seeds/ as Markdown with the page's metadata
    /// (seeds/<date>-<slug>.md); an article already there is not added again.
    Add {
        /// Article URLs (or, with --feed, feed URLs).
        #[arg(required = true)]
        urls: Vec<String>,
        /// The URLs are feeds (RSS 2.0, Atom, JSON Feed): add their articles.
        #[arg(long)]
        feed: bool,
        #[command(flatten)]
        fetch: FetchArgs,
    },
    /// Add the new articles of the feeds listed under `feeds:` in site.yaml.
    Update {
        #[command(flatten)]
        fetch: FetchArgs,
    },
    /// Show what the extractor found in one article, with the cues behind each finding.
    Explain {
        /// The article's id (file stem).
        id: String,
        /// Also show how each sentence was read: its candidate names and what each became,
        /// the phrases standing for a name, the triggers, the claims left out and why.
        #[arg(long, short)]
        verbose: bool,
    },
}

/// How `add` and `update` fetch.
#[derive(clap::Args)]
struct FetchArgs {
    /// Feed items published before this date (YYYY-MM-DD or RFC 3339) are skipped.
    #[arg(long, value_name = "DATE")]
    since: Option<String>,
    /// At most N articles from each feed.
    #[arg(long, value_name = "N")]
    limit: Option<usize>,
    /// Seconds between two requests to the same host.
    #[arg(long, default_value_t = 1.0, value_name = "SECONDS")]
    delay: f64,
    /// Seconds a request may take, redirects and body included.
    #[arg(long, default_value_t = 30.0, value_name = "SECONDS")]
    timeout: f64,
    /// Tries again after a 429 or 5xx answer, waiting longer each time.
    #[arg(long, default_value_t = 2)]
    retries: u32,
}

impl FetchArgs {
    fn options(&self) -> kwiki::Result<kwiki::collect::fetch::FetchOptions> {
        let secs = |v: f64, name: &str| {
            std::time::Duration::try_from_secs_f64(v).map_err(|_| {
                kwiki::Error::Other(format!("--{name} must be a number of seconds, not {v}"))
            })
        };
        if let Some(s) = &self.since
            && kwiki::collect::feeds::parse_since(s).is_none()
        {
            return Err(kwiki::Error::Other(format!(
                "--since {s}: not a date (write YYYY-MM-DD)"
            )));
        }
        Ok(kwiki::collect::fetch::FetchOptions {
            timeout: secs(self.timeout, "timeout")?,
            delay: secs(self.delay, "delay")?,
            retries: self.retries,
            ..Default::default()
        })
    }
}

/// Add each page of `urls` (each feed's pages, with `feed`), reporting each failure and
/// page already present on its own line, then the summary. Returns the counts.
fn collect(
    site: &Site,
    urls: &[String],
    feed: bool,
    args: &FetchArgs,
) -> kwiki::Result<kwiki::collect::Tally> {
    use kwiki::collect::{Collector, Outcome, Tally};
    let mut collector = Collector::new(site, args.options()?)?;
    let mut tally = Tally::default();
    let mut pages = Vec::new();
    if feed {
        for url in urls {
            match collector.feed_links(url, args.since.as_deref(), args.limit) {
                Ok(links) => pages.extend(links),
                Err(e) => {
                    eprintln!("error: {e}");
                    tally.failed += 1;
                }
            }
        }
    } else {
        pages = urls.to_vec();
    }
    let bar = progress::Counter::new(pages.len());
    for url in &pages {
        let r = collector.add_page(url);
        bar.suspend(|| match &r {
            Ok(Outcome::Added(path)) => println!("added {}", path.display()),
            Ok(Outcome::Present { path, why }) => {
                eprintln!("already present: {url} is in {} ({why})", path.display())
            }
            Err(e) => eprintln!("error: {e}"),
        });
        tally.count(&r);
        bar.inc();
    }
    bar.finish();
    eprintln!("{tally}");
    Ok(tally)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Err(e) = kwiki::interrupt::install() {
        eprintln!("warning: {e}");
    }
    match run(cli) {
        Ok(code) => code,
        Err(e @ kwiki::Error::Interrupted(_)) => {
            eprintln!("{e}");
            ExitCode::from(kwiki::interrupt::EXIT_STATUS as u8)
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn wait(no_wait: bool) -> kwiki::write::lock::Wait {
    if no_wait {
        kwiki::write::lock::Wait::No
    } else {
        kwiki::write::lock::Wait::Yes
    }
}

fn run(cli: Cli) -> kwiki::Result<ExitCode> {
    match cli.command {
        Command::Build {
            output,
            base_url,
            dump_context,
            timings,
            no_wait,
            no_cache,
            cache_dir,
        } => {
            let mut site = Site::load(&cli.root)?;
            return_freed_memory(&site);
            if let Some(o) = output {
                site.config.output_dir = std::env::current_dir().map(|d| d.join(&o)).unwrap_or(o);
            }
            if let Some(c) = cache_dir {
                site.config.cache_dir = std::env::current_dir().map(|d| d.join(&c)).unwrap_or(c);
            }
            if let Some(b) = base_url {
                site.config.base_url = b;
                site.config
                    .check_base_url()
                    .map_err(|m| kwiki::Error::Other(format!("--base-url: {m}")))?;
            }
            if let Some(path) = dump_context {
                let (wiki, _) = site.wiki(&mut Default::default())?;
                let rsite = kwiki::render::Site::new(&wiki, &site.config);
                let Some((template, ctx)) = kwiki::render::context_for(&rsite, &path) else {
                    eprintln!(
                        "error: no page at {path:?} (try index.html, artist/, or an entity path like artist/NAME/)"
                    );
                    return Ok(ExitCode::FAILURE);
                };
                let json = kwiki::render::theme::context_json(&ctx)?;
                println!(
                    "{}",
                    serde_json::to_string_pretty(
                        &serde_json::json!({"template": template, "context": json})
                    )
                    .unwrap_or_default()
                );
                return Ok(ExitCode::SUCCESS);
            }
            // one writer per output; what a killed build left is finished or undone first
            let _lock = kwiki::write::lock::lock_output(
                &site.output_dir(),
                "build",
                wait(no_wait),
                &|m| eprintln!("{m}"),
            )?;
            let t = std::time::Instant::now();
            let bar = progress::Bar::new(t);
            let opts = if no_cache {
                site::BuildOptions::uncached()
            } else {
                site::BuildOptions::cached()
            };
            let result = site::build_with_progress(&site, &opts, &|p| bar.update(p));
            bar.finish();
            let report = result?;
            let out = site.output_dir();
            for w in report
                .warnings
                .iter()
                .chain(&report.published.warnings(&out, &site.config.publish))
            {
                eprintln!("warning: {w}");
            }
            let n = |n: usize, one: &str, many: &str| {
                format!("{} {}", progress::thousands(n), site::plural(n, one, many))
            };
            eprintln!(
                "built {}, {}, {}, {} in {:.1} s ({} written) into {}: {} in {}",
                n(report.articles, "article", "articles"),
                n(report.entities, "entity", "entities"),
                n(report.partnerships, "partnership", "partnerships"),
                n(report.pages, "page", "pages"),
                t.elapsed().as_secs_f64(),
                n(report.written, "file", "files"),
                shown(&out),
                site::human_bytes(report.published.bytes),
                n(report.published.files, "file", "files"),
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
            parts,
        } => {
            let gold_data = kwiki::eval::Gold::load(&gold)?;
            let (ents, rels) = match built {
                Some(dir) => {
                    let (e, p) =
                        kwiki::render::api::read(&dir.join("api")).map_err(kwiki::Error::Other)?;
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
            let report = kwiki::eval::score(&gold_data, &ents, &rels, only.as_ref());
            print!("{report}");
            if parts {
                for (part, ids) in gold_data.parts() {
                    let r = kwiki::eval::score(&gold_data, &ents, &rels, Some(&ids));
                    println!("\npart {part} ({} articles)\n{}", ids.len(), r.figures());
                }
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Explain { id, verbose } => {
            let site = Site::load(&cli.root)?;
            let ingested =
                kwiki::ingest::ingest(&site.root, &site.config.seeds_dir, &site.ingest_options())?;
            let Some(article) = ingested.articles.iter().find(|a| a.id == id) else {
                return Err(kwiki::Error::Other(format!(
                    "no article with id `{id}` under {}",
                    shown(&site.seeds_dir())
                )));
            };
            print!(
                "{}",
                kwiki::explain::report(article, &site.lexicon, verbose)
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Add { urls, feed, fetch } => {
            let site = Site::load(&cli.root)?;
            let tally = collect(&site, &urls, feed, &fetch)?;
            Ok(if tally.added > 0 {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            })
        }
        Command::Update { fetch } => {
            let site = Site::load(&cli.root)?;
            if site.config.feeds.is_empty() {
                return Err(kwiki::Error::input(
                    site.root.join("site.yaml"),
                    "no feeds to update: list feed URLs under `feeds:`",
                ));
            }
            let tally = collect(&site, &site.config.feeds, true, &fetch)?;
            // nothing new is a normal day for a scheduled job; only failing throughout is not
            Ok(if tally.failed > 0 && tally.added + tally.present == 0 {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Serve {
            port,
            bind,
            no_wait,
        } => {
            keep_freed_memory();
            kwiki::serve::run(&cli.root, &bind, port, wait(no_wait))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Clean {
            output,
            cache_dir,
            no_wait,
        } => {
            let mut site = Site::load(&cli.root)?;
            let cwd = |p: PathBuf| std::env::current_dir().map(|d| d.join(&p)).unwrap_or(p);
            if let Some(o) = output {
                site.config.output_dir = cwd(o);
            }
            if let Some(c) = cache_dir {
                site.config.cache_dir = cwd(c);
            }
            let removed = site::clean(&site, wait(no_wait), &|m| eprintln!("{m}"))?;
            for p in &removed {
                println!("removed {}", shown(p));
            }
            if removed.is_empty() {
                println!("nothing to remove");
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Init { dir } => {
            let created = kwiki::init::scaffold(&dir)?;
            for p in &created {
                println!("created {}", shown(p));
            }
            println!(
                "new site in {}: edit seeds/, templates/ and static/, then run `kwiki --root {} serve`",
                shown(&dir),
                shown(&dir)
            );
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
            let n = items.len() + warnings.len();
            println!("{n} {} to review", site::plural(n, "item", "items"));
            Ok(ExitCode::SUCCESS)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    unsafe extern "C" {
        fn mi_option_get(option: std::ffi::c_int) -> std::ffi::c_long;
    }

    #[test]
    fn purge_delay_option() {
        // the option number is mimalloc's purge delay: its default, unless set from outside
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
            assert_eq!(unsafe { mi_option_get(MI_OPTION_PURGE_DELAY) }, 1000);
        }
    }
}
