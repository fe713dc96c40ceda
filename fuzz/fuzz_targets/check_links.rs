#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| dcrsite_fuzz::check_links::run(data));
