//! Any bytes as a BibTeX or CSL-JSON file, streamed and read whole: the
//! same output.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| pubconv_fuzz::streaming(bytes));
