//! The vocabularies a reader and a writer of one format share, as tables:
//! one submodule per format. Each side walks the same rows, in opposite
//! directions, so the two cannot drift apart and neither reaches into the
//! other.

pub mod bibtex;
pub mod csl;
pub mod scholar;
