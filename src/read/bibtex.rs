//! The BibTeX and BibLaTeX reader.

pub mod syntax;
