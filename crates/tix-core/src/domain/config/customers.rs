//! `organisations` and `free_mail_domains`: which mail domains make one
//! organisation, and which make none.

use std::collections::BTreeMap;

use super::Config;

/// The config's view of organisations; the lookups are in
/// `domain::customers`.
#[derive(Clone, Copy, Debug)]
pub struct Organisations<'a> {
    pub mapped: &'a BTreeMap<String, Vec<String>>,
    pub free_mail_domains: &'a [String],
}

fn check_domain(key: &str, domain: &str) -> Result<(), String> {
    let plain = domain.strip_suffix(".*").unwrap_or(domain);
    if plain.is_empty()
        || plain.starts_with('.')
        || plain.ends_with('.')
        || plain.chars().any(|c| {
            c.is_whitespace() || c.is_control() || matches!(c, '@' | '<' | '>' | ',' | '*')
        })
    {
        return Err(format!(
            "{key}: `{domain}` is not a mail domain (expected e.g. `example.com`)"
        ));
    }
    Ok(())
}

pub(super) fn validate(config: &Config) -> Result<(), String> {
    for domain in &config.free_mail_domains {
        check_domain("free_mail_domains", domain)?;
    }
    let free = config.organisations();
    let mut owner: BTreeMap<String, &str> = BTreeMap::new();
    for (name, domains) in &config.organisations {
        let key = format!("organisations.{name}");
        if name.trim().is_empty() || name.chars().any(char::is_control) {
            return Err(format!("organisations: `{name}` is not a name"));
        }
        if domains.is_empty() {
            return Err(format!("{key}: lists no domain"));
        }
        for domain in domains {
            check_domain(&key, domain)?;
            if domain.ends_with(".*") {
                return Err(format!(
                    "{key}: `{domain}`: an organisation lists whole domains, not `name.*`"
                ));
            }
            let folded = domain.to_ascii_lowercase();
            if free.is_free_mail(&folded) {
                return Err(format!(
                    "{key}: `{domain}` is a free-mail domain, whose users belong to no organisation"
                ));
            }
            if let Some(other) = owner.insert(folded, name) {
                return Err(format!(
                    "{key}: `{domain}` is already in organisation `{other}`"
                ));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    fn parse(extra: &str) -> Result<crate::domain::Config, String> {
        crate::domain::Config::parse(&format!("format: 1\n{extra}"))
    }

    #[test]
    fn a_domain_in_two_organisations_or_a_free_mail_one_is_refused_naming_the_key() {
        assert!(parse("organisations:\n  Example Corp: [example.com, example.co.uk]\n").is_ok());
        let e = parse("organisations:\n  A: [example.com]\n  B: [EXAMPLE.com]\n").unwrap_err();
        assert!(
            e.contains("organisations.B") && e.contains("organisation `A`"),
            "{e}"
        );
        let e = parse("organisations:\n  A: [gmail.com]\n").unwrap_err();
        assert!(
            e.contains("organisations.A") && e.contains("free-mail"),
            "{e}"
        );
        let e =
            parse("free_mail_domains: [mailbox.example]\norganisations:\n  A: [mailbox.example]\n")
                .unwrap_err();
        assert!(e.contains("free-mail"), "{e}");
        let e = parse("free_mail_domains: [\"a b\"]\n").unwrap_err();
        assert!(
            e.contains("free_mail_domains") && e.contains("`a b`"),
            "{e}"
        );
        let e = parse("organisations:\n  A: []\n").unwrap_err();
        assert!(e.contains("organisations.A: lists no domain"), "{e}");
    }
}
