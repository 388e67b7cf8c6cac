//! The TeX text-mode commands pubconv turns into Unicode: accents (as
//! combining marks) and named symbols. One table each; the BibTeX writer
//! reads them backwards for `--ascii` output.

/// Accent commands and the combining mark each puts on its argument.
pub const ACCENTS: &[(&str, char)] = &[
    ("'", '\u{301}'),  // acute
    ("`", '\u{300}'),  // grave
    ("^", '\u{302}'),  // circumflex
    ("\"", '\u{308}'), // diaeresis
    ("~", '\u{303}'),  // tilde
    ("=", '\u{304}'),  // macron
    (".", '\u{307}'),  // dot above
    ("u", '\u{306}'),  // breve
    ("v", '\u{30c}'),  // caron
    ("H", '\u{30b}'),  // double acute
    ("r", '\u{30a}'),  // ring above
    ("c", '\u{327}'),  // cedilla
    ("k", '\u{328}'),  // ogonek
    ("d", '\u{323}'),  // dot below
    ("b", '\u{331}'),  // macron below
    ("t", '\u{361}'),  // tie
];

/// Named symbols in text mode.
pub const SYMBOLS: &[(&str, &str)] = &[
    ("ss", "ß"),
    ("SS", "SS"),
    ("o", "ø"),
    ("O", "Ø"),
    ("aa", "å"),
    ("AA", "Å"),
    ("ae", "æ"),
    ("AE", "Æ"),
    ("oe", "œ"),
    ("OE", "Œ"),
    ("l", "ł"),
    ("L", "Ł"),
    ("i", "ı"),
    ("j", "ȷ"),
    ("dh", "ð"),
    ("DH", "Ð"),
    ("th", "þ"),
    ("TH", "Þ"),
    ("ng", "ŋ"),
    ("NG", "Ŋ"),
    ("dag", "†"),
    ("ddag", "‡"),
    ("S", "§"),
    ("P", "¶"),
    ("copyright", "©"),
    ("textcopyright", "©"),
    ("textregistered", "®"),
    ("texttrademark", "™"),
    ("pounds", "£"),
    ("textsterling", "£"),
    ("texteuro", "€"),
    ("euro", "€"),
    ("textdegree", "°"),
    ("textendash", "–"),
    ("textemdash", "—"),
    ("ldots", "…"),
    ("dots", "…"),
    ("textellipsis", "…"),
    ("textquoteleft", "‘"),
    ("textquoteright", "’"),
    ("textquotedblleft", "“"),
    ("textquotedblright", "”"),
    ("guillemotleft", "«"),
    ("guillemotright", "»"),
    ("textbackslash", "\\"),
    ("textasciitilde", "~"),
    ("textasciicircum", "^"),
    ("textbar", "|"),
    ("textless", "<"),
    ("textgreater", ">"),
    ("textunderscore", "_"),
    ("textbraceleft", "{"),
    ("textbraceright", "}"),
    ("textbullet", "•"),
    ("textperiodcentered", "·"),
    ("textexclamdown", "¡"),
    ("textquestiondown", "¿"),
    ("textquotesingle", "'"),
    ("textquotedbl", "\""),
    ("textdollar", "$"),
    ("texttimes", "×"),
    ("textdiv", "÷"),
    ("textpm", "±"),
    ("textminus", "−"),
    ("textdegree", "°"),
    ("textcelsius", "℃"),
    ("textmu", "µ"),
    ("textonehalf", "½"),
    ("textcopyright", "©"),
    ("textregistered", "®"),
    ("texttrademark", "™"),
    ("textsection", "§"),
    ("textparagraph", "¶"),
    ("textdagger", "†"),
    ("textdaggerdbl", "‡"),
    ("enspace", "\u{2002}"),
    ("quad", "\u{2003}"),
    ("qquad", "\u{2003}\u{2003}"),
    ("hyphen", "-"),
    ("slash", "/"),
    ("textslash", "/"),
    ("nobreakspace", "\u{a0}"),
    ("par", "\n\n"),
    ("LaTeX", "LaTeX"),
    ("TeX", "TeX"),
    ("BibTeX", "BibTeX"),
];

/// BibLaTeX localisation keys (`\\bibstring{…}`, and keys as `type`,
/// `pubstate`, `series` and patent `location` values) and their English
/// text, as biblatex's `english.lbx` has them.
pub const BIBSTRINGS: &[(&str, &str)] = &[
    ("phdthesis", "PhD thesis"),
    ("mathesis", "Master's thesis"),
    ("candthesis", "Candidate thesis"),
    ("techreport", "technical report"),
    ("resreport", "research report"),
    ("software", "computer software"),
    ("datacd", "CD-ROM"),
    ("audiocd", "Audio CD"),
    ("inpress", "in press"),
    ("inpreparation", "in preparation"),
    ("forthcoming", "forthcoming"),
    ("submitted", "submitted"),
    ("prepublished", "prepublished"),
    ("newseries", "new series"),
    ("oldseries", "old series"),
    ("patent", "patent"),
    ("patentde", "German patent"),
    ("patenteu", "European patent"),
    ("patentfr", "French patent"),
    ("patentuk", "British patent"),
    ("patentus", "U.S. patent"),
    ("patreq", "patent request"),
    ("patreqde", "German patent request"),
    ("patreqeu", "European patent request"),
    ("patreqfr", "French patent request"),
    ("patrequk", "British patent request"),
    ("patrequs", "U.S. patent request"),
    ("countryde", "Germany"),
    ("countryeu", "European Union"),
    ("countryep", "European Union"),
    ("countryfr", "France"),
    ("countryuk", "United Kingdom"),
    ("countryus", "United States of America"),
];

/// Babel and polyglossia language names and their BCP 47 tags.
pub const LANGUAGES: &[(&str, &str)] = &[
    ("american", "en-US"),
    ("english", "en-US"),
    ("usenglish", "en-US"),
    ("british", "en-GB"),
    ("ukenglish", "en-GB"),
    ("canadian", "en-CA"),
    ("australian", "en-AU"),
    ("newzealand", "en-NZ"),
    ("german", "de-DE"),
    ("ngerman", "de-DE"),
    ("austrian", "de-AT"),
    ("naustrian", "de-AT"),
    ("swissgerman", "de-CH"),
    ("nswissgerman", "de-CH"),
    ("french", "fr-FR"),
    ("italian", "it-IT"),
    ("spanish", "es-ES"),
    ("catalan", "ca-AD"),
    ("portuguese", "pt-PT"),
    ("portuges", "pt-PT"),
    ("brazil", "pt-BR"),
    ("brazilian", "pt-BR"),
    ("dutch", "nl-NL"),
    ("danish", "da-DK"),
    ("swedish", "sv-SE"),
    ("norsk", "nb-NO"),
    ("norwegian", "nb-NO"),
    ("nynorsk", "nn-NO"),
    ("finnish", "fi-FI"),
    ("icelandic", "is-IS"),
    ("polish", "pl-PL"),
    ("czech", "cs-CZ"),
    ("slovak", "sk-SK"),
    ("slovene", "sl-SL"),
    ("croatian", "hr-HR"),
    ("serbian", "sr-RS"),
    ("hungarian", "hu-HU"),
    ("romanian", "ro-RO"),
    ("bulgarian", "bg-BG"),
    ("russian", "ru-RU"),
    ("ukrainian", "uk-UA"),
    ("greek", "el-GR"),
    ("latin", "la"),
    ("turkish", "tr-TR"),
    ("hebrew", "he-IL"),
    ("arabic", "ar"),
    ("farsi", "fa-IR"),
    ("japanese", "ja-JP"),
    ("chinese", "zh-CN"),
    ("korean", "ko-KR"),
    ("vietnamese", "vi-VN"),
    ("estonian", "et-EE"),
    ("latvian", "lv-LV"),
    ("lithuanian", "lt-LT"),
    ("basque", "eu"),
    ("galician", "gl-ES"),
    ("irish", "ga-IE"),
    ("welsh", "cy-GB"),
];

/// The BCP 47 tag of a babel language name (`ngerman` → `de-DE`).
pub fn language_tag(babel: &str) -> Option<&'static str> {
    LANGUAGES
        .iter()
        .find_map(|&(name, tag)| name.eq_ignore_ascii_case(babel).then_some(tag))
}

/// The first babel name for a BCP 47 tag (`de-DE` → `german`).
pub fn babel_name(tag: &str) -> Option<&'static str> {
    LANGUAGES
        .iter()
        .find_map(|&(name, known)| known.eq_ignore_ascii_case(tag).then_some(name))
}

/// The English text of a BibLaTeX localisation key, in any letter case.
pub fn bibstring(key: &str) -> Option<&'static str> {
    BIBSTRINGS
        .iter()
        .find_map(|&(name, text)| name.eq_ignore_ascii_case(key).then_some(text))
}

/// TeX source in plain ASCII: accented letters as `{\"o}`, letters such as
/// ß and ø as `{\ss}` and `{\o}`, dashes and quotes as their ligatures.
/// Characters with no TeX spelling here (CJK, say) are left as they are.
pub fn to_ascii(tex: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let mut out = String::with_capacity(tex.len());
    for c in tex.chars() {
        if c.is_ascii() {
            out.push(c);
            continue;
        }
        let ligature = match c {
            '–' => Some("--"),
            '—' => Some("---"),
            '“' => Some("``"),
            '”' => Some("''"),
            '‘' => Some("`"),
            '’' => Some("'"),
            '\u{a0}' => Some("~"),
            _ => None,
        };
        if let Some(ligature) = ligature {
            out.push_str(ligature);
            continue;
        }
        let mut buffer = [0; 4];
        let letter: &str = c.encode_utf8(&mut buffer);
        if let Some((name, _)) = SYMBOLS
            .iter()
            .find(|(name, text)| *text == letter && name.len() <= 2)
        {
            out.push_str(&format!("{{\\{name}}}"));
            continue;
        }
        // A symbol of text mode (`−` as `\textminus`), which pdflatex
        // reads as the reader does.
        if let Some((name, _)) = SYMBOLS
            .iter()
            .find(|(name, text)| *text == letter && name.starts_with("text"))
        {
            out.push_str(&format!("{{\\{name}}}"));
            continue;
        }
        let mut parts = std::iter::once(c).nfd();
        let base = parts.next().unwrap_or(c);
        let marks: Vec<char> = parts.collect();
        let commands: Option<Vec<&str>> = marks
            .iter()
            .map(|mark| {
                ACCENTS
                    .iter()
                    .find(|(_, m)| m == mark)
                    .map(|(name, _)| *name)
            })
            .collect();
        match commands {
            Some(commands) if base.is_ascii_alphabetic() && !commands.is_empty() => {
                let mut accented = match base {
                    'i' => "\\i".to_owned(),
                    'j' => "\\j".to_owned(),
                    base => base.to_string(),
                };
                for command in commands {
                    accented = if command.chars().all(|c| c.is_ascii_alphabetic()) {
                        format!("\\{command}{{{accented}}}")
                    } else {
                        format!("\\{command}{accented}")
                    };
                }
                out.push('{');
                out.push_str(&accented);
                out.push('}');
            }
            _ => out.push(c),
        }
    }
    out
}

/// The accent command (`=`) of a combining mark (U+0304), if TeX has one.
pub fn accent_command(mark: char) -> Option<&'static str> {
    ACCENTS
        .iter()
        .find_map(|&(name, accent)| (accent == mark).then_some(name))
}

pub fn accent(command: &str) -> Option<char> {
    ACCENTS
        .iter()
        .find_map(|&(name, mark)| (name == command).then_some(mark))
}

pub fn symbol(command: &str) -> Option<&'static str> {
    SYMBOLS
        .iter()
        .find_map(|&(name, text)| (name == command).then_some(text))
}
