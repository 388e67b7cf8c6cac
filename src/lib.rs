//! pubconv: researchers' publication lists from profile dumps into BibTeX,
//! BibLaTeX, CSL-JSON and Markdown CV sections.
//!
//! Readers ([`read`]) turn each input format into the [`model`]; writers
//! ([`write`](mod@write)) turn the model into each output format. Neither side knows
//! the other: what a format's reader and writer must agree on (entry types,
//! field and variable names) is in [`vocab`], which both use. [`convert`]
//! ties them together for the binary and for scripts:
//!
//! ```
//! use pubconv::convert::{convert, Input, Request};
//! use pubconv::read::ReadOptions;
//! use pubconv::write::OutputFormat;
//!
//! let dump = "Jane Doe\n\n1 Paper\n\nLGOct 24, 2022\nA {CNN} Study\n\nJane Doe, John Roe et al.\n";
//! let input = Input { name: "jane.txt".into(), path: None, bytes: dump.into() };
//! let request = Request {
//!     from: None,
//!     to: OutputFormat::Bibtex,
//!     read: ReadOptions { as_of: "2026-11-27".parse().unwrap() },
//!     write: Default::default(),
//!     merge: true,
//!     lookup: Default::default(),
//! };
//! let conversion = convert(&[input], &request).unwrap();
//! assert_eq!(conversion.exit_status(), 0);
//! assert!(conversion.output.starts_with("@misc{doe2022cnn,\n"));
//! assert!(conversion.output.contains("author = {Doe, Jane and Roe, John and others},"));
//! ```

// A diagnostic is the error of many functions here; it is made once per
// problem, never in a hot loop, so its size costs nothing worth boxing for.
#![allow(clippy::result_large_err)]

pub mod allocator;
pub mod arxiv;
pub mod config;
pub mod convert;
pub mod diagnostic;
pub mod key;
pub mod lookup;
pub mod merge;
pub mod model;
pub mod output;
pub mod parallel;
pub mod read;
pub mod style;
pub mod tex;
pub mod vocab;
pub mod write;
