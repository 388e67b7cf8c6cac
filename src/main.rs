//! The `pubconv` command: arguments and I/O only; everything else is in the
//! library.

use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::{Arc, OnceLock};

use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};

use pubconv::config::{self, Arguments};
use pubconv::convert::{
    self, convert_streaming, convert_streaming_several, convert_streaming_text,
    convert_with_progress, read_all, Input, Request,
};
use pubconv::diagnostic::{Diagnostic, Severity};
use pubconv::key::KeyPattern;
use pubconv::lookup::{self, Service};
use pubconv::model::Date;
use pubconv::output::{self, Target};
use pubconv::read::{InputFormat, ReadOptions};
use pubconv::style;
use pubconv::write::{cv, site, Options as WriteOptions, OutputFormat};

/// mimalloc, for speed: see [`pubconv::allocator`].
#[global_allocator]
static ALLOCATOR: pubconv::allocator::Allocator = pubconv::allocator::Allocator;

const EXAMPLES: &str = "\
Examples:
  pubconv convert profile.txt --to bibtex -o cv.bib
  pubconv convert profile.txt --to biblatex -o cv.bib
  pubconv convert profile.txt --to csl-json -o refs.json
  pubconv convert profile.txt --to markdown --as-of 2026-11-27 > publications.md
  pubconv convert refs.bib -o refs.json
  pubconv convert profile.txt refs.bib --to markdown --highlight \"S. Lim\" --group-by type > cv.md
  pubconv convert a.bib b.json --to bibtex --out-dir converted/
  pubconv check refs.bib --message-format json
  cat profile.txt | pubconv convert --to markdown

Exit status: 0 everything converted; 1 some entries were skipped (each
reported on stderr, the rest written), nothing was written, or --strict
found a warning; 2 nothing could be done.";

const LOOKUP_EXAMPLES: &str = "\
Examples:
  pubconv lookup profile.txt -o enriched.json --contact me@example.org
  pubconv lookup profile.txt --lookup arxiv,crossref --to bibtex -o cv.bib
  pubconv convert profile.txt --to bibtex --lookup arxiv --offline

Answers are cached (--cache-dir) so that a second run asks nothing. arXiv
is asked at most once every 3 s; Crossref at the rate its headers allow.";

#[derive(Parser)]
#[command(args_override_self = true)]
#[command(name = "pubconv", version, about = "Convert publication lists: profile dumps, BibTeX and CSL-JSON to BibTeX, BibLaTeX, CSL-JSON and CV sections in Markdown, LaTeX and HTML", after_help = EXAMPLES)]
struct Cli {
    /// Defaults for the options, in TOML, keys named as the long options
    /// (`to = "markdown"`, `highlight = ["S. Lim"]`); `./pubconv.toml` is
    /// read when present. Options on the command line win.
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Read publication lists and write them in another format.
    #[command(after_help = EXAMPLES)]
    Convert(Box<ConvertArgs>),
    /// Read publication lists, complete each work from web services (arXiv, Crossref, DBLP, OpenAlex) and write the result: CSL-JSON unless --to or -o says otherwise.
    #[command(after_help = LOOKUP_EXAMPLES)]
    Lookup(Box<ConvertArgs>),
    /// Read publication lists and report every problem, writing nothing.
    Check(CheckArgs),
    /// List the formats pubconv reads and writes.
    Formats,
    /// Print a completion script for a shell.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print pubconv's man page (roff), or write one page per command into DIR.
    Man {
        /// Write `pubconv.1`, `pubconv-convert.1`, … into this directory.
        #[arg(value_name = "DIR")]
        directory: Option<PathBuf>,
    },
}

/// What to read.
#[derive(clap::Args)]
struct ReadArgs {
    /// Input files; `-` or none reads standard input.
    inputs: Vec<PathBuf>,
    /// Input format; told from each file's extension and content if not given.
    #[arg(short, long, value_name = "FORMAT", ignore_case = true, value_parser = PossibleValuesParser::new(InputFormat::ALL.iter().map(|f| f.name())))]
    from: Option<String>,
    /// The day a profile dump was captured (YYYY-MM-DD, default today): dates
    /// without a year are read as the latest such date not after it.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_full_date)]
    as_of: Option<Date>,
    /// Keep the same work read from several inputs as separate works.
    #[arg(long)]
    no_merge: bool,
}

/// How problems are reported.
#[derive(clap::Args)]
struct ReportArgs {
    /// `human` (with the offending line; in colour on a terminal unless NO_COLOR is set) or `json` (one object per line).
    #[arg(long, value_enum, default_value = "human")]
    message_format: MessageFormat,
    /// Treat any warning as an error: exit 1 and write nothing.
    #[arg(long)]
    strict: bool,
    /// Report errors only.
    #[arg(long, short)]
    quiet: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum MessageFormat {
    Human,
    Json,
}

#[derive(clap::Args)]
struct CheckArgs {
    #[command(flatten)]
    read: ReadArgs,
    #[command(flatten)]
    report: ReportArgs,
}

#[derive(clap::Args)]
struct ConvertArgs {
    /// Output format; told from the extension of -o if not given (.bib,
    /// .json, .md).
    #[arg(short, long, value_name = "FORMAT", ignore_case = true, value_parser = PossibleValuesParser::new(OutputFormat::ALL.iter().map(|f| f.name())))]
    to: Option<String>,
    /// Write to this file instead of standard output (`-` is standard output).
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// The format a `.bib` output takes when --to is not given.
    #[arg(long, value_name = "FORMAT", ignore_case = true, value_parser = PossibleValuesParser::new(["biblatex", "bibtex"]))]
    bib_format: Option<String>,
    /// How keys are made for works without one: placeholders {auth}, {Auth},
    /// {year}, {title}, {Title}, {shorttitle} and literal text.
    #[arg(long, value_name = "PATTERN", default_value = "{auth}{year}{title}", value_parser = parse_key_pattern)]
    key_pattern: KeyPattern,
    /// Write BibTeX, BibLaTeX and LaTeX in plain ASCII (accents as {\"o}, dashes as --), for classic bibtex.
    #[arg(long)]
    ascii: bool,
    /// CV and BibLaTeX: the owner to set in bold (repeat for spellings); default the profile's name.
    #[arg(long, value_name = "NAME", help_heading = "CV options")]
    highlight: Vec<String>,
    /// CV: group items by year, by type, or not at all.
    #[arg(long, value_name = "HOW", default_value = "year", value_parser = PossibleValuesParser::new(cv::GroupBy::NAMES).try_map(|s| s.parse::<cv::GroupBy>()), help_heading = "CV options")]
    group_by: cv::GroupBy,
    /// CV: newest or oldest first.
    #[arg(long, value_name = "ORDER", default_value = "newest", value_parser = PossibleValuesParser::new(cv::Order::NAMES).try_map(|s| s.parse::<cv::Order>()), help_heading = "CV options")]
    order: cv::Order,
    /// CV: number forward, count down (newest has the highest number), or not at all.
    #[arg(long, value_name = "HOW", default_value = "forward", value_parser = PossibleValuesParser::new(cv::Numbering::NAMES).try_map(|s| s.parse::<cv::Numbering>()), help_heading = "CV options")]
    numbering: cv::Numbering,
    /// CV: only works from this year on.
    #[arg(long, value_name = "YEAR", help_heading = "CV options")]
    since: Option<i32>,
    /// CV: only works up to this year.
    #[arg(long, value_name = "YEAR", help_heading = "CV options")]
    until: Option<i32>,
    /// CV: only these kinds of work (repeat, or separate with commas).
    #[arg(long = "type", value_name = "KIND", value_delimiter = ',', value_parser = PossibleValuesParser::new(cv::Kind::NAMES).try_map(|s| s.parse::<cv::Kind>()), help_heading = "CV options")]
    types: Vec<cv::Kind>,
    /// CV: only the works with these citation keys.
    #[arg(
        long,
        value_name = "KEY,...",
        value_delimiter = ',',
        help_heading = "CV options"
    )]
    selected: Vec<String>,
    /// CV: the section's heading.
    #[arg(
        long,
        value_name = "TEXT",
        default_value = "Publications",
        help_heading = "CV options"
    )]
    heading: String,
    /// CV: show at most N authors, then "et al." (the owner stays visible).
    #[arg(long, value_name = "N", help_heading = "CV options")]
    max_authors: Option<usize>,
    /// Markdown: write one file per work, with YAML front matter, into DIR.
    #[arg(long, value_name = "DIR", conflicts_with_all = ["output", "out_dir"], help_heading = "CV options")]
    per_file: Option<PathBuf>,
    /// With --per-file: lay the files out for this site (its folders, file names and front matter); plain writes KEY.md files.
    #[arg(long, value_name = "SITE", default_value = "plain", value_parser = PossibleValuesParser::new(site::Site::NAMES).try_map(|s| s.parse::<site::Site>()), help_heading = "CV options")]
    site: site::Site,
    /// LaTeX and HTML: write a whole document (LaTeX with hyperref, an HTML page) rather than a section.
    #[arg(long, help_heading = "CV options")]
    standalone: bool,
    /// CV items formatted by a CSL citation style: a bundled name (apa, ieee, chicago-author-date, …) or a `.csl` file. Without it, the default layout.
    #[arg(long, value_name = "NAME|FILE.csl", help_heading = "CV options")]
    style: Option<String>,
    /// The language of the style's terms and dates (a bundled locale such as de-DE).
    #[arg(long, value_name = "TAG", default_value = pubconv::style::DEFAULT_LOCALE, requires = "style", help_heading = "CV options")]
    locale: String,
    /// Write one output per input into DIR (`name.bib`, …) instead of one combined output.
    #[arg(long, value_name = "DIR", conflicts_with = "output")]
    out_dir: Option<PathBuf>,
    #[command(flatten)]
    lookup: LookupArgs,
    #[command(flatten)]
    read: ReadArgs,
    #[command(flatten)]
    report: ReportArgs,
}

/// Completing works from web services: the only options that touch the
/// network.
impl ConvertArgs {
    /// `--per-file`'s folder, when this run writes Markdown: one the
    /// config file names is a default for CV runs, left aside by a run
    /// that writes another format (typed with one, it is refused).
    fn pages_folder(&self, to: OutputFormat) -> Option<&Path> {
        self.per_file
            .as_deref()
            .filter(|_| to == OutputFormat::Markdown)
    }
}

#[derive(clap::Args)]
struct LookupArgs {
    /// Complete works from these services: arxiv, crossref, dblp, openalex (comma-separated or repeated) or all. Without it, no network is used.
    #[arg(long, value_name = "SERVICES", value_parser = parse_services, help_heading = "Lookup options")]
    lookup: Vec<Services>,
    /// Your e-mail address, sent with every request (Crossref and OpenAlex ask for one, and answer such requests first).
    #[arg(long, value_name = "EMAIL", help_heading = "Lookup options")]
    contact: Option<String>,
    /// Where answers are kept [default: $XDG_CACHE_HOME/pubconv, else ~/.cache/pubconv].
    #[arg(long, value_name = "DIR", help_heading = "Lookup options")]
    cache_dir: Option<PathBuf>,
    /// Answer lookups from the cache only, and say what could not be looked up.
    #[arg(long, conflicts_with = "refresh", help_heading = "Lookup options")]
    offline: bool,
    /// Ask the services again, even what the cache holds.
    #[arg(long, help_heading = "Lookup options")]
    refresh: bool,
    /// How many seconds one request may take.
    #[arg(
        long,
        value_name = "SECONDS",
        default_value = "30",
        help_heading = "Lookup options"
    )]
    timeout: u64,
    /// arXiv API base URL (a mirror; tests).
    #[arg(
        long,
        value_name = "URL",
        env = "PUBCONV_ARXIV_URL",
        hide_env_values = true,
        help_heading = "Lookup options"
    )]
    arxiv_url: Option<String>,
    /// Crossref REST API base URL.
    #[arg(
        long,
        value_name = "URL",
        env = "PUBCONV_CROSSREF_URL",
        hide_env_values = true,
        help_heading = "Lookup options"
    )]
    crossref_url: Option<String>,
    /// DBLP base URL.
    #[arg(
        long,
        value_name = "URL",
        env = "PUBCONV_DBLP_URL",
        hide_env_values = true,
        help_heading = "Lookup options"
    )]
    dblp_url: Option<String>,
    /// OpenAlex API base URL.
    #[arg(
        long,
        value_name = "URL",
        env = "PUBCONV_OPENALEX_URL",
        hide_env_values = true,
        help_heading = "Lookup options"
    )]
    openalex_url: Option<String>,
}

/// The options that mean something only when works are looked up.
const LOOKUP_OPTIONS: &[&str] = &["contact", "cache-dir", "offline", "refresh", "timeout"];

/// The services `--lookup` names (one value, commas inside).
#[derive(Clone)]
struct Services(Vec<Service>);

fn parse_services(text: &str) -> Result<Services, String> {
    Service::parse_list(text).map(Services)
}

/// The lookup as the options ask for it; `all` services when `default_all`
/// (the `lookup` command) and none is named.
fn lookup_options(args: &LookupArgs, default_all: bool) -> lookup::Options {
    let mut services: Vec<Service> = args
        .lookup
        .iter()
        .flat_map(|Services(services)| services.iter().copied())
        .collect();
    if services.is_empty() && default_all {
        services = Service::ALL.to_vec();
    }
    services.sort_unstable();
    services.dedup();
    let base_urls = [
        (Service::Arxiv, &args.arxiv_url),
        (Service::Crossref, &args.crossref_url),
        (Service::Dblp, &args.dblp_url),
        (Service::OpenAlex, &args.openalex_url),
    ]
    .into_iter()
    .filter_map(|(service, url)| Some((service, url.clone()?)))
    .collect();
    let defaults = lookup::Options::default();
    lookup::Options {
        services,
        contact: args.contact.clone(),
        cache_dir: args.cache_dir.clone().or(defaults.cache_dir),
        offline: args.offline,
        refresh: args.refresh,
        base_urls,
        timeout: std::time::Duration::from_secs(args.timeout.max(1)),
        progress: Some(lookup::Progress(Arc::new(show_lookups))),
        ..defaults
    }
}

/// The options that shape a CV section (Markdown, LaTeX, HTML) only
/// (`highlight` BibLaTeX's too).
const CV_OPTIONS: &[&str] = &[
    "style",
    "locale",
    "highlight",
    "group-by",
    "order",
    "numbering",
    "since",
    "until",
    "type",
    "selected",
    "heading",
    "max-authors",
];

fn parse_key_pattern(text: &str) -> Result<KeyPattern, String> {
    text.parse()
}

fn parse_full_date(text: &str) -> Result<Date, String> {
    let date: Date = text.parse()?;
    match date.day {
        Some(_) => Ok(date),
        None => Err(format!("`{text}` needs a day: give it as YYYY-MM-DD")),
    }
}

/// Prints to stderr; a closed stderr is no reason to stop.
macro_rules! say {
    ($($arg:tt)*) => {{
        let say = || {
            let _ = writeln!(std::io::stderr().lock(), $($arg)*);
        };
        match LOOKUP_BAR.get() {
            Some(bar) => bar.suspend(say),
            None => say(),
        }
    }};
}

fn main() -> ExitCode {
    pubconv::allocator::configure();
    let command = Cli::command();
    let takes_config: Vec<config::Command<'static>> = command
        .get_subcommands()
        .filter_map(|sub| {
            let name = ["convert", "lookup", "check"]
                .into_iter()
                .find(|name| *name == sub.get_name())?;
            let options = sub
                .get_arguments()
                .filter_map(|arg| arg.get_long().map(str::to_owned))
                .collect();
            Some(config::Command { name, options })
        })
        .collect();
    let arguments = match config::with_config(std::env::args_os().collect(), &takes_config) {
        Ok(arguments) => arguments,
        Err(message) => {
            say!("pubconv: error: {message}");
            return ExitCode::from(2);
        }
    };
    let matches = command.get_matches_from(arguments.words.clone());
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(error) => error.exit(),
    };
    let result = match cli.command {
        Command::Convert(args) => run_convert(&args, &arguments, false),
        Command::Lookup(args) => run_convert(&args, &arguments, true),
        Command::Check(args) => run_check(&args),
        Command::Formats => to_stdout(formats_table().as_bytes()),
        Command::Completions { shell } => {
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "pubconv", &mut script);
            to_stdout(&script)
        }
        Command::Man { directory: None } => man_page().and_then(|page| to_stdout(&page)),
        Command::Man {
            directory: Some(directory),
        } => std::fs::create_dir_all(&directory)
            .and_then(|()| clap_mangen::generate_to(Cli::command(), &directory))
            .map(|()| 0)
            .map_err(|error| {
                format!(
                    "cannot write the man pages into {}: {error}",
                    directory.display()
                )
            }),
    };
    match result {
        Ok(status) => ExitCode::from(status),
        Err(message) => {
            say!("pubconv: error: {message}");
            ExitCode::from(2)
        }
    }
}

/// Writes all of `bytes` to standard output. A closed pipe (`| head`) is
/// the end of the output, not an error.
fn to_stdout(bytes: &[u8]) -> Result<u8, String> {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Err(error) if error.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(format!("cannot write to standard output: {error}"))
        }
        _ => Ok(0),
    }
}

/// The formats, for `pubconv formats`.
fn formats_table() -> String {
    // One column for the names of both lists, as wide as the longest.
    let inputs = InputFormat::ALL.iter().map(|format| format.name());
    let outputs = OutputFormat::ALL.iter().map(|format| format.name());
    let width = inputs.chain(outputs).map(str::len).max().unwrap_or(0);
    let mut out = String::from("Input formats (--from; told from the file when not given):\n");
    for format in InputFormat::ALL {
        let extensions: Vec<String> = format
            .extensions()
            .iter()
            .map(|e| format!(".{e}"))
            .collect();
        out.push_str(&format!(
            "  {:<width$} {} ({})\n",
            format.name(),
            format.description(),
            extensions.join(", ")
        ));
    }
    out.push_str("\nOutput formats (--to; told from the extension of -o when not given):\n");
    for format in OutputFormat::ALL {
        out.push_str(&format!(
            "  {:<width$} {} (.{})\n",
            format.name(),
            format.description(),
            format.extension()
        ));
    }
    out
}

/// One man page: pubconv's, then each command's options under a heading
/// of its own.
fn man_page() -> Result<Vec<u8>, String> {
    let cannot = |error: std::io::Error| format!("cannot make the man page: {error}");
    let command = Cli::command();
    let mut page = Vec::new();
    clap_mangen::Man::new(command.clone())
        .render(&mut page)
        .map_err(cannot)?;
    for sub in command.get_subcommands() {
        let name = format!("pubconv {}", sub.get_name());
        let sub = sub.clone().bin_name(name.clone());
        let man = clap_mangen::Man::new(sub.clone());
        let mut section = Vec::new();
        let heading = name.to_uppercase().replace('-', "\\-");
        section.extend_from_slice(format!(".SH \"{heading}\"\n").as_bytes());
        man.render_synopsis_section(&mut section).map_err(cannot)?;
        man.render_description_section(&mut section)
            .map_err(cannot)?;
        if sub.get_arguments().any(|arg| !arg.is_hide_set()) {
            man.render_options_section(&mut section).map_err(cannot)?;
        }
        // The command's own headings become sub-headings under its name.
        let section = String::from_utf8_lossy(&section).replace(".SH ", ".SS ");
        let section = section.replacen(".SS ", ".SH ", 1);
        page.extend_from_slice(section.as_bytes());
    }
    Ok(page)
}

fn read_request(read: &ReadArgs) -> ReadOptions {
    ReadOptions {
        as_of: read.as_of.unwrap_or_else(Date::today),
    }
}

fn run_check(args: &CheckArgs) -> Result<u8, String> {
    let inputs = read_inputs(&args.read.inputs)?;
    let request = Request {
        from: args.read.from.as_deref().and_then(InputFormat::from_name),
        to: OutputFormat::CslJson,
        read: read_request(&args.read),
        write: WriteOptions::default(),
        merge: !args.read.no_merge,
        lookup: lookup::Options::default(),
    };
    let mut printer = Printer::new(&args.report);
    let Some((library, diagnostics)) = printer.read(&inputs, &request) else {
        return Ok(2);
    };
    let errors = count_errors(&diagnostics);
    if library.works.is_empty() {
        printer.print(&convert::nothing_written(0, errors, &request));
        return Ok(1);
    }
    Ok(printer.status())
}

/// The output format: `--to`, else the one `-o`'s extension names; with a
/// warning when both are given and disagree.
fn output_format(
    args: &ConvertArgs,
    output: Option<&Path>,
    default: Option<OutputFormat>,
) -> Result<(OutputFormat, bool), String> {
    let extension = output
        .and_then(Path::extension)
        .and_then(|extension| extension.to_str());
    let named = extension.map_or(&[][..], OutputFormat::for_extension);
    let names: Vec<&str> = OutputFormat::ALL.iter().map(|f| f.name()).collect();
    match args.to.as_deref().and_then(OutputFormat::from_name) {
        Some(format) => {
            if let (Some(extension), false) =
                (extension, named.is_empty() || named.contains(&format))
            {
                say!(
                    "pubconv: warning: writing {} to a `.{extension}` file, which usually holds {}",
                    format.name(),
                    named
                        .iter()
                        .map(|f| f.name())
                        .collect::<Vec<_>>()
                        .join(" or ")
                );
            }
            Ok((format, false))
        }
        None => {
            let Some(&usual) = named.first() else {
                if let Some(default) = default.filter(|_| extension.is_none()) {
                    return Ok((default, false));
                }
                return Err(match extension {
                    Some(extension) => format!(
                        "cannot tell the output format from `.{extension}`: give --to ({})",
                        names.join(", ")
                    ),
                    None => format!("give the output format with --to ({})", names.join(", ")),
                });
            };
            let format = match args.bib_format.as_deref() {
                Some(name) if usual != OutputFormat::Markdown && named.len() > 1 => {
                    OutputFormat::from_name(name).unwrap_or(usual)
                }
                _ => usual,
            };
            Ok((format, true))
        }
    }
}

/// Refuses options the user typed that would change nothing in this run.
fn check_options_apply(
    args: &ConvertArgs,
    arguments: &Arguments,
    to: OutputFormat,
    told_by_extension: bool,
) -> Result<(), String> {
    // BibLaTeX marks the owner too, with data annotations.
    let applies =
        |option: &str| to.is_cv() || (option == "highlight" && to == OutputFormat::Biblatex);
    if let Some(option) = CV_OPTIONS
        .iter()
        .find(|option| !applies(option) && arguments.typed_option(option))
    {
        let outputs = match *option {
            "highlight" => "CV output (markdown, latex, html) and BibLaTeX",
            _ => "CV output (markdown, latex, html)",
        };
        return Err(format!(
            "--{option} changes {outputs} only, and this run writes {}: drop it, or use --to markdown",
            to.name()
        ));
    }
    if to != OutputFormat::Markdown && arguments.typed_option("per-file") {
        return Err(format!(
            "--per-file writes Markdown files only, and this run writes {}: drop it, or use --to markdown",
            to.name()
        ));
    }
    if args.per_file.is_none() && arguments.typed_option("site") {
        return Err(
            "--site lays out the files of --per-file DIR, and this run writes none: add --per-file DIR, or drop it"
                .to_owned(),
        );
    }
    let document = matches!(to, OutputFormat::Latex | OutputFormat::Html);
    if args.standalone && !document && arguments.typed_option("standalone") {
        return Err(format!(
            "--standalone changes LaTeX and HTML output only, and this run writes {}: drop it, or use --to latex or --to html",
            to.name()
        ));
    }
    let bib = matches!(to, OutputFormat::Bibtex | OutputFormat::Biblatex);
    if args.ascii && !bib && to != OutputFormat::Latex && arguments.typed_option("ascii") {
        return Err(format!(
            "--ascii changes BibTeX, BibLaTeX and LaTeX output only, and this run writes {}",
            to.name()
        ));
    }
    if arguments.typed_option("bib-format") && !(bib && told_by_extension) {
        return Err(
            "--bib-format chooses the format of a `.bib` output named by -o without --to; it changes nothing here"
                .to_owned(),
        );
    }
    Ok(())
}

/// `convert`, or `lookup` (`lookup_command`): the same with every
/// service asked and CSL-JSON written unless told otherwise.
fn run_convert(
    args: &ConvertArgs,
    arguments: &Arguments,
    lookup_command: bool,
) -> Result<u8, String> {
    // `-o -` is standard output, as in other tools.
    let output = args
        .output
        .as_deref()
        .filter(|path| path.as_os_str() != "-");
    let default = lookup_command.then_some(OutputFormat::CslJson);
    let (to, told_by_extension) = output_format(args, output, default)?;
    check_options_apply(args, arguments, to, told_by_extension)?;
    let lookup = lookup_options(&args.lookup, lookup_command);
    if lookup.services.is_empty() {
        if let Some(option) = LOOKUP_OPTIONS
            .iter()
            .find(|option| arguments.typed_option(option))
        {
            return Err(format!(
                "--{option} changes lookups only, and none is asked for: add --lookup SERVICES, or drop it"
            ));
        }
    }
    // Loaded once, before any input is read: a style that cannot load
    // ends the run.
    let citation_style = match &args.style {
        Some(value) => Some(Arc::new(
            style::CitationStyle::load(&style::Choice::parse(value), Some(&args.locale))
                .map_err(|error| error.to_string())?,
        )),
        None => None,
    };
    let request = Request {
        from: args.read.from.as_deref().and_then(InputFormat::from_name),
        to,
        read: read_request(&args.read),
        write: WriteOptions {
            key_pattern: args.key_pattern.clone(),
            ascii: args.ascii,
            markdown: cv::Options {
                highlight: args.highlight.clone(),
                group_by: args.group_by,
                order: args.order,
                numbering: args.numbering,
                since: args.since,
                until: args.until,
                types: args.types.clone(),
                selected: args.selected.clone(),
                heading: args.heading.clone(),
                max_authors: args.max_authors,
            },
            standalone: args.standalone,
            style: citation_style,
        },
        merge: !args.read.no_merge,
        lookup,
    };
    let input_paths: Vec<PathBuf> = args
        .read
        .inputs
        .iter()
        .filter(|path| path.as_os_str() != "-")
        .cloned()
        .collect();
    // Where each output goes, checked before anything is read.
    let mut targets = Vec::new();
    if let Some(path) = output {
        targets.push(Target {
            path: path.to_path_buf(),
            asked_by: format!("-o {}", path.display()),
        });
    }
    if let Some(directory) = &args.out_dir {
        for input in &args.read.inputs {
            targets.push(Target {
                path: out_dir_path(directory, input, to),
                asked_by: input.display().to_string(),
            });
        }
    }
    output::check_targets(&input_paths, &targets, args.out_dir.as_deref())?;
    if let Some(directory) = args.out_dir.as_ref().filter(|d| !d.exists()) {
        std::fs::create_dir_all(directory)
            .map_err(|error| format!("cannot create {}: {error}", directory.display()))?;
    }

    // With --out-dir, each input is a conversion of its own, streamed when
    // it can be. (--strict writes all or nothing, so reads all first.)
    if let Some(directory) = &args.out_dir {
        if args.pages_folder(to).is_none() && !args.report.strict {
            let status = convert_each(directory, args, &request);
            lookup_bar_finish();
            return Ok(status);
        }
    }
    // Standard input alone is read first: converted as it is read from
    // memory, or else read whole from there.
    let stdin_alone = match &args.read.inputs[..] {
        [] => true,
        [path] => path.as_os_str() == "-",
        _ => false,
    };
    let stdin = match stdin_alone {
        true => Some(read_inputs(&args.read.inputs)?),
        false => None,
    };
    let streamed = try_streaming(args, output, &request, stdin.as_deref());
    lookup_bar_finish();
    if let Some(status) = streamed? {
        return Ok(status);
    }
    let inputs = match stdin {
        Some(inputs) => inputs,
        None => read_inputs(&args.read.inputs)?,
    };
    let mut printer = Printer::new(&args.report);
    if let Some(directory) = args.pages_folder(to) {
        let site = args.site;
        return write_per_file(
            directory,
            site,
            &inputs,
            &input_paths,
            &request,
            &mut printer,
        );
    }
    // One conversion of everything, or one per input for --out-dir.
    let groups: Vec<(Option<&Input>, &[Input])> = match &args.out_dir {
        Some(_) => inputs
            .iter()
            .map(|input| (Some(input), std::slice::from_ref(input)))
            .collect(),
        None => vec![(None, &inputs[..])],
    };
    let progress = progress_bar(&inputs);
    let mut outputs = Vec::new();
    let mut diagnostics = Vec::new();
    for (input, group) in groups {
        let mut advance = |input: &Input| progress.inc(input.bytes.len() as u64);
        let conversion = match convert_with_progress(group, &request, &mut advance) {
            Ok(conversion) => conversion,
            Err(diagnostic) => {
                progress.finish_and_clear();
                printer.print(&diagnostic);
                return Ok(2);
            }
        };
        diagnostics.extend(conversion.diagnostics.iter().cloned());
        outputs.push((input, conversion));
    }
    progress.finish_and_clear();
    lookup_bar_finish();
    for diagnostic in &diagnostics {
        printer.print(diagnostic);
    }
    let empty = outputs
        .iter()
        .any(|(_, conversion)| conversion.written == 0);
    let status = printer.status().max(u8::from(empty));
    if args.report.strict && printer.status() != 0 {
        say!("pubconv: --strict: nothing written");
        return Ok(1);
    }
    for (input, conversion) in &outputs {
        let target = match (&args.out_dir, input) {
            (Some(directory), Some(input)) => {
                Some(out_dir_path(directory, Path::new(&input.name), request.to))
            }
            _ => output.map(Path::to_path_buf),
        };
        match target {
            Some(path) => output::write(&path, conversion.output.as_bytes())
                .map_err(|error| format!("cannot write {}: {error}", path.display()))?,
            None => {
                to_stdout(conversion.output.as_bytes())?;
            }
        }
    }
    let written = outputs
        .iter()
        .map(|(_, conversion)| conversion.written)
        .sum();
    report_skipped(count_errors(&diagnostics), written, &args.report);
    Ok(status)
}

/// Converts the inputs as they are read, when the library can
/// ([`convert_streaming`], [`convert_streaming_several`]): then files of
/// any size convert in memory bounded by their largest entry and a small
/// record a work, and standard input (`stdin`, read already) in memory
/// bounded by its text. `None` when it cannot, with nothing done.
fn try_streaming(
    args: &ConvertArgs,
    output: Option<&Path>,
    request: &Request,
    stdin: Option<&[Input]>,
) -> Result<Option<u8>, String> {
    // --strict withholds all output after a warning: stdout cannot take
    // back what was streamed to it.
    if args.out_dir.is_some()
        || args.pages_folder(request.to).is_some()
        || (output.is_none() && args.report.strict)
    {
        return Ok(None);
    }
    // Text that is not UTF-8 is read whole, which decodes it.
    let (source, name) = match (stdin, &args.read.inputs[..]) {
        (Some([input]), _) => match std::str::from_utf8(&input.bytes) {
            Ok(text) => (Streamable::Text(text), input.name.clone()),
            Err(_) => return Ok(None),
        },
        (None, [path]) => (Streamable::File(path), path.display().to_string()),
        (None, paths) if paths.iter().all(|path| path.as_os_str() != "-") => {
            let names: Vec<String> = paths
                .iter()
                .map(|path| path.display().to_string())
                .collect();
            (Streamable::Files(paths), names.join(", "))
        }
        _ => return Ok(None),
    };
    let convert = |out: &mut dyn Write, report: &mut dyn FnMut(Diagnostic)| {
        source.convert(&name, request, out, report)
    };
    let mut printer = Printer::new(&args.report);
    let cannot_read = |error: std::io::Error| format!("cannot read {name}: {error}");
    let streamed = match output {
        None => {
            let mut stdout = std::io::stdout().lock();
            let mut report = |diagnostic: Diagnostic| printer.print(&diagnostic);
            match convert(&mut stdout, &mut report) {
                // A closed pipe (`| head`) is the end of the output.
                Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => return Ok(Some(0)),
                other => other.map_err(cannot_read)?,
            }
        }
        Some(output) => stream_to_file(source, &name, output, request, &mut printer)?,
    };
    let Some(streamed) = streamed else {
        return Ok(None);
    };
    let status = printer.status();
    if args.report.strict && status != 0 {
        say!("pubconv: --strict: nothing written");
        return Ok(Some(1));
    }
    if streamed.written == 0 {
        // The library said why.
        return Ok(Some(1));
    }
    report_skipped(streamed.skipped, streamed.written, &args.report);
    Ok(Some(status))
}

/// Streams `source` into the file `output`, which is kept unless nothing
/// was streamed or `--strict` found something to say.
fn stream_to_file(
    source: Streamable<'_>,
    name: &str,
    output: &Path,
    request: &Request,
    printer: &mut Printer<'_>,
) -> Result<Option<convert::Streamed>, String> {
    let mut streamed = None;
    output::write_with(output, |file| {
        let mut report = |diagnostic: Diagnostic| printer.print(&diagnostic);
        streamed = source.convert(name, request, file, &mut report)?;
        Ok(streamed.is_some() && !(printer.args.strict && printer.status() != 0))
    })
    .map_err(|error| format!("cannot write {}: {error}", output.display()))?;
    Ok(streamed)
}

/// `--out-dir`: each input converted on its own into the directory,
/// streamed when it can be, else read whole; an input that cannot be
/// converted at all is reported and the others still are (status 2).
fn convert_each(directory: &Path, args: &ConvertArgs, request: &Request) -> u8 {
    let mut printer = Printer::new(&args.report);
    let (mut written, mut skipped, mut failed, mut empty) = (0, 0, false, false);
    let stdin_only = [PathBuf::from("-")];
    let paths = match &args.read.inputs[..] {
        [] => &stdin_only[..],
        paths => paths,
    };
    for path in paths {
        let target = out_dir_path(directory, path, request.to);
        match convert_one(path, &target, request, &mut printer) {
            Ok(Some((written_here, skipped_here))) => {
                written += written_here;
                skipped += skipped_here;
                empty |= written_here == 0;
            }
            Ok(None) => failed = true,
            Err(message) => {
                say!("pubconv: {message}");
                failed = true;
            }
        }
    }
    report_skipped(skipped, written, &args.report);
    match failed {
        true => 2,
        false => printer.status().max(u8::from(empty)),
    }
}

/// One input of `--out-dir` converted into `target`: how many works were
/// written and entries skipped; `None` when it is no list pubconv reads
/// (binary, of a format that cannot be told: said already).
fn convert_one(
    path: &Path,
    target: &Path,
    request: &Request,
    printer: &mut Printer<'_>,
) -> Result<Option<(usize, usize)>, String> {
    let name = path.display().to_string();
    let stdin = match path.as_os_str() == "-" {
        true => Some(read_inputs(&[path.to_path_buf()])?),
        false => None,
    };
    let source = match &stdin {
        None => Some(Streamable::File(path)),
        // Text that is not UTF-8 is read whole, which decodes it.
        Some(inputs) => inputs
            .first()
            .and_then(|input| std::str::from_utf8(&input.bytes).ok())
            .map(Streamable::Text),
    };
    if let Some(source) = source {
        if let Some(streamed) = stream_to_file(source, &name, target, request, printer)? {
            return Ok(Some((streamed.written, streamed.skipped)));
        }
    }
    let inputs = match stdin {
        Some(inputs) => inputs,
        None => read_inputs(&[path.to_path_buf()])?,
    };
    let conversion = match convert::convert(&inputs, request) {
        Ok(conversion) => conversion,
        Err(diagnostic) => {
            printer.print(&diagnostic);
            return Ok(None);
        }
    };
    for diagnostic in &conversion.diagnostics {
        printer.print(diagnostic);
    }
    output::write(target, conversion.output.as_bytes())
        .map_err(|error| format!("cannot write {}: {error}", target.display()))?;
    Ok(Some((conversion.written, conversion.skipped)))
}

/// What [`try_streaming`] converts: a file, standard input's text, or
/// several files into one output.
#[derive(Clone, Copy)]
enum Streamable<'a> {
    File(&'a Path),
    Text(&'a str),
    Files(&'a [PathBuf]),
}

impl Streamable<'_> {
    /// Converts it as it is read: [`convert_streaming`],
    /// [`convert_streaming_text`] or [`convert_streaming_several`].
    fn convert(
        self,
        name: &str,
        request: &Request,
        out: &mut dyn Write,
        report: &mut dyn FnMut(Diagnostic),
    ) -> std::io::Result<Option<convert::Streamed>> {
        match self {
            Streamable::File(path) => convert_streaming(path, name, request, out, report),
            Streamable::Text(text) => convert_streaming_text(text, name, request, out, report),
            Streamable::Files(paths) => {
                let names: Vec<String> = paths
                    .iter()
                    .map(|path| path.display().to_string())
                    .collect();
                let inputs: Vec<(&Path, &str)> = paths
                    .iter()
                    .map(PathBuf::as_path)
                    .zip(names.iter().map(String::as_str))
                    .collect();
                convert_streaming_several(&inputs, request, out, report)
            }
        }
    }
}

/// A progress bar over the input bytes, for many or large inputs; drawn
/// only when stderr is a terminal.
fn progress_bar(inputs: &[Input]) -> indicatif::ProgressBar {
    let total: u64 = inputs.iter().map(|input| input.bytes.len() as u64).sum();
    let worth_it = inputs.len() > 3 || total > 8_000_000;
    if !worth_it || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(total);
    if let Ok(style) =
        indicatif::ProgressStyle::with_template("{bar:40} {bytes}/{total_bytes} {msg}")
    {
        bar.set_style(style);
    }
    bar
}

/// The bar over the works looked up, once the first is (a run may take
/// minutes: arXiv is asked once every 3 s); drawn only when stderr is a
/// terminal. Messages are printed above it ([`say!`]).
static LOOKUP_BAR: OnceLock<indicatif::ProgressBar> = OnceLock::new();

/// Moves [`LOOKUP_BAR`] on: `done` works looked up, of `total` if known.
fn show_lookups(done: usize, total: Option<usize>) {
    let bar = LOOKUP_BAR.get_or_init(|| {
        if !std::io::stderr().is_terminal() {
            return indicatif::ProgressBar::hidden();
        }
        let bar = indicatif::ProgressBar::no_length();
        if let Ok(style) =
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} works looked up")
        {
            bar.set_style(style);
        }
        bar
    });
    if let Some(total) = total {
        bar.set_length(total.max(done) as u64);
    }
    bar.set_position(done as u64);
}

fn lookup_bar_finish() {
    if let Some(bar) = LOOKUP_BAR.get() {
        bar.finish_and_clear();
    }
}

/// Where `--out-dir` puts one input's output: its file stem and the
/// format's extension.
fn out_dir_path(directory: &Path, input: &Path, format: OutputFormat) -> PathBuf {
    let stem = match input.file_stem() {
        Some(stem) if input.as_os_str() != "-" => stem.to_string_lossy().into_owned(),
        _ => "stdin".to_owned(),
    };
    directory.join(format!("{stem}.{}", format.extension()))
}

/// Prints diagnostics to stderr as `--message-format` and `--quiet` ask,
/// counting what they call for.
struct Printer<'a> {
    args: &'a ReportArgs,
    color: bool,
    errors: usize,
    warnings: usize,
}

impl<'a> Printer<'a> {
    fn new(args: &'a ReportArgs) -> Self {
        let color = std::io::stderr().is_terminal()
            && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
        Printer {
            args,
            color,
            errors: 0,
            warnings: 0,
        }
    }

    fn print(&mut self, diagnostic: &Diagnostic) {
        match diagnostic.severity {
            Severity::Error => self.errors += 1,
            Severity::Warning => self.warnings += 1,
            _ => {}
        }
        if self.args.quiet && diagnostic.severity != Severity::Error {
            return;
        }
        match self.args.message_format {
            MessageFormat::Human => say!("{}", diagnostic.render(self.color)),
            MessageFormat::Json => say!("{}", diagnostic.to_json()),
        }
    }

    /// Reads every input into one library, printing what the readers
    /// report; `None`, the reason printed, when nothing could be read.
    fn read(
        &mut self,
        inputs: &[Input],
        request: &Request,
    ) -> Option<(pubconv::model::Library, Vec<Diagnostic>)> {
        match read_all(inputs, request) {
            Ok((library, diagnostics)) => {
                for diagnostic in &diagnostics {
                    self.print(diagnostic);
                }
                Some((library, diagnostics))
            }
            Err(diagnostic) => {
                self.print(&diagnostic);
                None
            }
        }
    }

    /// 1 when an entry was skipped, or under --strict when anything was
    /// reported.
    fn status(&self) -> u8 {
        u8::from(self.errors > 0 || (self.args.strict && self.warnings > 0))
    }
}

fn count_errors(diagnostics: &[Diagnostic]) -> usize {
    diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count()
}

fn report_skipped(skipped: usize, written: usize, args: &ReportArgs) {
    if skipped > 0 && args.message_format == MessageFormat::Human {
        let entries = if skipped == 1 { "entry" } else { "entries" };
        say!("pubconv: {skipped} {entries} skipped, {written} written; see the errors above");
    }
}

/// `--per-file DIR`: one Markdown file per work, for static-site CVs,
/// laid out as `site` expects under DIR (its root).
fn write_per_file(
    directory: &Path,
    site: site::Site,
    inputs: &[Input],
    input_paths: &[PathBuf],
    request: &Request,
    printer: &mut Printer<'_>,
) -> Result<u8, String> {
    let Some((library, diagnostics)) = printer.read(inputs, request) else {
        return Ok(2);
    };
    let strict = printer.args.strict;
    let status = printer.status();
    if strict && status != 0 {
        say!("pubconv: --strict: nothing written");
        return Ok(1);
    }
    let files = site::pages(&library, &request.write, site);
    if files.is_empty() {
        printer.print(&convert::nothing_written(
            library.works.len(),
            count_errors(&diagnostics),
            request,
        ));
        return Ok(1);
    }
    // The layouts name files inside the site; a name that would leave it
    // is a bug to stop at, before anything is written.
    let outside = files.iter().find(|(name, _)| {
        !Path::new(name)
            .components()
            .all(|part| matches!(part, std::path::Component::Normal(_)))
    });
    if let Some((name, _)) = outside {
        return Err(format!(
            "refusing to write {name}: it is outside --per-file {}",
            directory.display()
        ));
    }
    std::fs::create_dir_all(directory)
        .map_err(|error| format!("cannot create {}: {error}", directory.display()))?;
    let targets: Vec<Target> = files
        .iter()
        .map(|(name, _)| Target {
            path: directory.join(name),
            asked_by: format!("--per-file {}", directory.display()),
        })
        .collect();
    for folder in targets.iter().filter_map(|target| target.path.parent()) {
        std::fs::create_dir_all(folder)
            .map_err(|error| format!("cannot create {}: {error}", folder.display()))?;
    }
    output::check_targets(input_paths, &targets, None)?;
    for ((_, text), target) in files.iter().zip(&targets) {
        output::write(&target.path, text.as_bytes())
            .map_err(|error| format!("cannot write {}: {error}", target.path.display()))?;
    }
    report_skipped(count_errors(&diagnostics), files.len(), printer.args);
    Ok(status)
}

fn read_inputs(paths: &[PathBuf]) -> Result<Vec<Input>, String> {
    let stdin_only = [PathBuf::from("-")];
    let paths = if paths.is_empty() {
        &stdin_only[..]
    } else {
        paths
    };
    paths
        .iter()
        .map(|path| {
            if path.as_os_str() == "-" {
                if std::io::stdin().is_terminal() {
                    say!("pubconv: reading standard input (end with Ctrl-D)");
                }
                let mut bytes = Vec::new();
                std::io::stdin()
                    .read_to_end(&mut bytes)
                    .map_err(|error| format!("cannot read standard input: {error}"))?;
                Ok(Input {
                    name: "-".into(),
                    path: None,
                    bytes,
                })
            } else {
                let bytes = std::fs::read(path)
                    .map_err(|error| format!("cannot read {}: {error}", path.display()))?;
                Ok(Input {
                    name: path.display().to_string(),
                    path: Some(path.clone()),
                    bytes,
                })
            }
        })
        .collect()
}
