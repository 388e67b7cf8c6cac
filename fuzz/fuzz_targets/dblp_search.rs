//! Any bytes read as DBLP's search JSON, then written in every format: no
//! panic, no hang.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pubconv::read::InputFormat;

fuzz_target!(|bytes: &[u8]| pubconv_fuzz::read_and_write(InputFormat::DblpSearch, bytes));
