#!/usr/bin/env bash
# Regenerates the README's screenshots (docs/screenshots/*.png) of the sample archive with
# Debian's headless Chromium, at phone (375x812) and desktop (1280x900) width.
#
#   bash docs/screenshots.sh [path/to/gloss]     (default: target/release/gloss)
set -euo pipefail
cd "$(dirname "$0")/.."
GLOSS=${1:-target/release/gloss}
CHROMIUM=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
[ -x "$GLOSS" ] || { echo "no gloss binary at $GLOSS (cargo build --release)" >&2; exit 2; }
[ -n "$CHROMIUM" ] || { echo "chromium not found (apt-get install chromium)" >&2; exit 2; }

out=$(mktemp -d "${TMPDIR:-/tmp}/gloss-shots.XXXXXX")
trap 'rm -rf "$out"' EXIT
# The sample's warnings are expected (its flagged quotes); show them only if the build fails.
"$GLOSS" -q build --output "$out/public" 2>"$out/build.log" || { cat "$out/build.log" >&2; exit 1; }

shot() { # shot NAME PAGE WIDTH HEIGHT
    "$CHROMIUM" --headless --no-sandbox --disable-gpu --hide-scrollbars \
        --user-data-dir="$out/profile" --window-size="$3,$4" \
        --screenshot="docs/screenshots/$1.png" "file://$out/public/$2" >/dev/null 2>&1
    echo "docs/screenshots/$1.png"
}
for size in "phone 375 812" "desktop 1280 900"; do
    set -- $size
    shot "home-$1" index.html "$2" "$3"
    shot "article-$1" articles/bukele-dares-clinton-prison-population/index.html "$2" "$3"
    shot "person-$1" people/nayib-bukele/index.html "$2" "$3"
done
