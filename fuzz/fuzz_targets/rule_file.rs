//! Fuzz target `rule_file`: see `apn_check::fuzzing`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    apn_check::fuzzing::rule_file(data);
});
