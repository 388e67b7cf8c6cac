//! Quotation marks inside titles and other text, spelled as CSL
//! processors spell them.
//!
//! A title may quote something (`"Quick Start"`, `'Little'`). CSL
//! processors print such quotes with the locale's marks, outer ones where
//! the text is not inside quotes and inner ones where the style quotes the
//! title: `“Zotero … ‘Quick Start’ Guide.”` in chicago-author-date,
//! `Zotero … “Quick Start” Guide.` in apa. hayagriva prints the text as
//! written. So the quotes of a text are marked as it becomes hayagriva's
//! ([`mark`]), and the marks spelled once the item is rendered and the
//! style's own quotes can be seen ([`Quotes::spell`]).

use hayagriva::citationberg::taxonomy::{OtherTerm, Term};
use hayagriva::citationberg::{IndependentStyle, Locale, TermForm};
use hayagriva::types::ChunkedString;

use crate::write::cv::Piece;

/// Stands for a quotation mark that opens a quote inside the text: a
/// quotation mark itself, so that hayagriva's title case looks through it
/// to the word it opens, and one titles hardly use.
const OPEN: char = '‹';
/// Stands for the quotation mark that closes it.
const CLOSE: char = '›';

/// The locale's quotation marks.
#[derive(Debug, Clone)]
pub(super) struct Quotes {
    open: String,
    close: String,
    open_inner: String,
    close_inner: String,
}

impl Quotes {
    /// The marks of the locale `tag` as the style reads it.
    pub(super) fn of(style: &IndependentStyle, bundled: &[Locale], tag: &str) -> Quotes {
        let term = |term: OtherTerm, default: &str| {
            super::from_locales(style, bundled, tag, |locale| {
                locale
                    .term(Term::Other(term), TermForm::default())?
                    .single()
                    .map(str::to_owned)
            })
            .unwrap_or_else(|| default.to_owned())
        };
        Quotes {
            open: term(OtherTerm::OpenQuote, "“"),
            close: term(OtherTerm::CloseQuote, "”"),
            open_inner: term(OtherTerm::OpenInnerQuote, "‘"),
            close_inner: term(OtherTerm::CloseInnerQuote, "’"),
        }
    }

    /// The marked quotes of rendered pieces as outer or inner marks, by
    /// how deep they sit in the quotes the style printed around them.
    pub(super) fn spell(&self, pieces: &mut [Piece]) {
        self.spell_in(pieces, &mut Nesting::default());
    }

    fn spell_in(&self, pieces: &mut [Piece], nesting: &mut Nesting) {
        for piece in pieces {
            match piece {
                Piece::Text(text) => *text = self.spell_text(text, nesting),
                Piece::Styled(_, inner) | Piece::Link { text: inner, .. } => {
                    self.spell_in(inner, nesting)
                }
                Piece::Math(_) => {}
            }
        }
    }

    fn spell_text(&self, text: &str, nesting: &mut Nesting) -> String {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(c) = rest.chars().next() {
            let opens = |mark: &str| !mark.is_empty() && rest.starts_with(mark);
            // A closing mark that is also an apostrophe (’) closes only
            // where no letter follows it ("Life’s").
            let closes = |mark: &str| {
                opens(mark)
                    && nesting.depth > 0
                    && !rest[mark.len()..].starts_with(char::is_alphanumeric)
            };
            let (taken, spelled) = match c {
                OPEN => {
                    let inner = nesting.depth % 2 == 1;
                    nesting.marked.push(inner);
                    nesting.depth += 1;
                    let mark = if inner { &self.open_inner } else { &self.open };
                    (c.len_utf8(), mark.clone())
                }
                CLOSE => {
                    let inner = nesting.marked.pop().unwrap_or(false);
                    nesting.depth = nesting.depth.saturating_sub(1);
                    let mark = if inner {
                        &self.close_inner
                    } else {
                        &self.close
                    };
                    (c.len_utf8(), mark.clone())
                }
                _ if self.open != self.close && opens(&self.open) => {
                    nesting.depth += 1;
                    (self.open.len(), self.open.clone())
                }
                _ if closes(&self.close) => {
                    nesting.depth -= 1;
                    (self.close.len(), self.close.clone())
                }
                _ if self.open_inner != self.close_inner && opens(&self.open_inner) => {
                    nesting.depth += 1;
                    (self.open_inner.len(), self.open_inner.clone())
                }
                _ if closes(&self.close_inner) => {
                    nesting.depth -= 1;
                    (self.close_inner.len(), self.close_inner.clone())
                }
                _ => (c.len_utf8(), c.to_string()),
            };
            out.push_str(&spelled);
            rest = &rest[taken..];
        }
        out
    }
}

/// How deep the text so far is in quotes.
#[derive(Default)]
struct Nesting {
    /// Quotes open, the style's and the text's.
    depth: usize,
    /// Whether each open quote of the text was spelled as an inner one.
    marked: Vec<bool>,
}

/// Marks the quotes of a text: a quotation mark at the start of a word
/// that a mark of its kind closes at the end of a word (`"…"`, `“…”`,
/// `'…'`, `‘…’`, or mixed straight and curly). A single mark left
/// unpaired is an apostrophe, spelled `’` as CSL processors print it
/// also at the start of a word ("ETFA ’09") or alone ("d ’ eau").
pub(super) fn mark(chunks: &mut ChunkedString) {
    let chars: Vec<(usize, char)> = chunks
        .0
        .iter()
        .enumerate()
        .flat_map(|(index, chunk)| chunk.value.chars().map(move |c| (index, c)))
        .collect();
    let mut open: Vec<(usize, bool)> = Vec::new();
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    for at in 0..chars.len() {
        let c = chars[at].1;
        let Some(double) = kind(c) else { continue };
        let before = at.checked_sub(1).map(|i| chars[i].1);
        let after = chars.get(at + 1).map(|&(_, c)| c);
        let starts_word = before.is_none_or(|b| b.is_whitespace() || "([{/—–-".contains(b))
            && after.is_some_and(|a| !a.is_whitespace());
        let ends_word = after.is_none_or(|a| !a.is_alphanumeric())
            && before.is_some_and(|b| !b.is_whitespace());
        let closes = ends_word
            && matches!(c, '"' | '\'' | '”' | '’')
            && open.last().is_some_and(|&(_, kind)| kind == double);
        if closes {
            let (start, _) = open.pop().unwrap_or_default();
            pairs.push((start, at));
        } else if starts_word && matches!(c, '"' | '\'' | '“' | '‘') {
            open.push((at, double));
        }
    }
    let mut marks: Vec<Option<char>> = chars
        .iter()
        .map(|&(_, c)| (c == '\'').then_some('’'))
        .collect();
    if pairs.is_empty() && marks.iter().all(Option::is_none) {
        return;
    }
    for (start, end) in pairs {
        marks[start] = Some(OPEN);
        marks[end] = Some(CLOSE);
    }
    let mut values = vec![String::new(); chunks.0.len()];
    for (at, &(index, c)) in chars.iter().enumerate() {
        values[index].push(marks[at].unwrap_or(c));
    }
    for (chunk, value) in chunks.0.iter_mut().zip(values) {
        chunk.value = value;
    }
}

/// Whether a character is a double (`true`) or single (`false`)
/// quotation mark, straight or curly.
fn kind(c: char) -> Option<bool> {
    match c {
        '"' | '“' | '”' => Some(true),
        '\'' | '‘' | '’' => Some(false),
        _ => None,
    }
}
