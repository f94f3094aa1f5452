//! Fuzz target `any_input`: see `apn_check::fuzzing`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    apn_check::fuzzing::any_input(data);
});
