//! The `gloss` command line: parses arguments and hands over to [`gloss::cmd`].

use std::io::IsTerminal as _;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use gloss::cmd::{self, BuildOptions, Outcome};
use gloss::model::ProfileKind;

/// gloss: a static-site generator for annotated news archives.
///
/// Articles are Markdown files with YAML front matter recording sources, speakers,
/// quotes and annotations; gloss renders them into a static folder with quote, person,
/// topic, outlet and date index pages.
#[derive(Debug, Parser)]
#[command(name = "gloss", version, about, long_about, propagate_version = true)]
struct Cli {
    /// The site's folder (holding site.yaml and content/).
    #[arg(long, global = true, value_name = "DIR", default_value = ".")]
    root: PathBuf,
    /// Print only problems.
    #[arg(long, short, global = true)]
    quiet: bool,
    /// Neither read nor update the build cache in .gloss/cache/ (a clean build).
    #[arg(long, global = true)]
    no_cache: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Create a new site with a sample article (the default theme is built in).
    Init {
        /// Folder to create the site in.
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
    /// Create a new file from a template.
    New {
        #[command(subcommand)]
        what: NewCommand,
    },
    /// Build the site into the output folder.
    Build {
        /// Include articles and pages marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Output folder [default: public/ under the site].
        #[arg(long, short, value_name = "DIR")]
        output: Option<PathBuf>,
        /// Absolute URL of the deployed site, for feeds, sitemap and canonical links.
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
        /// How to print the diagnostics (as for `check`).
        #[arg(long, value_enum, default_value = "human")]
        format: gloss::diag::Format,
    },
    /// Build the site in memory and preview it, rebuilding and reloading on every change.
    Serve {
        /// Port to listen on (0 picks a free one).
        #[arg(long, short, default_value_t = 1111)]
        port: u16,
        /// Address to listen on; anything but loopback exposes the preview to the network.
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// Open the site in the default browser.
        #[arg(long)]
        open: bool,
        /// Include articles and pages marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Memory for rendered pages, e.g. `256M` (the default), `1G`, `64K`; the least
        /// recently used pages go first.
        #[arg(long, value_name = "SIZE", default_value = "256M", value_parser = gloss::serve::parse_size)]
        page_cache: usize,
    },
    /// Turn another generator's site into a gloss site in an empty folder.
    Import {
        /// The generator that built the source site.
        #[arg(value_enum)]
        generator: gloss::import::Generator,
        /// The source site's folder, or a WordPress export's XML file (only read).
        src: PathBuf,
        /// The new site's folder (absent or empty).
        dest: PathBuf,
        /// The address the source site was served at, if its configuration does not say.
        #[arg(long)]
        base_url: Option<String>,
        /// WordPress: a copy of the site's `wp-content/uploads` folder, whose files the
        /// posts use are copied into `static/wp-content/uploads/`.
        #[arg(long)]
        uploads: Option<PathBuf>,
    },
    /// Report every error and warning without writing output.
    Check {
        /// Treat warnings as errors.
        #[arg(long)]
        strict: bool,
        /// Include drafts.
        #[arg(long)]
        drafts: bool,
        /// How to print the diagnostics: for people (stderr), one JSON document or
        /// GitHub Actions annotations (stdout).
        #[arg(long, value_enum, default_value = "human")]
        format: gloss::diag::Format,
    },
}

#[derive(Debug, Subcommand)]
enum NewCommand {
    /// A new article in content/articles/<year>/, named after its title.
    Article {
        /// The headline.
        title: String,
    },
    /// A person profile, content/people/<ID>.md.
    Person {
        /// The person's id, as articles name them (`jane-doe`).
        id: String,
    },
    /// A topic profile, content/topics/<ID>.md.
    Topic {
        /// The topic's id (`water-supply`).
        id: String,
    },
    /// An outlet profile, content/outlets/<ID>.md.
    Outlet {
        /// The outlet's id (`riverton-courier`).
        id: String,
    },
}

#[cfg(not(feature = "heap-count"))]
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Benchmarks only: live heap bytes in the debug log (see `driver::heap`).
#[cfg(feature = "heap-count")]
#[global_allocator]
static ALLOC: gloss::driver::heap::Counting<mimalloc::MiMalloc> =
    gloss::driver::heap::Counting(mimalloc::MiMalloc);

fn main() -> ExitCode {
    cmd::report_panics();
    let cli = Cli::parse();
    let level = if cli.quiet { "warn" } else { "info" };
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("GLOSS_LOG")
                .unwrap_or_else(|_| level.into()),
        )
        .with_writer(std::io::stderr)
        .without_time()
        .with_target(false)
        .with_level(false)
        .init();
    let root = cli.root;
    let result = match cli.command {
        Command::Init { dir } => cmd::init(&root.join(dir)).map(|()| Outcome::Success),
        Command::New { what } => match what {
            NewCommand::Article { title } => cmd::new_article(&root, &title),
            NewCommand::Person { id } => cmd::new_profile(&root, ProfileKind::Person, &id),
            NewCommand::Topic { id } => cmd::new_profile(&root, ProfileKind::Topic, &id),
            NewCommand::Outlet { id } => cmd::new_profile(&root, ProfileKind::Outlet, &id),
        }
        .map(|_| Outcome::Success),
        Command::Build {
            drafts,
            output,
            base_url,
            format,
        } => cmd::build(
            &root,
            output.as_deref(),
            &BuildOptions {
                drafts,
                base_url,
                progress: !cli.quiet && std::io::stderr().is_terminal(),
                no_cache: cli.no_cache,
            },
            format,
        ),
        Command::Serve {
            port,
            bind,
            open,
            drafts,
            page_cache,
        } => cmd::serve(
            &root,
            &gloss::serve::ServeOptions {
                bind,
                port,
                open,
                drafts,
                no_cache: cli.no_cache,
                budget: page_cache,
            },
        )
        .map(|()| Outcome::Success),
        Command::Import {
            generator,
            src,
            dest,
            base_url,
            uploads,
        } => cmd::import(
            generator,
            &root.join(src),
            &root.join(dest),
            base_url.as_deref(),
            uploads.map(|u| root.join(u)).as_deref(),
        ),
        Command::Check {
            strict,
            drafts,
            format,
        } => cmd::check(
            &root,
            strict,
            format,
            &BuildOptions {
                drafts,
                base_url: None,
                progress: false,
                no_cache: cli.no_cache,
            },
        ),
    };
    match result {
        Ok(Outcome::Success) => ExitCode::SUCCESS,
        Ok(Outcome::ContentErrors) => ExitCode::from(1),
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}
