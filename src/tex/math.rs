//! Simple TeX math as Unicode: `\alpha` → α, `\ell_1` → ℓ₁, `x^2` → x².
//!
//! Output formats without math markup (CSL-JSON, Markdown) show math this
//! way when every part of it has a Unicode form; otherwise the caller keeps
//! the TeX source, marked as math.

/// The Unicode form of `math`, or `None` when some part has none.
pub fn to_unicode(math: &str) -> Option<String> {
    let mut reader = Reader {
        rest: math.trim(),
        depth: 0,
    };
    let text = reader.sequence(false)?;
    Some(text.split_whitespace().collect::<Vec<_>>().join(" "))
}

const MAX_DEPTH: usize = 32;

struct Reader<'a> {
    rest: &'a str,
    depth: usize,
}

impl Reader<'_> {
    fn next_char(&mut self) -> Option<char> {
        let c = self.rest.chars().next()?;
        self.rest = &self.rest[c.len_utf8()..];
        Some(c)
    }

    /// Converts up to the end, or to the closing brace of a group.
    fn sequence(&mut self, in_group: bool) -> Option<String> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return None;
        }
        let mut out = String::new();
        while let Some(c) = self.next_char() {
            match c {
                '}' if in_group => {
                    self.depth -= 1;
                    return Some(out);
                }
                '{' => out.push_str(&self.sequence(true)?),
                '^' => out.push_str(&scripted(&self.atom()?, SUPERSCRIPTS)?),
                '_' => out.push_str(&scripted(&self.atom()?, SUBSCRIPTS)?),
                '\\' => out.push_str(&self.command()?),
                '-' => out.push('−'),
                '\'' => out.push('′'),
                '*' => out.push('∗'),
                '~' => out.push(' '),
                '$' | '&' | '#' | '%' | '}' => return None,
                c => out.push(c),
            }
        }
        self.depth -= 1;
        (!in_group).then_some(out)
    }

    /// One argument: a group, a command or a single character.
    fn atom(&mut self) -> Option<String> {
        self.rest = self.rest.trim_start();
        match self.next_char()? {
            '{' => self.sequence(true),
            '\\' => self.command(),
            c => Some(c.to_string()),
        }
    }

    fn command(&mut self) -> Option<String> {
        let name_length = self
            .rest
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(self.rest.len());
        if name_length == 0 {
            let symbol = self.next_char()?;
            return match symbol {
                '{' | '}' | '|' | '%' | '#' | '&' | '_' => Some(symbol.to_string()),
                ',' | ':' | ';' | ' ' => Some(" ".to_owned()),
                '!' => Some(String::new()),
                _ => None,
            };
        }
        let name = &self.rest[..name_length];
        self.rest = &self.rest[name_length..];
        if let Some(symbol) = lookup(MATH_SYMBOLS, name) {
            return Some(symbol.to_owned());
        }
        if OPERATORS.contains(&name) {
            return Some(format!("{name} "));
        }
        match name {
            "mathrm" | "text" | "textrm" | "mathit" | "mathbf" | "boldsymbol" | "operatorname"
            | "mathsf" | "mathnormal" => self.atom(),
            "mathbb" => self.atom()?.chars().map(double_struck).collect(),
            "mathcal" => self.atom()?.chars().map(script).collect(),
            "left" | "right" | "big" | "Big" | "bigl" | "bigr" | "Bigl" | "Bigr" => {
                Some(String::new())
            }
            _ => None,
        }
    }
}

/// The TeX math for one Unicode math character, the reverse of
/// [`to_unicode`]: `α` → `\alpha`, `₁` → `_1`. Writers put it in
/// `\ensuremath{…}` where LaTeX's UTF-8 support has no glyph for it.
pub fn tex_for(c: char) -> Option<String> {
    let mut buffer = [0; 4];
    let text: &str = c.encode_utf8(&mut buffer);
    if let Some((name, _)) = MATH_SYMBOLS.iter().find(|(_, symbol)| *symbol == text) {
        return Some(format!("\\{name}"));
    }
    let script = |table: &[(char, char)], mark: char| {
        table
            .iter()
            .find(|&&(plain, scripted)| scripted == c && plain.is_ascii_alphanumeric())
            .map(|&(plain, _)| format!("{mark}{plain}"))
    };
    script(SUPERSCRIPTS, '^').or_else(|| script(SUBSCRIPTS, '_'))
}

fn scripted(text: &str, table: &[(char, char)]) -> Option<String> {
    text.chars()
        .map(|c| {
            table
                .iter()
                .find_map(|&(from, to)| (from == c).then_some(to))
        })
        .collect()
}

fn lookup(table: &[(&str, &'static str)], name: &str) -> Option<&'static str> {
    table
        .iter()
        .find_map(|&(command, symbol)| (command == name).then_some(symbol))
}

fn double_struck(c: char) -> Option<char> {
    Some(match c {
        'C' => 'ℂ',
        'H' => 'ℍ',
        'N' => 'ℕ',
        'P' => 'ℙ',
        'Q' => 'ℚ',
        'R' => 'ℝ',
        'Z' => 'ℤ',
        'E' => '𝔼',
        '1' => '𝟙',
        _ => return None,
    })
}

fn script(c: char) -> Option<char> {
    Some(match c {
        'L' => 'ℒ',
        'H' => 'ℋ',
        'F' => 'ℱ',
        'B' => 'ℬ',
        'E' => 'ℰ',
        'M' => 'ℳ',
        'R' => 'ℛ',
        'I' => 'ℐ',
        _ => return None,
    })
}

/// Function names set upright: `\log x` → `log x`.
const OPERATORS: &[&str] = &[
    "log", "ln", "exp", "sin", "cos", "tan", "max", "min", "sup", "inf", "arg", "det", "dim",
    "lim", "Pr", "tanh", "sgn",
];

const SUPERSCRIPTS: &[(char, char)] = &[
    ('0', '⁰'),
    ('1', '¹'),
    ('2', '²'),
    ('3', '³'),
    ('4', '⁴'),
    ('5', '⁵'),
    ('6', '⁶'),
    ('7', '⁷'),
    ('8', '⁸'),
    ('9', '⁹'),
    ('+', '⁺'),
    ('−', '⁻'),
    ('=', '⁼'),
    ('(', '⁽'),
    (')', '⁾'),
    ('n', 'ⁿ'),
    ('i', 'ⁱ'),
    ('T', 'ᵀ'),
    ('*', '*'),
    ('∗', '*'),
    ('′', '′'),
    ('k', 'ᵏ'),
    ('t', 'ᵗ'),
    ('d', 'ᵈ'),
    ('a', 'ᵃ'),
    ('b', 'ᵇ'),
    ('c', 'ᶜ'),
    ('e', 'ᵉ'),
    ('m', 'ᵐ'),
    ('p', 'ᵖ'),
    ('x', 'ˣ'),
    ('⊤', 'ᵀ'),
];

const SUBSCRIPTS: &[(char, char)] = &[
    ('0', '₀'),
    ('1', '₁'),
    ('2', '₂'),
    ('3', '₃'),
    ('4', '₄'),
    ('5', '₅'),
    ('6', '₆'),
    ('7', '₇'),
    ('8', '₈'),
    ('9', '₉'),
    ('+', '₊'),
    ('−', '₋'),
    ('=', '₌'),
    ('(', '₍'),
    (')', '₎'),
    ('a', 'ₐ'),
    ('e', 'ₑ'),
    ('i', 'ᵢ'),
    ('j', 'ⱼ'),
    ('k', 'ₖ'),
    ('n', 'ₙ'),
    ('m', 'ₘ'),
    ('o', 'ₒ'),
    ('p', 'ₚ'),
    ('r', 'ᵣ'),
    ('s', 'ₛ'),
    ('t', 'ₜ'),
    ('u', 'ᵤ'),
    ('v', 'ᵥ'),
    ('x', 'ₓ'),
    ('h', 'ₕ'),
    ('l', 'ₗ'),
];

/// Math-mode commands with a Unicode character.
const MATH_SYMBOLS: &[(&str, &str)] = &[
    ("alpha", "α"),
    ("beta", "β"),
    ("gamma", "γ"),
    ("delta", "δ"),
    ("epsilon", "ϵ"),
    ("varepsilon", "ε"),
    ("zeta", "ζ"),
    ("eta", "η"),
    ("theta", "θ"),
    ("vartheta", "ϑ"),
    ("iota", "ι"),
    ("kappa", "κ"),
    ("lambda", "λ"),
    ("mu", "μ"),
    ("nu", "ν"),
    ("xi", "ξ"),
    ("pi", "π"),
    ("varpi", "ϖ"),
    ("rho", "ρ"),
    ("varrho", "ϱ"),
    ("sigma", "σ"),
    ("varsigma", "ς"),
    ("tau", "τ"),
    ("upsilon", "υ"),
    ("phi", "ϕ"),
    ("varphi", "φ"),
    ("chi", "χ"),
    ("psi", "ψ"),
    ("omega", "ω"),
    ("Gamma", "Γ"),
    ("Delta", "Δ"),
    ("Theta", "Θ"),
    ("Lambda", "Λ"),
    ("Xi", "Ξ"),
    ("Pi", "Π"),
    ("Sigma", "Σ"),
    ("Upsilon", "Υ"),
    ("Phi", "Φ"),
    ("Psi", "Ψ"),
    ("Omega", "Ω"),
    ("ell", "ℓ"),
    ("hbar", "ℏ"),
    ("infty", "∞"),
    ("partial", "∂"),
    ("nabla", "∇"),
    ("pm", "±"),
    ("mp", "∓"),
    ("times", "×"),
    ("cdot", "·"),
    ("div", "÷"),
    ("ast", "∗"),
    ("star", "⋆"),
    ("circ", "∘"),
    ("leq", "≤"),
    ("le", "≤"),
    ("geq", "≥"),
    ("ge", "≥"),
    ("neq", "≠"),
    ("ne", "≠"),
    ("approx", "≈"),
    ("sim", "∼"),
    ("simeq", "≃"),
    ("equiv", "≡"),
    ("propto", "∝"),
    ("ll", "≪"),
    ("gg", "≫"),
    ("to", "→"),
    ("rightarrow", "→"),
    ("leftarrow", "←"),
    ("Rightarrow", "⇒"),
    ("Leftarrow", "⇐"),
    ("leftrightarrow", "↔"),
    ("iff", "⟺"),
    ("mapsto", "↦"),
    ("in", "∈"),
    ("notin", "∉"),
    ("subset", "⊂"),
    ("subseteq", "⊆"),
    ("supset", "⊃"),
    ("cup", "∪"),
    ("cap", "∩"),
    ("emptyset", "∅"),
    ("forall", "∀"),
    ("exists", "∃"),
    ("neg", "¬"),
    ("wedge", "∧"),
    ("vee", "∨"),
    ("sum", "∑"),
    ("prod", "∏"),
    ("int", "∫"),
    ("oint", "∮"),
    ("sqrt", "√"),
    ("cdots", "⋯"),
    ("ldots", "…"),
    ("dots", "…"),
    ("top", "⊤"),
    ("bot", "⊥"),
    ("perp", "⊥"),
    ("parallel", "∥"),
    ("mid", "∣"),
    ("langle", "⟨"),
    ("rangle", "⟩"),
    ("lvert", "|"),
    ("rvert", "|"),
    ("vert", "|"),
    ("Vert", "‖"),
    ("prime", "′"),
    ("dagger", "†"),
    ("oplus", "⊕"),
    ("otimes", "⊗"),
    ("odot", "⊙"),
    ("lceil", "⌈"),
    ("rceil", "⌉"),
    ("lfloor", "⌊"),
    ("rfloor", "⌋"),
    ("quad", " "),
    ("qquad", " "),
    ("colon", ":"),
];

#[cfg(test)]
mod tests {
    use super::to_unicode;

    #[test]
    fn simple_math_becomes_unicode() {
        let cases = [
            (r"\beta", "β"),
            (r"\ell_1", "ℓ₁"),
            (r"x^2 + y^{n+1}", "x² + yⁿ⁺¹"),
            (r"O(n \log n)", "O(n log n)"),
            (r"\mathbb{R}^d", "ℝᵈ"),
            (r"\alpha \leq 0.5", "α ≤ 0.5"),
            (r"W_{ij}", "Wᵢⱼ"),
            (r"k-1", "k−1"),
        ];
        for (tex, unicode) in cases {
            assert_eq!(to_unicode(tex).as_deref(), Some(unicode), "{tex}");
        }
    }

    #[test]
    fn math_without_unicode_form_is_refused() {
        for tex in [
            r"\frac{a}{b}",
            r"x^{y_z}",
            r"\unknowncommand",
            r"x_{\beta}",
            "{",
        ] {
            assert_eq!(to_unicode(tex), None, "{tex}");
        }
    }

    #[test]
    fn unicode_math_goes_back_to_tex() {
        assert_eq!(super::tex_for('α').as_deref(), Some(r"\alpha"));
        assert_eq!(super::tex_for('≤').as_deref(), Some(r"\leq"));
        assert_eq!(super::tex_for('₁').as_deref(), Some("_1"));
        assert_eq!(super::tex_for('ⁿ').as_deref(), Some("^n"));
        assert_eq!(super::tex_for('a'), None);
    }

    #[test]
    fn deep_nesting_is_refused_not_overflowed() {
        let deep = "{".repeat(100_000) + &"}".repeat(100_000);
        assert_eq!(to_unicode(&deep), None);
    }
}
