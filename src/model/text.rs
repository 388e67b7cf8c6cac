//! Rich text: titles and abstracts that keep case protection, emphasis and
//! math as spans, so that each writer renders them its own way (braces and
//! `$…$` in BibTeX, `<span class="nocase">` and Unicode in CSL-JSON,
//! `*…*` in Markdown).

/// A run of rich text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Text {
    pub inlines: Vec<Inline>,
    pub casing: Casing,
}

/// What the capital letters of a text mean.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Casing {
    /// Every capital is meant as written: the source had no way to mark case
    /// protection (a profile dump, CSL-JSON). A BibTeX writer protects
    /// acronyms and words with inner capitals.
    #[default]
    AsWritten,
    /// The source marked which capitals must survive re-casing (BibTeX
    /// braces): [`Inline::Protected`] spans say it all.
    Marked,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inline {
    Plain(String),
    /// Text whose letter case must not be changed by a style.
    Protected(Vec<Inline>),
    /// Text in a typographic style.
    Styled(Style, Vec<Inline>),
    /// TeX math, without its `$` delimiters: `\beta_1`.
    Math(String),
    /// A TeX command pubconv does not know, kept verbatim so nothing is lost.
    Tex(String),
}

/// The typographic styles rich text keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Emphasis,
    Strong,
    SmallCaps,
    Superscript,
    Subscript,
}

impl Text {
    pub fn plain(text: impl Into<String>) -> Text {
        Text {
            inlines: vec![Inline::Plain(text.into())],
            casing: Casing::AsWritten,
        }
    }

    /// True when the text shows nothing: no inlines, or only groups and
    /// styles around nothing (`{}`).
    pub fn is_empty(&self) -> bool {
        shows_nothing(&self.inlines)
    }

    /// The part before the first colon, as reference managers shorten a
    /// title ("Deep Learning: A Textbook" → "Deep Learning"); `None` when
    /// there is no colon in plain text.
    pub fn before_colon(&self) -> Option<Text> {
        let at = self
            .inlines
            .iter()
            .position(|inline| matches!(inline, Inline::Plain(text) if text.contains(':')))?;
        let mut inlines = self.inlines[..at].to_vec();
        if let Some(Inline::Plain(text)) = self.inlines.get(at) {
            let before = text.split_once(':').map_or("", |(before, _)| before);
            let before = before.trim_end();
            if !before.is_empty() {
                inlines.push(Inline::Plain(before.to_owned()));
            }
        }
        (!inlines.is_empty()).then_some(Text {
            inlines,
            casing: self.casing,
        })
    }

    /// The characters of the text with all markup dropped and math and
    /// unknown commands as their TeX source: for keys, matching and sorting,
    /// never for output.
    pub fn raw_string(&self) -> String {
        let mut out = String::new();
        collect_raw(&self.inlines, &mut out);
        out
    }
}

fn collect_raw(inlines: &[Inline], out: &mut String) {
    for inline in inlines {
        match inline {
            Inline::Plain(text) | Inline::Math(text) | Inline::Tex(text) => out.push_str(text),
            Inline::Protected(inner) | Inline::Styled(_, inner) => collect_raw(inner, out),
        }
    }
}

fn shows_nothing(inlines: &[Inline]) -> bool {
    inlines.iter().all(|inline| match inline {
        Inline::Plain(text) | Inline::Math(text) | Inline::Tex(text) => text.is_empty(),
        Inline::Protected(inner) | Inline::Styled(_, inner) => shows_nothing(inner),
    })
}

/// White space runs as one space, kept at the ends: the text of markup
/// (XML, HTML) whose neighbours it is separated from by that space.
pub fn squeeze_white_space(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            space = true;
        } else {
            if space {
                out.push(' ');
                space = false;
            }
            out.push(c);
        }
    }
    if space {
        out.push(' ');
    }
    out
}

/// Drops white space at the start and end of rich text, and plain text
/// left empty by it.
pub fn trim_inlines(inlines: &mut Vec<Inline>) {
    if let Some(Inline::Plain(first)) = inlines.first_mut() {
        *first = first.trim_start().to_owned();
    }
    if let Some(Inline::Plain(last)) = inlines.last_mut() {
        *last = last.trim_end().to_owned();
    }
    inlines.retain(|inline| !matches!(inline, Inline::Plain(text) if text.is_empty()));
}
