//! Requirement ids as the checklists write them: a prefix of capitals and
//! digits that starts with a capital (`ACCT`, `S3`, `TH360`), a hyphen, a
//! number of three or four digits, and an optional suffix of capitals and
//! hyphens (`-CUSTOMER-DEPLOY`); or the unnumbered `USE-CASE` with an
//! optional suffix (`USE-CASE-SERVICE`).

/// An id taken apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IdParts<'a> {
    /// The prefix, such as `ACCT` (`USE-CASE` for the unnumbered form).
    pub prefix: &'a str,
    /// The number as written, such as `001`; none for `USE-CASE`.
    pub number: Option<&'a str>,
    /// The suffix without its hyphen, such as `CUSTOMER-DEPLOY`.
    pub suffix: Option<&'a str>,
}

/// The unnumbered id of the consulting checklists' use-case item.
const USE_CASE: &str = "USE-CASE";

/// Takes a requirement id apart; `None` when it is not one.
pub fn parse(id: &str) -> Option<IdParts<'_>> {
    if let Some(rest) = id.strip_prefix(USE_CASE) {
        return match rest.strip_prefix('-') {
            None if rest.is_empty() => Some(IdParts {
                prefix: USE_CASE,
                number: None,
                suffix: None,
            }),
            Some(suffix) if is_suffix(suffix) => Some(IdParts {
                prefix: USE_CASE,
                number: None,
                suffix: Some(suffix),
            }),
            _ => None,
        };
    }
    let (prefix, rest) = id.split_once('-')?;
    let mut prefix_chars = prefix.chars();
    if !prefix_chars.next().is_some_and(|c| c.is_ascii_uppercase())
        || !prefix_chars.all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
    {
        return None;
    }
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    if !(3..=4).contains(&digits) {
        return None;
    }
    let (number, after) = rest.split_at(digits);
    let suffix = match after.strip_prefix('-') {
        None if after.is_empty() => None,
        Some(suffix) if is_suffix(suffix) => Some(suffix),
        _ => return None,
    };
    Some(IdParts {
        prefix,
        number: Some(number),
        suffix,
    })
}

/// Capitals and inner hyphens, starting with a capital.
fn is_suffix(text: &str) -> bool {
    text.starts_with(|c: char| c.is_ascii_uppercase())
        && !text.ends_with('-')
        && text.chars().all(|c| c.is_ascii_uppercase() || c == '-')
}

/// Whether `id` is a requirement id.
pub fn is_valid(id: &str) -> bool {
    parse(id).is_some()
}

/// The prefix of an id, or the whole text when it is not an id.
pub fn prefix(id: &str) -> &str {
    parse(id).map_or(id, |parts| parts.prefix)
}

/// Whether `text` is a lowercase slug, such as `aws-waf` or `ftr-partner-hosted`:
/// lowercase letters and digits in hyphen-separated words.
pub fn is_slug(text: &str) -> bool {
    !text.is_empty()
        && text.split('-').all(|word| {
            !word.is_empty()
                && word
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// A slug made from a name: lowercase letters and digits, every other run
/// of characters one hyphen (`AWS WAF` gives `aws-waf`).
pub fn slug_of(name: &str) -> String {
    let mut slug = String::with_capacity(name.len());
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            slug.push(c);
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    slug
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_form_seen_is_an_id() {
        for (id, prefix, number, suffix) in [
            ("ACCT-001", "ACCT", Some("001"), None),
            ("S3-001", "S3", Some("001"), None),
            ("TH360-001", "TH360", Some("001"), None),
            ("AL2APP-001", "AL2APP", Some("001"), None),
            ("IAM-0010", "IAM", Some("0010"), None),
            (
                "DOC-002-CUSTOMER-DEPLOY",
                "DOC",
                Some("002"),
                Some("CUSTOMER-DEPLOY"),
            ),
            ("REL-001-SERVICE", "REL", Some("001"), Some("SERVICE")),
            ("USE-CASE", "USE-CASE", None, None),
            ("USE-CASE-SOFTWARE", "USE-CASE", None, Some("SOFTWARE")),
        ] {
            assert_eq!(
                parse(id),
                Some(IdParts {
                    prefix,
                    number,
                    suffix
                }),
                "{id}"
            );
        }
    }

    #[test]
    fn other_text_is_not_an_id() {
        for text in [
            "",
            "acct-001",
            "ACCT",
            "ACCT-01",
            "ACCT-00001",
            "ACCT-001-",
            "ACCT-001-x",
            "3S-001",
            "ACCT 001",
            "ID:RDS-001",
            "USE-CASES",
            "ACCT-001 ",
        ] {
            assert!(parse(text).is_none(), "{text:?}");
        }
    }

    #[test]
    fn slugs() {
        assert!(is_slug("aws-waf"));
        assert!(is_slug("ftr-partner-hosted"));
        assert!(!is_slug("AWS-waf"));
        assert!(!is_slug("aws--waf"));
        assert!(!is_slug("-aws"));
        assert_eq!(slug_of("AWS WAF"), "aws-waf");
        assert_eq!(slug_of("  Amazon ECS (Service) "), "amazon-ecs-service");
    }
}
