//! cartctl's pattern matcher against aws/event-ruler, the library EventBridge matches with:
//! every pair of `tests/data/event-ruler-conformance.json` (event-ruler's own correctness cases
//! and test data, and a grid of every filter against every kind of value) must get the answer
//! event-ruler gives — match, no match, or an invalid pattern — except the few cases listed in
//! [`DIFFERENCES`], each with the reason cartctl answers otherwise.

use serde_json::Value;

use cartctl_core::matcher;

/// Cases where cartctl deliberately answers otherwise, and why.
const DIFFERENCES: &[(&str, &str)] = &[];

#[test]
fn the_matcher_answers_as_event_ruler_does() {
    let text = include_str!("data/event-ruler-conformance.json");
    let doc: Value = serde_json::from_str(text).unwrap();
    let cases = doc["cases"].as_array().unwrap();
    assert!(cases.len() > 1000, "the table is there");
    let mut wrong = Vec::new();
    for case in cases {
        let name = case["name"].as_str().unwrap();
        if DIFFERENCES.iter().any(|(n, _)| *n == name) {
            continue;
        }
        let pattern = case["pattern"].to_string();
        let got = matcher::matches(&pattern, &case["event"]);
        let expected = if case["invalid"] == true {
            None
        } else {
            Some(case["matches"].as_bool().unwrap())
        };
        let ok = match (&got, expected) {
            (Err(_), None) => true,
            (Ok(m), Some(e)) => *m == e,
            _ => false,
        };
        if !ok {
            wrong.push(format!(
                "{name}: event-ruler {}, cartctl {got:?}\n    pattern {pattern}\n    event {}",
                expected.map_or("invalid".to_string(), |e| e.to_string()),
                case["event"]
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {} cases differ:\n{}",
        wrong.len(),
        cases.len(),
        wrong.join("\n")
    );
}
