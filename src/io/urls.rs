//! URL text in one place, on the `percent-encoding` and `base64` crates:
//! credentials in a URI, the percent-encodings MLflow and Slack take, and the
//! base64 of basic auth and of share links.
//!
//! Each function keeps the exact text Tuna has always sent or linked, so that
//! share links made before still open and servers see the same requests. The
//! `url` crate is not used: see [`split_userinfo`] for why.

use base64::Engine;
use base64::alphabet::URL_SAFE;
use base64::engine::general_purpose::{GeneralPurpose, NO_PAD, STANDARD, URL_SAFE_NO_PAD};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};

/// RFC 3986's unreserved characters stay, every other byte is `%XX`.
const COMPONENT: &AsciiSet = &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'~');

/// A URL path: as [`COMPONENT`], and `/` separates segments.
const PATH: &AsciiSet = &COMPONENT.remove(b'/');

/// Share links decode whatever a tool may have made of them: with the last
/// digit's unused bits set, as links made before this crate was used were
/// read (padding is trimmed before decoding).
const LENIENT_URL_SAFE: GeneralPurpose = GeneralPurpose::new(&URL_SAFE, NO_PAD.with_decode_allow_trailing_bits(true));

/// Percent-encodes a query value (every byte but `A-Z a-z 0-9 - _ . ~`).
pub fn encode_component(s: &str) -> String {
    utf8_percent_encode(s, COMPONENT).to_string()
}

/// Percent-encodes a URL path, keeping its `/`.
pub fn encode_path(s: &str) -> String {
    utf8_percent_encode(s, PATH).to_string()
}

/// An `application/x-www-form-urlencoded` value: as [`encode_component`],
/// with spaces as `+` (the `form_urlencoded` crate would keep `*` and encode
/// `~`, changing what Slack receives).
pub fn form_urlencode(s: &str) -> String {
    s.split(' ').map(encode_component).collect::<Vec<_>>().join("+")
}

/// Standard base64 with padding (HTTP basic auth).
pub fn base64(bytes: &[u8]) -> String {
    STANDARD.encode(bytes)
}

/// URL-safe base64 without padding: it survives a URL fragment, chat apps and
/// mail clients.
pub fn base64url(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Decodes base64url; also accepts the standard alphabet and `=` padding, in
/// case a tool re-encoded the text. `None` when it is not base64.
pub fn from_base64url(text: &str) -> Option<Vec<u8>> {
    let url_safe: String = text
        .trim_end_matches('=')
        .chars()
        .map(|c| match c {
            '+' => '-',
            '/' => '_',
            c => c,
        })
        .collect();
    LENIENT_URL_SAFE.decode(url_safe).ok()
}

/// `text` (a server's answer, an error) with every secret part of `url`
/// replaced by `[redacted]`: the URL itself, and each path segment or query
/// value long enough to be a token. A webhook URL is a secret whole, and
/// servers echo it back in their error pages.
pub fn redact_url(text: &str, url: &str) -> String {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let (_, path) = after_scheme.split_once('/').unwrap_or((after_scheme, ""));
    let mut secrets: Vec<&str> = vec![url, after_scheme];
    secrets.extend(path.split(['/', '?', '&', '=', '#']).filter(|part| part.len() >= 6));
    secrets.sort_by_key(|s| std::cmp::Reverse(s.len())); // the whole URL before its parts
    secrets
        .into_iter()
        .filter(|s| !s.is_empty())
        .fold(text.to_string(), |text, secret| text.replace(secret, "[redacted]"))
}

/// `http://user:pass@host/x` -> (`http://host/x`, Some((user, pass))), the
/// user and password percent-decoded; a URI without credentials comes back as
/// it is.
///
/// Split by hand, not with the `url` crate: the credentials end at the last
/// `@` before the path, as a person typing a password means them, whereas a
/// URL parser also ends them at a `#` or `?` (a password holding one would
/// then stay in a shared config), drops an empty password's `:`, refuses a
/// bad port (leaving the password in), and rewrites the rest (host lowercased,
/// a `/` path added), which would change links and messages.
pub fn split_userinfo(uri: &str) -> (String, Option<(String, String)>) {
    let Some((scheme, rest)) = uri.split_once("://") else { return (uri.to_string(), None) };
    let authority_end = rest.find('/').unwrap_or(rest.len());
    let Some(at) = rest[..authority_end].rfind('@') else { return (uri.to_string(), None) };
    let (user, password) = rest[..at].split_once(':').unwrap_or((&rest[..at], ""));
    let decode = |s: &str| percent_decode_str(s).decode_utf8_lossy().into_owned();
    (format!("{scheme}://{}", &rest[at + 1..]), Some((decode(user), decode(password))))
}

#[cfg(test)]
mod tests {
    /// Issue 12: a webhook answering 500 with its URL in the body printed the token.
    #[test]
    fn issue_12_redact_url_removes_the_url_and_its_tokens() {
        let url = "https://hooks.example/services/T000/SECRET-TOKEN-123?key=abcdef123";
        let body = "bad request to https://hooks.example/services/T000/SECRET-TOKEN-123?key=abcdef123 \
                    (token SECRET-TOKEN-123, key abcdef123, path hooks.example/services/T000/SECRET-TOKEN-123)";
        let clean = redact_url(body, url);
        assert!(!clean.contains("SECRET") && !clean.contains("abcdef123"), "{clean}");
        assert!(clean.starts_with("bad request to [redacted] (token [redacted]"), "{clean}");
        assert_eq!(redact_url("nothing secret here", url), "nothing secret here");
    }

    use super::*;

    #[test]
    fn base64url_matches_the_rfc_vectors() {
        for (plain, encoded) in
            [("", ""), ("f", "Zg"), ("fo", "Zm8"), ("foo", "Zm9v"), ("foob", "Zm9vYg"), ("fooba", "Zm9vYmE")]
        {
            assert_eq!(base64url(plain.as_bytes()), encoded);
            assert_eq!(from_base64url(encoded).unwrap(), plain.as_bytes());
        }
        assert_eq!(base64url(&[0xfb, 0xff]), "-_8");
    }

    #[test]
    fn padded_standard_base64_is_accepted() {
        assert_eq!(from_base64url("Zm8=").unwrap(), b"fo");
        assert_eq!(from_base64url("+/8=").unwrap(), [0xfb, 0xff]);
    }

    #[test]
    fn damaged_base64_is_refused_and_unused_bits_are_ignored() {
        assert_eq!(from_base64url("a$b"), None);
        assert_eq!(from_base64url("A"), None, "a single digit is a cut text");
        assert_eq!(from_base64url("Zh").unwrap(), b"f", "the unused bits are ignored");
        assert_eq!(base64(b"ann:p@ss"), "YW5uOnBAc3M=");
    }

    #[test]
    fn percent_encodings_keep_the_unreserved_characters() {
        assert_eq!(encode_component("a b/c~d-e_f.g*é"), "a%20b%2Fc~d-e_f.g%2A%C3%A9");
        assert_eq!(encode_path("1/abc/artifacts dir"), "1/abc/artifacts%20dir");
        assert_eq!(form_urlencode("{\"text\": \"*a b*\"}"), "%7B%22text%22%3A+%22%2Aa+b%2A%22%7D");
    }

    #[test]
    fn credentials_come_out_of_a_uri_and_the_rest_stays_as_written() {
        let (base, credentials) = split_userinfo("https://ann:p%40ss@MLflow.Example:5000");
        assert_eq!(base, "https://MLflow.Example:5000");
        assert_eq!(credentials, Some(("ann".to_string(), "p@ss".to_string())));
        assert_eq!(
            split_userinfo("http://tok@host/x?y=z@w"),
            ("http://host/x?y=z@w".to_string(), Some(("tok".into(), "".into())))
        );
        assert_eq!(split_userinfo("http://127.0.0.1:5000"), ("http://127.0.0.1:5000".to_string(), None));
        assert_eq!(split_userinfo("./mlruns"), ("./mlruns".to_string(), None));
        // A password holding `#` or `?` ends at the `@` all the same.
        assert_eq!(
            split_userinfo("http://ann:p#w?@host"),
            ("http://host".to_string(), Some(("ann".into(), "p#w?".into())))
        );
    }
}
