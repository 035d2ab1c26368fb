#!/bin/bash
# usage: GLOSS=/absolute/path/to/gloss bench/cache_measure.sh CORPUS_DIR (a gen_corpus.py output; its public/ and .gloss/ are deleted first)
set -u
# Cold build, rebuild, a one-article edit (with its debug log), a one-article add (a publish; with
# its debug log), the same edit without the cache; sizes.
B=${GLOSS:-target/release/gloss}
cd "$1"
# Logs go to a folder of this run (other benchmarks may run beside it); printed at the end.
logs=$(mktemp -d /tmp/cache-measure.XXXXXX)
art=$(find content/articles -name '*.md' | sort | head -1)
t() { local label=$1; shift; /usr/bin/time -f "$label: wall %e s, user %U s, sys %S s, peak RSS %M KB" "$@" > /dev/null 2> $logs/time.err; tail -1 $logs/time.err; }
rm -rf public .gloss
t "cold (no cache)" $B --quiet build
t "no-change rebuild" $B --quiet build
echo "Edited sentence one." >> "$art"
t "one-article edit" $B --quiet build
echo "Edited sentence two." >> "$art"
GLOSS_LOG=debug $B build 2> $logs/edit-debug.log >/dev/null
grep -E "parsed anew|render: plan|render: annotations|render: search|incremental|^load:|^link:|^write:|render \+ stage|^built" $logs/edit-debug.log
# A publish: one new article (a copy of the edited one under a new name, so it links and
# quotes as the corpus does), with and without the debug log.
new=$(dirname "$art")/zz-published-$$.md
sed 's/^title: .*/title: "A newly published article"/' "$art" > "$new"
t "one-article add" $B --quiet build
new2=$(dirname "$art")/zz-published-$$-2.md
sed 's/^title: .*/title: "Another newly published article"/' "$art" > "$new2"
GLOSS_LOG=debug $B build 2> $logs/add-debug.log >/dev/null
grep -E "parsed anew|render: plan|render: annotations|render: search|incremental|^load:|^link:|^write:|render \+ stage|^built" $logs/add-debug.log
rm -f "$new" "$new2"
echo "Edited sentence three." >> "$art"
t "one-article edit, --no-cache" $B --quiet --no-cache build
du -sh .gloss/cache .gloss/outputs public | cat
echo "debug logs in $logs"
