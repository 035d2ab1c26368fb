//! Near-miss ids (issue 17, item 1): an id in an article's front matter that no profile
//! defines and that is a letter or two from an id that exists (a profile's, or one this
//! article uses elsewhere: a quote's speaker or a claimant) is most likely a typo, which
//! would otherwise silently make a new person or topic. Each gets a warning with the
//! id to write. Input: the articles and the registry of entities; output: diagnostics.
//!
//! The closest id is chosen by how established it is (a profile first, then the number
//! of articles naming it), never by spelling alone, so that a correct reference is
//! not told to change to a misspelt one. Edit distance is `strsim`'s.

use std::collections::BTreeMap;

use crate::diag::{Code, Diagnostic, Diagnostics};
use crate::model::Article;

use super::entities::{KnownMap, Registry};

/// The kinds of ids, as link schemes and profile folders name them.
const KINDS: [(&str, &str); 3] = [
    ("person", "people"),
    ("topic", "topics"),
    ("outlet", "outlets"),
];

/// Whether `a` and `b` are a likely typo apart: one edit (a letter added, dropped,
/// changed, or two swapped), two for ids of eight characters or more.
pub(crate) fn is_near(a: &str, b: &str) -> bool {
    let (la, lb) = (a.chars().count(), b.chars().count());
    let longest = la.max(lb);
    let allowed = if longest >= 8 { 2 } else { 1 };
    // Each edit changes the length by at most one: most pairs fail here, cheaply.
    a != b
        && longest > 3
        && la.abs_diff(lb) <= allowed
        && bag_distance_within(a, b, allowed)
        && strsim::damerau_levenshtein(a, b) <= allowed
}

/// False only when `a` and `b` are more than `allowed` edits apart, told by the bytes
/// one has that the other lacks (an edit adds or removes at most one of each side; a
/// swap none): rejects most pairs of an article's ids without the edit distance's
/// table, which was a fifth of a no-change link at 10^5 articles. Other than ASCII,
/// a character is several bytes, so the bound holds for ASCII only; else true.
fn bag_distance_within(a: &str, b: &str, allowed: usize) -> bool {
    if !a.is_ascii() || !b.is_ascii() {
        return true;
    }
    let mut counts = [0i16; 128];
    for &c in a.as_bytes() {
        counts[usize::from(c)] += 1;
    }
    for &c in b.as_bytes() {
        counts[usize::from(c)] -= 1;
    }
    let (mut only_a, mut only_b) = (0usize, 0usize);
    for n in counts {
        match n {
            n if n > 0 => only_a += n.unsigned_abs() as usize,
            n if n < 0 => only_b += n.unsigned_abs() as usize,
            _ => {}
        }
    }
    only_a.max(only_b) <= allowed
}

/// Ids of one kind keyed by each form with one character deleted (and the id itself),
/// so the ids near another are found by looking up its own deletions, not by comparing
/// it with every profile of a large site.
struct Neighbours<'a> {
    by_deletion: foldhash::HashMap<String, Vec<&'a str>>,
}

impl<'a> Neighbours<'a> {
    fn new(ids: impl Iterator<Item = &'a str>) -> Self {
        let mut by_deletion: foldhash::HashMap<String, Vec<&'a str>> = Default::default();
        for id in ids {
            for form in deletions(id) {
                by_deletion.entry(form).or_default().push(id);
            }
        }
        Neighbours { by_deletion }
    }

    /// The ids near `id` (see [`is_near`]) that share a one-deletion form with it: every
    /// single edit, and most double ones.
    fn near(&self, id: &str) -> Vec<&'a str> {
        let mut out: Vec<&'a str> = deletions(id)
            .iter()
            .filter_map(|f| self.by_deletion.get(f))
            .flatten()
            .copied()
            .filter(|c| is_near(id, c))
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// `id` and each form of it with one character deleted.
fn deletions(id: &str) -> Vec<String> {
    let mut out = vec![id.to_string()];
    for (i, c) in id.char_indices() {
        out.push(format!("{}{}", &id[..i], &id[i + c.len_utf8()..]));
    }
    out
}

/// Where an article refers to an id besides the lists checked, for the hint.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Use {
    /// `speaker:` of quote N.
    Quote(usize),
    /// `claimant:` of annotation N.
    Claimant(usize),
    /// Another list of the front matter.
    Listed,
}

/// An id the article names in a list that creates entities, with where.
struct Named<'a> {
    kind: usize,
    id: &'a str,
    span: crate::diag::Span,
    field: &'static str,
}

/// The ids that have a profile, per kind (person, topic, outlet): all that the check
/// reads of the registry, taken apart so that it runs beside the indexes, which take the
/// registry over.
pub(crate) struct Profiled([foldhash::HashSet<String>; 3]);

impl Profiled {
    /// The profiled ids of `reg`.
    pub(crate) fn of(reg: &Registry) -> Profiled {
        let ids = |m: &KnownMap| {
            m.iter()
                .filter(|(_, e)| e.profile.is_some())
                .map(|(id, _)| id.clone())
                .collect()
        };
        Profiled([ids(&reg.people), ids(&reg.topics), ids(&reg.outlets)])
    }
}

/// Warns about each near-miss id of every article.
pub(crate) fn check(
    articles: &[std::sync::Arc<Article>],
    profiles: &Profiled,
    diags: &mut Diagnostics,
) {
    let profiled = |k: usize, id: &str| profiles.0[k].contains(id);
    let neighbours: Vec<Neighbours<'_>> = profiles
        .0
        .iter()
        .map(|ids| Neighbours::new(ids.iter().map(String::as_str)))
        .collect();
    let mut uses: [foldhash::HashMap<&str, usize>; 3] = Default::default();
    for a in articles {
        let mut seen: Vec<(usize, &str)> = named(a).iter().map(|n| (n.kind, n.id)).collect();
        seen.sort_unstable();
        seen.dedup();
        for (k, id) in seen {
            *uses[k].entry(id).or_default() += 1;
        }
    }
    // Most ids recur in many articles: their profiles near them are looked up once.
    let mut near_profiles: foldhash::HashMap<(usize, &str), Vec<&str>> = Default::default();
    for a in articles {
        let list = named(a);
        if list.iter().all(|n| profiled(n.kind, n.id)) {
            continue;
        }
        let others = references(a, &list);
        for n in &list {
            if profiled(n.kind, n.id) {
                continue;
            }
            let count = |id: &str| uses[n.kind].get(id).copied().unwrap_or(0);
            // Candidates: profiles, and ids this article refers to elsewhere; a name of
            // another list only when more articles use it (two people with near names
            // in one article warn neither).
            let mut candidates: Vec<(&str, Option<Use>)> = near_profiles
                .entry((n.kind, n.id))
                .or_insert_with(|| neighbours[n.kind].near(n.id))
                .iter()
                .map(|c| (*c, None))
                .collect();
            for (k, id, how) in &others {
                if *k == n.kind
                    && is_near(n.id, id)
                    && (*how != Use::Listed || count(id) > count(n.id))
                {
                    candidates.push((id, Some(how.clone())));
                }
            }
            let best = candidates.into_iter().max_by(|a, b| {
                let rank = |(id, how): &(&str, Option<Use>)| {
                    (
                        profiled(n.kind, id),
                        count(id),
                        how.is_some(),
                        std::cmp::Reverse(id.to_string()),
                    )
                };
                rank(a).cmp(&rank(b))
            });
            let Some((best, how)) = best else {
                continue;
            };
            diags.push(warning(
                a,
                n,
                best,
                how,
                profiled(n.kind, best),
                count(best),
            ));
        }
    }
}

fn warning(
    a: &Article,
    n: &Named<'_>,
    best: &str,
    how: Option<Use>,
    profiled: bool,
    uses: usize,
) -> Diagnostic {
    let (kind, folder) = KINDS[n.kind];
    let why = match how {
        _ if profiled => format!("it has a profile, content/{folder}/{best}.md"),
        Some(Use::Quote(q)) => format!("quote {q} names it as its speaker"),
        Some(Use::Claimant(c)) => format!("annotation {c} names it as its claimant"),
        Some(Use::Listed) | None => format!("{uses} articles name it"),
    };
    Diagnostic::new(
        Code::NearMissId,
        &a.path,
        Some(n.span),
        format!(
            "{kind} `{}` in `{}` looks like a misspelling of `{best}`",
            n.id, n.field
        ),
    )
    .with_hint(format!(
        "did you mean `{best}`? ({why}); if `{}` is meant, create content/{folder}/{}.md",
        n.id, n.id
    ))
}

/// The ids of `a`'s lists that create entities: speakers, mentions, topics, outlets.
fn named(a: &Article) -> Vec<Named<'_>> {
    let mut out = Vec::new();
    for s in &a.speakers {
        out.push(Named {
            kind: 0,
            id: s.id.value.as_str(),
            span: s.id.span,
            field: "speakers",
        });
    }
    for m in &a.mentions {
        out.push(Named {
            kind: 0,
            id: m.value.as_str(),
            span: m.span,
            field: "mentions",
        });
    }
    for t in &a.topics {
        out.push(Named {
            kind: 1,
            id: t.value.0.as_str(),
            span: t.span,
            field: "topics",
        });
    }
    for s in a.sources.values() {
        if let Some(o) = &s.outlet {
            out.push(Named {
                kind: 2,
                id: o.value.0.as_str(),
                span: o.span,
                field: "sources",
            });
        }
    }
    out
}

/// Every other id `a` refers to, by kind: quote speakers, claimants, and the ids of its
/// lists.
fn references<'a>(a: &'a Article, list: &[Named<'a>]) -> Vec<(usize, &'a str, Use)> {
    let mut out: BTreeMap<(usize, &str), Use> = BTreeMap::new();
    for n in list {
        out.insert((n.kind, n.id), Use::Listed);
    }
    let mut refer = |k: usize, id: &'a str, how: Use| {
        let e = out.entry((k, id)).or_insert(how.clone());
        *e = (*e).clone().min(how);
    };
    for (i, q) in a.quotes.iter().enumerate() {
        refer(0, q.speaker.value.as_str(), Use::Quote(i + 1));
    }
    for (i, n) in a.annotations.iter().enumerate() {
        if let Some(c) = &n.verdict.claimant {
            refer(0, c.value.as_str(), Use::Claimant(i + 1));
        }
    }
    // Body links are not candidates: a link to an id nothing defines is an error whose
    // hint offers both spellings ([`link_hint`]), as neither can be known to be right.
    out.into_iter().map(|((k, id), how)| (k, id, how)).collect()
}

/// For an unknown `scheme:target` link of `a`'s body: when `a`'s own lists name an id
/// near `target` that has no profile, the likely typo may be that id, not the link; the
/// hint then offers both fixes rather than telling a correct link to change.
pub(crate) fn link_hint(
    a: &Article,
    scheme: &str,
    target: &str,
    reg_has_profile: impl Fn(&str) -> bool,
) -> Option<String> {
    let k = KINDS.iter().position(|(s, _)| *s == scheme)?;
    let n = named(a)
        .into_iter()
        .find(|n| n.kind == k && is_near(n.id, target) && !reg_has_profile(n.id))?;
    Some(format!(
        "`{}` in `{}` (line {}) is close and has no profile: if it is misspelt there, write `{target}` in `{}`; otherwise link `{scheme}:{}`",
        n.id, n.field, n.span.line, n.field, n.id
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_ids_are_one_edit_or_two_for_long_ones() {
        assert!(is_near("riverton-watr", "riverton-water"));
        assert!(is_near("dana-whitfeld", "dana-whitfield"));
        assert!(is_near("tom-beker", "tom-becker"));
        assert!(is_near("cecto", "cecot"), "a swap is one edit");
        assert!(is_near("el-salvadro", "el-salvador"));
        assert!(!is_near("cecot", "cecil"), "two edits in a short id");
        assert!(!is_near("ab", "ac"), "too short to tell");
        assert!(!is_near("x-y", "x-y"));
    }

    /// The bound rejects only pairs the edit distance rejects: compared on every pair
    /// of a few hundred ids, several of them a typo of another.
    #[test]
    fn the_byte_bound_agrees_with_the_edit_distance() {
        let mut ids: Vec<String> = (0..300)
            .map(|i| format!("p{}-{}", i % 17, i * 7919 % 1000))
            .collect();
        ids.extend(
            [
                "dana-whitfield",
                "dana-whitfeld",
                "dnaa-whitfield",
                "dana-whitfielddd",
                "el-salvador",
                "el-salvadro",
                "ñandú-pérez",
                "ñandu-perez",
            ]
            .map(String::from),
        );
        for a in &ids {
            for b in &ids {
                let longest = a.chars().count().max(b.chars().count());
                let allowed = if longest >= 8 { 2 } else { 1 };
                if strsim::damerau_levenshtein(a, b) <= allowed {
                    assert!(bag_distance_within(a, b, allowed), "{a} {b}");
                }
            }
        }
        assert!(!bag_distance_within("abcdefgh", "abcdxyzh", 2));
    }

    #[test]
    fn neighbours_find_single_edits_among_many_ids() {
        let ids: Vec<String> = (0..2000).map(|i| format!("person-{i:04}")).collect();
        let mut all: Vec<&str> = ids.iter().map(String::as_str).collect();
        all.push("dana-whitfield");
        let index = Neighbours::new(all.into_iter());
        assert_eq!(index.near("dana-whitfeld"), ["dana-whitfield"]);
        assert_eq!(index.near("dana-whitfieldd"), ["dana-whitfield"]);
        assert!(index.near("someone-else").is_empty());
    }
}
