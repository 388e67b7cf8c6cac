//! pubconv: researchers' publication lists from profile dumps and BibTeX into
//! BibTeX, BibLaTeX, CSL-JSON and Markdown CV sections.
//!
//! Readers (`read`) turn each input format into the [`model`]; writers
//! (`write`) turn the model into each output format. Neither side knows the
//! other.

pub mod arxiv;
pub mod convert;
pub mod diagnostic;
pub mod key;
pub mod model;
pub mod read;
pub mod tex;
pub mod write;
