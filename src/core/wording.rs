//! serde's messages in a data scientist's words: `expected u16` becomes "expected
//! a whole number from 0 to 65535", and a NaN, which reaches serde as a JSON
//! null, is named as the NaN it was.

/// Rust type names as a person who writes configs says them.
const TYPES: &[(&str, &str)] = &[
    ("u8", "a whole number from 0 to 255"),
    ("u16", "a whole number from 0 to 65535"),
    ("u32", "a whole number from 0 to 4294967295"),
    ("u64", "a whole number, 0 or more"),
    ("usize", "a whole number, 0 or more"),
    ("i32", "a whole number"),
    ("i64", "a whole number"),
    ("f32", "a number"),
    ("f64", "a number"),
    ("a boolean", "true or false"),
];

/// `message` with serde's type names and value kinds in plain words.
pub fn plain(message: &str) -> String {
    let mut m = message
        .replace("invalid type: null", "invalid value: nan")
        .replace("floating point `", "the number `")
        .replace("integer `", "the whole number `");
    for (rust, words) in TYPES {
        let from = format!("expected {rust}");
        let mut out = String::with_capacity(m.len());
        let mut rest = m.as_str();
        while let Some(i) = rest.find(&from) {
            let after = &rest[i + from.len()..];
            out.push_str(&rest[..i]);
            // Only the whole word: `expected u16` but not `expected u160`.
            if after.starts_with(|c: char| c.is_alphanumeric() || c == '_') {
                out.push_str(&from);
            } else {
                out.push_str("expected ");
                out.push_str(words);
            }
            rest = after;
        }
        out.push_str(rest);
        m = out;
    }
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Issue 12: messages said `expected u16` where a person needs the range.
    #[test]
    fn issue_12_rust_type_names_become_words() {
        assert_eq!(
            plain("invalid value: integer `70000`, expected u16"),
            "invalid value: the whole number `70000`, expected a whole number from 0 to 65535"
        );
        assert_eq!(
            plain("invalid type: floating point `2.5`, expected usize"),
            "invalid type: the number `2.5`, expected a whole number, 0 or more"
        );
        assert_eq!(plain("invalid type: null, expected f64"), "invalid value: nan, expected a number");
        assert_eq!(
            plain("invalid type: string \"x\", expected a boolean"),
            "invalid type: string \"x\", expected true or false"
        );
        assert_eq!(plain("expected u160 here"), "expected u160 here", "only whole type names");
    }
}
