//! What a person may be called in an article's text, for finding the sentence that
//! names them ([`crate::text::Sentences`] finds it).

use super::Entity;

/// Last words of a name that are not a surname (`Martin Luther King Jr.`).
const SUFFIXES: &[&str] = &["jr", "sr", "ii", "iii", "iv"];

/// What a person may be called in a text, in the order searched: the display name, the
/// profile's aliases, then the surname (the last word, if it has 3 characters or more).
pub(crate) fn names_of(person: &Entity) -> Vec<&str> {
    let mut names = vec![person.name.as_str()];
    if let Some(p) = &person.profile {
        names.extend(p.aliases.iter().map(String::as_str));
    }
    if let Some(s) = surname(&person.name)
        && s != person.name.trim()
    {
        names.push(s);
    }
    names
}

/// The last word of `name` that is not a suffix such as `Jr.`, if it has 3+ characters.
fn surname(name: &str) -> Option<&str> {
    let mut words = name
        .split_whitespace()
        .rev()
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()));
    let mut last = words.next()?;
    if SUFFIXES.iter().any(|s| s.eq_ignore_ascii_case(last)) {
        last = words.next()?;
    }
    (last.chars().count() >= 3).then_some(last)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_surname_is_the_last_word_that_is_no_suffix() {
        assert_eq!(surname("Nayib Bukele"), Some("Bukele"));
        assert_eq!(surname("Martin Luther King Jr."), Some("King"));
        assert_eq!(surname("Xi Li"), None, "too short to be found alone");
    }
}
