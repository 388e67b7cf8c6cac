//! LaTeX in titles and abstracts, read into rich text.
//!
//! arXiv text and BibTeX fields both carry inline TeX: `$\beta$`,
//! `\emph{…}`, `{\"o}`, case-protecting braces. This module turns it into
//! [`Inline`] spans: accents and symbols become Unicode (NFC), math and
//! emphasis become spans, and commands it does not know are kept verbatim
//! as [`Inline::Tex`] so nothing is silently deleted.

pub mod math;
pub(crate) mod symbols;

pub use symbols::{babel_name, bibstring, language_tag, to_ascii, BIBSTRINGS};

use unicode_normalization::{is_nfc_quick, IsNormalized, UnicodeNormalization};

use crate::model::{Inline, Style};

/// Which TeX conventions a text follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// A BibTeX field: `~` is a no-break space; `--`, `---`, ``` `` ``` and
    /// `''` are typographic ligatures.
    Bibtex,
    /// arXiv's plain text with inline TeX: `~` and `--` mean themselves.
    ArxivText,
}

/// Reads TeX text into inline spans, with the number of commands it kept
/// verbatim because it does not know them.
pub fn parse(source: &str, dialect: Dialect) -> Parsed {
    // Most fields are plain text, or plain text in one pair of braces (a
    // title protected from case changes): neither needs the parser.
    let protected = source
        .strip_prefix('{')
        .and_then(|inner| inner.strip_suffix('}'))
        .filter(|inner| !inner.is_empty() && is_plain(inner));
    let inlines = match protected {
        Some(inner) => Some(vec![Inline::Protected(vec![Inline::Plain(
            inner.to_owned(),
        )])]),
        None if source.is_empty() => Some(Vec::new()),
        None if is_plain(source) => Some(vec![Inline::Plain(source.to_owned())]),
        None => None,
    };
    match inlines {
        Some(inlines) => Parsed {
            inlines,
            unknown_commands: Vec::new(),
        },
        None => parse_tex(source, dialect),
    }
}

/// `\ifmmode MATH\else TEXT\fi`, as APS exports spell accented letters
/// (`Ci\ifmmode \check{z}\else \v{z}\fi{}ek`), as its text-mode branch.
pub fn text_mode(source: &str) -> std::borrow::Cow<'_, str> {
    const IF: &str = "\\ifmmode";
    if !source.contains(IF) {
        return std::borrow::Cow::Borrowed(source);
    }
    let mut out = String::with_capacity(source.len());
    let mut rest = source;
    while let Some(at) = rest.find(IF) {
        let after = &rest[at + IF.len()..];
        let branches = after
            .find("\\else")
            .and_then(|otherwise| Some((otherwise, otherwise + after[otherwise..].find("\\fi")?)));
        let Some((otherwise, end)) = branches else {
            break;
        };
        out.push_str(&rest[..at]);
        out.push_str(after[otherwise + "\\else".len()..end].trim_start());
        rest = &after[end + "\\fi".len()..];
        // `\fi{}`: the empty group only ended the command.
        rest = rest.strip_prefix("{}").unwrap_or(rest);
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

/// [`parse`] without its shortcuts.
fn parse_tex(source: &str, dialect: Dialect) -> Parsed {
    let source = &*text_mode(source);
    let mut parser = Parser {
        chars: source.char_indices().peekable(),
        source,
        dialect,
        unknown_commands: Vec::new(),
    };
    let inlines = parser.sequence(0, false);
    Parsed {
        inlines: normalize(inlines),
        unknown_commands: parser.unknown_commands,
    }
}

/// True when `source` reads as itself in either dialect: ASCII with no
/// character TeX treats specially, no ligature and no run of spaces.
/// Most fields are such text, and skip the parser.
pub fn is_plain(source: &str) -> bool {
    // A title is worth looking at many bytes at once; a name is not.
    match source.len() < 16 {
        true => is_plain_by_byte(source),
        false => is_plain_at_once(source),
    }
}

fn is_plain_by_byte(source: &str) -> bool {
    let mut previous = b'\0';
    source.bytes().all(|byte| {
        let plain = match byte {
            b' ' => previous != b' ',
            // A hyphen or an apostrophe is itself; two are a ligature.
            b'-' | b'\'' => previous != byte,
            b'{' | b'}' | b'$' | b'\\' | b'%' | b'~' | b'`' => false,
            _ => byte.is_ascii_graphic(),
        };
        previous = byte;
        plain
    })
}

/// [`is_plain_by_byte`] without stopping early or branching, which the
/// compiler turns into vector instructions: less than half the
/// instructions for a title.
fn is_plain_at_once(source: &str) -> bool {
    let bytes = source.as_bytes();
    let all_plain = bytes.iter().fold(true, |plain, &byte| {
        // Space to `}`: printable ASCII but `~`.
        let printable = byte.wrapping_sub(b' ') < b'~' - b' ';
        let special = (byte == b'{')
            | (byte == b'}')
            | (byte == b'$')
            | (byte == b'\\')
            | (byte == b'%')
            | (byte == b'`');
        plain & printable & !special
    });
    let pairs = bytes.iter().zip(bytes.get(1..).unwrap_or_default());
    let no_ligature = pairs.fold(true, |plain, (&one, &next)| {
        let doubles = (one == b' ') | (one == b'-') | (one == b'\'');
        plain & !((one == next) & doubles)
    });
    all_plain & no_ligature
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    pub inlines: Vec<Inline>,
    /// Commands kept verbatim, as written (`\foo`).
    pub unknown_commands: Vec<String>,
}

/// Braces nested deeper than this are read as plain grouping, so that no
/// input can exhaust the stack.
const MAX_DEPTH: usize = 64;

struct Parser<'a> {
    chars: std::iter::Peekable<std::str::CharIndices<'a>>,
    source: &'a str,
    dialect: Dialect,
    unknown_commands: Vec<String>,
}

/// Collects inline spans, merging neighbouring plain text.
#[derive(Default)]
struct Builder {
    inlines: Vec<Inline>,
    text: String,
}

impl Builder {
    fn push_str(&mut self, text: &str) {
        self.text.push_str(text);
    }

    fn push_char(&mut self, c: char) {
        // TeX reads a run of spaces as one, also across what leaves no
        // text (`\begin{itemize}`) or reads as a space (`\\`, `\ ` at
        // a line's end): read back, the output would have one.
        if c == ' ' && self.text.ends_with(' ') {
            return;
        }
        self.text.push(c);
    }

    fn push(&mut self, inline: Inline) {
        self.flush();
        self.inlines.push(inline);
    }

    fn push_all(&mut self, inlines: Vec<Inline>) {
        for inline in inlines {
            match inline {
                Inline::Plain(text) => self.push_str(&text),
                other => self.push(other),
            }
        }
    }

    fn flush(&mut self) {
        if !self.text.is_empty() {
            self.inlines
                .push(Inline::Plain(std::mem::take(&mut self.text)));
        }
    }

    fn finish(mut self) -> Vec<Inline> {
        self.flush();
        self.inlines
    }
}

impl Parser<'_> {
    /// Reads until the end of input or, inside a group, its closing brace.
    fn sequence(&mut self, depth: usize, in_group: bool) -> Vec<Inline> {
        let mut out = Builder::default();
        // Braces below MAX_DEPTH are only counted, never recursed into.
        let mut flat_levels = 0usize;
        while let Some(&(at, c)) = self.chars.peek() {
            match c {
                '}' if flat_levels > 0 => {
                    self.chars.next();
                    flat_levels -= 1;
                }
                '}' if in_group => {
                    self.chars.next();
                    return out.finish();
                }
                '{' if depth >= MAX_DEPTH => {
                    self.chars.next();
                    flat_levels += 1;
                }
                '{' => {
                    self.chars.next();
                    // `{"O}` or `{\em …}` is a BibTeX "special character",
                    // not case protection; `{\relax X}` is the idiom that
                    // protects X all the same.
                    let special = match self.chars.peek() {
                        Some(&(at, '\\')) => !starts_with_word(&self.source[at..], "\\relax"),
                        _ => false,
                    };
                    let inner = self.group(depth);
                    if special {
                        out.push_all(inner);
                    } else {
                        out.push(Inline::Protected(inner));
                    }
                }
                '$' => self.math_dollar(at, &mut out),
                '\\' => {
                    if self.command(depth, &mut out) {
                        return out.finish();
                    }
                }
                // A TeX comment runs to the end of the line and takes the
                // next line's indentation with it.
                '%' if self.dialect == Dialect::Bibtex => {
                    while self.chars.next_if(|&(_, c)| c != '\n').is_some() {}
                    self.skip_whitespace();
                }
                // TeX's spaces; a no-break space (U+00A0) and the other
                // Unicode spaces are characters, as LaTeX's UTF-8 input
                // reads them.
                // A blank line ends a paragraph, as `\\par` does.
                c if is_tex_space(c) => match self.skip_whitespace() {
                    0 | 1 => out.push_char(' '),
                    _ => out.push_str(PARAGRAPH),
                },
                _ => {
                    self.chars.next();
                    self.ligature(c, &mut out);
                    // The ordinary text after it, in one piece.
                    let run = self.source[at + c.len_utf8()..]
                        .bytes()
                        .take_while(|&b| b.is_ascii_alphanumeric() || b == b',' || b == b'.')
                        .count();
                    if run > 0 {
                        let start = at + c.len_utf8();
                        out.push_str(&self.source[start..start + run]);
                        self.skip_to(start + run);
                    }
                }
            }
        }
        out.finish()
    }

    /// The contents of a group whose `{` was just read.
    fn group(&mut self, depth: usize) -> Vec<Inline> {
        self.sequence(depth + 1, true)
    }

    fn ligature(&mut self, c: char, out: &mut Builder) {
        if self.dialect == Dialect::ArxivText {
            out.push_char(c);
            return;
        }
        match c {
            '~' => out.push_char('\u{a0}'),
            '-' if self.eat('-') => out.push_char(if self.eat('-') { '—' } else { '–' }),
            '`' if self.eat('`') => out.push_char('“'),
            '\'' if self.eat('\'') => out.push_char('”'),
            c => out.push_char(c),
        }
    }

    fn eat(&mut self, expected: char) -> bool {
        self.chars.next_if(|&(_, c)| c == expected).is_some()
    }

    /// Skips white space; says how many line ends it held.
    fn skip_whitespace(&mut self) -> usize {
        let mut lines = 0;
        while let Some((_, c)) = self.chars.next_if(|&(_, c)| is_tex_space(c)) {
            lines += usize::from(c == '\n');
        }
        lines
    }

    /// `$…$` or `$$…$$`; a `$` that is never closed is a literal dollar.
    fn math_dollar(&mut self, at: usize, out: &mut Builder) {
        self.chars.next();
        let display = self.eat('$');
        let delimiter = if display { "$$" } else { "$" };
        let start = at + delimiter.len();
        match find_unescaped(&self.source[start..], delimiter) {
            Some(length) => {
                // An empty formula prints nothing in TeX; kept, it would
                // be written back as `$$`, which opens display math.
                let formula = trim_formula(&self.source[start..start + length]);
                if !formula.is_empty() {
                    out.push(Inline::Math(formula.to_owned()));
                }
                self.skip_to(start + length + delimiter.len());
            }
            None => out.push_str(delimiter),
        }
    }

    fn skip_to(&mut self, offset: usize) {
        while self.chars.next_if(|&(at, _)| at < offset).is_some() {}
    }

    /// A command at a backslash. Returns true when it was a declaration
    /// (`\em`) that read to the end of the enclosing group.
    fn command(&mut self, depth: usize, out: &mut Builder) -> bool {
        let Some((start, _)) = self.chars.next() else {
            return false;
        };
        let Some(&(_, first)) = self.chars.peek() else {
            out.push_char('\\');
            return false;
        };
        if depth >= MAX_DEPTH {
            self.chars.next();
            self.keep_unknown(start, out);
            return false;
        }
        if !first.is_ascii_alphabetic() {
            self.chars.next();
            self.control_symbol(start, first, depth, out);
            return false;
        }
        let mut end = start + 1;
        while let Some((at, c)) = self.chars.next_if(|(_, c)| c.is_ascii_alphabetic()) {
            end = at + c.len_utf8();
        }
        // A starred variant (`\enquote*`) reads like the plain one.
        let starred = self.eat('*');
        let name = &self.source[start + 1..end];
        // A thin space no line may break at: U+202F, as written for it.
        if name == "nobreak" && self.source[end..].starts_with("\\,") {
            self.chars.next();
            self.chars.next();
            out.push_char('\u{202f}');
            return false;
        }
        if starred && name == "enquote" {
            let inner = self.argument(depth);
            out.push_char('‘');
            out.push_all(inner);
            out.push_char('’');
            return false;
        }
        self.control_word(start, name, depth, out)
    }

    fn control_symbol(&mut self, start: usize, symbol: char, depth: usize, out: &mut Builder) {
        if let Some(mark) = symbols::accent(symbol.encode_utf8(&mut [0; 4])) {
            let base = self.argument_text(depth);
            return out.push_str(&accented(&base, mark));
        }
        match symbol {
            '(' => self.math_paren(start, out),
            '&' | '%' | '$' | '#' | '_' | '{' | '}' => out.push_char(symbol),
            ' ' | '\n' | '\\' => out.push_char(' '),
            ',' => out.push_char('\u{2009}'),
            '-' | '@' | '/' => {}
            _ => self.keep_unknown(start, out),
        }
    }

    /// `\(…\)` inline math.
    fn math_paren(&mut self, start: usize, out: &mut Builder) {
        let body = start + 2;
        match self.source[body..].find("\\)") {
            Some(length) => {
                out.push(Inline::Math(
                    trim_formula(&self.source[body..body + length]).to_owned(),
                ));
                self.skip_to(body + length + 2);
            }
            None => self.keep_unknown(start, out),
        }
    }

    fn control_word(&mut self, start: usize, name: &str, depth: usize, out: &mut Builder) -> bool {
        if let Some(mark) = symbols::accent(name) {
            let base = self.argument_text(depth);
            out.push_str(&accented(&base, mark));
            return false;
        }
        if let Some(symbol) = symbols::symbol(name) {
            self.skip_whitespace();
            self.eat_empty_group();
            out.push_str(symbol);
            return false;
        }
        match name {
            "emph" | "textit" | "textsl" | "mkbibemph" => self.styled(Style::Emphasis, depth, out),
            "textbf" | "mkbibbold" => self.styled(Style::Strong, depth, out),
            // Does nothing but end a command name.
            "relax" => {
                self.skip_whitespace();
            }
            "textsc" => self.styled(Style::SmallCaps, depth, out),
            "textsuperscript" | "mkbibsuperscript" => self.styled(Style::Superscript, depth, out),
            "textsubscript" | "mkbibsubscript" => self.styled(Style::Subscript, depth, out),
            "mkbibquote" | "enquote" => {
                let inner = self.argument(depth);
                out.push_char('“');
                out.push_all(inner);
                out.push_char('”');
            }
            "bibstring" | "biblstring" | "bibsstring" => {
                let key = self.verbatim_group();
                out.push_str(symbols::bibstring(&key).unwrap_or(&key));
            }
            "textrm" | "textsf" | "texttt" | "textnormal" | "textup" | "mbox" | "text"
            | "nolinkurl" | "mkbibacro" => {
                let inner = self.argument(depth);
                out.push_all(inner);
            }
            "url" => {
                self.skip_whitespace();
                let url = self.verbatim_group();
                out.push_str(&url);
            }
            // Math in text. pubconv's BibTeX writer puts a lone symbol
            // in it (`…` is `\ensuremath{\ldots}`): that symbol reads back
            // as the text it was, so that a second conversion gives the
            // first's result.
            "ensuremath" => {
                self.skip_whitespace();
                let formula = self.verbatim_group();
                let formula = trim_formula(&formula);
                match written_symbol(formula) {
                    Some(symbol) => out.push_char(symbol),
                    None if !formula.is_empty() => out.push(Inline::Math(formula.to_owned())),
                    None => {}
                }
            }
            // A link shows its text.
            "href" => {
                self.skip_whitespace();
                self.verbatim_group();
                let text = self.argument(depth);
                out.push_all(text);
            }
            // Elsevier's exports name characters by their code point.
            "ElsevierGlyph" => {
                let code = self.verbatim_group();
                match u32::from_str_radix(code.trim(), 16)
                    .ok()
                    .and_then(char::from_u32)
                {
                    Some(c) => out.push_char(c),
                    None => self.keep_unknown(start, out),
                }
            }
            // Invisible boxes (a strut's height, a blank's width): they
            // print nothing, and their argument (a group, or a token such as
            // `\{` in Better BibTeX's `\vphantom\{`) goes with them.
            "vphantom" | "hphantom" | "phantom" => {
                self.argument(depth);
            }
            // An environment's markers go; its text stays.
            "begin" | "end" => {
                self.skip_whitespace();
                self.verbatim_group();
            }
            // Declarations: the rest of the enclosing group takes the style.
            "em" | "it" | "itshape" | "sl" | "bf" | "bfseries" => {
                self.skip_whitespace();
                let rest = self.sequence(depth + 1, true);
                let style = if name.starts_with('b') {
                    Style::Strong
                } else {
                    Style::Emphasis
                };
                out.push(Inline::Styled(style, rest));
                return true;
            }
            _ => self.keep_unknown(start, out),
        }
        false
    }

    fn styled(&mut self, style: Style, depth: usize, out: &mut Builder) {
        let inner = self.argument(depth);
        out.push(Inline::Styled(style, inner));
    }

    /// A command's argument: a group, or else the next character.
    fn argument(&mut self, depth: usize) -> Vec<Inline> {
        self.skip_whitespace();
        match self.chars.peek() {
            Some(&(_, '{')) => {
                self.chars.next();
                self.group(depth)
            }
            Some(&(_, '\\')) => {
                let mut out = Builder::default();
                self.command(depth + 1, &mut out);
                out.finish()
            }
            Some(&(_, c)) => {
                self.chars.next();
                vec![Inline::Plain(c.to_string())]
            }
            None => Vec::new(),
        }
    }

    /// An accent's argument as plain characters. A dotless `\i` or `\j`
    /// under an accent is the ordinary letter (`{\'\i}` is í).
    fn argument_text(&mut self, depth: usize) -> String {
        // `D\'\iaz`: the dotless i ends where the name's letters go on,
        // as writers of names mean it (TeX itself would read `\iaz`).
        self.skip_whitespace();
        if let Some(&(at, '\\')) = self.chars.peek() {
            let rest = &self.source[at + 1..];
            let dotless = rest
                .strip_prefix(['i', 'j'])
                .is_some_and(|after| after.starts_with(|c: char| c.is_ascii_alphabetic()));
            if dotless
                && symbols::symbol(
                    rest.split(|c: char| !c.is_ascii_alphabetic())
                        .next()
                        .unwrap_or(""),
                )
                .is_none()
            {
                self.chars.next();
                let (_, letter) = self.chars.next().unwrap_or((at, 'i'));
                return letter.to_string();
            }
        }
        let mut base = String::new();
        collect_plain(&self.argument(depth), &mut base, false);
        match base.chars().next() {
            Some('ı') => base.replacen('ı', "i", 1),
            Some('ȷ') => base.replacen('ȷ', "j", 1),
            _ => base,
        }
    }

    /// The text of a `{…}` group exactly as written (for `\url`).
    fn verbatim_group(&mut self) -> String {
        if !self.eat('{') {
            return String::new();
        }
        let mut level = 1;
        let mut text = String::new();
        let mut escaped = false;
        for (_, c) in self.chars.by_ref() {
            match c {
                // `\{` and `\}` are TeX's braces as characters.
                _ if std::mem::take(&mut escaped) => {}
                '\\' => escaped = true,
                '{' => level += 1,
                '}' if level == 1 => break,
                '}' => level -= 1,
                _ => {}
            }
            text.push(c);
        }
        text
    }

    fn eat_empty_group(&mut self) {
        let mut lookahead = self.chars.clone();
        if matches!(lookahead.next(), Some((_, '{'))) && matches!(lookahead.next(), Some((_, '}')))
        {
            self.chars = lookahead;
        }
    }

    /// Keeps an unknown command and the groups right after it verbatim.
    fn keep_unknown(&mut self, start: usize, out: &mut Builder) {
        while matches!(self.chars.peek(), Some(&(_, '{'))) {
            self.verbatim_group();
        }
        let end = self.chars.peek().map_or(self.source.len(), |&(at, _)| at);
        let raw = &self.source[start..end];
        let after = &raw[1..];
        let name_length = match after.chars().next() {
            Some(c) if c.is_ascii_alphabetic() => after
                .find(|c: char| !c.is_ascii_alphabetic())
                .unwrap_or(after.len()),
            Some(c) => c.len_utf8(),
            None => 0,
        };
        self.unknown_commands
            .push(raw[..1 + name_length].to_owned());
        out.push(Inline::Tex(raw.to_owned()));
    }
}

/// A formula without the blanks around it, but for the space of a control
/// space (`\ `) at its end: `$\ $` would otherwise be written back as
/// `$\$`, which reads as a `$` and an escaped dollar.
fn trim_formula(formula: &str) -> &str {
    let formula = formula.trim_start();
    let trimmed = formula.trim_end();
    let backslashes = trimmed.bytes().rev().take_while(|&b| b == b'\\').count();
    match (
        backslashes % 2 == 1,
        formula[trimmed.len()..].chars().next(),
    ) {
        (true, Some(blank)) => &formula[..trimmed.len() + blank.len_utf8()],
        _ => trimmed,
    }
}

/// The byte length up to the first `delimiter` not preceded by a backslash.
fn find_unescaped(text: &str, delimiter: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(found) = text[from..].find(delimiter) {
        let at = from + found;
        if !text[..at].ends_with('\\') {
            return Some(at);
        }
        from = at + delimiter.len();
    }
    None
}

/// Puts a combining mark on the first character of `base` and composes.
fn accented(base: &str, mark: char) -> String {
    let mut chars = base.chars();
    match chars.next() {
        Some(first) => std::iter::once(first)
            .chain(std::iter::once(mark))
            .chain(chars)
            .nfc()
            .collect(),
        // An accent on nothing (`\^{}`, as DBLP writes a caret) is the
        // accent itself, not a mark on the letter before it.
        None => match mark {
            '\u{302}' => "^".to_owned(),
            '\u{303}' => "~".to_owned(),
            '\u{301}' => "\u{b4}".to_owned(),
            '\u{300}' => "`".to_owned(),
            '\u{308}' => "\u{a8}".to_owned(),
            '\u{304}' => "\u{af}".to_owned(),
            '\u{327}' => "\u{b8}".to_owned(),
            mark => format!("\u{a0}{mark}"),
        },
    }
}

/// The character `formula` stands for if it is just how the BibTeX writer
/// writes that character in math ([`math::tex_for`]): one beyond the
/// Latin scripts LaTeX's UTF-8 input covers.
fn written_symbol(formula: &str) -> Option<char> {
    let unicode = math::to_unicode(formula)?;
    let mut chars = unicode.chars();
    let symbol = chars.next().filter(|&c| u32::from(c) >= 0x370)?;
    let alone = chars.next().is_none();
    (alone && math::tex_for(symbol).as_deref() == Some(formula)).then_some(symbol)
}

/// A paragraph break in the model's text (an abstract's): a blank line.
pub const PARAGRAPH: &str = "\n\n";

fn is_tex_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0c')
}

/// The characters of rich text without its markup; math and unknown
/// commands as their TeX source.
pub fn plain_text(inlines: &[Inline]) -> String {
    let mut out = String::new();
    collect_plain(inlines, &mut out, false);
    out
}

/// As [`plain_text`], but math that has a Unicode form is given in it
/// (`\ensuremath{\dagger}` is `†`): for text that has no room for math,
/// such as a name.
pub fn unicode_text(inlines: &[Inline]) -> String {
    let mut out = String::new();
    collect_plain(inlines, &mut out, true);
    out
}

/// Whether `text` starts with the command `word` (not a longer name).
fn starts_with_word(text: &str, word: &str) -> bool {
    text.strip_prefix(word)
        .is_some_and(|rest| !rest.starts_with(|c: char| c.is_ascii_alphabetic()))
}

fn collect_plain(inlines: &[Inline], out: &mut String, unicode_math: bool) {
    for inline in inlines {
        match inline {
            Inline::Math(tex) if unicode_math => match math::to_unicode(tex) {
                Some(text) => out.push_str(&text),
                None => out.push_str(tex),
            },
            Inline::Plain(text) | Inline::Math(text) | Inline::Tex(text) => out.push_str(text),
            Inline::Protected(inner) | Inline::Styled(_, inner) => {
                collect_plain(inner, out, unicode_math)
            }
        }
    }
}

/// NFC-normalises plain text and drops empty spans.
fn normalize(inlines: Vec<Inline>) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::with_capacity(inlines.len());
    for inline in inlines {
        let inline = match inline {
            Inline::Plain(text) if text.is_empty() => continue,
            // Most text is already NFC; composing it again costs time.
            Inline::Plain(text) if is_nfc_quick(text.chars()) == IsNormalized::Yes => {
                Inline::Plain(text)
            }
            Inline::Plain(text) => Inline::Plain(text.nfc().collect()),
            // An empty group (`\\{}`, `-{}-`) protects nothing.
            Inline::Protected(inner) => match normalize(inner) {
                inner if inner.is_empty() => continue,
                inner => Inline::Protected(inner),
            },
            Inline::Styled(style, inner) => Inline::Styled(style, normalize(inner)),
            other => other,
        };
        // Text on both sides of a group dropped is one text.
        match (out.last_mut(), inline) {
            (Some(Inline::Plain(before)), Inline::Plain(text)) => before.push_str(&text),
            (_, inline) => out.push(inline),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use Inline::*;

    fn bib(source: &str) -> Vec<Inline> {
        parse(source, Dialect::Bibtex).inlines
    }

    fn plain(text: &str) -> Inline {
        Plain(text.to_owned())
    }

    #[test]
    fn a_run_of_spaces_reads_as_one_across_commands() {
        // Read back, the output would have one space: so one is read.
        assert_eq!(
            bib("Akad.\\\n     {Nauk}"),
            [plain("Akad. "), Protected(vec![plain("Nauk")])]
        );
        assert_eq!(bib("from 300 \\\\ C"), [plain("from 300 C")]);
        assert_eq!(
            bib("include:\n  \\begin{itemize} items"),
            bib("include: items")
        );
        assert_eq!(bib("a\\ \\ b"), [plain("a b")]);
    }

    #[test]
    fn shortcuts_read_as_the_parser_does() {
        for source in [
            "",
            "Plain words",
            "{Documentation conventions}",
            "{A}",
            "{Two} {groups}",
            "{ spaced }",
            "{}",
            "{x}}",
            "{{x}}",
            "Host - Host",
            "{IMP-Host interface}",
            "well-known -- or not",
            "it's",
            "''quoted''",
            "a---b",
            "-",
            "'",
        ] {
            for dialect in [Dialect::Bibtex, Dialect::ArxivText] {
                assert_eq!(
                    parse(source, dialect),
                    parse_tex(source, dialect),
                    "{source:?}"
                );
            }
        }
    }

    #[test]
    fn accents_in_every_spelling() {
        let cases = [
            (r#"{\"o}"#, vec![plain("ö")]),
            (r#"\"{o}"#, vec![plain("ö")]),
            (r#"\"o"#, vec![plain("ö")]),
            (r"{\'\i}", vec![plain("í")]),
            (r"\c{c}\v{s}\H{o}\k{a}\={a}\.{z}", vec![plain("çšőąāż")]),
            (r"{\ss}", vec![plain("ß")]),
            (
                r#"{\"O}sterreich {DNA}"#,
                vec![plain("Österreich "), Protected(vec![plain("DNA")])],
            ),
            (r"\o\ \L{}\aa", vec![plain("ø Łå")]),
            (r"Stra\ss e", vec![plain("Straße")]),
        ];
        for (tex, expected) in cases {
            assert_eq!(bib(tex), expected, "{tex}");
        }
    }

    #[test]
    fn ascii_spelling_reads_back_the_same() {
        let text = "Müller, Øster, Straße, Łódź, García, Dvořák, Ålborg – “q” a\u{a0}b 東京";
        let ascii = to_ascii(text);
        assert!(
            ascii.chars().all(|c| c.is_ascii() || "東京".contains(c)),
            "{ascii}"
        );
        assert_eq!(
            ascii,
            r#"M{\"u}ller, {\O}ster, Stra{\ss}e, {\L}{\'o}d{\'z}, Garc{\'\i}a, Dvo{\v{r}}{\'a}k, {\AA}lborg -- ``q'' a~b 東京"#
        );
        assert_eq!(plain_text(&bib(&ascii)), text);
        let symbols = "10−3 ± 2";
        assert_eq!(to_ascii(symbols), r"10{\textminus}3 {\textpm} 2");
        assert_eq!(plain_text(&bib(&to_ascii(symbols))), symbols);
    }

    #[test]
    fn ligatures_only_in_bibtex() {
        assert_eq!(bib("1--2---3 ``q'' a~b"), vec![plain("1–2—3 “q” a\u{a0}b")]);
        let arxiv = parse("1--2 ~10x", Dialect::ArxivText).inlines;
        assert_eq!(arxiv, vec![plain("1--2 ~10x")]);
    }

    #[test]
    fn math_emphasis_and_protection_become_spans() {
        assert_eq!(
            bib(r"The $\beta$-{VAE} is \emph{fast} and \textbf{big} 5\%"),
            vec![
                plain("The "),
                Math(r"\beta".into()),
                plain("-"),
                Protected(vec![plain("VAE")]),
                plain(" is "),
                Styled(Style::Emphasis, vec![plain("fast")]),
                plain(" and "),
                Styled(Style::Strong, vec![plain("big")]),
                plain(" 5%"),
            ]
        );
        assert_eq!(
            bib(r"{\em a b} c"),
            vec![Styled(Style::Emphasis, vec![plain("a b")]), plain(" c")]
        );
        // A lone symbol, as the BibTeX writer puts one in math, is the
        // symbol; other math stays math.
        assert_eq!(
            bib(r"x \ensuremath{\alpha} \ensuremath{}y \ensuremath{\ldots}"),
            vec![plain("x α y …")]
        );
        assert_eq!(
            bib(r"\ensuremath{x^2} \ensuremath{\times}"),
            vec![Math("x^2".into()), plain(" "), Math(r"\times".into())]
        );
        // Blanks around a formula go, but not a control space's: `$\$`
        // would read as a `$` and an escaped dollar.
        for source in [
            r"a $\ $ b",
            r"a $ \  $ b",
            r"a \( \ \) b",
            r"a \ensuremath{\ } b",
        ] {
            assert_eq!(
                bib(source),
                vec![plain("a "), Math(r"\ ".into()), plain(" b")],
                "{source}"
            );
        }
        assert_eq!(bib(r"a $ x\\ $ b")[1], Math(r"x\\".into()));
        assert_eq!(bib(r"a $ \, $ b")[1], Math(r"\,".into()));
    }

    #[test]
    fn unknown_commands_are_kept_and_counted() {
        let parsed = parse(r"see \cite{x} and \foo", Dialect::Bibtex);
        assert_eq!(
            parsed.inlines,
            vec![
                plain("see "),
                Tex(r"\cite{x}".into()),
                plain(" and "),
                Tex(r"\foo".into())
            ]
        );
        assert_eq!(parsed.unknown_commands, vec![r"\cite", r"\foo"]);
        let non_ascii = parse(r"a \é b", Dialect::Bibtex);
        assert_eq!(non_ascii.unknown_commands, vec![r"\é"]);
    }

    #[test]
    fn phantoms_print_nothing_and_escaped_braces_stay_in_their_group() {
        let parsed = parse(r"\{\{\vphantom{\}\}}{{GaAs}}\vphantom\{\}", Dialect::Bibtex);
        assert_eq!(plain_text(&parsed.inlines), "{{GaAs}");
        assert!(parsed.unknown_commands.is_empty());
        let kept = parse(r"\foo{a\}b} c", Dialect::Bibtex);
        assert_eq!(kept.inlines[0], Tex(r"\foo{a\}b}".into()));
    }

    #[test]
    fn a_lone_dollar_is_a_dollar() {
        assert_eq!(bib("costs $5"), vec![plain("costs $5")]);
        // An empty formula is nothing; written back as `$$` it would
        // open display math (found by the round-trip fuzz target).
        assert_eq!(bib("a$$$$b"), vec![plain("ab")]);
        assert_eq!(bib("a$ $b"), vec![plain("ab")]);
    }

    #[test]
    fn hostile_nesting_ends_without_overflow() {
        let braces = "{".repeat(100_000) + "x" + &"}".repeat(100_000);
        assert_eq!(parse(&braces, Dialect::Bibtex).inlines.len(), 1);
        let emph = r"\emph".repeat(100_000) + "x";
        let _ = parse(&emph, Dialect::Bibtex);
        let em = r"{\em ".repeat(50_000);
        let _ = parse(&em, Dialect::Bibtex);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]
        #[test]
        fn is_plain_reads_the_same_at_once(
            pieces in proptest::collection::vec(
                proptest::sample::select(&[
                    "a", "Z", "0", " ", "  ", "-", "--", "'", "''", "{", "}", "$", "\\", "%",
                    "~", "`", "\t", "\n", "\u{7f}", "\u{1f}", "é", "\u{a0}", "!", "|", ":",
                ][..]),
                1..40,
            ),
            any in ".{1,40}",
        ) {
            for text in [pieces.concat(), any] {
                proptest::prop_assert_eq!(is_plain_at_once(&text), is_plain_by_byte(&text), "{:?}", text);
            }
        }
    }
}
