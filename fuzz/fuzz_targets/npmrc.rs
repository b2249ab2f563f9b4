#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| lade_fuzz::Target::Npmrc.run(data));
