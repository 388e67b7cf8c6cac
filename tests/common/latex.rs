//! Compiling `.bib` files with pdflatex and bibtex or biber, for the
//! tests that check output with real consumers.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::tool_available;

/// Which bibliography processor a document uses.
#[derive(Clone, Copy, Debug)]
pub enum Processor {
    Bibtex,
    Biber,
}

pub fn document(processor: Processor) -> &'static str {
    match processor {
        Processor::Bibtex => concat!(
            "\\documentclass{article}\n\\usepackage[T1]{fontenc}\n\\usepackage[utf8]{inputenc}\n",
            "\\begin{document}\n\\nocite{*}\n\\bibliographystyle{plain}\n\\bibliography{refs}\n\\end{document}\n"
        ),
        Processor::Biber => concat!(
            "\\documentclass{article}\n\\usepackage[T1]{fontenc}\n\\usepackage[utf8]{inputenc}\n",
            "\\usepackage[backend=biber]{biblatex}\n\\addbibresource{refs.bib}\n",
            "\\begin{document}\n\\nocite{*}\n\\printbibliography\n\\end{document}\n"
        ),
    }
}

/// How long one TeX run may take: some real files (biber's own test
/// data) send pdflatex into a loop that never ends.
const TIMEOUT: Duration = Duration::from_secs(600);

/// Runs `program` in `directory`; whether it succeeded within [`TIMEOUT`],
/// and what it printed.
pub fn run(directory: &Path, program: &str, args: &[&str]) -> (bool, String) {
    // Its output goes to a file, so that a long log never fills a pipe
    // no one reads while the run is timed.
    let log = directory.join(format!("{program}.out"));
    let file = std::fs::File::create(&log).expect("a file in the run's own folder");
    let errors = file.try_clone().expect("a second handle to it");
    let mut child = Command::new(program)
        .args(args)
        .current_dir(directory)
        .stdin(Stdio::null())
        .stdout(file)
        .stderr(errors)
        .spawn()
        .unwrap_or_else(|error| panic!("cannot run {program}: {error}"));
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if started.elapsed() < TIMEOUT => {
                std::thread::sleep(Duration::from_millis(20))
            }
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
        }
    };
    let mut text = std::fs::read_to_string(&log).unwrap_or_default();
    if status.is_none() {
        text.push_str(&format!(
            "\n{program} did not end within {} s and was stopped",
            TIMEOUT.as_secs()
        ));
    }
    (status.is_some_and(|status| status.success()), text)
}

/// Compiles `bib` in a fresh directory and returns the processor's log.
/// Panics with the logs when anything reports an error.
pub fn compile(bib: &str, processor: Processor, label: &str) -> String {
    match try_compile(bib, processor) {
        Ok(log) => log,
        Err(problem) => panic!("{label}: {problem}"),
    }
}

/// Compiles `bib` with pdflatex and the processor; the processor's log, or
/// what went wrong with the logs that say so.
pub fn try_compile(bib: &str, processor: Processor) -> Result<String, String> {
    try_compile_in(bib, processor, document(processor))
}

/// A document that prints `?` for characters pdflatex has no glyph for
/// (CJK, Greek and Cyrillic text), so that what is checked is the `.bib`
/// file's syntax and TeX, not the fonts of the machine.
pub fn font_tolerant_document(processor: Processor) -> String {
    let tolerant = "\\makeatletter\\def\\UTFviii@undefined@err#1{?}\\makeatother\n";
    document(processor).replacen(
        "\\begin{document}",
        &format!("{tolerant}\\begin{{document}}"),
        1,
    )
}

pub fn try_compile_in(
    bib: &str,
    processor: Processor,
    document: impl AsRef<str>,
) -> Result<String, String> {
    compile_runs(bib, processor, document.as_ref(), 2)
}

/// [`try_compile`] in half the TeX runs, for checks over many files: the
/// `.aux` bibtex reads is written here rather than by a first pdflatex
/// run, and pdflatex reads the bibliography once. Errors in the `.bbl`
/// show in that run; only cross-references would need another.
pub fn try_compile_quickly(bib: &str, processor: Processor) -> Result<String, String> {
    compile_runs(bib, processor, document(processor), 1)
}

fn compile_runs(
    bib: &str,
    processor: Processor,
    document: &str,
    runs_after: usize,
) -> Result<String, String> {
    let directory = tempfile::tempdir().map_err(|e| e.to_string())?;
    let dir = directory.path();
    std::fs::write(dir.join("refs.bib"), bib).map_err(|e| e.to_string())?;
    std::fs::write(dir.join("doc.tex"), document).map_err(|e| e.to_string())?;
    let latex = ["-interaction=nonstopmode", "-halt-on-error", "doc.tex"];
    let aux_by_hand = runs_after == 1
        && matches!(processor, Processor::Bibtex)
        && document.contains("\\bibliographystyle{plain}");
    if aux_by_hand {
        let aux = "\\relax\n\\citation{*}\n\\bibstyle{plain}\n\\bibdata{refs}\n";
        std::fs::write(dir.join("doc.aux"), aux).map_err(|e| e.to_string())?;
    } else {
        let (ok, log) = run(dir, "pdflatex", &latex);
        if !ok {
            return Err(format!("first pdflatex run failed:\n{log}"));
        }
    }
    let program = match processor {
        Processor::Bibtex => "bibtex",
        Processor::Biber => "biber",
    };
    let (ok, output) = run(dir, program, &["doc"]);
    let blg = std::fs::read_to_string(dir.join("doc.blg")).unwrap_or_default();
    if !ok {
        return Err(format!("{program} failed:\n{output}\n{blg}"));
    }
    for _ in 0..runs_after {
        let (ok, log) = run(dir, "pdflatex", &latex);
        if !ok {
            return Err(format!("pdflatex failed after {program}:\n{log}"));
        }
    }
    let latex_log = std::fs::read_to_string(dir.join("doc.log")).unwrap_or_default();
    // Errors, and citations LaTeX could not resolve; font substitutions
    // ("Font shape … undefined") are warnings about the machine's fonts.
    let complaint = |line: &&str| {
        line.starts_with('!') || (line.contains("Citation") && line.contains("undefined"))
    };
    if let Some(line) = latex_log.lines().find(complaint) {
        return Err(format!("LaTeX says `{line}`:\n{latex_log}"));
    }
    if !dir.join("doc.pdf").exists() {
        return Err("no PDF".to_owned());
    }
    Ok(blg)
}

/// No error and no warning in the processor's log: bibtex writes
/// `Warning--…` and `… error message`, biber `WARN -` and `ERROR -`.
pub fn assert_clean_log(blg: &str, processor: Processor, label: &str) {
    let complaints: &[&str] = match processor {
        Processor::Bibtex => &["Warning--", "error message", "I was expecting", "---line"],
        Processor::Biber => &["WARN -", "ERROR -"],
    };
    for line in blg.lines() {
        assert!(
            !complaints.iter().any(|complaint| line.contains(complaint)),
            "{label}: `{line}` in the log:\n{blg}"
        );
    }
    if let Processor::Bibtex = processor {
        assert!(
            blg.contains("You've used"),
            "{label}: bibtex did not finish:\n{blg}"
        );
    }
}

pub fn tools_for(processor: Processor) -> bool {
    let program = match processor {
        Processor::Bibtex => "bibtex",
        Processor::Biber => "biber",
    };
    tool_available("pdflatex") && tool_available(program)
}
