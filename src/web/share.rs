//! Share links: the job config in the URL fragment, `#job=<base64url TOML>`.
//!
//! The fragment never reaches a server (browsers do not send it), so a link
//! carries the job to another person without the page's host seeing it.
//! Only the config goes in, never the data; callers pass
//! `TuningJob::shareable_config()`, which has no secrets. Base64url keeps
//! newlines and quotes intact through chat apps and mail clients that
//! mangle percent-encoded text.

use crate::io::urls::{base64url, from_base64url};

/// The fragment's key: `#job=...`.
const KEY: &str = "job=";

/// The fragment (without `#`) that carries `config`.
pub fn job_fragment(config: &str) -> String {
    format!("{KEY}{}", base64url(config.as_bytes()))
}

/// The link: `page` (any fragment dropped) with the job's fragment.
pub fn share_link(page: &str, config: &str) -> String {
    let base = page.split('#').next().unwrap_or(page);
    format!("{base}#{}", job_fragment(config))
}

/// The config in a location hash (`#job=...`): `None` when the hash holds no
/// job, an error a person can act on when it holds a damaged one.
pub fn job_from_hash(hash: &str) -> Option<Result<String, String>> {
    let fragment = hash.strip_prefix('#').unwrap_or(hash);
    let encoded = fragment.split('&').find_map(|part| part.strip_prefix(KEY))?;
    let damaged = |why: &str| {
        Err(format!("the link's job could not be read ({why}); the link may be cut short: copy it again in full"))
    };
    Some(match from_base64url(encoded) {
        None => damaged("it is not base64url"),
        Some(bytes) => match String::from_utf8(bytes) {
            Ok(text) => Ok(text),
            Err(_) => damaged("it is not UTF-8 text"),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_job_survives_the_round_trip() {
        let config = "KIND = \"TuningJob\"\n# é, quotes \" and newlines\n[model]\nKIND = \"Ridge\"\n";
        let link = share_link("https://example.org/tuna/index.html#old", config);
        assert!(link.starts_with("https://example.org/tuna/index.html#job="), "{link}");
        let hash = &link[link.find('#').unwrap()..];
        assert_eq!(job_from_hash(hash), Some(Ok(config.to_string())));
    }

    #[test]
    fn hashes_without_a_job_are_ignored_and_damaged_ones_explained() {
        assert_eq!(job_from_hash(""), None);
        assert_eq!(job_from_hash("#results"), None);
        let damaged = job_from_hash("#job=a$b").unwrap().unwrap_err();
        assert!(damaged.contains("copy it again"), "{damaged}");
        assert!(job_from_hash("#job=A").unwrap().is_err(), "a single digit is a cut link");
        assert!(job_from_hash("#job=_w").unwrap().is_err(), "0xff alone is not UTF-8");
    }
}
