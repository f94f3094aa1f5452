//! Fuzz target `partner_toml`: see `apn_check::fuzzing`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    apn_check::fuzzing::partner_file(data, apn_check::partner::Format::Toml);
});
