//! The BibTeX syntax layer: splits a `.bib` file into blocks (entries,
//! `@string`s, `@preamble`s, `@comment`s), each with its byte offset, and
//! recovers after a broken entry.
//!
//! It follows what BibTeX and biber accept: `@type{…}` and `@type(…)` in
//! any letter case, values in braces, in quotes, bare numbers and `@string`
//! names joined with `#`, `%` comments between fields, trailing commas,
//! and any text between entries. It reads no LaTeX and resolves no
//! `@string`: values come back as borrowed pieces of the input.
//!
//! A broken entry is reported with the offset where the problem is and
//! what was expected there; reading resumes at the next line that starts
//! with `@`.

use nom::bytes::complete::take_while1;
use nom::character::complete::digit1;
use nom::{IResult, Parser};
use smallvec::SmallVec;

/// Everything the file holds, in file order, and what could not be read.
#[derive(Debug, Default)]
pub struct Syntax<'a> {
    pub blocks: Vec<Block<'a>>,
    pub errors: Vec<SyntaxError>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block<'a> {
    Entry(Entry<'a>),
    String(StringDefinition<'a>),
    Preamble(Value<'a>),
    Comment,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry<'a> {
    /// The entry type as written (`Article`).
    pub kind: &'a str,
    pub key: &'a str,
    pub fields: Vec<Field<'a>>,
    /// Byte offset of the `@`.
    pub offset: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field<'a> {
    /// The field name as written (`Title`).
    pub name: &'a str,
    pub value: Value<'a>,
    /// Byte offset of the field name.
    pub offset: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StringDefinition<'a> {
    pub name: &'a str,
    pub value: Value<'a>,
    pub offset: usize,
}

/// A field value: the parts joined with `#`. Nearly always one, kept in
/// place rather than allocated.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Value<'a> {
    pub pieces: SmallVec<[Piece<'a>; 1]>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece<'a> {
    /// Text from braces or quotes (without them), or a bare number.
    Text(&'a str),
    /// A `@string` name, to be looked up.
    Macro { name: &'a str, offset: usize },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// Byte offset of the problem.
    pub offset: usize,
    /// What reading left out for it.
    pub lost: Lost,
    pub message: String,
    /// The key of the entry it is in, when known.
    pub key: Option<String>,
}

/// What a syntax error cost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lost {
    /// The entry it is in.
    Entry,
    /// The `@string` or `@preamble` it is in.
    Definition,
    /// A whole entry after a broken one on the same line: reading goes on
    /// at the next line that starts an entry, and passes over it with the
    /// broken one.
    PassedOverEntry,
    /// A whole `@string` passed over so.
    PassedOverDefinition,
}

/// Splits `text` into blocks.
pub fn parse(text: &str) -> Syntax<'_> {
    parse_part(text, 0, text.len(), true, Fields::Kept).0
}

/// Whether entries come with their fields, or only with their type and
/// key (for a first look at a file: no field is allocated), or with their
/// `author` fields alone (for a first look at who a list marks as its
/// owner).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fields {
    Kept,
    Skipped,
    Authors,
}

impl Fields {
    /// Whether a field of this name is kept.
    fn keep(self, name: &str) -> bool {
        match self {
            Fields::Kept => true,
            Fields::Skipped => false,
            Fields::Authors => name.eq_ignore_ascii_case("author"),
        }
    }
}

/// Splits the blocks from `from` that start before `limit` out of
/// `text`, a window on a larger file, and returns them with the offset
/// where reading should go on. `from` must be where a block may start (the
/// text before it is only there to be quoted) and `limit` the `@` of a
/// line that starts an entry (or the end of the file, with `at_end`): then
/// no entry, `@string` or `@preamble` reads past `limit`, as each stops at
/// a line that starts an entry. Only a `@comment` can; one that is still
/// open, or runs past `limit`, is left for a larger window (the offset
/// returned is its `@`).
pub fn parse_part(
    text: &str,
    from: usize,
    limit: usize,
    at_end: bool,
    fields: Fields,
) -> (Syntax<'_>, usize) {
    scan(text, from, limit, at_end, fields, true)
}

/// The blocks from `from` on that are surely read as a reading of the
/// whole file reads them, where `text` is a window that no line starting
/// an entry cuts (a file on one line): those before the first that is
/// broken or still open, but the last of them, which the window's end may
/// cut short. Gives them and where the last of them starts, where a
/// window can be cut; `from` when there is no such block.
pub fn parse_before_last_block(text: &str, from: usize, fields: Fields) -> (Syntax<'_>, usize) {
    let mut blocks = Blocks::new(text, from, text.len(), false, fields, true);
    let mut syntax = Syntax::default();
    let mut last_start = from;
    // Up to the first broken block, or one still open.
    while let Some(Ok(block)) = blocks.next() {
        last_start = blocks.block_start;
        syntax.blocks.push(block);
    }
    syntax.blocks.pop();
    (syntax, last_start)
}

/// [`parse_part`], with or without [`Scanner::common_fields`] (the tests
/// compare the two).
fn scan(
    text: &str,
    from: usize,
    limit: usize,
    at_end: bool,
    fields: Fields,
    common: bool,
) -> (Syntax<'_>, usize) {
    let mut blocks = Blocks::new(text, from, limit, at_end, fields, common);
    let mut syntax = Syntax::default();
    for found in &mut blocks {
        match found {
            Ok(block) => syntax.blocks.push(block),
            Err(error) => syntax.errors.push(error),
        }
    }
    (syntax, blocks.resume)
}

/// The entries of [`parse_part`]'s blocks, with their fields, read one at
/// a time: an entry's fields can be done with before the next is read.
pub fn entries_of_part(
    text: &str,
    from: usize,
    limit: usize,
    at_end: bool,
) -> impl Iterator<Item = Entry<'_>> {
    let blocks = Blocks::new(text, from, limit, at_end, Fields::Kept, true);
    blocks.filter_map(|found| match found {
        Ok(Block::Entry(entry)) => Some(entry),
        _ => None,
    })
}

/// The blocks of a text and its syntax errors, in order, as they are read.
struct Blocks<'a> {
    parser: Scanner<'a>,
    limit: usize,
    at_end: bool,
    /// Where reading should go on, once the blocks are read.
    resume: usize,
    done: bool,
    comments: LineComments,
    /// Where the last block handed out starts.
    block_start: usize,
    /// The blocks passed over after a broken entry, still to be reported,
    /// last first.
    passed_over: Vec<SyntaxError>,
}

impl<'a> Blocks<'a> {
    fn new(
        text: &'a str,
        from: usize,
        limit: usize,
        at_end: bool,
        fields: Fields,
        common: bool,
    ) -> Self {
        let parser = Scanner {
            text,
            pos: from,
            in_entry: false,
            comment_unclosed: false,
            open_comments: None,
            fields,
            common,
        };
        Blocks {
            parser,
            limit,
            at_end,
            resume: text.len().min(limit),
            done: false,
            // No `%` before `from` comments out what follows: a block
            // starts there.
            comments: LineComments {
                line_start: from,
                read_to: from,
                percent: false,
            },
            block_start: from,
            passed_over: Vec::new(),
        }
    }

    fn stop(&mut self, resume: usize) -> Option<Result<Block<'a>>> {
        self.resume = resume;
        self.done = true;
        None
    }
}

impl<'a> Iterator for Blocks<'a> {
    type Item = Result<Block<'a>>;

    fn next(&mut self) -> Option<Self::Item> {
        if let Some(passed_over) = self.passed_over.pop() {
            return Some(Err(passed_over));
        }
        let text = self.parser.text;
        while !self.done {
            let Some(found) = text[self.parser.pos..].find('@') else {
                return self.stop(text.len().min(self.limit));
            };
            let start = self.parser.pos + found;
            if start >= self.limit {
                return self.stop(start);
            }
            self.parser.pos = start;
            if self.comments.commented_out(text, start) {
                self.parser.pos = start + 1;
                continue;
            }
            self.parser.comment_unclosed = false;
            let unfinished = |parser: &Scanner<'_>| {
                !self.at_end && (parser.comment_unclosed || parser.pos > self.limit)
            };
            match self.parser.block() {
                Ok(Some(_)) if unfinished(&self.parser) => return self.stop(start),
                Ok(Some(block)) => {
                    self.comments.passed(text, self.parser.pos);
                    self.block_start = start;
                    return Some(Ok(block));
                }
                // An `@` that starts no entry (an e-mail address in a note
                // between entries) is text, as BibTeX has it.
                Ok(None) => self.parser.pos = start + 1,
                Err(error) => {
                    self.parser.pos = next_entry_line(text, start + 1);
                    self.passed_over = passed_over(text, start + 1, self.parser.pos);
                    self.passed_over.reverse();
                    return Some(Err(error));
                }
            }
        }
        None
    }
}

/// The whole entries and `@string`s in `text[from..to]`, which reading
/// passes over after a broken entry (`@misc{a b, …} @misc{c, …}` on one
/// line): each is an error of its own, so that none is left out without a
/// word and each counts as skipped. Read as they would be on a line of
/// their own; what does not read as a whole block is the broken entry's.
fn passed_over(text: &str, from: usize, to: usize) -> Vec<SyntaxError> {
    let mut scanner = Scanner {
        text: &text[..to],
        pos: from,
        in_entry: false,
        comment_unclosed: false,
        open_comments: None,
        fields: Fields::Skipped,
        common: true,
    };
    // What a `%` comments out is passed over by any reading.
    let mut comments = LineComments {
        line_start: from,
        read_to: from,
        percent: false,
    };
    let mut lost = Vec::new();
    while let Some(found) = scanner.rest().find('@') {
        let at = scanner.pos + found;
        scanner.pos = at;
        // An `@` within a word (`ada@example.org` in the broken entry's
        // note) starts nothing.
        let within_word = text[..at]
            .bytes()
            .next_back()
            .is_some_and(|before| before.is_ascii_alphanumeric() || b"._-".contains(&before));
        let block = match within_word || comments.commented_out(scanner.text, at) {
            true => Ok(None),
            false => scanner.block(),
        };
        let (what, kind, key) = match block {
            Ok(Some(Block::Entry(entry))) => {
                let key = entry.key.to_owned();
                (
                    format!("the entry `{key}`"),
                    Lost::PassedOverEntry,
                    Some(key),
                )
            }
            Ok(Some(Block::String(definition))) => {
                let what = format!("the @string `{}`", definition.name);
                (what, Lost::PassedOverDefinition, None)
            }
            Ok(Some(_)) if !scanner.comment_unclosed => {
                comments.passed(scanner.text, scanner.pos);
                continue;
            }
            // A broken entry of its own.
            Err(SyntaxError {
                key: Some(key),
                lost: Lost::Entry,
                ..
            }) => {
                scanner.pos = at + 1;
                (
                    format!("the entry `{key}`"),
                    Lost::PassedOverEntry,
                    Some(key),
                )
            }
            _ => {
                scanner.pos = at + 1;
                continue;
            }
        };
        comments.passed(scanner.text, scanner.pos);
        lost.push(SyntaxError {
            offset: at,
            lost: kind,
            message: format!("{what} was left out with the broken entry before it"),
            key,
        });
    }
    lost
}

/// The offset of the `@` on the last line of `text` that starts an entry
/// (`@type{` after blanks), not counting a line at offset 0: where a
/// window on a file can be cut. See [`parse_part`].
pub fn last_entry_line(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut end = text.len();
    while let Some(newline) = text[..end].rfind('\n') {
        let at = newline + 1 + line_blanks(&bytes[newline + 1..]);
        if starts_entry(text, at) {
            return Some(at);
        }
        end = newline;
    }
    None
}

/// The offset of the `@` on the first line of `text` that starts an
/// entry, not counting the line `text` starts in: where a file can be cut
/// into parts read on their own (see [`parse_part`]).
pub fn first_entry_line(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    memchr::memchr_iter(b'\n', bytes).find_map(|newline| {
        let at = newline + 1 + line_blanks(&bytes[newline + 1..]);
        starts_entry(text, at).then_some(at)
    })
}

/// Whether a `%` earlier on the line makes an `@` part of a comment, as
/// biber and pandoc read `%@article{…}`: commenting an entry out with `%`
/// is how people remove it. Asked of `@`s in order, it reads on from the
/// last one, so that a file on one line is read once, not once an `@`.
#[derive(Default)]
struct LineComments {
    /// The line read so far: where it starts, and how far it was read.
    line_start: usize,
    read_to: usize,
    /// A `%` (not `\%`) was found on it.
    percent: bool,
}

impl LineComments {
    fn commented_out(&mut self, text: &str, at: usize) -> bool {
        let bytes = text.as_bytes();
        if at < self.read_to {
            *self = LineComments::default();
        }
        let line_end = memchr::memrchr2(b'\n', b'\r', &bytes[self.read_to..at]);
        if let Some(end) = line_end {
            let line_start = self.read_to + end + 1;
            *self = LineComments {
                line_start,
                read_to: line_start,
                percent: false,
            };
        }
        let escaped = |i: usize| i > self.line_start && bytes[i - 1] == b'\\';
        self.percent = self.percent
            || memchr::memchr_iter(b'%', &bytes[self.read_to..at])
                .any(|found| !escaped(self.read_to + found));
        self.read_to = at;
        self.percent
    }

    /// Passes over a block read from the `@` last asked about to `end`:
    /// a `%` inside it (`50%` in a value, a URL's `%20`) is text, and
    /// comments out no entry after it on its line.
    fn passed(&mut self, text: &str, end: usize) {
        let bytes = text.as_bytes();
        let end = end.clamp(self.read_to, bytes.len());
        if let Some(line_end) = memchr::memrchr2(b'\n', b'\r', &bytes[self.read_to..end]) {
            self.line_start = self.read_to + line_end + 1;
        }
        // The block's `@` was not commented out: no `%` was before it.
        self.percent = false;
        self.read_to = end;
    }
}

/// The start of the next line (at or after `from`) whose first non-blank
/// character is `@`, or the end of the text.
fn next_entry_line(text: &str, from: usize) -> usize {
    let bytes = text.as_bytes();
    let mut line_start = match text[from..].find('\n') {
        Some(newline) => from + newline + 1,
        None => return text.len(),
    };
    loop {
        let blank = line_blanks(&bytes[line_start..]);
        if bytes.get(line_start + blank) == Some(&b'@') {
            return line_start + blank;
        }
        match text[line_start..].find('\n') {
            Some(newline) => line_start += newline + 1,
            None => return text.len(),
        }
    }
}

/// How many blanks start a line (spaces, tabs and stray carriage
/// returns), before what may start an entry. One rule for the windows'
/// cuts, the recovery after a broken entry and the end of a value that
/// runs into the next entry, so that all three agree on where entries
/// start.
fn line_blanks(line: &[u8]) -> usize {
    line.iter()
        .take_while(|b| matches!(b, b' ' | b'\t' | b'\r'))
        .count()
}

/// Where the ASCII blanks at `pos` end, for [`Scanner::common_fields`]. A
/// `%` comment or a blank beyond ASCII ends them too: no byte the fast
/// reading expects next is either, so it leaves those to the general one.
#[inline(always)]
fn plain_blanks_end(bytes: &[u8], mut pos: usize) -> usize {
    while bytes
        .get(pos)
        .is_some_and(|&byte| BLANK_BYTES[usize::from(byte)])
    {
        pos += 1;
    }
    pos
}

/// Where the ASCII name at `pos` ends; `None` if there is none. (A name
/// going on beyond ASCII is the general reading's: no byte the fast one
/// expects after a name is beyond ASCII.)
#[inline(always)]
pub(super) fn identifier_end(bytes: &[u8], start: usize) -> Option<usize> {
    let mut pos = start;
    while bytes
        .get(pos)
        .is_some_and(|&byte| IDENTIFIER_BYTES[usize::from(byte)])
    {
        pos += 1;
    }
    (pos > start).then_some(pos)
}

/// The offset of the delimiter that closes the value opened at `open`
/// (`{…}` or `"…"`), as [`Scanner::delimited`] finds it; `None` where
/// that would report a mistake, or where a line inside starts with `@`.
fn common_delimited_end(bytes: &[u8], open: usize) -> Option<usize> {
    let quoted = bytes[open] == b'"';
    let mut depth = 0usize;
    let mut index = open + 1;
    loop {
        let rest = bytes.get(index..)?;
        // Straight to the next byte that matters; line ends are looked for
        // only in braces, and in quotes only between those bytes.
        let found = index
            + match quoted {
                false => memchr::memchr3(b'{', b'}', b'\n', rest)?,
                true => memchr::memchr3(b'"', b'{', b'}', rest)?,
            };
        if quoted && starts_a_line_with_at(&bytes[index..found], &bytes[index..]) {
            return None;
        }
        match bytes[found] {
            // `\"` is a quote inside the value, `\\"` a backslash pair and
            // the end: the backslashes before the quote pair up. (The
            // opening quote stops the count.)
            b'"' if bytes[..found]
                .iter()
                .rev()
                .take_while(|&&b| b == b'\\')
                .count()
                % 2
                == 1 => {}
            b'"' if depth == 0 => return Some(found),
            b'"' => {}
            b'}' if depth == 0 => return (!quoted).then_some(found),
            b'}' => depth -= 1,
            b'{' => depth += 1,
            _ => {
                // A line end in braces.
                let next = found + 1;
                if bytes.get(next + line_blanks(&bytes[next..])) == Some(&b'@') {
                    return None;
                }
            }
        }
        index = found + 1;
    }
}

/// Whether a line end in `part` (the start of `text`) is followed by a
/// line whose first non-blank byte is `@`.
fn starts_a_line_with_at(part: &[u8], text: &[u8]) -> bool {
    memchr::memchr_iter(b'\n', part).any(|at| {
        let next = at + 1;
        text.get(next + line_blanks(&text[next..])) == Some(&b'@')
    })
}

/// True when `text` at `at` reads `@name{` or `@name(`: the start of an
/// entry, which a value's braces cannot sensibly span.
fn starts_entry(text: &str, at: usize) -> bool {
    let Some(rest) = text[at..].strip_prefix('@') else {
        return false;
    };
    let Ok((rest, _)) = identifier(rest) else {
        return false;
    };
    rest.trim_start().starts_with(['{', '('])
}

/// Entry types, field and `@string` names: BibTeX allows most printable
/// characters; these are the ones real files use.
fn identifier(input: &str) -> IResult<&str, &str> {
    // Nearly all names are ASCII: a table answers for each byte.
    let ascii = identifier_end(input.as_bytes(), 0).unwrap_or(0);
    match input.as_bytes().get(ascii) {
        Some(byte) if !byte.is_ascii() => take_while1(is_identifier_char).parse(input),
        _ if ascii == 0 => take_while1(is_identifier_char).parse(input),
        _ => Ok((&input[ascii..], &input[..ascii])),
    }
}

fn is_identifier_char(c: char) -> bool {
    match c {
        'a'..='z' | 'A'..='Z' | '0'..='9' => true,
        '_' | '-' | ':' | '.' | '+' | '/' | '\'' | '!' | '?' | '*' | '&' | ';' | '<' | '>'
        | '[' | ']' => true,
        c => !c.is_ascii() && c.is_alphanumeric(),
    }
}

/// White space for each byte (ASCII's; other white space is read as
/// characters).
const BLANK_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    table[b' ' as usize] = true;
    table[b'\t' as usize] = true;
    table[b'\n' as usize] = true;
    table[b'\r' as usize] = true;
    table[0x0c] = true;
    table
};

/// [`is_identifier_char`] for each ASCII byte.
const IDENTIFIER_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 128 {
        table[byte] = matches!(
            byte as u8,
            b'a'..=b'z'
                | b'A'..=b'Z'
                | b'0'..=b'9'
                | b'_'
                | b'-'
                | b':'
                | b'.'
                | b'+'
                | b'/'
                | b'\''
                | b'!'
                | b'?'
                | b'*'
                | b'&'
                | b';'
                | b'<'
                | b'>'
                | b'['
                | b']'
        );
        byte += 1;
    }
    table
};

/// Where the delimiter that closes one already open is, one past it, in
/// `bytes`; `None` if it never closes.
fn matching(bytes: &[u8], open: u8, close: u8) -> Option<usize> {
    let mut depth = 1usize;
    for (index, &byte) in bytes.iter().enumerate() {
        if byte == open {
            depth += 1;
        } else if byte == close {
            depth -= 1;
            if depth == 0 {
                return Some(index + 1);
            }
        }
    }
    None
}

/// The braces from an `@comment{` that never closed to the end of the
/// text, kept so that each later `@comment{` is known to close or not
/// without a scan to the end of its own: a file of many that never close
/// would otherwise take a time that grows with its square.
///
/// A later comment opened where this scan was at depth `d` closes if the
/// scan comes down to `d - 1` after it. `lows` has, for the positions
/// where the depth is lower than anywhere after them, the position and
/// the depth: the lowest depth from any position on is that of the first
/// of them at or after it.
#[derive(Debug)]
struct OpenComments {
    lows: Vec<(usize, isize)>,
    /// How far the depth of the scan has been counted, and to what.
    counted: usize,
    depth: isize,
}

impl OpenComments {
    /// Scans `bytes` from `from`, just past a `{` that never closes.
    fn scan(bytes: &[u8], from: usize) -> OpenComments {
        let mut lows = vec![(from, 1)];
        let mut depth = 1;
        for at in memchr::memchr2_iter(b'{', b'}', &bytes[from..]) {
            match bytes[from + at] {
                b'{' => depth += 1,
                _ => {
                    depth -= 1;
                    while lows.last().is_some_and(|&(_, low)| low >= depth) {
                        lows.pop();
                    }
                    lows.push((from + at + 1, depth));
                }
            }
        }
        OpenComments {
            lows,
            counted: from,
            depth: 1,
        }
    }

    /// Whether a comment opened just before `from` (later than the first
    /// one, and than any asked about before) closes.
    fn closes(&mut self, bytes: &[u8], from: usize) -> bool {
        if from < self.counted {
            // Not asked in order: a scan tells.
            return matching(&bytes[from..], b'{', b'}').is_some();
        }
        for at in memchr::memchr2_iter(b'{', b'}', &bytes[self.counted..from]) {
            self.depth += match bytes[self.counted + at] {
                b'{' => 1,
                _ => -1,
            };
        }
        self.counted = from;
        let first_after = self.lows.partition_point(|&(at, _)| at < from);
        match self.lows.get(first_after) {
            Some(&(_, lowest)) => lowest < self.depth,
            // No brace after it: it stays open.
            None => false,
        }
    }
}

struct Scanner<'a> {
    text: &'a str,
    pos: usize,
    /// Whether the block being read is an entry.
    in_entry: bool,
    /// Whether the last `@comment` read never closed.
    comment_unclosed: bool,
    /// What the first `@comment{` that never closed found on its way to
    /// the end of the text.
    open_comments: Option<OpenComments>,
    fields: Fields,
    /// Whether entries' fields are first tried in their common form.
    common: bool,
}

type Result<T> = std::result::Result<T, SyntaxError>;

impl<'a> Scanner<'a> {
    fn rest(&self) -> &'a str {
        &self.text[self.pos..]
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    fn error(&self, offset: usize, message: impl Into<String>, key: Option<&str>) -> SyntaxError {
        SyntaxError {
            offset,
            lost: match self.in_entry {
                true => Lost::Entry,
                false => Lost::Definition,
            },
            message: message.into(),
            key: key.map(str::to_owned),
        }
    }

    /// Skips white space (no-break spaces too, which pasted files carry)
    /// and `%` comments (to the end of their line).
    // Called several times a field, mostly to skip one space: a call costs
    // more than the work.
    #[inline(always)]
    fn skip_blank(&mut self) {
        let bytes = self.text.as_bytes();
        let mut pos = self.pos;
        loop {
            while pos < bytes.len() && BLANK_BYTES[usize::from(bytes[pos])] {
                pos += 1;
            }
            match bytes.get(pos) {
                Some(b'%') => {
                    pos = memchr::memchr(b'\n', &bytes[pos..]).map_or(bytes.len(), |n| pos + n + 1)
                }
                Some(0x80..) => match self.text[pos..].chars().next() {
                    Some(c) if c.is_whitespace() => pos += c.len_utf8(),
                    _ => break,
                },
                _ => break,
            }
        }
        self.pos = pos;
    }

    /// Consumes `parsed`'s output, returning it.
    fn take<T>(&mut self, parsed: IResult<&'a str, T>) -> Option<T> {
        let (rest, value) = parsed.ok()?;
        self.pos = self.text.len() - rest.len();
        Some(value)
    }

    /// One block at an `@`; `None` when the `@` starts none.
    fn block(&mut self) -> Result<Option<Block<'a>>> {
        let start = self.pos;
        self.pos += 1;
        self.skip_blank();
        let Some(kind) = self.take(identifier(self.rest())) else {
            return Ok(None);
        };
        self.skip_blank();
        let close = match self.peek() {
            Some(b'{') => b'}',
            Some(b'(') => b')',
            _ => return Ok(None),
        };
        self.pos += 1;
        let special = ["comment", "preamble", "string"];
        self.in_entry = !special.iter().any(|name| kind.eq_ignore_ascii_case(name));
        let block = if kind.eq_ignore_ascii_case("comment") {
            self.skip_comment(start, close)?;
            Block::Comment
        } else if kind.eq_ignore_ascii_case("preamble") {
            self.skip_blank();
            let value = self.value(None, true)?;
            self.close(close, None, "the @preamble's value")?;
            Block::Preamble(value)
        } else if kind.eq_ignore_ascii_case("string") {
            Block::String(self.string_definition(close)?)
        } else {
            Block::Entry(self.entry(kind, start, close)?)
        };
        Ok(Some(block))
    }

    /// `@comment{…}`: everything up to the matching closing delimiter. One
    /// that never closes is taken, as BibTeX does, to end where the next
    /// entry starts.
    fn skip_comment(&mut self, start: usize, close: u8) -> Result<()> {
        let open = if close == b'}' { b'{' } else { b'(' };
        self.comment_unclosed = false;
        let closes = match (&mut self.open_comments, open) {
            (Some(before), b'{') => before.closes(self.text.as_bytes(), self.pos),
            _ => true,
        };
        if closes {
            if let Some(end) = matching(&self.text.as_bytes()[self.pos..], open, close) {
                self.pos += end;
                return Ok(());
            }
            if open == b'{' {
                self.open_comments = Some(OpenComments::scan(self.text.as_bytes(), self.pos));
            }
        }
        self.comment_unclosed = true;
        self.pos = next_entry_line(self.text, start + 1);
        Ok(())
    }

    fn string_definition(&mut self, close: u8) -> Result<StringDefinition<'a>> {
        self.skip_blank();
        let offset = self.pos;
        let name = self
            .take(identifier(self.rest()))
            .ok_or_else(|| self.error(self.pos, "expected the @string's name", None))?;
        self.skip_blank();
        self.expect(
            b'=',
            || format!("expected `=` after the @string name `{name}`"),
            None,
        )?;
        self.skip_blank();
        let value = self.value(None, true)?;
        self.skip_blank();
        if self.peek() == Some(b',') {
            self.pos += 1;
        }
        self.close(close, None, "the @string's value")?;
        Ok(StringDefinition {
            name,
            value,
            offset,
        })
    }

    fn expect(&mut self, byte: u8, message: impl Fn() -> String, key: Option<&str>) -> Result<()> {
        if self.peek() == Some(byte) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.error(self.pos, message(), key))
        }
    }

    fn close(&mut self, close: u8, key: Option<&str>, after: &str) -> Result<()> {
        self.skip_blank();
        if self.closes(close) {
            self.pos += 1;
            return Ok(());
        }
        let message = format!("expected `{}` after {after}", close as char);
        Err(self.error(self.pos, message, key))
    }

    /// The block's closing delimiter, or the other kind: `@book{a, …)`
    /// is a typo BibTeX users make, and nothing else can be meant.
    fn closes(&self, close: u8) -> bool {
        matches!(self.peek(), Some(byte) if byte == close || byte == b'}' || byte == b')')
    }

    fn entry(&mut self, kind: &'a str, start: usize, close: u8) -> Result<Entry<'a>> {
        self.skip_blank();
        // `@misc{` left open before the next entry: that entry is no key.
        if starts_entry(self.text, self.pos) {
            let message = "expected the entry's key, found the start of another entry";
            return Err(self.error(self.pos, message, None));
        }
        let key_length = self
            .rest()
            .find(|c: char| c == ',' || c.is_whitespace() || c == '}' || c == close as char)
            .unwrap_or(self.rest().len());
        let key = &self.rest()[..key_length];
        self.pos += key_length;
        let mut entry = Entry {
            kind,
            key,
            // Room for a typical entry's fields: growing is what costs.
            fields: Vec::with_capacity(match self.fields {
                Fields::Kept => 16,
                Fields::Skipped | Fields::Authors => 0,
            }),
            offset: start,
        };
        let mut last_name;
        self.skip_blank();
        match self.peek() {
            Some(b',') => self.pos += 1,
            _ if self.closes(close) => {
                self.pos += 1;
                return Ok(entry);
            }
            _ => {
                let message = format!("expected `,` after the key `{key}`");
                return Err(self.error(self.pos, message, Some(key)));
            }
        }
        if self.common && self.common_fields(&mut entry.fields).is_some() {
            return Ok(entry);
        }
        entry.fields.clear();
        loop {
            self.skip_blank();
            match self.peek() {
                _ if self.closes(close) => {
                    self.pos += 1;
                    return Ok(entry);
                }
                // Leniency: a run of commas between fields.
                Some(b',') => {
                    self.pos += 1;
                    continue;
                }
                _ => {}
            }
            let field = self.field(key, close)?;
            last_name = field.name;
            if self.fields.keep(field.name) {
                entry.fields.push(field);
            }
            // A missing comma is reported right after the value, not at
            // whatever follows it lines later.
            let after_value = self.pos;
            self.skip_blank();
            match self.peek() {
                Some(b',') => self.pos += 1,
                _ if self.closes(close) => {
                    self.pos += 1;
                    return Ok(entry);
                }
                _ => {
                    let name = last_name;
                    let message = format!(
                        "expected `,` or `{}` after the value of `{name}`",
                        close as char
                    );
                    return Err(self.error(after_value, message, Some(key)));
                }
            }
        }
    }

    /// An entry's fields in the form nearly every file has them, read in
    /// one tight loop up to and past the entry's closing delimiter. `None`,
    /// with nothing consumed, at anything else: a `%` comment, a character
    /// beyond ASCII outside a value, a line inside a value that starts
    /// with `@`, or any mistake. The general reading in [`Self::entry`]
    /// takes those, and reports the mistakes; what this accepts it reads
    /// just as that would.
    fn common_fields(&mut self, fields: &mut Vec<Field<'a>>) -> Option<()> {
        let bytes = self.text.as_bytes();
        let mut pos = self.pos;
        loop {
            pos = plain_blanks_end(bytes, pos);
            match *bytes.get(pos)? {
                b'}' | b')' => break,
                b',' => {
                    pos += 1;
                    continue;
                }
                _ => {}
            }
            let offset = pos;
            let name_end = identifier_end(bytes, pos)?;
            let kept = self.fields.keep(&self.text[offset..name_end]);
            pos = plain_blanks_end(bytes, name_end);
            if bytes.get(pos) != Some(&b'=') {
                return None;
            }
            let mut value = Value::default();
            loop {
                pos = plain_blanks_end(bytes, pos + 1);
                let (piece, end) = self.common_piece(pos)?;
                if kept {
                    value.pieces.push(piece);
                }
                pos = plain_blanks_end(bytes, end);
                if bytes.get(pos) != Some(&b'#') {
                    break;
                }
            }
            if kept {
                let name = &self.text[offset..name_end];
                fields.push(Field {
                    name,
                    value,
                    offset,
                });
            }
            match *bytes.get(pos)? {
                b',' => pos += 1,
                b'}' | b')' => break,
                _ => return None,
            }
        }
        self.pos = pos + 1;
        Some(())
    }

    /// One piece of a value at `pos` for [`Self::common_fields`], and
    /// where it ends.
    fn common_piece(&self, pos: usize) -> Option<(Piece<'a>, usize)> {
        let bytes = self.text.as_bytes();
        let end = match *bytes.get(pos)? {
            b'{' | b'"' => {
                let close = common_delimited_end(bytes, pos)?;
                return Some((Piece::Text(&self.text[pos + 1..close]), close + 1));
            }
            b'0'..=b'9' => {
                pos + bytes[pos..]
                    .iter()
                    .take_while(|b| b.is_ascii_digit())
                    .count()
            }
            _ => {
                let end = identifier_end(bytes, pos)?;
                let name = &self.text[pos..end];
                return Some((Piece::Macro { name, offset: pos }, end));
            }
        };
        Some((Piece::Text(&self.text[pos..end]), end))
    }

    fn field(&mut self, key: &str, close: u8) -> Result<Field<'a>> {
        let offset = self.pos;
        let Some(name) = self.take(identifier(self.rest())) else {
            let message = if self.pos >= self.text.len() {
                format!("the entry is never closed: expected `{}`", close as char)
            } else {
                format!("expected a field name or `{}`", close as char)
            };
            return Err(self.error(self.pos, message, Some(key)));
        };
        self.skip_blank();
        self.expect(
            b'=',
            || format!("expected `=` after the field name `{name}`"),
            Some(key),
        )?;
        self.skip_blank();
        let value = self.value(Some(key), self.fields.keep(name))?;
        Ok(Field {
            name,
            value,
            offset,
        })
    }

    /// Pieces joined by `#`, kept or only read past.
    fn value(&mut self, key: Option<&str>, kept: bool) -> Result<Value<'a>> {
        let mut value = Value::default();
        loop {
            let piece = self.piece(key)?;
            if kept {
                value.pieces.push(piece);
            }
            let after_piece = self.pos;
            self.skip_blank();
            if self.peek() != Some(b'#') {
                self.pos = after_piece;
                return Ok(value);
            }
            self.pos += 1;
            self.skip_blank();
        }
    }

    fn piece(&mut self, key: Option<&str>) -> Result<Piece<'a>> {
        let start = self.pos;
        match self.peek() {
            Some(b'{') => self.delimited(b'}', key).map(Piece::Text),
            Some(b'"') => self.delimited(b'"', key).map(Piece::Text),
            _ => {
                let digits: IResult<&str, &str> = digit1(self.rest());
                if let Some(number) = self.take(digits) {
                    return Ok(Piece::Text(number));
                }
                match self.take(identifier(self.rest())) {
                    Some(name) => Ok(Piece::Macro {
                        name,
                        offset: start,
                    }),
                    None => Err(self.error(
                        start,
                        "expected a value: `{…}`, `\"…\"`, a number or a @string name",
                        key,
                    )),
                }
            }
        }
    }

    /// The text between an opening `{` or `"` and its closing partner,
    /// with braces balanced inside. A value may not run into the next
    /// entry: a line starting with `@name{` inside it means a brace was
    /// never closed.
    fn delimited(&mut self, close: u8, key: Option<&str>) -> Result<&'a str> {
        let open_at = self.pos;
        let bytes = self.text.as_bytes();
        let mut depth = 0usize;
        let mut index = open_at + 1;
        loop {
            // Straight to the next byte that matters: most of a value is text.
            let rest = &bytes[index..];
            index += match close {
                b'}' => memchr::memchr3(b'{', b'}', b'\n', rest),
                _ => rest
                    .iter()
                    .position(|b| matches!(b, b'{' | b'}' | b'\n' | b'"' | b'\\')),
            }
            .unwrap_or(rest.len());
            let Some(&byte) = bytes.get(index) else {
                break;
            };
            match byte {
                // `\"o` is read as the umlaut its writer meant rather than
                // the end of the value, but `\\"` is a backslash pair and
                // then the closing quote, as BibTeX reads it.
                b'\\' if close == b'"' && matches!(bytes.get(index + 1), Some(b'"' | b'\\')) => {
                    index += 1
                }
                b'"' if close == b'"' && depth == 0 => break,
                b'{' => depth += 1,
                b'}' if depth == 0 => {
                    if close == b'}' {
                        break;
                    }
                    let message = "a `}` closes a brace that was never opened in this quoted value";
                    return Err(self.error(index, message, key));
                }
                b'}' => depth -= 1,
                b'\n' => {
                    let next = index + 1;
                    if starts_entry(self.text, next + line_blanks(&bytes[next..])) {
                        let message = format!(
                            "the value opened here is not closed before the next entry (unbalanced braces or a missing `{}`)",
                            close as char
                        );
                        return Err(self.error(open_at, message, key));
                    }
                }
                _ => {}
            }
            index += 1;
        }
        if index >= bytes.len() {
            let message = format!(
                "the value opened here is never closed: expected `{}`",
                close as char
            );
            return Err(self.error(open_at, message, key));
        }
        self.pos = index + 1;
        Ok(&self.text[open_at + 1..index])
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn entries<'a, 't>(syntax: &'a Syntax<'t>) -> Vec<&'a Entry<'t>> {
        syntax
            .blocks
            .iter()
            .filter_map(|block| match block {
                Block::Entry(entry) => Some(entry),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn identifier_table_agrees_with_the_rule() {
        for byte in 0u8..128 {
            let c = char::from(byte);
            assert_eq!(
                IDENTIFIER_BYTES[usize::from(byte)],
                is_identifier_char(c),
                "{c:?}"
            );
        }
        assert_eq!(identifier("größe = 1"), Ok((" = 1", "größe")));
        assert_eq!(identifier("ab€ = 1"), Ok(("€ = 1", "ab")));
        assert!(identifier(" x").is_err());
    }

    #[test]
    fn braces_parentheses_and_any_case() {
        let syntax =
            parse("@ARTICLE{a, title = {T}}\n@misc(b, title = \"Q {\"} x\", year = 2020,)\n");
        assert!(syntax.errors.is_empty(), "{:?}", syntax.errors);
        let found = entries(&syntax);
        assert_eq!(found.len(), 2);
        assert_eq!((found[0].kind, found[0].key), ("ARTICLE", "a"));
        assert_eq!(
            found[1].fields[0].value.pieces[..],
            [Piece::Text("Q {\"} x")]
        );
        assert_eq!(found[1].fields[1].value.pieces[..], [Piece::Text("2020")]);
    }

    #[test]
    fn backslashes_before_a_closing_quote_pair_up_as_bibtex_reads_them() {
        // `\"` is an umlaut; `\\"` is a backslash pair and the end; every
        // brace counts, escaped or not.
        let text = r#"@misc{a, umlaut = "M\"uller", slashes = "\\\{\vphantom{\}}\\{"}\\\%\\", b = "x\\\"y"}"#;
        let syntax = parse(text);
        assert!(syntax.errors.is_empty(), "{:?}", syntax.errors);
        let found = entries(&syntax);
        let values: Vec<&Piece> = found[0].fields.iter().map(|f| &f.value.pieces[0]).collect();
        assert_eq!(
            values,
            [
                &Piece::Text(r#"M\"uller"#),
                &Piece::Text(r#"\\\{\vphantom{\}}\\{"}\\\%\\"#),
                &Piece::Text(r#"x\\\"y"#),
            ]
        );
    }

    #[test]
    fn strings_concatenation_preamble_and_comments() {
        let text = r#"junk text, mail me@example.org
@String{ACM = "Assoc." # " Comp."}
@preamble{ "\newcommand{\noop}[1]{}" }
@comment{ old {stuff} @misc{ghost, title={G}} }
@misc{k, publisher = acm # { Press}, % a comment, with {braces
  month = jan}"#;
        let syntax = parse(text);
        assert!(syntax.errors.is_empty(), "{:?}", syntax.errors);
        assert_eq!(syntax.blocks.len(), 4);
        assert!(
            matches!(&syntax.blocks[0], Block::String(s) if s.name == "ACM" && s.value.pieces.len() == 2)
        );
        assert!(matches!(syntax.blocks[2], Block::Comment));
        let found = entries(&syntax);
        assert_eq!(found.len(), 1, "the ghost inside the comment is no entry");
        assert_eq!(
            found[0].fields[0].value.pieces[..],
            [
                Piece::Macro {
                    name: "acm",
                    offset: text.find("acm #").unwrap()
                },
                Piece::Text(" Press")
            ]
        );
        assert_eq!(found[0].fields[1].name, "month");
    }

    #[test]
    fn a_broken_entry_costs_only_itself() {
        let text =
            "@misc{a, title = {A}}\n@misc{b, title = {B} year = {2020}}\n@misc{c, title = {C}}\n";
        let syntax = parse(text);
        let keys: Vec<&str> = entries(&syntax).iter().map(|e| e.key).collect();
        assert_eq!(keys, ["a", "c"]);
        assert_eq!(syntax.errors.len(), 1);
        let error = &syntax.errors[0];
        assert_eq!(error.offset, text.find(" year").unwrap());
        assert_eq!(error.key.as_deref(), Some("b"));
        assert!(
            error.message.contains("after the value of `title`"),
            "{}",
            error.message
        );
    }

    #[test]
    fn what_a_broken_entry_passes_over_on_its_line_is_each_reported() {
        // Whatever separates the entries, whatever the keys are.
        for (gap, end) in [(" ", "\n"), ("\r", "\r\n"), ("\t ", "\n"), ("", "\r\n")] {
            for (good, other) in [("d", "Ödön:2020"), ("x-1", "y_2")] {
                let text = format!(
                    "@misc{{a, title = {{A}}}}{gap}@misc{{b c, title = {{B}}}}{gap}\
                     @misc{{{good}, note = {{x@y.org (z)}}}}{gap}@string{{s = \"S\"}}{gap}\
                     @comment{{q}}{gap}@book{{{other}, title = {{O}}}}{gap}@misc{{broken{end}\
                     % commented out: @misc{{gone, title = {{G}}}}{end}\
                     @misc{{e, title = {{E}}}}{end}"
                );
                let syntax = parse(&text);
                let keys: Vec<&str> = entries(&syntax).iter().map(|e| e.key).collect();
                assert_eq!(keys, ["a", "e"], "{text:?}");
                let errors: Vec<(Lost, Option<&str>, usize)> = (syntax.errors.iter())
                    .map(|error| (error.lost, error.key.as_deref(), error.offset))
                    .collect();
                let at = |what: &str| text.find(what).unwrap_or_default();
                let expected = [
                    (Lost::Entry, Some("b"), at(" c,") + 1),
                    (
                        Lost::PassedOverEntry,
                        Some(good),
                        at(&format!("@misc{{{good},")),
                    ),
                    (Lost::PassedOverDefinition, None, at("@string")),
                    (Lost::PassedOverEntry, Some(other), at("@book")),
                    (Lost::PassedOverEntry, Some("broken"), at("@misc{broken")),
                ];
                assert_eq!(errors, expected, "{text:?}");
                assert!(syntax.errors[1].message.contains(&format!("`{good}`")));
            }
        }
    }

    #[test]
    fn an_unclosed_brace_stops_at_the_next_entry() {
        let text = "@misc{a, title = {Unclosed, year = 2020}\n\n@misc{b, title = {B}}\n";
        let syntax = parse(text);
        let keys: Vec<&str> = entries(&syntax).iter().map(|e| e.key).collect();
        assert_eq!(keys, ["b"]);
        assert_eq!(syntax.errors[0].offset, text.find("\n\n@misc{b").unwrap());
    }

    #[test]
    fn a_line_starting_an_entry_after_a_carriage_return_ends_a_value() {
        // Where windows are cut, where recovery resumes and where a value
        // that runs on is stopped: one rule for the blanks before the `@`.
        for close in ['"', '}'] {
            let open = if close == '"' { '"' } else { '{' };
            let text = format!("@misc{{a, title = {open}A\n\r@misc{{b, title = {{B}}}}\n");
            let syntax = parse(&text);
            let keys: Vec<&str> = entries(&syntax).iter().map(|e| e.key).collect();
            assert_eq!(keys, ["b"]);
            assert!(
                syntax.errors[0]
                    .message
                    .contains("not closed before the next entry"),
                "{:?}",
                syntax.errors
            );
            assert_eq!(last_entry_line(&text), text.find("@misc{b"));
        }
    }

    #[test]
    fn an_unclosed_entry_at_the_end_is_reported() {
        let syntax = parse("@misc{a, title = {A},\n");
        assert_eq!(syntax.errors.len(), 1);
        assert!(
            syntax.errors[0].message.contains("never closed"),
            "{:?}",
            syntax.errors
        );
    }

    proptest::proptest! {
        /// Whether a comment opened at each `{` after the first that never
        /// closes closes, as a scan to its end finds.
        #[test]
        fn later_comments_close_as_a_scan_finds(
            text in "[{}x]{0,60}",
        ) {
            let bytes = format!("{{{{{text}").into_bytes();
            if matching(&bytes[1..], b'{', b'}').is_some() {
                return Ok(());
            }
            let mut open = OpenComments::scan(&bytes, 1);
            for at in (1..bytes.len()).filter(|&at| bytes[at] == b'{') {
                proptest::prop_assert_eq!(
                    open.closes(&bytes, at + 1),
                    matching(&bytes[at + 1..], b'{', b'}').is_some(),
                    "{{ at {}", at
                );
            }
        }
    }

    proptest::proptest! {
        /// Asked in order, whether each `@` is commented out is what
        /// reading its line back to its start finds: a `%` before it on
        /// the line, not after a backslash.
        #[test]
        fn comments_read_on_are_as_read_from_the_line_start(
            text in "[@%\\\\\n\rx]{0,40}",
        ) {
            let mut comments = LineComments::default();
            for at in text.match_indices('@').map(|(at, _)| at) {
                let line_start = text[..at].rfind(['\n', '\r']).map_or(0, |i| i + 1);
                let before = &text.as_bytes()[line_start..at];
                let plainly = before
                    .iter()
                    .enumerate()
                    .any(|(i, &b)| b == b'%' && (i == 0 || before[i - 1] != b'\\'));
                proptest::prop_assert_eq!(comments.commented_out(&text, at), plainly, "@ at {}", at);
            }
        }
    }

    #[test]
    fn many_comments_that_never_close_each_end_at_the_next_entry() {
        let copy = "@comment{open {\n@misc{k, title = {T}}\n@comment{closed}\n";
        let text = copy.repeat(200);
        let found = parse(&text);
        let entries = found
            .blocks
            .iter()
            .filter(|block| matches!(block, Block::Entry(_)))
            .count();
        assert_eq!(entries, 200);
    }

    #[test]
    fn commented_out_entries_and_unclosed_comments() {
        let text =
            "%@misc{gone, title = {G}}\n@comment{never closed, x = {\n\n@misc{kept, title = {K}}\n";
        let syntax = parse(text);
        let keys: Vec<&str> = entries(&syntax).iter().map(|e| e.key).collect();
        assert_eq!(keys, ["kept"]);
        assert!(syntax.errors.is_empty(), "{:?}", syntax.errors);
        let escaped = parse("@misc{a, note = {50\\%@misc{b, title={B}}}}");
        assert_eq!(entries(&escaped).len(), 1);
    }

    #[test]
    fn a_percent_sign_inside_an_entry_comments_out_nothing_after_it() {
        // A `%` in a value is text: the entries after it on its line are
        // read, but one after a `%` between entries, or a `%` line.
        let cases = [
            (
                "@misc{a, url = {http://x.org/a%20b}} @misc{b, title = {B}}",
                "a b",
            ),
            (
                "@misc{a, note = {50%}}\r@misc{b} @comment{99%} @book{c,}",
                "a b c",
            ),
            (
                "@misc{a, note = \"%\"} % a comment @misc{gone,}\n@misc{b,}",
                "a b",
            ),
            (
                "@misc{a, x = {%}}\n%@misc{gone,} @misc{gone,}\n  @misc{b,}",
                "a b",
            ),
            ("@string{s = \"%\"} @preamble{\"%\"} @misc{a,}", "a"),
        ];
        for (text, expected) in cases {
            let syntax = parse(text);
            let keys: Vec<&str> = entries(&syntax).iter().map(|e| e.key).collect();
            assert_eq!(keys.join(" "), expected, "{text:?}");
        }
    }

    #[test]
    fn no_break_spaces_are_blank() {
        let syntax = parse("@misc{a,\n\u{a0}\u{a0}title\u{a0}=\u{a0}{T}}");
        assert!(syntax.errors.is_empty(), "{:?}", syntax.errors);
        assert_eq!(entries(&syntax)[0].fields[0].name, "title");
    }

    #[test]
    fn hostile_inputs_end() {
        let braces = format!("@misc{{a, title = {}}}", "{".repeat(100_000));
        assert_eq!(parse(&braces).errors.len(), 1);
        let _ = parse(&"@".repeat(10_000));
        let _ = parse("@misc{");
        let _ = parse("@misc{k, t = \"");
        let _ = parse("@misc{k, t = {é\n@x{");
    }

    /// The fast reading of common fields and the general one agree on
    /// `text`, with fields kept, skipped or author lists alone, read whole
    /// or cut where a window would be.
    fn assert_common_reading_agrees(text: &str) {
        for fields in [Fields::Kept, Fields::Skipped, Fields::Authors] {
            let mut limits = vec![(text.len(), true)];
            limits.extend(last_entry_line(text).map(|limit| (limit, false)));
            for (limit, at_end) in limits {
                let (fast, fast_resume) = scan(text, 0, limit, at_end, fields, true);
                let (general, resume) = scan(text, 0, limit, at_end, fields, false);
                assert_eq!(fast.blocks, general.blocks, "{text:?}");
                assert_eq!(fast.errors, general.errors, "{text:?}");
                assert_eq!(fast_resume, resume, "{text:?}");
                // Author lists alone: the entries read in full, less their
                // other fields.
                if fields == Fields::Authors {
                    let (mut kept, _) = scan(text, 0, limit, at_end, Fields::Kept, true);
                    for block in &mut kept.blocks {
                        if let Block::Entry(entry) = block {
                            entry
                                .fields
                                .retain(|field| field.name.eq_ignore_ascii_case("author"));
                        }
                    }
                    assert_eq!(kept.blocks, fast.blocks, "{text:?}");
                }
                // The second pass takes the same entries one at a time.
                if fields == Fields::Kept {
                    let entries = fast.blocks.into_iter().filter_map(|block| match block {
                        Block::Entry(entry) => Some(entry),
                        _ => None,
                    });
                    let one_at_a_time: Vec<_> = entries_of_part(text, 0, limit, at_end).collect();
                    assert_eq!(one_at_a_time, entries.collect::<Vec<_>>(), "{text:?}");
                }
            }
        }
    }

    #[test]
    fn common_fields_read_as_the_general_reading_does() {
        let cases = [
            "@misc{a, title = {T}, year = 2020, month = jan # {~1}, note = \"q {\\\"} x\"}",
            "@misc(a,title={T},,year=\"2020\",)",
            "@misc{a,\n  title = {T} % a comment\n}",
            "@misc{a, title = {é}, über = {x}, titleé = {y}, t = jané}",
            "@misc{a, title = {T}\n  year = 2020}",
            "@misc{a, title = {T\n@misc{b, title = {B}}",
            "@misc{a, title = {T\n  @ home}}",
            "@misc{a, title = {T\n@misc{b, title = B}}}\n",
            "@misc{a, title = \"T\n\r @misc(b, title = B)\"}\n",
            "@misc{a, title = \"T } x\"}",
            "@misc{a, t = \"x}, u = \"y\"}",
            "@misc{a, title = \"T\n  x {y\n} \\\" z\", year = \"2020\"}",
            "@misc{a, title = \"T\n\\\"\n@ x\"}",
            "@misc{a, title = 2020a}",
            "@misc{a, title = {T}",
            "@misc{a, title {T}}",
            "@misc{a, = {T}}",
            "@misc{a, title = }",
            "@misc{a, title = {T} # }",
            "@misc{a, title = {T} #\n venue}",
            "@misc{a, title = {T}\u{a0}}",
            "@misc{a, title = {T})",
            "@misc{a,}",
            "@misc{a, title = \"x\\\"}",
            "@misc{a, title = {x}}} trailing",
            "@misc{a, 1title = {x}}",
            "@misc{a, title = 12.5}",
        ];
        for case in cases {
            assert_common_reading_agrees(case);
        }
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        for dir in ["fixtures", "../shared/corpus"] {
            collect_bib_files(&root.join(dir), &mut files);
        }
        assert!(!files.is_empty(), "the fixtures hold .bib files");
        for file in files {
            if let Ok(text) = std::fs::read_to_string(&file) {
                assert_common_reading_agrees(&text);
            }
        }
    }

    /// Every `.bib` file under `dir`, if it exists.
    pub(crate) fn collect_bib_files(dir: &std::path::Path, files: &mut Vec<std::path::PathBuf>) {
        collect_files(dir, "bib", files);
    }

    /// Every file named `*.{extension}` under `dir`, if it exists.
    pub(crate) fn collect_files(
        dir: &std::path::Path,
        extension: &str,
        files: &mut Vec<std::path::PathBuf>,
    ) {
        let Ok(read) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in read.flatten() {
            let path = entry.path();
            if path.is_dir() {
                collect_files(&path, extension, files);
            } else if path.extension().is_some_and(|e| e == extension) {
                files.push(path);
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(3000))]
        #[test]
        fn common_fields_agree_on_any_text(
            pieces in proptest::collection::vec(
                proptest::sample::select(&[
                    "@misc{k,", "@misc(k,", " ", "\n", "\r\n", "\n  ", "\t", "title", "=", "{",
                    "}", "(", ")", "\"", "\\\"", ",", "#", "%", "2020", "jan", "é", "\u{a0}",
                    "x y", "@", "\n@misc{", "\n @b{", "\\", "author", "Author",
                ][..]),
                0..40,
            )
        ) {
            assert_common_reading_agrees(&pieces.concat());
        }
    }
}
