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
# The three-language fixture, for the right-to-left article (issue 18).
"$GLOSS" -q --root tests/fixtures/multilingual build --output "$out/multilingual" 2>"$out/ml.log" \
    || { cat "$out/ml.log" >&2; exit 1; }

# Search reads its index with fetch(), which browsers allow over HTTP only: serve the
# output on a free local port for the search page's shots.
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$out/public" >/dev/null 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; rm -rf "$out"' EXIT

shot() { # shot NAME URL WIDTH HEIGHT
    # The time budget lets the search page fetch and show its results before the shot.
    "$CHROMIUM" --headless --no-sandbox --disable-gpu --hide-scrollbars \
        --user-data-dir="$out/profile" --window-size="$3,$4" --virtual-time-budget=5000 \
        --screenshot="docs/screenshots/$1.png" "$2" >/dev/null 2>&1
    echo "docs/screenshots/$1.png"
}
for _ in $(seq 50); do
    python3 -c "import socket; socket.create_connection(('127.0.0.1', $port))" 2>/dev/null && break
    sleep 0.1
done
for size in "phone 375 812" "desktop 1280 900"; do
    set -- $size
    shot "home-$1" "file://$out/public/index.html" "$2" "$3"
    shot "article-$1" "file://$out/public/articles/bukele-dares-clinton-prison-population/index.html" "$2" "$3"
    shot "person-$1" "file://$out/public/people/nayib-bukele/index.html" "$2" "$3"
    shot "search-$1" "http://127.0.0.1:$port/search/index.html?q=prison%20population" "$2" "$3"
    shot "article-rtl-$1" "file://$out/multilingual/articles/prison-offer-ar/index.html" "$2" "$3"
done
