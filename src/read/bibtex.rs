//! The BibTeX and BibLaTeX reader.

pub mod names;
pub mod syntax;
