//! Collects every person, topic and outlet the site names (from profiles and from
//! articles), resolves display names, and checks references that span files: quote
//! speakers, fact-check claimants and archived copies.

use crate::diag::Code;
use std::collections::BTreeSet;

use crate::diag::{self, Diagnostic, Diagnostics};
use crate::model::{Article, Profile, ProfileKind, SourceCopy};

/// What is known about one entity before indexes are built.
#[derive(Debug, Clone, Default)]
pub(crate) struct Known {
    pub(crate) profile: Option<Profile>,
    pub(crate) inline_name: Option<String>,
    pub(crate) inline_role: Option<String>,
}

impl Known {
    /// Display name: profile, else inline, else derived from the id.
    pub(crate) fn name(&self, id: &str) -> String {
        self.profile
            .as_ref()
            .and_then(|p| p.name.clone())
            .or_else(|| self.inline_name.clone())
            .unwrap_or_else(|| name_from_id(id))
    }

    /// Role: profile, else the first inline one.
    pub(crate) fn role(&self) -> Option<String> {
        self.profile
            .as_ref()
            .and_then(|p| p.role.clone())
            .or_else(|| self.inline_role.clone())
    }
}

/// Every entity id of the site, by kind.
#[derive(Debug, Default)]
pub(crate) struct Registry {
    pub(crate) people: KnownMap,
    pub(crate) topics: KnownMap,
    pub(crate) outlets: KnownMap,
}

/// The entry of `id`, created if new; looks up before allocating a key (most ids repeat).
/// Entities by id. A hash map: it is only looked up here; `indexes` sorts it by id.
pub(crate) type KnownMap = foldhash::HashMap<String, Known>;

fn known<'m>(map: &'m mut KnownMap, id: &str) -> &'m mut Known {
    if !map.contains_key(id) {
        map.insert(id.to_string(), Known::default());
    }
    // Present: inserted just above if it was missing.
    map.get_mut(id).expect("entry exists")
}

impl Registry {
    /// Gathers entities from profiles and articles (sorted newest first, so the first
    /// inline name seen is the newest) and reports unresolved cross-file references.
    pub(crate) fn build(
        articles: &[std::sync::Arc<Article>],
        profiles: Vec<Profile>,
        copies: &[SourceCopy],
        diags: &mut Diagnostics,
    ) -> Self {
        let mut reg = Registry::default();
        for p in profiles {
            let map = match p.kind {
                ProfileKind::Person => &mut reg.people,
                ProfileKind::Topic => &mut reg.topics,
                ProfileKind::Outlet => &mut reg.outlets,
            };
            let id = p.id.clone();
            map.entry(id).or_default().profile = Some(p);
        }
        let copy_names: BTreeSet<&str> = copies.iter().map(|c| c.name.as_str()).collect();
        for a in articles {
            for s in &a.speakers {
                let k = known(&mut reg.people, &s.id.value.0);
                if k.inline_name.is_none() {
                    k.inline_name = s.name.clone();
                }
                if k.inline_role.is_none() {
                    k.inline_role = s.role.clone();
                }
            }
            for m in &a.mentions {
                known(&mut reg.people, &m.value.0);
            }
            // A byline written as an id (`dana-whitfield`) is a person; a name with
            // capitals or spaces (`Archive desk`) stays a name.
            for author in a.authors.iter().filter(|a| crate::model::is_slug(a)) {
                known(&mut reg.people, author);
            }
            for t in &a.topics {
                known(&mut reg.topics, &t.value.0);
            }
            for s in a.sources.values() {
                if let Some(o) = &s.outlet {
                    known(&mut reg.outlets, &o.value.0);
                }
                if let Some(copy) = &s.copy
                    && !copy_names.contains(copy.value.as_str())
                {
                    let mut hint = "put the archived text under content/sources/ and name it relative to content/, e.g. `copy: sources/post.md`".to_string();
                    if let Some(best) = diag::did_you_mean(&copy.value, copy_names.iter().copied())
                    {
                        hint = format!("did you mean `{best}`?");
                    }
                    diags.push(
                        Diagnostic::new(
                            Code::MissingFile,
                            &a.path,
                            Some(copy.span),
                            format!("archived copy `{}` not found", copy.value),
                        )
                        .with_hint(hint),
                    );
                }
            }
        }
        for a in articles {
            reg.check_people(a, diags);
        }
        reg
    }

    fn check_people(&self, a: &Article, diags: &mut Diagnostics) {
        let listed: BTreeSet<&str> = a.speakers.iter().map(|s| s.id.value.as_str()).collect();
        let has_profile = |id: &str| self.people.get(id).is_some_and(|k| k.profile.is_some());
        for (i, q) in a.quotes.iter().enumerate() {
            let id = q.speaker.value.as_str();
            if listed.contains(id) || has_profile(id) {
                continue;
            }
            let mut hint = format!("add `{id}` to `speakers`, or create content/people/{id}.md");
            let unquoted = |s: &str| !a.quotes.iter().any(|q| q.speaker.value.as_str() == s);
            // A listed speaker with no quote and no profile, a letter off: the typo may
            // be in `speakers`, and this quote right (issue 17).
            if let Some(s) = listed
                .iter()
                .find(|s| super::near_ids::is_near(s, id) && unquoted(s) && !has_profile(s))
            {
                hint = format!(
                    "`{s}` in `speakers` has no quote and no profile: if it is misspelt there, write `{id}` in `speakers`; otherwise write `speaker: {s}` here"
                );
            } else if let Some(best) = diag::did_you_mean(id, listed.iter().copied()) {
                hint = format!("did you mean `{best}`? otherwise {hint}");
            }
            let msg = format!(
                "speaker `{id}` of quote {} is not in `speakers` and has no profile",
                i + 1
            );
            diags.push(
                Diagnostic::new(Code::UnknownReference, &a.path, Some(q.speaker.span), msg)
                    .with_hint(hint),
            );
        }
        for s in &a.speakers {
            let id = s.id.value.as_str();
            // A quote whose speaker is a letter off is reported there, as a likely typo.
            if a.quotes.iter().any(|q| {
                let q = q.speaker.value.as_str();
                q == id || super::near_ids::is_near(q, id)
            }) {
                continue;
            }
            diags.push(
                Diagnostic::new(
                    Code::SpeakerNotQuoted,
                    &a.path,
                    Some(s.id.span),
                    format!("speaker `{id}` has no quote in this article"),
                )
                .with_hint(format!(
                    "add a quote with `speaker: {id}`, or move `{id}` from `speakers` to `mentions` (people named but not quoted)"
                )),
            );
        }
        let named: BTreeSet<&str> = listed
            .iter()
            .copied()
            .chain(a.mentions.iter().map(|m| m.value.as_str()))
            .collect();
        for (i, n) in a.annotations.iter().enumerate() {
            let Some(c) = &n.verdict.claimant else {
                continue;
            };
            let id = c.value.as_str();
            if named.contains(id) || has_profile(id) {
                continue;
            }
            let mut hint =
                format!("add `{id}` to `speakers` or `mentions`, or create content/people/{id}.md");
            if let Some(best) = diag::did_you_mean(id, named.iter().copied()) {
                hint = format!("did you mean `{best}`? otherwise {hint}");
            }
            let msg = format!(
                "claimant `{id}` of annotation {} is not named in this article and has no profile",
                i + 1
            );
            diags.push(
                Diagnostic::new(Code::UnknownReference, &a.path, Some(c.span), msg).with_hint(hint),
            );
        }
    }
}
/// A display name derived from an id: `nayib-bukele` -> `Nayib Bukele`.
pub(crate) fn name_from_id(id: &str) -> String {
    id.split('-')
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f.to_uppercase().chain(c).collect::<String>(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod name_tests {
    use super::name_from_id;

    #[test]
    fn names_from_ids() {
        assert_eq!(name_from_id("nayib-bukele"), "Nayib Bukele");
        assert_eq!(name_from_id("x"), "X");
        assert_eq!(name_from_id("a--b"), "A B");
    }
}
