//! Fuzz target `partner_json`: see `apn_check::fuzzing`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    apn_check::fuzzing::partner_file(data, apn_check::partner::Format::Json);
});
