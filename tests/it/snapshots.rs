//! Snapshots (insta) of the `<main>` of the sample's key pages. Review changes line by
//! line with `cargo insta review`; never accept them in bulk.

use crate::util::Site;

fn main_of(html: &str) -> &str {
    let start = html.find("<main").unwrap_or(0);
    let end = html
        .find("</main>")
        .map_or(html.len(), |i| i + "</main>".len());
    &html[start..end]
}

#[test]
fn sample_pages() {
    let site = Site::sample();
    site.build_ok(&[]);
    for (name, page) in [
        ("home", "index.html"),
        (
            "article",
            "articles/bukele-dares-clinton-prison-population/index.html",
        ),
        ("person", "people/nayib-bukele/index.html"),
        ("topic", "topics/cecot/index.html"),
        ("quotes", "quotes/index.html"),
    ] {
        insta::assert_snapshot!(name, main_of(&site.read(page)));
    }
}
