//! The BibTeX and BibLaTeX reader.

pub mod dates;
pub mod names;
pub mod syntax;
