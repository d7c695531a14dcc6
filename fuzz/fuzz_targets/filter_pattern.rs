#![no_main]
//! The CloudWatch Logs filter-pattern parser and the coverage decision.
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(p) = cislint::filter_pattern::parse(text) {
        let printed = p.to_string();
        let again = cislint::filter_pattern::parse(&printed).expect("a printed pattern parses");
        assert_eq!(p, again, "printing is lossless");
        for cis in ["3.1", "3.3", "3.8"] {
            for required in cislint::filter_pattern::cis_patterns(cis) {
                let required = cislint::filter_pattern::parse(required).unwrap();
                let _ = cislint::filter_pattern::covers(&p, &required);
                let _ = cislint::filter_pattern::covers(&required, &p);
            }
        }
    }
});
