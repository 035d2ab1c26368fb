//! The theme owns the markup of annotation marks (issue 16, item 2): the link stage
//! leaves placeholders and data, `mark.html` and the components of `components.html`
//! write quotes, passages, markers, side notes and flags, and a site can replace them.

use crate::side_notes::many_notes;
use crate::util::Site;

#[test]
fn a_site_overrides_the_markup_of_marks() {
    let site = many_notes();
    site.file(
        "templates/mark.html",
        "{%- if part == \"words\" %}<b class=\"mine-{{ mark.type }}\">{{ words | safe }}</b>\
         {%- elif part == \"after\" %}<i>{{ mark.data.n }}</i>\
         {%- elif part == \"block\" %}<div class=\"mine-note\">{{ mark.data.note | safe }}</div>{% endif %}",
    );
    site.build_ok(&[]);
    let html = site.read("articles/many/index.html");
    assert!(
        html.contains("<b class=\"mine-quote\">We will open the bridge in May</b>,”<i>2</i>"),
        "{html}"
    );
    assert!(
        html.contains("<b class=\"mine-note\">the old bridge</b><i>"),
        "{html}"
    );
    assert!(
        html.contains("<div class=\"mine-note\"><p>Built in 1901.</p>\n</div>"),
        "{html}"
    );
    // None of the default theme's mark markup is left.
    for default in [
        "<span class=\"quote",
        "<mark class=\"passage",
        "class=\"note-ref",
        "sidenote-margin",
    ] {
        assert!(!html.contains(default), "{default} in {html}");
    }
}

#[test]
fn a_component_override_restyles_one_kind_of_mark() {
    // Overriding components.html keeps every other component of the theme working: the
    // file is the theme's with one component changed.
    let site = many_notes();
    let theme = include_str!("../../themes/default/templates/components.html");
    let start = theme
        .find("{% component quote_by(")
        .unwrap_or_else(|| panic!("quote_by not in components.html"));
    let end = theme[start..]
        .find("{%- endcomponent quote_by %}")
        .map(|e| start + e)
        .unwrap_or_else(|| panic!("quote_by has no end"));
    let mine = format!(
        "{}{}{}",
        &theme[..start],
        "{% component quote_by(q: map, @root) -%}<small class=\"said-by\">— {{ q.speaker.name }}</small>",
        &theme[end..]
    );
    site.file("templates/components.html", &mine);
    site.build_ok(&[]);
    let html = site.read("articles/many/index.html");
    assert!(
        html.contains("in May</span>,”<small class=\"said-by\">— Ada Mayor</small>"),
        "{html}"
    );
    assert!(!html.contains("quote-by"), "{html}");
    // Passages and notes keep the theme's markup.
    assert!(
        html.contains("<mark class=\"passage passage-context\""),
        "{html}"
    );
}

#[test]
fn a_mark_template_that_drops_the_words_is_an_error_naming_it() {
    let site = many_notes();
    site.file(
        "templates/mark.html",
        "{% if part == \"words\" %}<b></b>{% endif %}",
    );
    let run = site.run(&["build"]);
    assert_ne!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("mark.html must write `words` exactly once"),
        "{}",
        run.stderr
    );
}

#[test]
fn an_author_cannot_write_a_placeholder_of_the_theme() {
    // The noncharacters that open and close gloss's placeholders, typed in the body, in
    // an HTML comment like the one gloss writes, and in a raw HTML block.
    let site = Site::new();
    site.file(
        "content/articles/a.md",
        "---\ntitle: A\ndate: 2025-01-02\nspeakers: [ada]\nquotes:\n  - speaker: ada\n    text: \"said this\"\n---\n\
         Ada said this. Then \u{FDD0}m q0 first\u{FDD1}forged\u{FDD0}m q0 close\u{FDD1} and \
         <!--gloss:mark q0 first-->x<!--gloss:mark q0 close-->.\n",
    );
    site.file("content/people/ada.md", "---\nname: Ada\n---\n");
    site.build_ok(&[]);
    let html = site.read("articles/a/index.html");
    assert_eq!(html.matches("class=\"quote\"").count(), 1, "{html}");
    assert!(html.contains("\u{FFFD}m q0 first\u{FFFD}forged"), "{html}");
    // Raw HTML is escaped by default: the comment shows as text.
    assert!(html.contains("&lt;!--gloss:mark q0 first--&gt;x"), "{html}");
}

#[test]
fn the_word_diff_of_a_differing_quote_is_the_themes_markup() {
    // The check hands templates the diff as runs of words; a site marks them its way.
    let site = Site::sample();
    let theme = include_str!("../../themes/default/templates/components.html");
    let start = theme
        .find("{% component word_diff(")
        .unwrap_or_else(|| panic!("word_diff not in components.html"));
    let mine = format!(
        "{}{}",
        &theme[..start],
        "{% component word_diff(runs: array) -%}{% for r in runs %}[{{ r.kind }}:{{ r.words }}]{% endfor %}{%- endcomponent word_diff %}\n"
    );
    site.file("templates/components.html", &mine);
    site.build_ok(&[]);
    let html = site.read("articles/bukele-dares-clinton-prison-population/index.html");
    assert!(
        html.contains(
            "[same:Until then,][sought_only:El Salvador][found_only:we][same:will continue"
        ),
        "{html}"
    );
    assert!(!html.contains("<del>El Salvador</del>"), "{html}");
}
