//! What every CV output (Markdown, LaTeX, HTML) shares: an item as
//! [`Piece`]s, before an output spells it.
//!
//! An item is built once, by the default layout or by a citation style,
//! as pieces: text, styled text (emphasis, the owner's name in bold, …),
//! links and math. Each CV writer only spells pieces in its markup.

use crate::model::{Inline, Style, Text};

/// A piece of a CV item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// Text as it reads: the writer escapes it.
    Text(String),
    /// Text in a style: emphasis for titles of journals, strong for the
    /// owner's name, small capitals, super- and subscripts.
    Styled(Style, Vec<Piece>),
    /// A link: its text, and where it goes.
    Link { url: String, text: Vec<Piece> },
    /// TeX math, without its `$` delimiters.
    Math(String),
}

impl Piece {
    pub fn text(text: impl Into<String>) -> Piece {
        Piece::Text(text.into())
    }
}

/// The model's rich text as pieces: case protection means nothing once a
/// text is set, and a TeX command pubconv does not know reads as written.
pub fn pieces(text: &Text) -> Vec<Piece> {
    from_inlines(&text.inlines)
}

fn from_inlines(inlines: &[Inline]) -> Vec<Piece> {
    let mut pieces = Vec::with_capacity(inlines.len());
    for inline in inlines {
        match inline {
            Inline::Plain(text) | Inline::Tex(text) => push_text(&mut pieces, text),
            Inline::Protected(inner) => {
                for piece in from_inlines(inner) {
                    match piece {
                        Piece::Text(text) => push_text(&mut pieces, &text),
                        other => pieces.push(other),
                    }
                }
            }
            Inline::Styled(style, inner) => pieces.push(Piece::Styled(*style, from_inlines(inner))),
            Inline::Math(tex) => pieces.push(Piece::Math(tex.clone())),
        }
    }
    pieces
}

/// Adds text, joined to text right before it.
fn push_text(pieces: &mut Vec<Piece>, text: &str) {
    match pieces.last_mut() {
        Some(Piece::Text(last)) => last.push_str(text),
        _ => pieces.push(Piece::Text(text.to_owned())),
    }
}

/// The pieces as plain text: what a reader sees, without markup (math as
/// its TeX).
pub fn plain(pieces: &[Piece]) -> String {
    let mut out = String::new();
    plain_into(pieces, &mut out);
    out
}

fn plain_into(pieces: &[Piece], out: &mut String) {
    for piece in pieces {
        match piece {
            Piece::Text(text) | Piece::Math(text) => out.push_str(text),
            Piece::Styled(_, inner) | Piece::Link { text: inner, .. } => plain_into(inner, out),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tex::{self, Dialect};

    #[test]
    fn rich_text_becomes_pieces() {
        let parsed = tex::parse(r"A {CNN} for \emph{$p$-adic} data", Dialect::Bibtex);
        let text = Text {
            inlines: parsed.inlines,
            casing: crate::model::Casing::AsWritten,
        };
        let pieces = pieces(&text);
        assert_eq!(
            pieces,
            [
                Piece::text("A CNN for "),
                Piece::Styled(
                    Style::Emphasis,
                    vec![Piece::Math("p".into()), Piece::text("-adic")]
                ),
                Piece::text(" data"),
            ]
        );
        assert_eq!(plain(&pieces), "A CNN for p-adic data");
    }
}
