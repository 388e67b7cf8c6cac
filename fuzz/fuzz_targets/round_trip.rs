//! Read → write → read gives the same model: the first byte picks the
//! input format and the format written through, the rest is the input.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| pubconv_fuzz::round_trip_case(bytes));
