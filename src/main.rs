//! The `pubconv` command: arguments and I/O only; everything else is in the
//! library.

use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{CommandFactory, Parser, Subcommand, ValueEnum};

use pubconv::convert::{convert_streaming, convert_with_progress, read_all, Input, Request};
use pubconv::diagnostic::{Diagnostic, Severity};
use pubconv::key::KeyPattern;
use pubconv::model::Date;
use pubconv::read::{InputFormat, ReadOptions};
use pubconv::write::{markdown, Options as WriteOptions, OutputFormat};

/// mimalloc, for speed: see [`pubconv::allocator`].
#[global_allocator]
static ALLOCATOR: pubconv::allocator::Allocator = pubconv::allocator::Allocator;

const EXAMPLES: &str = "\
Examples:
  pubconv convert profile.txt --to bibtex -o cv.bib
  pubconv convert profile.txt --to biblatex -o cv.bib
  pubconv convert profile.txt --to csl-json -o refs.json
  pubconv convert profile.txt --to markdown --as-of 2026-11-27 > publications.md
  pubconv convert refs.bib --to csl-json -o refs.json
  pubconv convert profile.txt refs.bib --to markdown --highlight \"S. Lim\" --group-by type > cv.md
  pubconv convert a.bib b.json --to bibtex --out-dir converted/
  pubconv check refs.bib --message-format json
  cat profile.txt | pubconv convert --to markdown

Exit status: 0 everything converted; 1 some entries were skipped (each
reported on stderr, the rest written), or --strict found a warning; 2
nothing could be done.";

#[derive(Parser)]
#[command(args_override_self = true)]
#[command(name = "pubconv", version, about = "Convert publication lists: profile dumps, BibTeX and CSL-JSON to BibTeX, BibLaTeX, CSL-JSON and Markdown CV sections", after_help = EXAMPLES)]
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
    /// Read publication lists and report every problem, writing nothing.
    Check(CheckArgs),
    /// Print a completion script for a shell.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print pubconv's man page (roff).
    Man,
}

/// What to read.
#[derive(clap::Args)]
struct ReadArgs {
    /// Input files; `-` or none reads standard input.
    inputs: Vec<PathBuf>,
    /// Input format; guessed from each file's extension and content if not given.
    #[arg(long, value_parser = PossibleValuesParser::new(InputFormat::ALL.iter().map(|f| f.name())))]
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
    /// Output format.
    #[arg(long, value_parser = PossibleValuesParser::new(OutputFormat::ALL.iter().map(|f| f.name())))]
    to: String,
    /// Write to this file instead of standard output.
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
    /// How keys are made for works without one: placeholders {auth}, {Auth},
    /// {year}, {title}, {Title}, {shorttitle} and literal text.
    #[arg(long, value_name = "PATTERN", default_value = "{auth}{year}{title}", value_parser = parse_key_pattern)]
    key_pattern: KeyPattern,
    /// Write BibTeX and BibLaTeX in plain ASCII (accents as {\"o}, dashes as --), for classic bibtex.
    #[arg(long)]
    ascii: bool,
    /// Markdown: the owner to set in bold (repeat for spellings); default the profile's name.
    #[arg(long, value_name = "NAME", help_heading = "Markdown options")]
    highlight: Vec<String>,
    /// Markdown: group items by year, by type, or not at all.
    #[arg(long, value_name = "HOW", default_value = "year", value_parser = PossibleValuesParser::new(markdown::GroupBy::NAMES).try_map(|s| s.parse::<markdown::GroupBy>()), help_heading = "Markdown options")]
    group_by: markdown::GroupBy,
    /// Markdown: newest or oldest first.
    #[arg(long, value_name = "ORDER", default_value = "newest", value_parser = PossibleValuesParser::new(markdown::Order::NAMES).try_map(|s| s.parse::<markdown::Order>()), help_heading = "Markdown options")]
    order: markdown::Order,
    /// Markdown: number forward, count down (newest has the highest number), or not at all.
    #[arg(long, value_name = "HOW", default_value = "forward", value_parser = PossibleValuesParser::new(markdown::Numbering::NAMES).try_map(|s| s.parse::<markdown::Numbering>()), help_heading = "Markdown options")]
    numbering: markdown::Numbering,
    /// Markdown: only works from this year on.
    #[arg(long, value_name = "YEAR", help_heading = "Markdown options")]
    since: Option<i32>,
    /// Markdown: only works up to this year.
    #[arg(long, value_name = "YEAR", help_heading = "Markdown options")]
    until: Option<i32>,
    /// Markdown: only these kinds of work (repeat, or separate with commas).
    #[arg(long = "type", value_name = "KIND", value_delimiter = ',', value_parser = PossibleValuesParser::new(markdown::Kind::NAMES).try_map(|s| s.parse::<markdown::Kind>()), help_heading = "Markdown options")]
    types: Vec<markdown::Kind>,
    /// Markdown: only the works with these citation keys.
    #[arg(
        long,
        value_name = "KEY,...",
        value_delimiter = ',',
        help_heading = "Markdown options"
    )]
    selected: Vec<String>,
    /// Markdown: the section's heading.
    #[arg(
        long,
        value_name = "TEXT",
        default_value = "Publications",
        help_heading = "Markdown options"
    )]
    heading: String,
    /// Markdown: show at most N authors, then "et al." (the owner stays visible).
    #[arg(long, value_name = "N", help_heading = "Markdown options")]
    max_authors: Option<usize>,
    /// Markdown: write one file per work, with YAML front matter, into DIR.
    #[arg(long, value_name = "DIR", help_heading = "Markdown options")]
    per_file: Option<PathBuf>,
    /// Write one output per input into DIR (`name.bib`, …) instead of one combined output.
    #[arg(long, value_name = "DIR", conflicts_with = "output")]
    out_dir: Option<PathBuf>,
    #[command(flatten)]
    read: ReadArgs,
    #[command(flatten)]
    report: ReportArgs,
}

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

fn main() -> ExitCode {
    let arguments = match pubconv::config::with_config(std::env::args_os().collect()) {
        Ok(arguments) => arguments,
        Err(message) => {
            eprintln!("pubconv: error: {message}");
            return ExitCode::from(2);
        }
    };
    let result = match Cli::parse_from(arguments).command {
        Command::Convert(args) => run_convert(&args),
        Command::Check(args) => run_check(&args),
        Command::Completions { shell } => {
            clap_complete::generate(
                shell,
                &mut Cli::command(),
                "pubconv",
                &mut std::io::stdout(),
            );
            Ok(0)
        }
        Command::Man => clap_mangen::Man::new(Cli::command())
            .render(&mut std::io::stdout())
            .map(|()| 0)
            .map_err(|error| format!("cannot write the man page: {error}")),
    };
    match result {
        Ok(status) => ExitCode::from(status),
        Err(message) => {
            eprintln!("pubconv: error: {message}");
            ExitCode::from(2)
        }
    }
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
    };
    let (_, diagnostics) =
        read_all(&inputs, &request).map_err(|diagnostic| diagnostic.to_string())?;
    Ok(report(&diagnostics, &args.report))
}

fn run_convert(args: &ConvertArgs) -> Result<u8, String> {
    let request = Request {
        from: args.read.from.as_deref().and_then(InputFormat::from_name),
        to: OutputFormat::from_name(&args.to).ok_or("unknown output format")?,
        read: read_request(&args.read),
        write: WriteOptions {
            key_pattern: args.key_pattern.clone(),
            ascii: args.ascii,
            markdown: markdown::Options {
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
        },
        merge: !args.read.no_merge,
    };
    if let Some(status) = try_streaming(args, &request)? {
        return Ok(status);
    }
    let inputs = read_inputs(&args.read.inputs)?;
    if let Some(directory) = &args.per_file {
        return write_per_file(directory, &inputs, &request, &args.report);
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
        let conversion = convert_with_progress(group, &request, &mut advance)
            .map_err(|diagnostic| diagnostic.to_string())?;
        diagnostics.extend(conversion.diagnostics.iter().cloned());
        outputs.push((input, conversion));
    }
    progress.finish_and_clear();
    let status = report(&diagnostics, &args.report);
    if args.report.strict && status != 0 {
        eprintln!("pubconv: --strict: nothing written");
        return Ok(1);
    }
    for (input, conversion) in &outputs {
        let target = match (&args.out_dir, input) {
            (Some(directory), Some(input)) => Some(out_dir_path(directory, input, request.to)?),
            _ => args.output.clone(),
        };
        match target {
            Some(path) => write_atomically(&path, conversion.output.as_bytes())
                .map_err(|error| format!("cannot write {}: {error}", path.display()))?,
            None => {
                // A closed pipe (`| head`) is not an error worth reporting.
                let _ = std::io::stdout()
                    .lock()
                    .write_all(conversion.output.as_bytes());
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

/// Converts a single input file as it is read, when the library can
/// ([`convert_streaming`]): then a file of any size converts in memory
/// bounded by its largest entry. `None` when it cannot, with nothing done.
fn try_streaming(args: &ConvertArgs, request: &Request) -> Result<Option<u8>, String> {
    let [path] = &args.read.inputs[..] else {
        return Ok(None);
    };
    let to_stdout = args.output.is_none();
    // --strict withholds all output after a warning: stdout cannot take
    // back what was streamed to it.
    if path.as_os_str() == "-"
        || args.out_dir.is_some()
        || args.per_file.is_some()
        || (to_stdout && args.report.strict)
    {
        return Ok(None);
    }
    let name = path.display().to_string();
    let mut printer = Printer::new(&args.report);
    let cannot_read = |error: std::io::Error| format!("cannot read {name}: {error}");
    let streamed = match &args.output {
        None => {
            let mut stdout = std::io::stdout().lock();
            let mut report = |diagnostic: Diagnostic| printer.print(&diagnostic);
            match convert_streaming(path, &name, request, &mut stdout, &mut report) {
                // A closed pipe (`| head`) is not an error worth reporting.
                Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => return Ok(Some(0)),
                other => other.map_err(cannot_read)?,
            }
        }
        Some(output) => {
            let mut streamed = None;
            write_atomically_with(output, |file| {
                let mut report = |diagnostic: Diagnostic| printer.print(&diagnostic);
                streamed = convert_streaming(path, &name, request, file, &mut report)?;
                // Keep the file unless nothing was streamed, or --strict
                // found something to say.
                Ok(streamed.is_some() && !(args.report.strict && printer.status() != 0))
            })
            .map_err(|error| format!("cannot convert {name} to {}: {error}", output.display()))?;
            streamed
        }
    };
    let Some(streamed) = streamed else {
        return Ok(None);
    };
    let status = printer.status();
    if args.report.strict && status != 0 {
        eprintln!("pubconv: --strict: nothing written");
        return Ok(Some(1));
    }
    report_skipped(streamed.skipped, streamed.written, &args.report);
    Ok(Some(status))
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

/// Where `--out-dir` puts one input's output: its file stem and the
/// format's extension.
fn out_dir_path(directory: &Path, input: &Input, format: OutputFormat) -> Result<PathBuf, String> {
    std::fs::create_dir_all(directory)
        .map_err(|error| format!("cannot create {}: {error}", directory.display()))?;
    let stem = input.path.as_deref().and_then(Path::file_stem).map_or_else(
        || "stdin".to_owned(),
        |stem| stem.to_string_lossy().into_owned(),
    );
    Ok(directory.join(format!("{stem}.{}", format.extension())))
}

/// Prints the diagnostics as asked; the exit status they call for: 1 when
/// an entry was skipped, or under --strict when anything was reported.
fn report(diagnostics: &[Diagnostic], args: &ReportArgs) -> u8 {
    let mut printer = Printer::new(args);
    for diagnostic in diagnostics {
        printer.print(diagnostic);
    }
    printer.status()
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
        let mut stderr = std::io::stderr().lock();
        let _ = match self.args.message_format {
            MessageFormat::Human => writeln!(stderr, "{}", diagnostic.render(self.color)),
            MessageFormat::Json => writeln!(stderr, "{}", diagnostic.to_json()),
        };
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
        eprintln!("pubconv: {skipped} {entries} skipped, {written} written; see the errors above");
    }
}

/// `--per-file DIR`: one Markdown file per work, for static-site CVs.
fn write_per_file(
    directory: &Path,
    inputs: &[Input],
    request: &Request,
    args: &ReportArgs,
) -> Result<u8, String> {
    if request.to != OutputFormat::Markdown {
        return Err("--per-file writes Markdown: use it with --to markdown".to_owned());
    }
    let (library, diagnostics) =
        read_all(inputs, request).map_err(|diagnostic| diagnostic.to_string())?;
    let status = report(&diagnostics, args);
    if args.strict && status != 0 {
        eprintln!("pubconv: --strict: nothing written");
        return Ok(1);
    }
    std::fs::create_dir_all(directory)
        .map_err(|error| format!("cannot create {}: {error}", directory.display()))?;
    let files = markdown::per_file(&library, &request.write);
    for (name, text) in &files {
        let path = directory.join(name);
        write_atomically(&path, text.as_bytes())
            .map_err(|error| format!("cannot write {}: {error}", path.display()))?;
    }
    report_skipped(count_errors(&diagnostics), files.len(), args);
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
                    eprintln!("pubconv: reading standard input (end with Ctrl-D)");
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

/// Writes to a temporary file beside `path`, then renames it into place, so
/// that no half-written output is ever left behind.
fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_atomically_with(path, |file| file.write_all(bytes).map(|()| true))
}

/// [`write_atomically`] for output written by `write`, which says whether
/// the file is to be kept (if not, nothing is left behind).
fn write_atomically_with(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<bool>,
) -> std::io::Result<()> {
    // A device or a pipe (`/dev/null`, `/dev/stdout`, a FIFO) is written
    // to as it is: a file renamed over it would replace it.
    let special = std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir());
    if special {
        let mut out = std::io::BufWriter::new(std::fs::OpenOptions::new().write(true).open(path)?);
        write(&mut out)?;
        return out.flush();
    }
    let directory = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temporary = directory.join(format!(".{file_name}.pubconv-{}.tmp", std::process::id()));
    let result = std::fs::File::create(&temporary).and_then(|file| {
        let mut file = std::io::BufWriter::new(file);
        let keep = write(&mut file)?;
        file.flush()?;
        drop(file);
        if keep {
            std::fs::rename(&temporary, path)?;
        } else {
            std::fs::remove_file(&temporary)?;
        }
        Ok(())
    });
    if result.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    result
}
