//! Readers: one module per input format, each turning text into the model.
//!
//! [`InputFormat`] is the list of readers. Adding a format is one module
//! here and one variant there.

pub mod arxiv_atom;
pub mod bibtex;
pub mod crossref;
pub mod csl;
pub mod dblp;
pub mod dblp_search;
pub mod json;
mod lines;
pub mod openalex;
pub mod orcid;
pub mod profile;
pub mod scholar;
pub mod semantic_scholar;

use std::path::Path;

pub use lines::LineIndex;

use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{Date, Library};

/// One input as text, with the name diagnostics call it by.
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    pub name: &'a str,
    pub text: &'a str,
}

/// Settings that change how inputs are read.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// The date a profile dump was captured: dates without a year are read
    /// as the latest such date not after it.
    pub as_of: Date,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            as_of: Date::today(),
        }
    }
}

/// What a reader made of one input.
#[derive(Debug, Clone, Default)]
pub struct Reading {
    pub library: Library,
    pub diagnostics: Vec<Diagnostic>,
    /// Where each work starts in the text, as a byte offset, in the order
    /// of `library.works`; empty where the reader does not say.
    pub offsets: Vec<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InputFormat {
    /// A researcher's profile page copied as text (Scholar Feed layout).
    Profile,
    /// BibTeX or BibLaTeX.
    Bibtex,
    /// CSL-JSON: an array of CSL items.
    CslJson,
    /// A Google Scholar profile page copied as text.
    ScholarPaste,
    /// DBLP's XML of a person's publications.
    Dblp,
    /// ORCID's works JSON (public API v3.0).
    Orcid,
    /// OpenAlex's works JSON: one work, or a page of a list.
    OpenAlex,
    /// Semantic Scholar's Graph API papers JSON.
    SemanticScholar,
    /// The Atom feed arXiv's API answers a query with.
    ArxivAtom,
    /// Crossref's REST API JSON: one work, a page of works, or a bare work.
    Crossref,
    /// The JSON of DBLP's publication search.
    DblpSearch,
}

impl InputFormat {
    pub const ALL: &'static [InputFormat] = &[
        InputFormat::Bibtex,
        InputFormat::CslJson,
        InputFormat::Profile,
        InputFormat::ScholarPaste,
        InputFormat::Dblp,
        InputFormat::Orcid,
        InputFormat::OpenAlex,
        InputFormat::SemanticScholar,
        InputFormat::ArxivAtom,
        InputFormat::Crossref,
        InputFormat::DblpSearch,
    ];

    /// The JSON formats told by keys of their own, which CSL-JSON does not
    /// claim though their works have an `id`, a `type` or a `title`.
    const JSON_OF_THEIR_OWN: &'static [InputFormat] = &[
        InputFormat::Orcid,
        InputFormat::OpenAlex,
        InputFormat::SemanticScholar,
        InputFormat::Crossref,
        InputFormat::DblpSearch,
    ];

    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            InputFormat::Profile => "profile",
            InputFormat::Bibtex => "bibtex",
            InputFormat::CslJson => "csl-json",
            InputFormat::ScholarPaste => "scholar-paste",
            InputFormat::Dblp => "dblp",
            InputFormat::Orcid => "orcid",
            InputFormat::OpenAlex => "openalex",
            InputFormat::SemanticScholar => "semantic-scholar",
            InputFormat::ArxivAtom => "arxiv",
            InputFormat::Crossref => "crossref",
            InputFormat::DblpSearch => "dblp-search",
        }
    }

    /// The format of a name as given on the command line, in any case.
    pub fn from_name(name: &str) -> Option<InputFormat> {
        Self::ALL
            .iter()
            .copied()
            .find(|format| format.name().eq_ignore_ascii_case(name))
    }

    /// The format the file's extension names, if any.
    pub fn from_extension(path: &Path) -> Option<InputFormat> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        Self::ALL
            .iter()
            .copied()
            .find(|format| format.extensions().contains(&extension.as_str()))
    }

    /// Tells the format from the file's extension, unless its content says
    /// it is another format: a `.bib`, `.json` or `.txt` file is read as
    /// its extension says even when nothing in it shows the format (an
    /// empty `.bib` file is an empty library). Without an extension to go
    /// by, the content decides; `None` when it does not (see [`describe`]).
    pub fn detect(path: Option<&Path>, text: &str) -> Option<InputFormat> {
        let named = path.and_then(Self::from_extension);
        if let Some(format) = named.filter(|format| format.recognizes(text)) {
            return Some(format);
        }
        let recognized = Self::ALL
            .iter()
            .copied()
            .find(|format| format.recognizes(text));
        recognized.or(named.filter(|format| format.takes_unrecognized(text)))
    }

    /// The format the file's extension names, if its content is
    /// recognised as it: [`Self::detect`]'s first guess.
    pub fn named_and_recognized(path: Option<&Path>, text: &str) -> Option<InputFormat> {
        path.and_then(Self::from_extension)
            .filter(|format| format.recognizes(text))
    }

    /// The extensions its files take, the first the usual one.
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            InputFormat::Profile => &["txt", "text"],
            InputFormat::Bibtex => &["bib", "bibtex", "biblatex"],
            InputFormat::CslJson => &["json", "csljson"],
            // Shared with the profile dump, which a `.txt` file is read as
            // unless its content is a Scholar paste.
            InputFormat::ScholarPaste => &["txt", "text"],
            InputFormat::Dblp => &["xml"],
            // Shared with CSL-JSON, which a `.json` file is read as unless
            // its content is theirs.
            InputFormat::Orcid
            | InputFormat::OpenAlex
            | InputFormat::SemanticScholar
            | InputFormat::Crossref
            | InputFormat::DblpSearch => &["json"],
            // `.xml` goes to DBLP first: arXiv's feed is told by its content.
            InputFormat::ArxivAtom => &["atom", "xml"],
        }
    }

    /// What it is, in a few words.
    pub fn description(self) -> &'static str {
        match self {
            InputFormat::Profile => "a Scholar Feed author page copied as text",
            InputFormat::Bibtex => "BibTeX or BibLaTeX",
            InputFormat::CslJson => "CSL-JSON items, as Zotero and pandoc write them",
            InputFormat::ScholarPaste => "a Google Scholar profile page copied as text",
            InputFormat::Dblp => "a person's publications as DBLP's XML, from dblp.org/pid/",
            InputFormat::Orcid => "a person's works as ORCID's JSON, from pub.orcid.org/v3.0/",
            InputFormat::OpenAlex => "works JSON from OpenAlex's API, one work or a list page",
            InputFormat::SemanticScholar => "papers JSON from Semantic Scholar's Graph API",
            InputFormat::ArxivAtom => {
                "the Atom feed of arXiv's API, from export.arxiv.org/api/query"
            }
            InputFormat::Crossref => "Crossref's JSON of works, from api.crossref.org/works",
            InputFormat::DblpSearch => {
                "the JSON of DBLP's publication search, from dblp.org/search/publ/api"
            }
        }
    }

    fn recognizes(self, text: &str) -> bool {
        match self {
            // A paste's rows can hold a line shaped as a dump's paper
            // header (a title `GeneNet 2`), never the other way round.
            InputFormat::Profile => profile::recognizes(text) && !scholar::recognizes(text),
            InputFormat::Bibtex => bibtex::recognizes(text),
            // An API's work object has an `id` and a `type` too: the
            // formats with keys of their own claim it first.
            InputFormat::CslJson => {
                csl::recognizes(text)
                    && !Self::JSON_OF_THEIR_OWN
                        .iter()
                        .any(|format| format.recognizes(text))
            }
            InputFormat::ScholarPaste => scholar::recognizes(text),
            InputFormat::Dblp => dblp::recognizes(text),
            InputFormat::Orcid => orcid::recognizes(text),
            InputFormat::OpenAlex => openalex::recognizes(text),
            InputFormat::SemanticScholar => semantic_scholar::recognizes(text),
            InputFormat::ArxivAtom => arxiv_atom::recognizes(text),
            InputFormat::Crossref => crossref::recognizes(text),
            InputFormat::DblpSearch => dblp_search::recognizes(text),
        }
    }

    /// Whether a file named as this format is read as it although nothing
    /// in it shows the format: its reader then says what is wrong with it,
    /// or finds an empty list. JSON that is plainly not CSL (an object
    /// with none of an item's keys) is not.
    fn takes_unrecognized(self, text: &str) -> bool {
        match self {
            InputFormat::Profile | InputFormat::Bibtex | InputFormat::ScholarPaste => true,
            InputFormat::CslJson => !csl::is_other_json(text),
            // `.xml` is every XML format's: only DBLP's own is claimed.
            InputFormat::Dblp => false,
            // `.json` is CSL-JSON's and `.xml` DBLP's first: only their
            // own is claimed.
            InputFormat::Orcid
            | InputFormat::OpenAlex
            | InputFormat::SemanticScholar
            | InputFormat::ArxivAtom
            | InputFormat::Crossref
            | InputFormat::DblpSearch => false,
        }
    }

    pub fn read(self, source: Source<'_>, options: &ReadOptions) -> Reading {
        match self {
            InputFormat::Profile => profile::read_profile(source, options),
            InputFormat::Bibtex => bibtex::read_bibtex(source, options),
            InputFormat::CslJson => csl::read_csl(source, options),
            InputFormat::ScholarPaste => scholar::read_scholar(source, options),
            InputFormat::Dblp => dblp::read_dblp(source, options),
            InputFormat::Orcid => orcid::read_orcid(source, options),
            InputFormat::OpenAlex => openalex::read_openalex(source, options),
            InputFormat::SemanticScholar => {
                semantic_scholar::read_semantic_scholar(source, options)
            }
            InputFormat::ArxivAtom => arxiv_atom::read_arxiv(source, options),
            InputFormat::Crossref => crossref::read_crossref(source, options),
            InputFormat::DblpSearch => dblp_search::read_dblp_search(source, options),
        }
    }
}

/// How much of a file's start [`binary_kind`] looks at: what the
/// streaming reader reads first, so that both come to the same answer.
pub const TEXT_LOOK: usize = 4 << 10;

/// What a file that is not text is, when it is not (`a PDF file`): such
/// a file is refused whole, not read as a list with a warning a line.
pub fn binary_kind(bytes: &[u8]) -> Option<&'static str> {
    const MAGIC: &[(&[u8], &str)] = &[
        (b"%PDF-", "a PDF file"),
        (
            b"PK\x03\x04",
            "a ZIP archive (such as a .docx, .xlsx or .odt file)",
        ),
        (b"\x7fELF", "a program"),
        (b"\x89PNG", "a PNG image"),
        (b"\xff\xd8\xff", "a JPEG image"),
        (b"GIF8", "a GIF image"),
        (b"\x1f\x8b", "a gzip archive"),
        (b"\xd0\xcf\x11\xe0", "an old Microsoft Office file"),
    ];
    if let Some((_, kind)) = MAGIC.iter().find(|(magic, _)| bytes.starts_with(magic)) {
        return Some(kind);
    }
    let head = &bytes[..bytes.len().min(TEXT_LOOK)];
    let utf16 = head.starts_with(b"\xFF\xFE")
        || head.starts_with(b"\xFE\xFF")
        || unmarked_utf16(head).is_some();
    // Text has no NUL bytes and few control characters; UTF-16 text has a
    // NUL beside each ASCII character, and is text.
    let controls = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c))
        .count();
    let binary = !utf16 && (head.contains(&0) || controls * 20 > head.len());
    binary.then_some("binary data, not text")
}

/// What a text that no reader recognises looks like, for the message that
/// refuses it.
pub fn describe(text: &str) -> String {
    let trimmed = text.trim_start_matches('\u{feff}').trim();
    if trimmed.is_empty() {
        return "it is empty".to_owned();
    }
    match csl::other_json_keys(trimmed).as_deref() {
        Some("") => return "it is JSON, but not CSL-JSON (an empty object)".to_owned(),
        Some(keys) => {
            return format!("it is JSON, but not CSL-JSON (an object with the keys {keys})")
        }
        None => {}
    }
    if trimmed.starts_with(['[', '{']) {
        return "it looks like JSON, but not like CSL-JSON items".to_owned();
    }
    if trimmed.starts_with('<') {
        return "it looks like XML, but not like DBLP's <dblpperson> or <dblp>, nor arXiv's Atom <feed>".to_owned();
    }
    "it is text in none of the formats pubconv reads".to_owned()
}

/// Decodes an input's bytes: UTF-8 with or without a byte-order mark,
/// UTF-16 with one. Bytes that are not UTF-8 are read as Windows-1252, the
/// usual encoding of old `.bib` files, with a warning naming the file.
pub fn decode(bytes: &[u8], name: &str) -> (String, Option<Diagnostic>) {
    if let Some(utf8) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return decode_utf8(utf8, name);
    }
    let utf16 = |rest: &[u8], unit: fn([u8; 2]) -> u16| {
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|pair| unit([pair[0], pair[1]]))
            .collect();
        String::from_utf16_lossy(&units)
    };
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return (utf16(rest, u16::from_le_bytes), None);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return (utf16(rest, u16::from_be_bytes), None);
    }
    match unmarked_utf16(bytes) {
        Some(Endian::Big) => (utf16(bytes, u16::from_be_bytes), None),
        Some(Endian::Little) => (utf16(bytes, u16::from_le_bytes), None),
        None => decode_utf8(bytes, name),
    }
}

pub enum Endian {
    Big,
    Little,
}

/// UTF-16 without a byte-order mark, told by its start: a zero byte beside
/// each ASCII character. (Such bytes are valid UTF-8 too, so a reader of
/// UTF-8 must ask.)
pub fn unmarked_utf16(bytes: &[u8]) -> Option<Endian> {
    match bytes {
        [0, a, 0, b, ..] if *a != 0 && *b != 0 => Some(Endian::Big),
        [a, 0, b, 0, ..] if *a != 0 && *b != 0 => Some(Endian::Little),
        _ => None,
    }
}

fn decode_utf8(bytes: &[u8], name: &str) -> (String, Option<Diagnostic>) {
    match std::str::from_utf8(bytes) {
        Ok(text) => (text.to_owned(), None),
        Err(error) => {
            let valid = &bytes[..error.valid_up_to()];
            let valid = std::str::from_utf8(valid).unwrap_or_default();
            let (line, column) = LineIndex::new(valid).line_column(valid.len());
            let warning = Diagnostic::new(
                Severity::Warning,
                "input::not-utf8",
                "the file is not valid UTF-8; it was read as Windows-1252",
            )
            .at(name, line, column)
            .hint("if accents look wrong, save the file as UTF-8");
            (
                bytes.iter().map(|&b| windows_1252(b)).collect(),
                Some(warning),
            )
        }
    }
}

/// Windows-1252: Latin-1 but for the printable characters at 0x80–0x9F.
fn windows_1252(byte: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž',
        '\u{8f}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}',
        'ž', 'Ÿ',
    ];
    match byte {
        0x80..=0x9f => HIGH[usize::from(byte - 0x80)],
        _ => char::from(byte),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings_decode_to_the_same_text() {
        let text = "Müller – “x”";
        let utf16le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        let utf16be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        let bom = [&b"\xEF\xBB\xBF"[..], text.as_bytes()].concat();
        let cp1252 = b"M\xfcller \x96 \x93x\x94".to_vec();
        let no_bom_le: Vec<u8> = text.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let no_bom_be: Vec<u8> = text.encode_utf16().flat_map(u16::to_be_bytes).collect();
        for bytes in [
            text.as_bytes().to_vec(),
            bom,
            utf16le,
            utf16be,
            no_bom_le,
            no_bom_be,
        ] {
            assert_eq!(decode(&bytes, "f"), (text.to_owned(), None));
        }
        let (decoded, warning) = decode(&cp1252, "old.bib");
        assert_eq!(decoded, text);
        assert!(warning
            .unwrap()
            .to_string()
            .starts_with("old.bib:1:2: warning: the file is not valid UTF-8"));
    }
}
